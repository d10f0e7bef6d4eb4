// bare_server.cpp — examples/beast_async_server.cpp without authpp: the same
// Beast coroutine server (accept, read, answer, write, keep-alive), for
// scripts/compile-cost.sh to compare what including authpp costs to compile.
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
using asio::ip::tcp;

asio::awaitable<void> handle(const bhttp::request<bhttp::string_body>& req, bhttp::response<bhttp::string_body>& res) {
    res.set(bhttp::field::content_type, "text/plain");
    res.body() = req.target() == "/dashboard" ? "Hello, stranger\n" : "Hello\n";
    co_return;
}

asio::awaitable<void> serve(tcp::socket socket) {
    boost::beast::tcp_stream stream(std::move(socket));
    boost::beast::flat_buffer buffer;
    for (;;) {
        bhttp::request<bhttp::string_body> req;
        stream.expires_after(std::chrono::seconds(30));
        auto [ec, n] = co_await bhttp::async_read(stream, buffer, req, asio::as_tuple(asio::use_awaitable));
        if (ec) break;
        bhttp::response<bhttp::string_body> res{bhttp::status::ok, req.version()};
        co_await handle(req, res);
        res.keep_alive(req.keep_alive());
        res.prepare_payload();
        auto [wec, wn] = co_await bhttp::async_write(stream, res, asio::as_tuple(asio::use_awaitable));
        if (wec || !res.keep_alive()) break;
    }
    boost::system::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
}

asio::awaitable<void> listen(tcp::endpoint where) {
    tcp::acceptor acceptor(co_await asio::this_coro::executor, where);
    std::printf("listening on http://%s:%u\n", where.address().to_string().c_str(), where.port());
    std::fflush(stdout);
    for (;;) {
        auto socket = co_await acceptor.async_accept(asio::use_awaitable);
        asio::co_spawn(acceptor.get_executor(), serve(std::move(socket)), asio::detached);
    }
}

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: %s ADDRESS PORT\n", argv[0]);
        return 2;
    }
    const auto port = static_cast<unsigned short>(std::atoi(argv[2]));
    asio::io_context ioc;
    asio::co_spawn(ioc, listen(tcp::endpoint(asio::ip::make_address(argv[1]), port)), [](std::exception_ptr e) {
        if (e) std::rethrow_exception(e);
    });
    ioc.run();
}
