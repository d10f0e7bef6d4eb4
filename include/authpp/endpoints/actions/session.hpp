// authpp/endpoints/actions/session.hpp — GET /session (the session as JSON,
// or null; the cookie re-issued to extend it) and POST /session (an update:
// the body's `data` goes to the jwt callback, data.forceRefresh refreshes
// now; an update that would not fit the cookie budget is refused with 413).
// The dispatcher has checked a POST's CSRF token.
#pragma once

#include <authpp/core/jwt_callback.hpp>
#include <authpp/core/session_flow.hpp>
#include <authpp/detail/json_truthy.hpp>
#include <authpp/endpoints/actions/context.hpp>
#include <authpp/endpoints/actions/flow_action.hpp>
#include <authpp/error.hpp>
#include <authpp/session.hpp>

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value_from.hpp>

#include <memory>
#include <string>
#include <utility>

namespace authpp::endpoints {

template <class Config>
struct session_answer {
    bool update = false;
    // Heap-held so that the pointer the session flow keeps to it survives a
    // move of the action (the async driver moves the flow into its state).
    std::unique_ptr<boost::json::object> update_data;

    void operator()(action_context<Config>& cx, core::session_flow<typename Config::codec_type>& f) const {
        auto& r = f.result();
        cx.cfg.note_refresh(r);
        if (update && r.cookie_error == error::session_too_large) {
            // The update is refused and the browser keeps its cookie;
            // next-auth/react's update() then keeps its session state.
            cx.cookies.clear();
            return cx.json(413, R"({"error":"SessionTooLarge","message":"the updated session would exceed the session cookie budget; it was not saved"})",
                           true, true);
        }
        for (auto& c : r.set_cookies) cx.cookies.push_back(std::move(c));
        std::string body = r.session ? boost::json::serialize(boost::json::value_from(*r.session)) : "null";
        cx.json(200, std::move(body), !update, true);
    }
};

template <class Config>
using session_action =
    flow_action<Config, core::session_flow<typename Config::codec_type>, session_answer<Config>>;

/// GET /session (update false) or POST /session (update true).
template <class Config>
session_action<Config> start_session(action_context<Config>& cx, bool update) {
    session_answer<Config> answer{update, nullptr};
    core::flow_options fo;
    fo.rolling = true; // Auth.js re-issues the cookie on every session read, to extend it
    if (update) {
        fo.event.trigger = jwt_trigger::update;
        // The reference acts on an update only when `data` is truthy.
        if (cx.data && authpp::detail::truthy(cx.data.get())) {
            answer.update_data = std::make_unique<boost::json::object>(
                cx.data->is_object() ? cx.data->get_object() : boost::json::object{});
            fo.event.update = answer.update_data.get();
        }
    }
    return {cx, cx.cfg.begin(cx.req.cookie, fo), std::move(answer)};
}

} // namespace authpp::endpoints
