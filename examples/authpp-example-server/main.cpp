// authpp-example-server — a Beast server with Auth.js-compatible sessions,
// configured from the environment (see docs/examples.md):
//
//   AUTH_SECRET=… AUTHPP_ISSUER=https://idp.example AUTHPP_CLIENT_ID=… authpp-example-server
//
// Prints "READY http://host:port" once it listens, then one line per request
// (method, path, status, time; never a cookie or token). SIGINT/SIGTERM stop
// accepting, let requests in flight finish, and exit 0.
#include "app.hpp"
#include "env_config.hpp"
#include "http_server.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include <authpp/store/any_store.hpp>

#ifdef AUTHPP_EXAMPLE_HAS_REDIS
#include <authpp/store/redis_store.hpp>
#endif

#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <thread>
#include <type_traits>
#include <vector>

namespace asio = boost::asio;

namespace {

/// Listens, serves until SIGINT/SIGTERM, drains. Returns the exit code.
template <class Config>
int serve(asio::io_context& ioc, const example::server_config& config, const asio::ip::address& address, Config& auth) {
    std::optional<example::http_server> server;
    try {
        example::server_limits limits;
        limits.request = config.request_timeout;
        server.emplace(ioc, asio::ip::tcp::endpoint(address, config.port), example::app<Config>(auth, config.signin_params),
                       limits);
        // A browser whose Cookie header outgrew the limit gets its session
        // chunks expired with the 431, so it is not locked out for good.
        const auto& o = auth.options();
        server->set_cookies_on_header_overflow(authpp::cookie::clear_every_session_chunk(o.session_cookie(), o.session_cookie_options()));
    } catch (const boost::system::system_error& e) {
        std::fprintf(stderr, "authpp-example-server: cannot listen on %s:%u: %s\n", config.host.c_str(), config.port,
                     e.code().message().c_str());
        return 1;
    }
    server->start([&ioc] { ioc.stop(); });

    asio::steady_timer deadline(ioc);
    asio::signal_set signals(ioc, SIGINT, SIGTERM);
    signals.async_wait([&](const boost::system::error_code& sec, int signo) {
        if (sec) return;
        std::printf("%s: stopping (requests in flight finish)\n", signo == SIGINT ? "SIGINT" : "SIGTERM");
        server->stop();
        // A client that never reads its response must not hold the exit.
        deadline.expires_after(std::chrono::seconds(10));
        deadline.async_wait([&ioc](const boost::system::error_code& tec) {
            if (!tec) ioc.stop();
        });
    });

    const auto where = server->local_endpoint();
    std::printf("READY http://%s:%u\n", where.address().to_string().c_str(), where.port());

    std::vector<std::thread> threads;
    for (unsigned i = 1; i < config.threads; ++i) threads.emplace_back([&ioc] { ioc.run(); });
    ioc.run();
    for (auto& t : threads) t.join();
    std::printf("stopped\n");
    return 0;
}

} // namespace

int main() {
    std::setvbuf(stdout, nullptr, _IOLBF, 0); // a log line is seen when it is written

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

    // The Store: Redis when AUTHPP_REDIS_URL is set (refresh locks, successor
    // records and database sessions shared by every process), else memory.
    authpp::any_store store;
    if (!config.redis_url.empty()) {
#ifdef AUTHPP_EXAMPLE_HAS_REDIS
        authpp::redis_store_options ro;
        ro.url = config.redis_url;
        auto redis = authpp::redis_store::create(std::move(ro));
        if (!redis) { // the message names the fault, never the URL (it may hold a password)
            std::fprintf(stderr, "authpp-example-server: AUTHPP_REDIS_URL: %s\n", redis.error().message().c_str());
            return 2;
        }
        store = authpp::any_store(std::move(*redis));
#else
        std::fprintf(stderr, "authpp-example-server: AUTHPP_REDIS_URL: built without hiredis (install libhiredis-dev and rebuild)\n");
        return 2;
#endif
    }
    std::printf("store: %s, sessions: %s\n", config.redis_url.empty() ? "memory" : "redis",
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
        return serve(ioc, config, address, *auth);
    };
    if (config.database_sessions) return run(std::type_identity<authpp::database_codec<authpp::any_store>>{});
    return run(std::type_identity<authpp::authjs_codec>{});
}
