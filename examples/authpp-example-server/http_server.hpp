// http_server.hpp — a small HTTP/1.1 server on Beast and C++20 coroutines:
// keep-alive, request size and time limits, one log line per request, and a
// graceful stop (no new connections; requests in flight finish; idle
// keep-alive connections are closed).
//
// What a hostile client cannot do here:
//  * grow memory: the read buffer is bounded (headers + body + slack), so
//    chunk-size lines, chunk extensions and trailers — which Beast's header
//    and body limits do not count — end in 431/413 too;
//  * hold a connection: waiting for a request is bounded by `idle`, reading
//    one (slowloris) by `request`, writing the answer by `write`;
//  * smuggle a second request in a body: a Transfer-Encoding other than
//    `chunked` alone is refused (RFC 9112 §6.3: 400 when chunked is not the
//    final coding, 501 for a coding we cannot decode), as is an HTTP/1.1
//    request without exactly one Host (§3.2); the connection then closes;
//  * spin the acceptor: after an accept error (EMFILE) it waits 100 ms.
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
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/http/rfc7230.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <functional>
#include <memory>
#include <mutex>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

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
    /// Framing beyond the header and body limits (chunk-size lines, chunk
    /// extensions, trailers) and a pipelined next request share this.
    std::size_t slack_bytes = 8 * 1024;
    std::chrono::milliseconds idle{30'000};    ///< waiting for the next request on a kept-alive connection
    std::chrono::milliseconds request{20'000}; ///< reading one request, from its first byte to its last
    std::chrono::milliseconds write{30'000};   ///< writing one response

    std::size_t buffer_bytes() const { return header_bytes + body_bytes + slack_bytes; }
};

/// 0 when the request's framing is acceptable; else the status to refuse it
/// with before closing (RFC 9112 §3.2 and §6.3).
inline int framing_refusal(const bhttp::request_header<>& req) {
    const auto hosts = req.count(bhttp::field::host);
    if (hosts > 1 || (req.version() >= 11 && hosts == 0)) return 400;
    const auto te = req.find(bhttp::field::transfer_encoding);
    if (te == req.end()) return 0;
    if (req.count(bhttp::field::transfer_encoding) > 1 || req.version() < 11) return 400;
    // Beast decodes only `chunked`, and only when it is the final coding;
    // any other list would leave the body to be read as the next request.
    std::size_t codings = 0, chunked = 0;
    bool chunked_last = false;
    for (const auto& coding : bhttp::token_list(te->value())) {
        ++codings;
        chunked_last = beast::iequals(coding, "chunked");
        if (chunked_last) ++chunked;
    }
    if (!chunked_last || chunked != 1) return 400;
    return codings == 1 ? 0 : 501;
}

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

    /// Set-Cookie values sent with every 431 (headers too large): the
    /// application's way out for a browser whose cookies grew past the limit
    /// (expiring its session chunks lets the user sign in again). Call
    /// before start().
    void set_cookies_on_header_overflow(std::vector<std::string> lines) { overflow_cookies_ = std::move(lines); }
    /// Whether each request is logged (method, path, status, time); on by default.
    void set_access_log(bool on) { access_log_ = on; }

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
        asio::steady_timer pause(acceptor_.get_executor());
        bool failing = false;
        for (;;) {
            auto [ec, socket] = co_await acceptor_.async_accept(asio::make_strand(ioc_), asio::as_tuple(asio::use_awaitable));
            if (ec == asio::error::operation_aborted || !acceptor_.is_open()) break;
            if (ec) {
                // E.g. too many open files: the pending connection stays in
                // the backlog, so retrying at once would fail at once, forever.
                // Keep serving the others and try again a little later; say
                // so once per burst, not once per attempt.
                if (!failing)
                    std::printf("- - accept failed: %s (retrying every 100 ms)\n",
                                ec.category() == boost::system::system_category() ? std::strerror(ec.value())
                                                                                   : "not a system error");
                failing = true;
                pause.expires_after(std::chrono::milliseconds(100));
                co_await pause.async_wait(asio::as_tuple(asio::use_awaitable));
                continue;
            }
            if (failing) std::printf("- - accepting again\n");
            failing = false;
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
        // Bounded: a read that would grow it further fails with buffer_overflow.
        beast::flat_buffer buffer(limits_.buffer_bytes());
        auto& stream = conn->stream;
        for (;;) {
            if (stopping_) break;
            bhttp::request_parser<bhttp::string_body> parser;
            parser.header_limit(static_cast<std::uint32_t>(limits_.header_bytes));
            parser.body_limit(limits_.body_bytes);
            conn->idle = true;
            if (buffer.size() == 0) { // wait for the first byte of the next request
                stream.expires_after(limits_.idle);
                auto [ec, n] = co_await stream.async_read_some(buffer.prepare(std::min<std::size_t>(4096, buffer.max_size())),
                                                               asio::as_tuple(asio::use_awaitable));
                if (ec) break;
                buffer.commit(n);
            }
            conn->idle = false;
            stream.expires_after(limits_.request); // the whole request, however slowly it trickles in
            auto [ec, n] = co_await bhttp::async_read(stream, buffer, parser, asio::as_tuple(asio::use_awaitable));
            if (ec) {
                if (const int status = refusal_status(ec, parser.is_header_done()))
                    co_await refuse(stream, status, limits_, status == 431 ? &overflow_cookies_ : nullptr);
                break;
            }
            if (const int status = framing_refusal(parser.get().base())) {
                co_await refuse(stream, status, limits_);
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
            if (access_log_) log(req, res, started);
            stream.expires_after(limits_.write);
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
    static int refusal_status(const beast::error_code& ec, bool header_done) {
        if (ec == bhttp::error::header_limit) return 431;
        if (ec == bhttp::error::body_limit) return 413;
        if (ec == bhttp::error::buffer_overflow) return header_done ? 413 : 431;
        if (ec.category() == beast::error_code(bhttp::error::end_of_stream).category() &&
            ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message)
            return 400;
        return 0;
    }

    static asio::awaitable<void> refuse(beast::tcp_stream& stream, int status, const server_limits& limits,
                                        const std::vector<std::string>* set_cookies = nullptr) {
        stream.expires_after(limits.write);
        response_type res{static_cast<bhttp::status>(status), 11};
        res.set(bhttp::field::content_type, "text/plain");
        res.body() = std::string(bhttp::obsolete_reason(res.result())) + "\n";
        if (set_cookies)
            for (const auto& c : *set_cookies) res.insert(bhttp::field::set_cookie, c);
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
    std::vector<std::string> overflow_cookies_;
    bool access_log_ = true;
};

} // namespace example
