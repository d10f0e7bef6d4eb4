// authpp/endpoints/actions/oauth.hpp — the OAuth provider's two actions, the
// authorization-code flow with PKCE S256, state and nonce
// (<authpp/endpoints/oauth_code.hpp>):
//   * POST /signin/<oauth provider>: to the provider's authorization URL,
//     setting the sealed state, PKCE verifier and nonce check cookies (any
//     other provider goes to the sign-in page). The dispatcher has checked
//     the CSRF token.
//   * GET /callback/<oauth provider>: the checks in Auth.js's order, the code
//     exchange, userinfo when no id token came, the signIn callback, then the
//     new session, the check cookies cleared and to the callbackUrl.
// A failed check is Auth.js's server-side "Configuration" error.
#pragma once

#include <authpp/concepts/cookie_codec.hpp>
#include <authpp/core/session_flow.hpp>
#include <authpp/crypto/random.hpp>
#include <authpp/detail/time_arith.hpp>
#include <authpp/endpoints/actions/context.hpp>
#include <authpp/endpoints/actions/flow_action.hpp>
#include <authpp/endpoints/cookies.hpp>
#include <authpp/endpoints/csrf.hpp>
#include <authpp/endpoints/oauth_code.hpp>
#include <authpp/endpoints/pkce.hpp>
#include <authpp/error.hpp>
#include <authpp/flow/step.hpp>
#include <authpp/http/message.hpp>
#include <authpp/oauth/credentials.hpp>
#include <authpp/oauth/refresh.hpp>
#include <authpp/options/callbacks.hpp>

#include <boost/json/object.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace authpp::endpoints {

namespace detail {

// The short-lived check cookies (state, PKCE verifier, nonce) are JWEs
// whatever the session strategy: a codec that keeps sessions in the store
// lends its JWE codec for them.
template <class Config>
const auto& check_codec(const Config& cfg) noexcept {
    if constexpr (SessionStoreCodec<typename Config::codec_type>)
        return cfg.codec().jwe();
    else
        return cfg.codec();
}

template <class Config>
bool add_check_cookie(action_context<Config>& cx, const std::string& name, std::string_view value,
                      std::int64_t now_s, bool max_age) {
    auto sealed = seal_check(check_codec(cx.cfg), name, value, cx.provider, now_s);
    if (!sealed) return false;
    auto opts = auth_cookie_options(cx.secure);
    if (max_age) opts.max_age = check_cookie_max_age;
    opts.expires = authpp::detail::saturating_add(now_s, check_cookie_max_age);
    auto line = auth_set_cookie(name, *sealed, opts);
    if (!line) return false;
    cx.cookies.push_back(std::move(*line));
    return true;
}

} // namespace detail

/// POST /signin/<provider>.
template <class Config>
void oauth_sign_in_action(action_context<Config>& cx) {
    const auto& o = cx.o;
    if (cx.provider.empty() || cx.provider != o.oauth_provider_id || o.oauth_provider_id.empty())
        return cx.redirect(cx.base_url + o.base_path + "/signin");
    const std::int64_t now_s = cx.cfg.now_ms() / 1000;
    auto verifier = make_code_verifier();
    auto nonce = crypto::random_base64url(32);
    auto random = crypto::random_base64url(32);
    if (!verifier || !nonce || !random) return cx.fail("Configuration", "error");
    boost::json::object st;
    st["random"] = *random;
    auto state = detail::check_codec(cx.cfg).encode(st, encoded_state_salt, check_cookie_max_age, now_s);
    if (!state) return cx.fail("Configuration", "error");
    authorization_params p{oauth_redirect_uri(o, cx.base_url), *state, code_challenge_s256(*verifier), *nonce};
    // Auth.js: state and PKCE cookies carry Max-Age and Expires, the nonce only Expires.
    if (!detail::add_check_cookie(cx, cx.names.state, *state, now_s, true) ||
        !detail::add_check_cookie(cx, cx.names.pkce, *verifier, now_s, true) ||
        !detail::add_check_cookie(cx, cx.names.nonce, *nonce, now_s, false))
        return cx.fail("Configuration", "error");
    cx.redirect(authorization_url(o, p, cx.query));
}

/// The callback's answer once the signed-in user's session flow is done.
template <class Config>
struct oauth_session_answer {
    std::vector<std::string> clears; ///< the check cookies to expire

    void operator()(action_context<Config>& cx, core::session_flow<typename Config::codec_type>& f) const {
        auto& r = f.result();
        if (r.cookie_error) return fail_unwritten_session(cx, r.cookie_error);
        for (const auto& n : clears) cx.add_cookie(auth_clear_cookie(n, cx.secure));
        for (auto& c : r.set_cookies) cx.cookies.push_back(std::move(c));
        cx.redirect(cx.callback_url);
    }
};

