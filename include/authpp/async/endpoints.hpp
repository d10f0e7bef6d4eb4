// authpp/async/endpoints.hpp — the Auth.js actions on an asynchronous
// transport (any completion token): the flow of <authpp/endpoints.hpp> run
// by the Asio driver (<authpp/detail/async_flow.hpp>). Apart from
// endpoints.hpp so that a blocking server compiles no Asio for the actions.
#pragma once

#include <authpp/concepts/http_transport.hpp>
#include <authpp/detail/async_flow.hpp>
#include <authpp/endpoints.hpp>
#include <authpp/http/server_message.hpp>

#include <boost/asio/async_result.hpp>
#include <boost/asio/compose.hpp>

#include <memory>
#include <string>
#include <utility>

namespace authpp {

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

// async_handle_auth_request's operation on a copied request (the separately
// compiled asio_auth calls it too).
template <class Config, class CompletionToken>
auto async_handle_auth_request_impl(Config& cfg, std::unique_ptr<owned_server_request> req, CompletionToken&& token) {
    using transport = typename Config::transport_type;
    using job = auth_request_job<Config>;
    return boost::asio::async_compose<CompletionToken, void(http::server_response)>(
        flow_op<transport, job>(cfg.transport(), job{cfg, std::move(req)}), token, cfg.transport().get_executor());
}

} // namespace detail

/// Answers an Auth.js action asynchronously on cfg's transport. The request
/// is copied before the operation starts; cfg must outlive it. Completion
/// signature: void(http::server_response).
template <class Config, class CompletionToken>
auto async_handle_auth_request(Config& cfg, const http::server_request& req, CompletionToken&& token) {
    return detail::async_handle_auth_request_impl(cfg, std::make_unique<detail::owned_server_request>(req),
                                                  std::forward<CompletionToken>(token));
}

} // namespace authpp
