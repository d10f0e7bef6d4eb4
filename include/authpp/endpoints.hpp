// authpp/endpoints.hpp — the Auth.js REST actions under the base path, for
// any C++ server, with Auth.js's wire behaviour so that next-auth/react
// works against it unchanged:
//
//   GET  {base}/session            the session (JSON or null), cookie re-issued
//   POST {base}/session            update: {csrfToken, data}; data.forceRefresh refreshes now
//   GET  {base}/csrf               {csrfToken}, double-submit cookie token|hash
//   GET  {base}/providers          the providers as JSON
//   POST {base}/signin/{provider}  the OAuth provider: to its authorization URL
//   POST {base}/callback/{id}      the Credentials provider: form field `tokens`
//   GET  {base}/callback/{oauth}   authorization code + PKCE S256 + state + nonce
//   POST {base}/signout            clears the session, to callbackUrl
//   GET  {base}/signin, /signout, /error   pages (redirects or small HTML)
//
//   if (authpp::is_auth_request(cfg.options(), req.path()))
//       return authpp::handle_auth_request(cfg, req);                  // blocking
//   authpp::async_handle_auth_request(cfg, req, asio::use_awaitable);  // any token,
//                                     // <authpp/async/endpoints.hpp> (in <authpp/asio.hpp>)
#pragma once

#include <authpp/endpoints/action.hpp>
#include <authpp/endpoints/action_flow.hpp>
#include <authpp/http/server_message.hpp>
#include <authpp/options.hpp>

#include <memory>
#include <string>
#include <string_view>
#include <utility>

namespace authpp {

/// True when `path` lies under o.base_path: hand such requests to
/// handle_auth_request (which answers 400 for what is no action, as Auth.js).
inline bool is_auth_request(const auth_options& o, std::string_view path) {
    return endpoints::is_under_base_path(path, o.base_path);
}

/// Answers an Auth.js action, performing its exchanges (refresh, userinfo,
/// code exchange) with blocking calls through cfg.drive().
template <class Config>
http::server_response handle_auth_request(Config& cfg, const http::server_request& req) {
    endpoints::action_flow<Config> flow(cfg, req);
    cfg.drive(flow);
    return std::move(flow).result();
}

} // namespace authpp
