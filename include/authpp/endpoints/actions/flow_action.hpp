// authpp/endpoints/actions/flow_action.hpp — an action that runs one wrapped
// flow (the session flow, the credentials flow) and answers from its result.
//
// The steps are the flow protocol's (<authpp/flow/step.hpp>) with the
// action's context passed in rather than held, so that action_flow, which
// owns both, stays movable (the asynchronous driver moves it).
#pragma once

#include <authpp/endpoints/actions/context.hpp>
#include <authpp/error.hpp>
#include <authpp/flow/step.hpp>
#include <authpp/http/message.hpp>
#include <authpp/oauth/refresh.hpp>

#include <utility>

namespace authpp::endpoints {

/// A sign-in whose new session was not written (`ec`: the session flow's
/// cookie_error; no session cookie was set): SessionTooLarge, or — the Store
/// could not be asked (database sessions during a Redis outage), the cookie
/// not made — Auth.js's answer to a failing adapter, its error page with
/// error=Configuration, never a redirect that looks signed in.
template <class Config>
void fail_unwritten_session(action_context<Config>& cx, const error_code& ec) {
    cx.fail(ec == error::session_too_large ? "SessionTooLarge" : "Configuration", "error");
}

/// Runs `Flow`; once it is done, `answer(cx, flow)` writes the response.
template <class Config, class Flow, class Answer>
class flow_action {
public:
    flow_action(action_context<Config>& cx, Flow f, Answer a) : flow_(std::move(f)), answer_(std::move(a)) {
        answer_if_done(cx);
    }

    flow::step next() const noexcept { return flow_.next(); }
    void on_response(action_context<Config>& cx, const error_code& ec, const http::response& r) {
        flow_.on_response(ec, r);
        answer_if_done(cx);
    }
    void on_store(action_context<Config>& cx, flow::store_answer a) {
        flow_.on_store(std::move(a));
        answer_if_done(cx);
    }
    void on_refresh(action_context<Config>& cx, const oauth::refresh_result& rr) {
        flow_.on_refresh(rr);
        answer_if_done(cx);
    }

private:
    void answer_if_done(action_context<Config>& cx) {
        if (flow_.done()) answer_(cx, flow_);
    }

    Flow flow_;
    Answer answer_;
};

} // namespace authpp::endpoints
