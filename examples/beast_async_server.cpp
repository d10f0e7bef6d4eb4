// beast_async_server — the smallest asynchronous Beast server with
// Auth.js-compatible sessions: C++20 coroutines, asio_auth, and the three
// calls a server makes (Auth.js actions, middleware, the page).
//
//   AUTH_SECRET=… beast_async_server 127.0.0.1 3000
//
// authpp-example-server is the full version (configuration, logging,
// graceful stop); this one fits on a screen.
#include <authpp/adapter/beast.hpp>
#include <authpp/asio.hpp>
#include <authpp/endpoints.hpp>
#include <authpp/middleware.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <cstdio>
#include <cstdlib>
#include <string>

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
namespace adapter = authpp::adapter::beast;
using asio::ip::tcp;

asio::awaitable<void> handle(authpp::asio_auth& auth, const bhttp::request<bhttp::string_body>& req,
                             bhttp::response<bhttp::string_body>& res) {
    std::string cookies;
    const auto in = adapter::to_server_request(req, cookies);

    if (authpp::is_auth_request(auth.options(), in.path())) { // /api/auth/*
        adapter::apply_response(co_await authpp::async_handle_auth_request(auth, in, asio::use_awaitable), res);
        co_return;
    }
    auto decision = co_await authpp::async_middleware(auth, in, asio::use_awaitable);
    if (!adapter::apply_decision(decision, res)) co_return; // redirected to the login page

    res.set(bhttp::field::content_type, "text/plain");
    res.body() = decision.session ? "Hello, " + decision.session->user.sub + "\n" : "Hello, stranger\n";
}

asio::awaitable<void> serve(authpp::asio_auth& auth, tcp::socket socket) {
    boost::beast::tcp_stream stream(std::move(socket));
    boost::beast::flat_buffer buffer;
    for (;;) {
        bhttp::request<bhttp::string_body> req;
        stream.expires_after(std::chrono::seconds(30));
        auto [ec, n] = co_await bhttp::async_read(stream, buffer, req, asio::as_tuple(asio::use_awaitable));
        if (ec) break;
        bhttp::response<bhttp::string_body> res{bhttp::status::ok, req.version()};
        co_await handle(auth, req, res);
        res.keep_alive(req.keep_alive());
        res.prepare_payload();
        auto [wec, wn] = co_await bhttp::async_write(stream, res, asio::as_tuple(asio::use_awaitable));
        if (wec || !res.keep_alive()) break;
    }
    boost::system::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
}

asio::awaitable<void> listen(authpp::asio_auth& auth, tcp::endpoint where) {
    tcp::acceptor acceptor(co_await asio::this_coro::executor, where);
    std::printf("listening on http://%s:%u\n", where.address().to_string().c_str(), where.port());
    std::fflush(stdout);
    for (;;) {
        auto socket = co_await acceptor.async_accept(asio::use_awaitable);
        asio::co_spawn(acceptor.get_executor(), serve(auth, std::move(socket)), asio::detached);
    }
}

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: %s ADDRESS PORT   (AUTH_SECRET in the environment)\n", argv[0]);
        return 2;
    }
    const auto port = static_cast<unsigned short>(std::atoi(argv[2]));
    authpp::auth_options o = authpp::sandbox_options();
    authpp::load_env(o); // AUTH_SECRET(_1.._3), AUTH_URL
    o.base_url = "http://" + std::string(argv[1]) + ":" + argv[2];
    o.protected_paths = {"/dashboard"};

    asio::io_context ioc;
    auto auth = authpp::asio_auth::create(std::move(o), authpp::asio_transport(ioc.get_executor()));
    if (!auth) {
        std::fprintf(stderr, "%s\n", auth.error().message().c_str());
        return 2;
    }
    asio::co_spawn(ioc, listen(*auth, tcp::endpoint(asio::ip::make_address(argv[1]), port)), [](std::exception_ptr e) {
        if (e) std::rethrow_exception(e); // cannot listen: say why and stop
    });
    ioc.run();
}
