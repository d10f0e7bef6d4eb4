// authpp/separate/asio_actions.hpp — one part of asio_auth's separately compiled
// code (<authpp/separate/asio_src.hpp> includes them all; see <authpp/src.hpp>).
#pragma once

#include <authpp/separate/require_macro.hpp>

#include <authpp/asio.hpp>

namespace authpp::separate {

void async_handle_auth_request(asio_auth& cfg, std::unique_ptr<detail::owned_server_request> req,
                               response_handler handler) {
    detail::async_handle_auth_request_impl(cfg, std::move(req), std::move(handler));
}

} // namespace authpp::separate
