// authpp/core/jwt_callback.hpp — the reference's jwt callback, sans I/O.
//
// jwt_begin() takes every branch that needs no network and says when a
// refresh is due; jwt_finish_refresh() applies the refresh exchange's result.
// Branches, in the reference's order:
//   sign-in                     → store the user's tokens
//   update + forceRefresh + RT  → refresh now
//   update                      → merge the synced tokens, clear the error
//   not expired (60 s buffer)   → the token as is
//   expired + refresh token     → refresh
//   expired, no refresh token   → error "TokenExpired"
// A refresh that fails definitively sets "RefreshTokenError"; one that fails
// transiently keeps the refresh token and reports "TokenExpired", so the
// next request tries again (the reference logs users out here).
#pragma once

#include <authpp/detail/json_truthy.hpp>
#include <authpp/oauth/refresh.hpp>
#include <authpp/options.hpp>
#include <authpp/token.hpp>

#include <boost/json/object.hpp>

#include <string>

namespace authpp::core {

struct jwt_step {
    session_token token;
    bool changed = false;          ///< the token differs from what the cookie held
    bool refresh = false;          ///< a refresh exchange is due; token.refresh_token is the one to redeem
};


inline jwt_step jwt_begin(session_token token, const jwt_event& ev, std::int64_t now_ms,
                          std::chrono::seconds refresh_buffer) {
    jwt_step s;
    if (ev.trigger == jwt_trigger::sign_in && ev.user) {
        const auto& u = *ev.user;
        token.sub = u.sub;
        token.email = u.email;
        token.nickname = u.nickname;
        token.access_token = u.access_token;
        token.refresh_token = u.refresh_token;
        token.id_token = u.id_token;
        token.access_token_expires = u.access_token_expires;
        token.zkevm = u.zkevm;
        s.token = std::move(token);
        s.changed = true;
        return s;
    }
    if (ev.trigger == jwt_trigger::update && ev.update) {
        const auto& up = *ev.update;
        if (authpp::detail::truthy(up.if_contains("forceRefresh")) && token.refresh_token) {
            s.token = std::move(token);
            s.refresh = true;
            return s;
        }
        auto str = [&](std::string_view k) -> std::optional<std::string> {
            const auto* v = up.if_contains(k);
            if (authpp::detail::truthy(v) && v->is_string()) return std::string(v->get_string());
            return std::nullopt;
        };
        if (auto v = str("accessToken")) token.access_token = std::move(v);
        if (auto v = str("refreshToken")) token.refresh_token = std::move(v);
        if (auto v = str("idToken")) token.id_token = std::move(v);
        if (const auto* v = up.if_contains("accessTokenExpires"); authpp::detail::truthy(v))
            if (auto ms = authpp::detail::optional_millis(v)) token.access_token_expires = ms;
        if (const auto* v = up.if_contains("zkEvm"); authpp::detail::truthy(v))
            if (auto z = authpp::detail::optional_zkevm(v)) token.zkevm = std::move(z);
        token.error.reset();
        s.token = std::move(token);
        s.changed = true;
        return s;
    }
    if (!oauth::is_token_expired(token.access_token_expires, now_ms, refresh_buffer)) {
        s.token = std::move(token);
        return s;
    }
    if (token.refresh_token) {
        s.token = std::move(token);
        s.refresh = true;
        return s;
    }
    s.changed = !token.error || *token.error != token_error::token_expired;
    token.error = std::string(token_error::token_expired);
    s.token = std::move(token);
    return s;
}

/// Applies a refresh exchange's result to the token jwt_begin() handed out.
inline session_token jwt_finish_refresh(session_token token, const oauth::refresh_result& r) {
    if (r.ok()) {
        const auto& t = *r.tokens;
        auto zkevm = t.id_token ? oauth::extract_zkevm_from_id_token(*t.id_token) : std::nullopt;
        token.access_token = t.access_token;
        token.refresh_token = t.refresh_token;
        token.id_token = t.id_token;
        token.access_token_expires = t.access_token_expires;
        if (zkevm) token.zkevm = std::move(zkevm);
        token.error.reset();
    } else if (r.transient()) {
        token.error = std::string(token_error::token_expired);
    } else {
        token.error = std::string(token_error::refresh_token_error);
    }
    return token;
}

} // namespace authpp::core
