// wire_server — the Auth.js actions of authpp behind a minimal blocking Beast
// server, for the wire tests (react_client.mjs, differential.mjs): whatever
// those see is what handle_auth_request and the Beast adapter produce.
//
//   AUTH_SECRET=… AUTHPP_ISSUER=http://127.0.0.1:PORT wire_server [PORT]
//
// Prints "READY <port>" once it listens on 127.0.0.1 (port 0: any free one).
// The OAuth client is the provider fixture's public one (authpp-public), so a
// refresh carries client_id only, as the reference's does. Optional env:
// AUTH_URL (else http://127.0.0.1:<port>), AUTHPP_CLIENT_ID.
#include <authpp/adapter/beast.hpp>
#include <authpp/blocking.hpp>
#include <authpp/endpoints.hpp>

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

namespace {

std::string env_or(const char* name, std::string fallback) {
    const char* v = std::getenv(name);
    return v && *v ? std::string(v) : std::move(fallback);
}

void handle(authpp::blocking_auth& auth, const bhttp::request<bhttp::string_body>& req,
            bhttp::response<bhttp::string_body>& res) {
    std::string cookies;
    const auto in = adapter::to_server_request(req, cookies);
    if (authpp::is_auth_request(auth.options(), in.path())) {
        adapter::apply_response(authpp::handle_auth_request(auth, in), res);
        return;
    }
    // Anything else is the "app": a page the redirects may land on.
    res.set(bhttp::field::content_type, "text/plain");
    res.body() = "app page\n";
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

} // namespace

int main(int argc, char** argv) {
    const std::string issuer = env_or("AUTHPP_ISSUER", "");
    if (issuer.empty() || !std::getenv("AUTH_SECRET")) {
        std::fprintf(stderr, "usage: AUTH_SECRET=... AUTHPP_ISSUER=http://... %s [PORT]\n", argv[0]);
        return 2;
    }
    const auto port = static_cast<unsigned short>(argc > 1 ? std::atoi(argv[1]) : 0);

    asio::io_context ioc;
    tcp::acceptor acceptor(ioc, {asio::ip::make_address("127.0.0.1"), port});
    const auto bound = acceptor.local_endpoint().port();

    authpp::auth_options o;
    o.client_id = env_or("AUTHPP_CLIENT_ID", "authpp-public");
    o.redirect_uri = "http://127.0.0.1/callback";
    o.authentication_domain = issuer;
    o.token_endpoint = issuer + "/token";
    o.userinfo_endpoint = issuer + "/me";
    authpp::load_env(o); // AUTH_SECRET(_1.._3), AUTH_URL
    if (o.base_url.empty()) o.base_url = "http://127.0.0.1:" + std::to_string(bound);
    auto auth = authpp::blocking_auth::create(std::move(o));
    if (!auth) {
        std::fprintf(stderr, "wire_server: %s\n", auth.error().message().c_str());
        return 2;
    }

    std::printf("READY %u\n", static_cast<unsigned>(bound));
    std::fflush(stdout);
    for (;;) {
        tcp::socket socket(ioc);
        boost::system::error_code ec;
        acceptor.accept(socket, ec);
        if (ec) continue;
        // blocking_auth is shared read-only; its transport and store are thread-safe.
        std::thread(serve, std::ref(*auth), std::move(socket)).detach();
    }
}
