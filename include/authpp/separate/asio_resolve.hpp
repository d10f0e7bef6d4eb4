// authpp/separate/asio_resolve.hpp — one part of asio_auth's separately compiled
// code (<authpp/separate/asio_src.hpp> includes them all; see <authpp/src.hpp>).
#pragma once

#include <authpp/separate/require_macro.hpp>

#include <authpp/asio.hpp>

namespace authpp::separate {

void async_resolve(asio_auth& cfg, std::string cookie_header, core::flow_options fo, resolve_handler handler) {
    detail::async_resolve_impl(cfg, std::move(cookie_header), std::move(handler), fo);
}

void async_sign_in_with_credentials(asio_auth& cfg, std::string tokens_json, std::string cookie_header,
                                    sign_in_handler handler) {
    detail::async_sign_in_impl(cfg, std::move(tokens_json), std::move(cookie_header), std::move(handler));
}

} // namespace authpp::separate
