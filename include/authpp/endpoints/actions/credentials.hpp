// authpp/endpoints/actions/credentials.hpp — POST /callback/<credentials
// provider>: the reference's Credentials provider, a sign-in with the
// client-obtained tokens of the form field `tokens` (core::credentials_flow:
// userinfo says whose they are, the signIn callback may refuse), then to the
// callbackUrl with the new session cookie. The dispatcher has checked the
// CSRF token.
#pragma once

#include <authpp/core/credentials_flow.hpp>
#include <authpp/endpoints/actions/context.hpp>
#include <authpp/endpoints/actions/flow_action.hpp>
#include <authpp/error.hpp>

#include <string_view>
#include <utility>

namespace authpp::endpoints {

template <class Config>
struct credentials_answer {
    void operator()(action_context<Config>& cx, core::credentials_flow<typename Config::codec_type>& f) const {
        auto r = std::move(f).result();
        if (!r) {
            if (r.error() == error::unauthorized) return cx.fail("AccessDenied", "error");
            return cx.fail("CredentialsSignin", "signIn", "credentials");
        }
        if (r->cookie_error) return fail_unwritten_session(cx, r->cookie_error);
        for (auto& c : r->set_cookies) cx.cookies.push_back(std::move(c));
        cx.redirect(cx.callback_url);
    }
};

template <class Config>
using credentials_action =
    flow_action<Config, core::credentials_flow<typename Config::codec_type>, credentials_answer<Config>>;

template <class Config>
credentials_action<Config> start_credentials(action_context<Config>& cx) {
    const auto tokens = cx.body.get("tokens");
    return {cx, cx.cfg.begin_sign_in(tokens ? *tokens : std::string_view{}, cx.req.cookie), {}};
}

} // namespace authpp::endpoints
