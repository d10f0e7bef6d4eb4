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

#include <boost/asio/compose.hpp>

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

template <class Config>
struct decide_job {
    using flow_type = decision_flow;
    Config& cfg;
    owned_request req; // lives in the operation's state: the flow's views point here

    flow_type start() { return cfg.begin(req.view()); }
    template <class Self>
    void complete(Self& self, flow_type&& flow) {
        self.complete(std::move(flow).result());
    }
};

} // namespace detail

/// The decision for `req`, asynchronously. Completes with void(decision).
template <class T, class K, class S, class CompletionToken>
    requires AsyncHttpTransport<T>
auto async_decide(basic_nal_config<T, K, S>& cfg, owned_request req, CompletionToken&& token) {
    using config = basic_nal_config<T, K, S>;
    return boost::asio::async_compose<CompletionToken, void(decision)>(
        authpp::detail::flow_op<T, detail::decide_job<config>>(cfg.transport(),
                                                               detail::decide_job<config>{cfg, std::move(req)}),
        token, cfg.transport().get_executor());
}

} // namespace authpp::nal
