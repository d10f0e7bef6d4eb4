// authpp/split/cookies.hpp — the three cookies of a mode split session:
//
//   access_token=<access>; Path=/; Expires=<its expiry>; [Secure; ]SameSite=Lax
//   refresh_token=<refresh>; Path=/; HttpOnly; [Secure; ]SameSite=Lax
//   session=2026-11-27T20:15:00.123Z; Path=/; [Secure; ]SameSite=Lax
//
// The indicator tells the page (and us) when the access token expires,
// without a token. Clearing sends each with an empty value, Max-Age=0 and a
// past Expires.
#pragma once

#include <authpp/cookie/cookie_header.hpp>
#include <authpp/cookie/set_cookie.hpp>
#include <authpp/detail/civil_time.hpp>
#include <authpp/split/options.hpp>
#include <authpp/url/percent.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace authpp::split {

/// The session's cookies as a request carries them (views into its Cookie
/// header; the first of a repeated name, as browsers send the most specific
/// first).
struct request_cookies {
    std::optional<std::string_view> access;
    std::optional<std::string_view> refresh;
    std::optional<std::string_view> indicator;
};

/// Reads the three cookies in one pass over a Cookie header; empty values
/// count as absent.
inline request_cookies read_cookies(const split_options& o, std::string_view header) {
    request_cookies out;
    for (const auto& [name, value] : cookie::cookie_header(header)) {
        if (value.empty()) continue;
        if (name == o.cookies.access && !out.access) out.access = value;
        else if (name == o.cookies.refresh && !out.refresh) out.refresh = value;
        else if (name == o.cookies.indicator && !out.indicator) out.indicator = value;
    }
    return out;
}

/// The indicator's value for an expiry (Unix ms): ISO 8601 UTC with
/// milliseconds, as Date.toISOString() writes it.
inline std::string indicator_value(std::int64_t expiry_ms) { return authpp::detail::format_iso8601_ms(expiry_ms); }

/// The expiry (Unix ms) an indicator says: ISO 8601 as we write it, or the
/// reference's Date.toUTCString() form ("Fri, 27 Nov 2026 20:15:00 GMT"),
/// either possibly percent-encoded (as js-cookie writes). nullopt for
/// anything else.
inline std::optional<std::int64_t> read_indicator(std::string_view v) {
    if (v.size() > 64) return std::nullopt;
    std::optional<std::string> decoded;
    if (v.find('%') != std::string_view::npos) {
        decoded = url::percent_decode(v);
        if (!decoded) return std::nullopt;
        v = *decoded;
    }
    if (auto ms = authpp::detail::parse_iso8601_ms(v)) return ms;
    if (auto s = authpp::detail::parse_imf_fixdate(v)) return *s * 1000;
    return std::nullopt;
}


/// Whether a token fits a cookie named `name`: at most max_token_bytes, and
/// name=value within the 4096 bytes browsers keep of a cookie.
inline bool fits(const split_options& o, std::string_view name, std::string_view token) noexcept {
    return token.size() <= o.max_token_bytes && name.size() + 1 + token.size() <= 4096;
}

/// The three Set-Cookie values of a session whose access token expires at
/// `expiry_ms`, or nullopt when a token cannot be a cookie value (RFC 6265:
/// no spaces, quotes, commas, semicolons, backslashes or controls) or does
/// not fit() its cookie.
inline std::optional<std::vector<std::string>> session_cookies(const split_options& o, std::string_view access,
                                                               std::string_view refresh, std::int64_t expiry_ms) {
    if (!fits(o, o.cookies.access, access) || !fits(o, o.cookies.refresh, refresh)) return std::nullopt;
    auto a = o.cookie_attributes(false);
    a.expires = expiry_ms / 1000;
    auto access_line = cookie::set_cookie_header(o.cookies.access, access, a);
    auto refresh_line = cookie::set_cookie_header(o.cookies.refresh, refresh, o.cookie_attributes(true));
    auto indicator_line =
        cookie::set_cookie_header(o.cookies.indicator, indicator_value(expiry_ms), o.cookie_attributes(false));
    if (!access_line || !refresh_line || !indicator_line) return std::nullopt;
    return std::vector<std::string>{std::move(*access_line), std::move(*refresh_line), std::move(*indicator_line)};
}

/// The three Set-Cookie values that end a session (send them with
/// `Clear-Site-Data: "cookies"`).
inline std::vector<std::string> clearing_cookies(const split_options& o) {
    std::vector<std::string> out;
    out.reserve(3);
    for (const auto* name : {&o.cookies.access, &o.cookies.refresh, &o.cookies.indicator}) {
        auto a = o.cookie_attributes(name == &o.cookies.refresh);
        a.max_age = 0;
        a.expires = 0;
        if (auto line = cookie::set_cookie_header(*name, "", a)) out.push_back(std::move(*line));
    }
    return out;
}

} // namespace authpp::split
