// http_server.hpp — a small HTTP/1.1 server on Beast and C++20 coroutines:
// keep-alive, request size limits, one log line per request, and a graceful
// stop (no new connections; requests in flight finish; idle keep-alive
// connections are closed).
//
// Nothing here knows about authpp: the application is one coroutine,
// `handler(request, response)`.
#pragma once

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <functional>
#include <memory>
#include <mutex>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace example {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;

using request_type = bhttp::request<bhttp::string_body>;
using response_type = bhttp::response<bhttp::string_body>;
using handler_type = std::function<asio::awaitable<void>(const request_type&, response_type&)>;

struct server_limits {
    std::size_t header_bytes = 16 * 1024; ///< a browser with many cookies stays well below
    std::size_t body_bytes = 64 * 1024;   ///< the Auth.js actions take small forms and JSON
    std::chrono::seconds idle{30};        ///< keep-alive and slow-client time-out
};

class http_server {
public:
    http_server(asio::io_context& ioc, tcp::endpoint where, handler_type handler, server_limits limits = {})
        : ioc_(ioc), acceptor_(asio::make_strand(ioc)), handler_(std::move(handler)), limits_(limits) {
        acceptor_.open(where.protocol());
        acceptor_.set_option(asio::socket_base::reuse_address(true));
        acceptor_.bind(where);
        acceptor_.listen(asio::socket_base::max_listen_connections);
    }

    tcp::endpoint local_endpoint() const { return acceptor_.local_endpoint(); }

    /// Accepts until stop(); `on_drained` runs once the last connection is
    /// gone after a stop.
    void start(std::function<void()> on_drained) {
        on_drained_ = std::move(on_drained);
        asio::co_spawn(acceptor_.get_executor(), accept_loop(), asio::detached);
    }

    /// Stops accepting and closes idle connections; requests being handled
    /// finish and their connection closes after the response.
    void stop() {
        if (stopping_.exchange(true)) return;
        asio::post(acceptor_.get_executor(), [this] {
            beast::error_code ignored;
            acceptor_.close(ignored);
        });
        std::lock_guard lock(mutex_);
        for (auto& [id, conn] : connections_)
            asio::post(conn->stream.get_executor(), [c = conn] {
                if (c->idle) c->stream.socket().cancel();
            });
        drained_if_idle();
    }

private:
    struct connection {
        explicit connection(tcp::socket s) : stream(std::move(s)) {}
        beast::tcp_stream stream;
        bool idle = true; // touched only on the connection's strand
    };

    asio::awaitable<void> accept_loop() {
        for (;;) {
            auto [ec, socket] = co_await acceptor_.async_accept(asio::make_strand(ioc_), asio::as_tuple(asio::use_awaitable));
            if (ec == asio::error::operation_aborted || !acceptor_.is_open()) break;
            if (ec) continue; // e.g. too many open files: keep serving the others
            auto conn = std::make_shared<connection>(std::move(socket));
            std::uint64_t id;
            {
                std::lock_guard lock(mutex_);
                id = ++next_id_;
                connections_.emplace(id, conn);
            }
            asio::co_spawn(conn->stream.get_executor(), serve(conn, id), asio::detached);
        }
        std::lock_guard lock(mutex_);
        accepting_ = false;
        drained_if_idle();
    }

    asio::awaitable<void> serve(std::shared_ptr<connection> conn, std::uint64_t id) {
        beast::flat_buffer buffer;
        auto& stream = conn->stream;
        for (;;) {
            if (stopping_) break;
            bhttp::request_parser<bhttp::string_body> parser;
            parser.header_limit(static_cast<std::uint32_t>(limits_.header_bytes));
            parser.body_limit(limits_.body_bytes);
            stream.expires_after(limits_.idle);
            conn->idle = true;
            auto [ec, n] = co_await bhttp::async_read(stream, buffer, parser, asio::as_tuple(asio::use_awaitable));
            conn->idle = false;
            if (ec) {
                if (const int status = refusal_status(ec)) co_await refuse(stream, status);
                break;
            }
            const auto started = std::chrono::steady_clock::now();
            const request_type& req = parser.get();
            response_type res{bhttp::status::ok, req.version()};
            try {
                co_await handler_(req, res);
            } catch (const std::exception&) {
                // A handler bug must not take the server down, nor show its
                // text (it may hold request data) to the client.
                res = response_type{bhttp::status::internal_server_error, req.version()};
                res.set(bhttp::field::content_type, "text/plain");
                res.body() = "internal error\n";
            }
            res.keep_alive(req.keep_alive() && !stopping_);
            res.prepare_payload();
            log(req, res, started);
            auto [wec, wn] = co_await bhttp::async_write(stream, res, asio::as_tuple(asio::use_awaitable));
            if (wec || !res.keep_alive()) break;
        }
        beast::error_code ignored;
        stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
        std::lock_guard lock(mutex_);
        connections_.erase(id);
        drained_if_idle();
    }

    /// 4xx for a request we would not read; 0 for a connection that simply
    /// ended (closed, timed out, cancelled by stop()).
    static int refusal_status(const beast::error_code& ec) {
        if (ec == bhttp::error::header_limit) return 431;
        if (ec == bhttp::error::body_limit) return 413;
        if (ec.category() == beast::error_code(bhttp::error::end_of_stream).category() &&
            ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message)
            return 400;
        return 0;
    }

    static asio::awaitable<void> refuse(beast::tcp_stream& stream, int status) {
        response_type res{static_cast<bhttp::status>(status), 11};
        res.set(bhttp::field::content_type, "text/plain");
        res.body() = std::string(bhttp::obsolete_reason(res.result())) + "\n";
        res.keep_alive(false);
        res.prepare_payload();
        std::printf("- - %d (request refused before routing)\n", status);
        co_await bhttp::async_write(stream, res, asio::as_tuple(asio::use_awaitable));
    }

    /// method, path (never the query: OAuth callbacks carry codes there),
    /// status, time. Never a header: cookies and tokens stay out of logs.
    static void log(const request_type& req, const response_type& res, std::chrono::steady_clock::time_point started) {
        const auto us =
            std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started).count();
        std::string_view target(req.target().data(), req.target().size());
        target = target.substr(0, target.find('?'));
        std::string_view method(req.method_string().data(), req.method_string().size());
        std::printf("%.*s %.*s %u %lld.%03lld ms\n", static_cast<int>(method.size()), method.data(),
                     static_cast<int>(target.size()), target.data(), res.result_int(),
                     static_cast<long long>(us / 1000), static_cast<long long>(us % 1000));
    }

    void drained_if_idle() { // with mutex_ held
        if (stopping_ && !accepting_ && connections_.empty() && on_drained_) std::exchange(on_drained_, nullptr)();
    }

    asio::io_context& ioc_;
    tcp::acceptor acceptor_;
    handler_type handler_;
    server_limits limits_;
    std::atomic<bool> stopping_{false};
    std::mutex mutex_;
    bool accepting_ = true;
    std::uint64_t next_id_ = 0;
    std::unordered_map<std::uint64_t, std::shared_ptr<connection>> connections_;
    std::function<void()> on_drained_;
};

} // namespace example
