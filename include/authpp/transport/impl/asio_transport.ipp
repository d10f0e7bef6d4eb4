// authpp/transport/impl/asio_transport.ipp — asio_transport's members:
// included by <authpp/transport/asio_transport.hpp> in a header-only build,
// compiled once by <authpp/src.hpp> with AUTHPP_SEPARATE_COMPILATION.
#pragma once

#include <authpp/transport/asio_transport.hpp>
#include <authpp/transport/detail/exchange.hpp>

#include <boost/asio/compose.hpp>

namespace authpp {

AUTHPP_DECL asio_transport::asio_transport(executor_type ex, transport::transport_options o)
    : ex_(std::move(ex)), st_(std::make_shared<transport::detail::shared_state>(o)), sync_(std::move(o)) {}

AUTHPP_DECL const transport::transport_options& asio_transport::options() const noexcept { return st_->options; }
AUTHPP_DECL std::size_t asio_transport::idle_connections() const { return st_->pool.idle_count(); }
AUTHPP_DECL void asio_transport::close_idle() { st_->pool.clear(); }

AUTHPP_DECL void asio_transport::start_send(std::shared_ptr<transport::detail::shared_state> st, executor_type io,
                                            http::request req, send_handler handler) {
    boost::asio::async_compose<send_handler, void(error_code, http::response)>(
        transport::detail::exchange_op(std::move(st), req, nullptr, io, nullptr), handler, io);
}

} // namespace authpp