/// GET (or POST) /callback/<provider> for the OAuth provider.
template <class Config>
class oauth_callback_action {
    using session_action_type =
        flow_action<Config, core::session_flow<typename Config::codec_type>, oauth_session_answer<Config>>;

public:
    explicit oauth_callback_action(action_context<Config>& cx) { check_and_exchange(cx); }

    /// The code exchange, then userinfo (when no id token came), then the
    /// new session's steps.
    flow::step next() const noexcept {
        if (phase_ == phase::session) return session_->next();
        return flow::step::send(exchange_);
    }
    void on_response(action_context<Config>& cx, const error_code& ec, const http::response& resp) {
        switch (phase_) {
        case phase::code_exchange: return on_code_response(cx, ec, resp);
        case phase::userinfo: return on_userinfo_response(cx, ec, resp);
        case phase::session: return session_->on_response(cx, ec, resp);
        }
    }
    void on_store(action_context<Config>& cx, flow::store_answer a) {
        if (phase_ == phase::session) session_->on_store(cx, std::move(a));
    }
    void on_refresh(action_context<Config>& cx, const oauth::refresh_result& rr) {
        if (phase_ == phase::session) session_->on_refresh(cx, rr);
    }

private:
    enum class phase { code_exchange, userinfo, session };

    void check_and_exchange(action_context<Config>& cx) {
        const auto& o = cx.o;
        if (cx.provider.empty() || cx.provider != o.oauth_provider_id || o.oauth_provider_id.empty())
            return cx.fail("Configuration", "error"); // Auth.js: InvalidProvider / credentials over GET
        const std::int64_t now_s = cx.cfg.now_ms() / 1000;
        auto open = [&](const std::string& name) -> authpp::result<std::string> {
            const auto v = request_cookie(cx.req.cookie, name);
            if (!v) return error::no_session_cookie;
            return open_check(detail::check_codec(cx.cfg), name, *v, cx.provider, now_s);
        };
        // The order of Auth.js (oauth4webapi): state, then the provider's
        // error, then the PKCE verifier; a failed check is a server-side
        // "Configuration" error, a provider error an OAuthCallbackError.
        auto state = open(cx.names.state);
        if (!state) return cx.fail("Configuration", "error");
        clears_.push_back(cx.names.state);
        const auto got_state = cx.query.get("state");
        if (!got_state || !constant_time_equals(*got_state, *state)) return cx.fail("Configuration", "error");
        if (const auto iss = cx.query.get("iss");
            iss && ::authpp::endpoints::detail::trim_slash(*iss) !=
                       ::authpp::endpoints::detail::trim_slash(o.authentication_domain))
            return cx.fail("Configuration", "error");
        if (cx.query.get("error")) return cx.fail("OAuthCallbackError", "signIn");
        const auto code = cx.query.get("code");
        if (!code || code->empty()) return cx.fail("Configuration", "error");
        auto verifier = open(cx.names.pkce);
        if (!verifier) return cx.fail("Configuration", "error");
        clears_.push_back(cx.names.pkce);
        auto nonce = open(cx.names.nonce);
        if (!nonce) return cx.fail("Configuration", "error");
        clears_.push_back(cx.names.nonce);
        nonce_ = std::move(*nonce);
        exchange_ = make_code_request(o, *code, oauth_redirect_uri(o, cx.base_url), *verifier);
    }

    void on_code_response(action_context<Config>& cx, const error_code& ec, const http::response& resp) {
        auto r = parse_code_response(cx.o, ec, resp, nonce_, cx.cfg.now_ms());
        if (!r) return cx.fail("Configuration", "error");
        user_ = std::make_unique<signed_in_user>(std::move(r->user));
        if (r->needs_userinfo) {
            exchange_ = oauth::make_userinfo_request(cx.o, *user_->access_token);
            phase_ = phase::userinfo;
            return;
        }
        sign_in(cx);
    }

    void on_userinfo_response(action_context<Config>& cx, const error_code& ec, const http::response& resp) {
        if (apply_userinfo(*user_, ec, resp)) return cx.fail("Configuration", "error");
        sign_in(cx);
    }

    void sign_in(action_context<Config>& cx) {
        if (cx.o.callbacks.sign_in && !cx.o.callbacks.sign_in(*user_)) return cx.fail("AccessDenied", "error");
        core::flow_options fo;
        fo.event = {jwt_trigger::sign_in, user_.get(), nullptr};
        phase_ = phase::session;
        // It answers at once unless the session's Store calls come first.
        session_.emplace(cx, cx.cfg.begin(cx.req.cookie, fo), oauth_session_answer<Config>{std::move(clears_)});
    }

    phase phase_ = phase::code_exchange;
    std::string nonce_;
    std::vector<std::string> clears_;
    http::request exchange_;
    // Heap-held so that the pointer the session flow keeps to it survives a
    // move of the action (the async driver moves the flow into its state).
    std::unique_ptr<signed_in_user> user_;
    std::optional<session_action_type> session_;
};

} // namespace authpp::endpoints
