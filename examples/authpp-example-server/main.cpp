// authpp-example-server — a Beast server with Auth.js-compatible sessions,
// configured from the environment (see docs/examples.md):
//
//   AUTH_SECRET=… AUTHPP_ISSUER=https://idp.example AUTHPP_CLIENT_ID=… authpp-example-server
//
// AUTHPP_MODE=nal runs mode nal instead (nal_mode.cpp), AUTHPP_MODE=split
// mode split (split_mode.cpp).
//
// Prints "READY http://host:port" once it listens, then one line per request
// (method, path, status, time; never a cookie or token). SIGINT/SIGTERM stop
// accepting, let requests in flight finish, and exit 0.
#include "app.hpp"
#include "env_config.hpp"
#include "serve.hpp"
#include "store.hpp"

#include <boost/asio/io_context.hpp>


#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <type_traits>

namespace asio = boost::asio;

int run_nal_mode(const char* (*getenv_fn)(const char*));   // nal_mode.cpp
int run_split_mode(const char* (*getenv_fn)(const char*)); // split_mode.cpp

int main() {
    std::setvbuf(stdout, nullptr, _IOLBF, 0); // a log line is seen when it is written

    // AUTHPP_MODE: authjs (the default: Auth.js sessions), nal
    // (next-api-layer: tokens a backend validates) or split
    // (@significa/auth-next: split cookies and server handlers).
    if (const char* mode = std::getenv("AUTHPP_MODE"); mode && *mode && std::string_view(mode) != "authjs") {
        const auto env = [](const char* n) -> const char* { return std::getenv(n); };
        if (std::string_view(mode) == "nal") return run_nal_mode(env);
        if (std::string_view(mode) == "split") return run_split_mode(env);
        std::fprintf(stderr, "authpp-example-server: AUTHPP_MODE must be authjs, nal or split\n");
        return 2;
    }
    auto parsed = example::config_from_env([](const char* name) { return std::getenv(name); });
    if (const auto* message = std::get_if<std::string>(&parsed)) {
        std::fprintf(stderr, "authpp-example-server: %s\n", message->c_str());
        return 2;
    }
    auto config = std::get<example::server_config>(std::move(parsed));
    // Said once per process: a session over the cookie budget is not
    // written (the request keeps its old cookie); see max_session_cookie_bytes.
    config.auth.callbacks.warning = [](authpp::error_code what, std::string_view detail) {
        static std::atomic<bool> said{false};
        if (!said.exchange(true))
            std::printf("warning: %s (%.*s); said once\n", what.message().c_str(), static_cast<int>(detail.size()),
                        detail.data());
    };

    boost::system::error_code ec;
    const auto address = asio::ip::make_address(config.host, ec);
    if (ec) {
        std::fprintf(stderr, "authpp-example-server: AUTHPP_LISTEN needs an IP address, not '%s'\n", config.host.c_str());
        return 2;
    }

    // The Store: Redis when AUTHPP_REDIS_URL is set (refresh locks, successor
    // records and database sessions shared by every process), else memory.
    // Made (nothing connects yet) before discovery: a configuration error
    // exits 2 whether or not the provider answers.
    auto made = example::make_store(config.redis);
    if (const auto* message = std::get_if<std::string>(&made)) {
        std::fprintf(stderr, "authpp-example-server: %s\n", message->c_str());
        return 2;
    }
    authpp::any_store store = std::get<authpp::any_store>(std::move(made));

    asio::io_context ioc(static_cast<int>(config.threads));
    authpp::asio_transport transport(ioc.get_executor());

    if (!config.issuer.empty()) {
        // The endpoints come from the provider itself; nothing listens
        // before they are known.
        bool done = false;
        authpp::async_discover(transport, config.auth, [&](authpp::error_code dec) {
            ec = dec;
            done = true;
        });
        while (!done && ioc.run_one() != 0) {
        }
        ioc.restart();
        if (ec) {
            std::fprintf(stderr, "authpp-example-server: OpenID discovery at %s failed: %s\n", config.issuer.c_str(),
                         ec.message().c_str());
            return 1;
        }
    }

    std::printf("store: %s, sessions: %s\n", config.redis.url.empty() ? "memory" : "redis",
                config.database_sessions ? "database" : "jwt");

    auto run = [&]<class Codec>(std::type_identity<Codec>) {
        using config_type =
            authpp::basic_auth_config<authpp::asio_transport, Codec, authpp::system_clock, authpp::any_store,
                                      authpp::prefix_matcher>;
        auto auth = config_type::create(std::move(config.auth), std::move(transport), {}, store);
        if (!auth) {
            std::fprintf(stderr, "authpp-example-server: %s\n", auth.error().message().c_str());
            return 2;
        }
        const auto& o = auth->options();
        example::listen_config lc{config.host, config.port, config.threads, config.request_timeout, config.access_log};
        return example::serve(ioc, lc, address, example::app<config_type>(*auth, config.signin_params, config.path_prefix),
                              authpp::cookie::clear_every_session_chunk(o.session_cookie(), o.session_cookie_options()));
    };
    if (config.database_sessions) return run(std::type_identity<authpp::database_codec<authpp::any_store>>{});
    return run(std::type_identity<authpp::authjs_codec>{});
}
