// authpp/nal/async.hpp — mode nal's decision on the Asio reactor: the same
// flow as basic_nal_config::decide(), driven by detail::flow_op with any
// completion token. The backend calls run on the AsyncHttpTransport; the
// refresh lock protocol on the Store's asynchronous members.
//
//   nal::async_decide(cfg, nal::owned_request::from(view), [](nal::decision d) { … });
//   auto d = co_await nal::async_decide(cfg, req, asio::use_awaitable);
#pragma once

#include <authpp/concepts/http_transport.hpp>
#include <authpp/detail/async_flow.hpp>
#include <authpp/nal/config.hpp>
#include <authpp/nal/decision.hpp>

#include <optional>
#include <string>
#include <utility>

namespace authpp::nal {

/// A request_view's strings, owned (an asynchronous decision outlives the
/// caller's buffers).
struct owned_request {
    std::string method = "GET";
    std::string path;
    std::string cookie;
    std::string authorization;
    std::optional<std::string> ip;

    static owned_request from(const request_view& v) {
        return {std::string(v.method), std::string(v.path), std::string(v.cookie), std::string(v.authorization),
                v.ip};
    }
    request_view view() const { return {method, path, cookie, authorization, ip}; }
};

namespace detail {
struct begin_decision {
    template <class Config>
    decision_flow operator()(Config& cfg, const owned_request& req) const {
        return cfg.begin(req.view());
    }
};
} // namespace detail

/// The decision for `req`, asynchronously. Completes with void(decision).
template <class T, class K, class S, class CompletionToken>
    requires AsyncHttpTransport<T>
auto async_decide(basic_nal_config<T, K, S>& cfg, owned_request req, CompletionToken&& token) {
    return authpp::detail::async_run_flow<decision, decision_flow, detail::begin_decision>(
        cfg, std::move(req), std::forward<CompletionToken>(token));
}

} // namespace authpp::nal
