// authpp/separate/asio_middleware.hpp — one part of asio_auth's separately compiled
// code (<authpp/separate/asio_src.hpp> includes them all; see <authpp/src.hpp>).
#pragma once

#include <authpp/separate/require_macro.hpp>

#include <authpp/asio.hpp>

namespace authpp::separate {

void async_middleware(asio_auth& cfg, std::string target, std::string cookie, middleware_handler handler) {
    detail::async_middleware_impl(cfg, std::move(target), std::move(cookie), std::move(handler));
}

} // namespace authpp::separate
