// authpp/asio.hpp — asio_auth: basic_auth_config on asio_transport, and the
// drivers that run the sans-I/O core with Asio completion tokens.
//
//   authpp::asio_auth auth(options, authpp::asio_transport(ioc.get_executor()));
//   auto r = co_await authpp::async_resolve(auth, cookie_header, asio::use_awaitable);
//
// Every async_* function here takes any completion token (callback,
// use_future, use_awaitable, deferred, …). The session logic is the same
// code the blocking alias runs; only the exchanges are performed
// asynchronously. The config (and what its flows read) must outlive the
// operation.
#pragma once

#include <authpp/async/endpoints.hpp>
#include <authpp/async/middleware.hpp>
#include <authpp/authpp.hpp>
#include <authpp/endpoints.hpp>
#include <authpp/middleware.hpp>
#include <authpp/oauth/calls.hpp>
#include <authpp/store/any_store.hpp>
#include <authpp/detail/async_flow.hpp>
#include <authpp/transport/asio_transport.hpp>

#include <boost/asio/append.hpp>
#include <boost/asio/compose.hpp>
#include <boost/asio/post.hpp>

#include <memory>
#include <optional>
#include <string>
#include <utility>

namespace authpp {

using asio_auth = basic_auth_config<asio_transport, authjs_codec, system_clock, memory_store, prefix_matcher>;

namespace detail {

template <class Config>
struct resolve_job {
    using flow_type = typename Config::flow_type;
    Config& cfg;
    std::string cookie_header;
    core::flow_options fo;

    flow_type start() { return cfg.begin(cookie_header, fo); }
    template <class Self>
    void complete(Self& self, flow_type&& flow) {
        auto r = std::move(flow).result();
        cfg.note_refresh(r);
        self.complete(std::move(r));
    }
};

template <class Config>
struct sign_in_job {
    using flow_type = core::credentials_flow<typename Config::codec_type>;
    Config& cfg;
    std::string tokens_json;
    std::string cookie_header;

    flow_type start() { return cfg.begin_sign_in(tokens_json, cookie_header); }
    template <class Self>
    void complete(Self& self, flow_type&& flow) {
        auto r = std::move(flow).result();
        if (!r) return self.complete(r.error(), core::session_result{});
        self.complete(error_code{}, std::move(*r));
    }
};

// The operations of async_resolve and async_sign_in_with_credentials (the
// separately compiled asio_auth calls them too).
template <class Config, class CompletionToken>
auto async_resolve_impl(Config& cfg, std::string cookie_header, CompletionToken&& token, core::flow_options fo) {
    using transport = typename Config::transport_type;
    return boost::asio::async_compose<CompletionToken, void(core::session_result)>(
        flow_op<transport, resolve_job<Config>>(cfg.transport(), resolve_job<Config>{cfg, std::move(cookie_header), fo}),
        token, cfg.transport().get_executor());
}
template <class Config, class CompletionToken>
auto async_sign_in_impl(Config& cfg, std::string tokens_json, std::string cookie_header, CompletionToken&& token) {
    using transport = typename Config::transport_type;
    return boost::asio::async_compose<CompletionToken, void(error_code, core::session_result)>(
        flow_op<transport, sign_in_job<Config>>(
            cfg.transport(), sign_in_job<Config>{cfg, std::move(tokens_json), std::move(cookie_header)}),
        token, cfg.transport().get_executor());
}

} // namespace detail

/// Resolves the session a Cookie header carries, refreshing the access
/// token asynchronously when it is due. Completes with
/// void(core::session_result).
template <class T, class C, class K, class S, class M, class D, class CompletionToken>
    requires AsyncHttpTransport<T>
auto async_resolve(basic_auth_config<T, C, K, S, M, D>& cfg, std::string cookie_header, CompletionToken&& token,
                   core::flow_options fo = {}) {
    return detail::async_resolve_impl(cfg, std::move(cookie_header), std::forward<CompletionToken>(token), fo);
}

/// Signs in with client-obtained tokens (see basic_auth_config::
/// sign_in_with_credentials). Completes with
/// void(error_code, core::session_result).
template <class T, class C, class K, class S, class M, class D, class CompletionToken>
    requires AsyncHttpTransport<T>
auto async_sign_in_with_credentials(basic_auth_config<T, C, K, S, M, D>& cfg, std::string tokens_json,
                                    std::string cookie_header, CompletionToken&& token) {
    return detail::async_sign_in_impl(cfg, std::move(tokens_json), std::move(cookie_header),
                                      std::forward<CompletionToken>(token));
}

/// The refresh-token grant. Completes with void(oauth::refresh_result).
template <class CompletionToken>
auto async_refresh_access_token(asio_transport& t, const auth_options& o, std::string refresh_token,
                                std::int64_t now_ms, CompletionToken&& token) {
    return boost::asio::async_compose<CompletionToken, void(oauth::refresh_result)>(
        [&t, req = oauth::make_refresh_request(o, refresh_token), rt = std::move(refresh_token), now_ms,
         started = false](auto& self, error_code ec = {}, http::response resp = {}) mutable {
            if (!started) {
                started = true;
                return t.async_send(req, std::move(self));
            }
            self.complete(oauth::parse_refresh_response(ec, resp, rt, now_ms));
        },
        token, t.get_executor());
}

/// OpenID discovery (see oauth::discover). `o` must outlive the operation.
/// Completes with void(error_code).
template <class CompletionToken>
auto async_discover(asio_transport& t, auth_options& o, CompletionToken&& token) {
    return boost::asio::async_compose<CompletionToken, void(error_code)>(
        [&t, &o, req = oauth::make_discovery_request(o), started = false](auto& self, error_code ec = {},
                                                                          http::response resp = {}) mutable {
            if (!started) {
                started = true;
                return t.async_send(req, std::move(self));
            }
            self.complete(oauth::apply_discovery(o, ec, resp));
        },
        token, t.get_executor());
}

} // namespace authpp

#if defined(AUTHPP_SEPARATE_COMPILATION)
#include <authpp/separate/asio.hpp>
#endif
