// authpp/split/context.hpp — what mode split's flows read: the options and
// the backend's handlers, and how a refresh answer becomes the refresh
// result the coordinator shares between the requests that wait for it.
#pragma once

#include <authpp/cookie/set_cookie.hpp>
#include <authpp/error.hpp>
#include <authpp/http/message.hpp>
#include <authpp/oauth/refresh.hpp>
#include <authpp/split/cookies.hpp>
#include <authpp/split/handlers.hpp>
#include <authpp/split/options.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace authpp::split {

struct context {
    split_options options;
    handlers backend;
};

/// Whether a backend token can be the value of the cookie named `name`:
/// RFC 6265 cookie octets only, and it fits() the cookie.
inline bool cookie_safe(const split_options& o, std::string_view name, std::string_view token) noexcept {
    if (token.empty() || !fits(o, name, token)) return false;
    for (const unsigned char c : token)
        if (!cookie::detail::is_cookie_octet(c)) return false;
    return true;
}

/// The tokens of a backend's answer (login or refresh, read by `parse`):
/// ok with them, or refused / unavailable. A 2xx without a usable set —
/// unreadable, a parser that throws, or tokens no cookie can hold — is
/// unavailable: the backend refused nothing.
struct issued {
    answer what = answer::unavailable;
    std::optional<session_tokens> tokens;
};

inline issued read_issued(const split_options& o, const token_parser& parse, const error_code& ec,
                          const http::response& r) {
    const auto what = classify(ec, r.status);
    if (what != answer::ok) return {what, std::nullopt};
    std::optional<session_tokens> t;
    try { // a parser of the user's that throws is an answer we cannot read
        if (parse) t = parse(r.body);
    } catch (...) {
        return {answer::unavailable, std::nullopt};
    }
    if (!t || !cookie_safe(o, o.cookies.access, t->access_token) ||
        !cookie_safe(o, o.cookies.refresh, t->refresh_token) || t->lifetime_ms <= 0 ||
        t->lifetime_ms > max_lifetime_ms)
        return {answer::unavailable, std::nullopt};
    return {answer::ok, std::move(t)};
}

/// The refresh step's reading of the backend's refresh answer (`ctx` is the
/// context): the tokens, the access token's expiry = now + lifetime.
inline oauth::refresh_result read_refresh(const void* ctx, const error_code& ec, const http::response& r,
                                          std::string_view, std::int64_t now_ms) {
    const auto& cx = *static_cast<const context*>(ctx);
    auto got = read_issued(cx.options, cx.backend.refresh.parse, ec, r);
    oauth::refresh_result out;
    switch (got.what) {
    case answer::ok:
        out.tokens = oauth::refreshed_tokens{std::move(got.tokens->access_token), std::move(got.tokens->refresh_token),
                                             std::nullopt, now_ms + got.tokens->lifetime_ms};
        break;
    case answer::refused:
        out.error = error::refresh_rejected;
        out.error_text = "the backend refused the refresh token";
        break;
    case answer::unavailable:
        out.error = ec || r.status < 200 || r.status >= 300 ? error::refresh_unavailable : error::bad_token_response;
        out.error_text = "the backend could not refresh the session";
        break;
    }
    return out;
}

} // namespace authpp::split
