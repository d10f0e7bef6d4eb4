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
//   authpp::async_handle_auth_request(cfg, req, asio::use_awaitable);  // any token
#pragma once

#include <authpp/detail/async_flow.hpp>
#include <authpp/endpoints/action.hpp>
#include <authpp/endpoints/action_flow.hpp>
#include <authpp/http/server_message.hpp>
#include <authpp/options.hpp>

#include <boost/asio/async_result.hpp>
#include <boost/asio/compose.hpp>

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

namespace detail {

// A server_request that owns its bytes, so the operation may outlive the
// caller's request object.
struct owned_server_request {
    std::string method, target, cookie, host, content_type, origin, body, x_auth_return_redirect;

    owned_server_request() = default;
    explicit owned_server_request(const http::server_request& r)
        : method(r.method), target(r.target), cookie(r.cookie), host(r.host), content_type(r.content_type),
          origin(r.origin), body(r.body), x_auth_return_redirect(r.x_auth_return_redirect) {}

    http::server_request view() const noexcept {
        http::server_request r;
        r.method = method;
        r.target = target;
        r.cookie = cookie;
        r.host = host;
        r.content_type = content_type;
        r.origin = origin;
        r.body = body;
        r.x_auth_return_redirect = x_auth_return_redirect;
        return r;
    }
};

template <class Config>
struct auth_request_job {
    using flow_type = endpoints::action_flow<Config>;
    Config& cfg;
    std::unique_ptr<owned_server_request> req;

    flow_type start() { return flow_type(cfg, req->view()); }
    template <class Self>
    void complete(Self& self, flow_type&& flow) {
        self.complete(std::move(flow).result());
    }
};

} // namespace detail

/// Answers an Auth.js action asynchronously on cfg's transport. The request
/// is copied before the operation starts; cfg must outlive it. Completion
/// signature: void(http::server_response).
template <class Config, class CompletionToken>
auto async_handle_auth_request(Config& cfg, const http::server_request& req, CompletionToken&& token) {
    using transport = typename Config::transport_type;
    using job = detail::auth_request_job<Config>;
    return boost::asio::async_compose<CompletionToken, void(http::server_response)>(
        detail::flow_op<transport, job>(cfg.transport(),
                                        job{cfg, std::make_unique<detail::owned_server_request>(req)}),
        token, cfg.transport().get_executor());
}

} // namespace authpp
