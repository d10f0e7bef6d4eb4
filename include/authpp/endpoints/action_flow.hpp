// authpp/endpoints/action_flow.hpp — one Auth.js REST action, sans I/O: the
// dispatcher that reads the request, routes `{base}/<action>[/<provider>]`
// by method to the action, and is the flow the drivers see.
//
// Built from a server_request, the flow runs every step it can at once and
// says through next() what it still waits for (a refresh, userinfo, a code
// exchange; <authpp/flow/step.hpp>), like the session flow it wraps. When done, result() is the whole response: status, headers (each
// Set-Cookie its own entry) and body, with Auth.js 0.41's wire behaviour:
//   * every action first checks the double-submit CSRF cookie and resolves
//     callbackUrl (body, else query, else the callback-url cookie) through
//     the redirect callback, setting either cookie when it changes;
//   * POSTs to session, signin, signout and the credentials callback need a
//     verified CSRF token; a refused POST /session answers 400 `null`, the
//     others redirect to the sign-in page with ?error=MissingCSRF;
//   * errors redirect (or, with X-Auth-Return-Redirect, answer JSON {url})
//     to the sign-in or error page with Auth.js's client-safe error type,
//     and send no cookies, as Auth.js's catch-all does.
// The request's views must outlive the flow; the Config too.
//
// The request reading and the responses: actions/context.hpp. The actions,
// one topic a file under actions/: csrf, providers, session, credentials,
// oauth (sign-in and callback), signout, pages (GET signin, signout, error).
// Those that wait (session, credentials, the OAuth callback, a database
// sign-out) are objects with the flow protocol's members, the context passed
// in; the one running is held in a variant, to which the answers go.
#pragma once

#include <authpp/endpoints/action.hpp>
#include <authpp/endpoints/actions/context.hpp>
#include <authpp/endpoints/actions/credentials.hpp>
#include <authpp/endpoints/actions/csrf.hpp>
#include <authpp/endpoints/actions/oauth.hpp>
#include <authpp/endpoints/actions/pages.hpp>
#include <authpp/endpoints/actions/providers.hpp>
#include <authpp/endpoints/actions/session.hpp>
#include <authpp/endpoints/actions/signout.hpp>
#include <authpp/error.hpp>
#include <authpp/flow/step.hpp>
#include <authpp/http/message.hpp>
#include <authpp/http/server_message.hpp>
#include <authpp/oauth/refresh.hpp>

#include <type_traits>
#include <utility>
#include <variant>

namespace authpp::endpoints {

template <class Config>
class action_flow {
public:
    action_flow(Config& cfg, const http::server_request& req) : cx_(cfg, req) {
        const auto pa = cx_.init();
        if (!pa) return;
        if (cx_.req.method == "GET")
            dispatch_get(pa->action);
        else
            dispatch_post(pa->action);
    }

    /// What the flow waits for (<authpp/flow/step.hpp>): the running action's
    /// step (a wrapped session or credentials flow's, a code or userinfo
    /// exchange, a Store call), or nothing once the response is written.
    flow::step next() const noexcept {
        if (cx_.answered) return flow::step::finished();
        return std::visit(
            [](const auto& a) {
                if constexpr (std::is_same_v<std::decay_t<decltype(a)>, std::monostate>)
                    return flow::step::finished();
                else
                    return a.next();
            },
            running_);
    }

    void on_response(const error_code& ec, const http::response& resp) {
        to_running([&](auto& a) { a.on_response(cx_, ec, resp); });
    }
    void on_refresh(const oauth::refresh_result& rr) {
        to_running([&](auto& a) { a.on_refresh(cx_, rr); });
    }
    void on_store(flow::store_answer s) {
        to_running([&](auto& a) { a.on_store(cx_, std::move(s)); });
    }

    bool done() const noexcept { return next().what == flow::step::kind::done; }

    /// The response to send (complete once done()).
    http::server_response result() && { return std::move(cx_.out); }

private:
    void dispatch_get(action a) {
        switch (a) {
        case action::session: return run(start_session(cx_, false));
        case action::csrf: return csrf_action(cx_);
        case action::providers: return providers_action(cx_);
        case action::callback: return run(oauth_callback_action<Config>(cx_));
        case action::signin: return sign_in_page_action(cx_);
        case action::signout: return sign_out_page_action(cx_);
        case action::error: return error_page_action(cx_);
        default: return cx_.fail("Configuration", "error");
        }
    }

    void dispatch_post(action a) {
        switch (a) {
        case action::session:
            if (!cx_.csrf.verified) return cx_.json(400, "null", false, false);
            return run(start_session(cx_, true));
        case action::callback:
            if (!cx_.provider.empty() && cx_.provider == cx_.o.provider_id) {
                if (!cx_.csrf.verified) return cx_.fail("MissingCSRF", "signIn");
                return run(start_credentials(cx_));
            }
            return run(oauth_callback_action<Config>(cx_));
        case action::signin:
            if (!cx_.csrf.verified) return cx_.fail("MissingCSRF", "signIn");
            return oauth_sign_in_action(cx_);
        case action::signout:
            if (!cx_.csrf.verified) return cx_.fail("MissingCSRF", "signIn");
            return run(sign_out_action<Config>(cx_));
        default: return cx_.fail("Configuration", "error");
        }
    }

    // An action that has begun is kept to run on, unless it answered at once.
    template <class A>
    void run(A&& a) {
        if (!cx_.answered) running_.template emplace<std::decay_t<A>>(std::forward<A>(a));
    }

    // Hands a driver's answer to the running action, unless it has answered.
    template <class F>
    void to_running(F&& f) {
        if (cx_.answered) return;
        std::visit(
            [&](auto& a) {
                if constexpr (!std::is_same_v<std::decay_t<decltype(a)>, std::monostate>) f(a);
            },
            running_);
    }

    action_context<Config> cx_;
    std::variant<std::monostate, session_action<Config>, credentials_action<Config>, oauth_callback_action<Config>,
                 sign_out_action<Config>>
        running_;
};

} // namespace authpp::endpoints
