// authpp/split/async.hpp — mode split on the Asio reactor: the same flows as
// basic_split_config::handle() and session(), driven by detail::flow_op with
// any completion token. The backend calls run on the AsyncHttpTransport; the
// refresh lock protocol on the Store's asynchronous members. The config must
// outlive every operation it started.
//
//   auto r = co_await split::async_handle(cfg, split::owned_handler_request::from(view), asio::use_awaitable);
//   auto s = co_await split::async_session(cfg, std::string(cookie), asio::use_awaitable);
#pragma once

#include <authpp/concepts/http_transport.hpp>
#include <authpp/detail/async_flow.hpp>
#include <authpp/split/config.hpp>

#include <string>
#include <utility>

namespace authpp::split {

/// A handler_request's strings, owned (an asynchronous answer outlives the
/// caller's buffers).
struct owned_handler_request {
    std::string method = "GET";
    std::string target;
    std::string cookie;
    std::string content_type;
    std::string body;
    std::string fetch_site;

    static owned_handler_request from(const handler_request& v) {
        return {std::string(v.method), std::string(v.target),       std::string(v.cookie),
                std::string(v.content_type), std::string(v.body), std::string(v.fetch_site)};
    }
    handler_request view() const { return {method, target, cookie, content_type, body, fetch_site}; }
};

namespace detail {
struct begin_handler {
    template <class Config>
    handler_flow operator()(Config& cfg, const owned_handler_request& req) const {
        return cfg.begin_handler(req.view());
    }
};
struct begin_session {
    template <class Config>
    session_flow operator()(Config& cfg, const std::string& cookie_header) const {
        return cfg.begin_session(cookie_header);
    }
};
} // namespace detail

/// A request under the base path, answered asynchronously. Completes with
/// void(reply).
template <class T, class K, class S, class CompletionToken>
    requires AsyncHttpTransport<T>
auto async_handle(basic_split_config<T, K, S>& cfg, owned_handler_request req, CompletionToken&& token) {
    return authpp::detail::async_run_flow<reply, handler_flow, detail::begin_handler>(
        cfg, std::move(req), std::forward<CompletionToken>(token));
}

/// The session of a Cookie header, refreshed first when due, asynchronously.
/// Completes with void(session_state).
template <class T, class K, class S, class CompletionToken>
    requires AsyncHttpTransport<T>
auto async_session(basic_split_config<T, K, S>& cfg, std::string cookie_header, CompletionToken&& token) {
    return authpp::detail::async_run_flow<session_state, session_flow, detail::begin_session>(
        cfg, std::move(cookie_header), std::forward<CompletionToken>(token));
}

} // namespace authpp::split
