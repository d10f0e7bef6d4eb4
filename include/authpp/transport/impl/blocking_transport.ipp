// authpp/transport/impl/blocking_transport.ipp — blocking_transport's
// members: included by <authpp/transport/blocking_transport.hpp> in a
// header-only build, compiled once by <authpp/src.hpp> with
// AUTHPP_SEPARATE_COMPILATION.
#pragma once

#include <authpp/transport/blocking_transport.hpp>
#include <authpp/transport/detail/exchange.hpp>
#include <authpp/url/url.hpp>

#include <boost/asio/compose.hpp>
#include <boost/asio/io_context.hpp>

namespace authpp {

AUTHPP_DECL blocking_transport::blocking_transport(transport::transport_options o)
    : st_(std::make_shared<transport::detail::shared_state>(std::move(o))) {}

AUTHPP_DECL http::response blocking_transport::send(const http::request& req, error_code& ec) {
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

AUTHPP_DECL const transport::transport_options& blocking_transport::options() const noexcept { return st_->options; }
AUTHPP_DECL std::size_t blocking_transport::idle_connections() const { return st_->pool.idle_count(); }
AUTHPP_DECL void blocking_transport::close_idle() { st_->pool.clear(); }

} // namespace authpp
