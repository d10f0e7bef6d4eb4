// beast_blocking_server — Auth.js-compatible sessions in a synchronous Beast
// server: one thread per connection, blocking_auth (a refresh, when due,
// is a blocking call on that thread).
//
//   AUTH_SECRET=… beast_blocking_server 127.0.0.1 3000
#include <authpp/adapter/beast.hpp>
#include <authpp/blocking.hpp>
#include <authpp/endpoints.hpp>
#include <authpp/middleware.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
namespace adapter = authpp::adapter::beast;
using asio::ip::tcp;

void handle(authpp::blocking_auth& auth, const bhttp::request<bhttp::string_body>& req,
            bhttp::response<bhttp::string_body>& res) {
    std::string cookies;
    const auto in = adapter::to_server_request(req, cookies);

    if (authpp::is_auth_request(auth.options(), in.path())) { // /api/auth/*
        adapter::apply_response(authpp::handle_auth_request(auth, in), res);
        return;
    }
    auto decision = authpp::run_middleware(auth, in);
    if (!adapter::apply_decision(decision, res)) return; // redirected to the login page

    res.set(bhttp::field::content_type, "text/plain");
    res.body() = decision.session ? "Hello, " + decision.session->user.sub + "\n" : "Hello, stranger\n";
}

void serve(authpp::blocking_auth& auth, tcp::socket socket) {
    boost::beast::flat_buffer buffer;
    boost::system::error_code ec;
    for (;;) {
        bhttp::request<bhttp::string_body> req;
        bhttp::read(socket, buffer, req, ec);
        if (ec) break;
        bhttp::response<bhttp::string_body> res{bhttp::status::ok, req.version()};
        handle(auth, req, res);
        res.keep_alive(req.keep_alive());
        res.prepare_payload();
        bhttp::write(socket, res, ec);
        if (ec || !res.keep_alive()) break;
    }
    socket.shutdown(tcp::socket::shutdown_send, ec);
}

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: %s ADDRESS PORT   (AUTH_SECRET in the environment)\n", argv[0]);
        return 2;
    }
    authpp::auth_options o = authpp::sandbox_options();
    authpp::load_env(o); // AUTH_SECRET(_1.._3), AUTH_URL
    o.base_url = "http://" + std::string(argv[1]) + ":" + argv[2];
    o.protected_paths = {"/dashboard"};
    auto auth = authpp::blocking_auth::create(std::move(o));
    if (!auth) {
        std::fprintf(stderr, "%s\n", auth.error().message().c_str());
        return 2;
    }

    asio::io_context ioc;
    tcp::acceptor acceptor(ioc, {asio::ip::make_address(argv[1]), static_cast<unsigned short>(std::atoi(argv[2]))});
    std::printf("listening on http://%s:%s\n", argv[1], argv[2]);
    std::fflush(stdout);
    for (;;) {
        tcp::socket socket(ioc);
        acceptor.accept(socket);
        // blocking_auth is shared: its codec and options are read-only, its
        // transport and store are thread-safe.
        std::thread(serve, std::ref(*auth), std::move(socket)).detach();
    }
}
