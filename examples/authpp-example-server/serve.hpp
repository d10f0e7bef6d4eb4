// serve.hpp — authpp-example-server's serving loop, shared by its modes:
// listen, print READY, serve on `threads` threads until SIGINT/SIGTERM,
// let requests in flight finish, exit 0.
#pragma once

#include "http_server.hpp"
#include "store.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <thread>
#include <variant>
#include <vector>

namespace example {

struct listen_config {
    std::string host = "127.0.0.1";
    std::uint16_t port = 3000;
    unsigned threads = 1;
    std::chrono::milliseconds request_timeout{20'000};
    bool access_log = true; ///< one line per request
};

/// A start-up refusal: the message on stderr, exit code 2.
inline int refuse(const std::string& message) {
    std::fprintf(stderr, "authpp-example-server: %s\n", message.c_str());
    return 2;
}

/// What a mode needs before it serves: the address to listen on and the Store.
struct mode_setup {
    asio::ip::address address;
    authpp::any_store store;
};

/// The address of `listen` and the Store of `redis`, or the exit code
/// (the reason said on stderr).
inline std::variant<mode_setup, int> set_up(const listen_config& listen, const redis_env& redis) {
    boost::system::error_code ec;
    const auto address = asio::ip::make_address(listen.host, ec);
    if (ec) return refuse("AUTHPP_LISTEN needs an IP address");
    auto made = make_store(redis);
    if (const auto* message = std::get_if<std::string>(&made)) return refuse(*message);
    return mode_setup{address, std::get<authpp::any_store>(std::move(made))};
}

/// Listens, serves until SIGINT/SIGTERM, drains. Returns the exit code.
/// `overflow_cookies`: Set-Cookie lines sent with a 431 (a Cookie header
/// that outgrew the limit), so a browser is not locked out for good.
inline int serve(asio::io_context& ioc, const listen_config& config, const asio::ip::address& address,
                 handler_type handler, std::vector<std::string> overflow_cookies = {}) {
    std::optional<http_server> server;
    try {
        server_limits limits;
        limits.request = config.request_timeout;
        server.emplace(ioc, tcp::endpoint(address, config.port), std::move(handler), limits);
        server->set_cookies_on_header_overflow(std::move(overflow_cookies));
        server->set_access_log(config.access_log);
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

} // namespace example
