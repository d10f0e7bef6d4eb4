// authpp/async/middleware.hpp — the middleware on an asynchronous transport
// (any completion token): the decision of <authpp/middleware.hpp>, its
// session flow run by the Asio driver (<authpp/detail/async_flow.hpp>). Apart
// from middleware.hpp so that a blocking server compiles no Asio for it.
#pragma once

#include <authpp/concepts/http_transport.hpp>
#include <authpp/detail/async_flow.hpp>
#include <authpp/http/server_message.hpp>
#include <authpp/middleware.hpp>
#include <authpp/url/path.hpp>

#include <boost/asio/compose.hpp>

#include <string>
#include <type_traits>
#include <utility>

namespace authpp {

namespace detail {

/// async_middleware's job for flow_op: owns the copies of the request's
/// target and Cookie header the flow reads while the operation runs, and the
/// path normalised once at the start.
template <class Config>
struct middleware_job {
    using flow_type = middleware_flow_t<Config>;
    Config& cfg;
    std::string target;
    std::string cookie;
    std::string path; // normalised by start()

    http::server_request request() const {
        http::server_request r;
        r.target = target;
        r.cookie = cookie;
        return r;
    }
    flow_type start() {
        const auto req = request();
        std::string scratch;
        path = url::normalize_request_path(req.path(), scratch, cfg.options().path_matching);
        return start_middleware(cfg, req, path);
    }
    template <class Self>
    void complete(Self& self, flow_type&& flow) {
        self.complete(finish_middleware(cfg, request(), path, std::move(flow)));
    }
};

// async_middleware's operation, once the request's target and Cookie header
// are copies (the separately compiled asio_auth calls it too).
template <class Config, class CompletionToken>
auto async_middleware_impl(Config& cfg, std::string target, std::string cookie, CompletionToken&& token) {
    using transport = std::remove_reference_t<decltype(cfg.transport())>;
    static_assert(check_async_http_transport<transport>());
    using job = middleware_job<Config>;
    return boost::asio::async_compose<CompletionToken, void(middleware_result)>(
        flow_op<transport, job>(cfg.transport(), job{cfg, std::move(target), std::move(cookie), {}}), token,
        cfg.transport().get_executor());
}

} // namespace detail

/// The middleware on the config's asynchronous transport; any completion
/// token. Completes with void(middleware_result). The request's target and
/// Cookie header are copied before this returns, so `req` may go; `cfg`
/// must outlive the operation. A route that needs no session completes
/// through a post, never inside this call.
template <class Config, class CompletionToken>
auto async_middleware(Config& cfg, const http::server_request& req, CompletionToken&& token) {
    return detail::async_middleware_impl(cfg, std::string(req.target), std::string(req.cookie),
                                         std::forward<CompletionToken>(token));
}

} // namespace authpp
