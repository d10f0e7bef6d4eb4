// authpp/separate/asio.hpp — asio_auth with AUTHPP_SEPARATE_COMPILATION
// (included by <authpp/asio.hpp> then; not a header to include yourself).
//
// asio_auth's operations — the session, middleware, Auth.js action and
// credentials flows with the Asio driver that runs them — are compiled once,
// in the one translation unit that includes <authpp/src.hpp>. Here are
// their declarations and, for each async_* function, an overload for
// asio_auth that only initiates: it hands the completion handler over
// type-erased (boost::asio::any_completion_handler), so your translation
// units instantiate none of the flows whatever completion token they use.
// Same behaviour, same completion signatures; a handler's associated
// executor (which must convert to boost::asio::any_io_executor, as a strand
// or an io_context's executor does), allocator and cancellation slot are
// kept.
#pragma once

#include <authpp/asio.hpp>

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/bind_executor.hpp>

#include <memory>
#include <string>
#include <utility>

namespace authpp {

extern template class basic_auth_config<asio_transport, authjs_codec, system_clock, memory_store, prefix_matcher>;

namespace separate {

/// A completion handler erased: its own executor kept as an any_io_executor
/// (an any_completion_handler alone carries an any_completion_executor, on
/// which Beast's operations cannot post in Boost 1.81).
template <class Signature>
using erased_handler = boost::asio::executor_binder<boost::asio::any_completion_handler<Signature>,
                                                    boost::asio::any_io_executor>;
using middleware_handler = erased_handler<void(middleware_result)>;
using response_handler = erased_handler<void(http::server_response)>;
using resolve_handler = erased_handler<void(core::session_result)>;
using sign_in_handler = erased_handler<void(error_code, core::session_result)>;

/// `handler` erased; without an executor of its own it gets `fallback` (the
/// transport's), as async_compose would give it.
template <class Signature, class Handler>
erased_handler<Signature> erase(Handler&& handler, const boost::asio::any_io_executor& fallback) {
    boost::asio::any_io_executor ex = boost::asio::get_associated_executor(handler, fallback);
    return erased_handler<Signature>(boost::asio::executor_arg, ex,
                                     boost::asio::any_completion_handler<Signature>(std::forward<Handler>(handler)));
}

// Defined in <authpp/src.hpp>.
void async_middleware(asio_auth& cfg, std::string target, std::string cookie, middleware_handler handler);
void async_handle_auth_request(asio_auth& cfg, std::unique_ptr<detail::owned_server_request> req,
                               response_handler handler);
void async_resolve(asio_auth& cfg, std::string cookie_header, core::flow_options fo, resolve_handler handler);
void async_sign_in_with_credentials(asio_auth& cfg, std::string tokens_json, std::string cookie_header,
                                    sign_in_handler handler);

} // namespace separate

template <class CompletionToken>
auto async_middleware(asio_auth& cfg, const http::server_request& req, CompletionToken&& token) {
    return boost::asio::async_initiate<CompletionToken, void(middleware_result)>(
        [](auto handler, asio_auth* c, std::string target, std::string cookie) {
            const auto fallback = c->transport().get_executor();
            separate::async_middleware(*c, std::move(target), std::move(cookie),
                                       separate::erase<void(middleware_result)>(std::move(handler), fallback));
        },
        token, &cfg, std::string(req.target), std::string(req.cookie));
}

template <class CompletionToken>
auto async_handle_auth_request(asio_auth& cfg, const http::server_request& req, CompletionToken&& token) {
    return boost::asio::async_initiate<CompletionToken, void(http::server_response)>(
        [](auto handler, asio_auth* c, std::unique_ptr<detail::owned_server_request> r) {
            const auto fallback = c->transport().get_executor();
            separate::async_handle_auth_request(
                *c, std::move(r), separate::erase<void(http::server_response)>(std::move(handler), fallback));
        },
        token, &cfg, std::make_unique<detail::owned_server_request>(req));
}

template <class CompletionToken>
auto async_resolve(asio_auth& cfg, std::string cookie_header, CompletionToken&& token, core::flow_options fo = {}) {
    return boost::asio::async_initiate<CompletionToken, void(core::session_result)>(
        [](auto handler, asio_auth* c, std::string cookie, core::flow_options f) {
            const auto fallback = c->transport().get_executor();
            separate::async_resolve(*c, std::move(cookie), f,
                                    separate::erase<void(core::session_result)>(std::move(handler), fallback));
        },
        token, &cfg, std::move(cookie_header), fo);
}

template <class CompletionToken>
auto async_sign_in_with_credentials(asio_auth& cfg, std::string tokens_json, std::string cookie_header,
                                    CompletionToken&& token) {
    return boost::asio::async_initiate<CompletionToken, void(error_code, core::session_result)>(
        [](auto handler, asio_auth* c, std::string tokens, std::string cookie) {
            const auto fallback = c->transport().get_executor();
            separate::async_sign_in_with_credentials(
                *c, std::move(tokens), std::move(cookie),
                separate::erase<void(error_code, core::session_result)>(std::move(handler), fallback));
        },
        token, &cfg, std::move(tokens_json), std::move(cookie_header));
}

} // namespace authpp
