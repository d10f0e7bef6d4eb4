// authpp/transport/blocking_transport.hpp — the HttpTransport for servers
// that handle a request on one thread from start to end.
//
// send() performs one HTTP/1.1 exchange on the calling thread and returns
// when it is done, failed, or ran out of time. It runs the same composed
// operation as asio_transport: every kept-alive connection owns a small
// io_context that only the thread holding the connection runs, so
// concurrent send() calls never share one.
//
// Copies share one connection pool and one TLS context; send() may run on
// any number of threads at once.
#pragma once

#include <authpp/http/message.hpp>
#include <authpp/transport/detail/exchange.hpp>
#include <authpp/transport/transport_options.hpp>
#include <authpp/url/url.hpp>

#include <memory>

namespace authpp {

class blocking_transport {
public:
    explicit blocking_transport(transport::transport_options o = {})
        : st_(std::make_shared<transport::detail::shared_state>(std::move(o))) {}

    /// Performs `req`. Network failures, time-outs, TLS verification
    /// failures and over-long answers set `ec`; any HTTP status is a response.
    http::response send(const http::request& req, error_code& ec) {
        namespace net = boost::asio;
        ec = {};
        auto u = url::parse_http_url(req.url);
        if (!u) {
            ec = u.error();
            return {};
        }
        auto conn = st_->pool.take(u->origin(), st_->options.idle_timeout);
        auto ctx = conn ? conn->own_context : std::make_shared<net::io_context>(1);
        http::response out;
        auto done = [&](error_code e, http::response r) {
            ec = e;
            out = std::move(r);
        };
        net::async_compose<decltype(done), void(error_code, http::response)>(
            transport::detail::exchange_op(st_, req, std::move(conn), ctx->get_executor(), ctx), done,
            ctx->get_executor());
        ctx->restart();
        ctx->run();
        return out;
    }

    const transport::transport_options& options() const noexcept { return st_->options; }
    /// Kept-alive connections waiting for the next request.
    std::size_t idle_connections() const { return st_->pool.idle_count(); }
    /// Closes every idle connection.
    void close_idle() { st_->pool.clear(); }

private:
    std::shared_ptr<transport::detail::shared_state> st_;
};

} // namespace authpp
