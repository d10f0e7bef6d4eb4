// authpp/cookie/set_cookie.hpp — writing Set-Cookie header values.
//
// Attributes come out in the order the `cookie` npm package (and so Auth.js)
// writes them: Max-Age, Domain, Path, Expires, HttpOnly, Secure, Partitioned,
// SameSite. Names and values are checked against RFC 6265 so a browser never
// silently drops the cookie; the cookie-prefix rules (`__Secure-`, `__Host-`)
// and "SameSite=None needs Secure" are enforced, since browsers reject those
// cookies without telling anyone.
#pragma once

#include <authpp/detail/civil_time.hpp>
#include <authpp/detail/time_arith.hpp>
#include <authpp/error.hpp>

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

namespace authpp::cookie {

enum class same_site_policy { unset, lax, strict, none };

struct cookie_options {
    std::string path = "/";
    std::string domain;                   ///< empty: a host-only cookie
    bool http_only = true;
    bool secure = false;
    same_site_policy same_site = same_site_policy::lax;
    std::optional<std::int64_t> max_age;  ///< seconds; 0 deletes the cookie
    std::optional<std::int64_t> expires;  ///< Unix seconds, written as an HTTP date
    bool partitioned = false;
};

namespace detail {

constexpr bool is_token_char(unsigned char c) noexcept {
    if (c <= 0x20 || c >= 0x7f) return false;
    switch (c) {
    case '(': case ')': case '<': case '>': case '@': case ',': case ';': case ':':
    case '\\': case '"': case '/': case '[': case ']': case '?': case '=': case '{': case '}':
        return false;
    default:
        return true;
    }
}

// RFC 6265 cookie-octet: no CTLs, whitespace, DQUOTE, comma, semicolon or backslash.
constexpr bool is_cookie_octet(unsigned char c) noexcept {
    return c == 0x21 || (c >= 0x23 && c <= 0x2b) || (c >= 0x2d && c <= 0x3a) || (c >= 0x3c && c <= 0x5b) ||
           (c >= 0x5d && c <= 0x7e);
}

constexpr bool is_attribute_value(std::string_view s) noexcept {
    for (unsigned char c : s)
        if (c < 0x20 || c == 0x7f || c == ';') return false;
    return true;
}

inline void append_int(std::string& out, std::int64_t v) {
    out += std::to_string(v);
}

} // namespace detail

/// Unix seconds as an IMF-fixdate ("Thu, 01 Jan 1970 00:00:00 GMT"), the
/// form JavaScript's Date.toUTCString() gives and browsers parse.
inline std::string http_date(std::int64_t t) {
    static constexpr const char* wday[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static constexpr const char* mon[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const auto c = authpp::detail::to_civil(t);
    char buf[128]; // room for any field values, so no -Wformat-truncation
    std::snprintf(buf, sizeof buf, "%s, %02d %s %04lld %02d:%02d:%02d GMT", wday[c.weekday], c.day, mon[c.month - 1],
                  static_cast<long long>(c.year), c.hour, c.minute, c.second);
    return buf;
}

/// The value of one Set-Cookie header, or error::invalid_cookie when the name,
/// value or an attribute would make a browser drop it (error::time_out_of_range
/// for an Expires outside the years 1 to 9999 an HTTP date can carry).
inline result<std::string> set_cookie_header(std::string_view name, std::string_view value,
                                             const cookie_options& o) {
    if (name.empty()) return error::invalid_cookie;
    for (unsigned char c : name)
        if (!detail::is_token_char(c)) return error::invalid_cookie;
    for (unsigned char c : value)
        if (!detail::is_cookie_octet(c)) return error::invalid_cookie;
    if (!detail::is_attribute_value(o.path) || !detail::is_attribute_value(o.domain)) return error::invalid_cookie;
    if (o.same_site == same_site_policy::none && !o.secure) return error::invalid_cookie;
    if (name.starts_with("__Secure-") && !o.secure) return error::invalid_cookie;
    if (name.starts_with("__Host-") && (!o.secure || o.path != "/" || !o.domain.empty()))
        return error::invalid_cookie;
    if (o.expires && (*o.expires < authpp::detail::min_http_date || *o.expires > authpp::detail::max_http_date))
        return error::time_out_of_range;

    std::string out;
    out.reserve(name.size() + value.size() + 96 + o.domain.size() + o.path.size());
    out.append(name).append("=").append(value);
    if (o.max_age) {
        out += "; Max-Age=";
        detail::append_int(out, *o.max_age);
    }
    if (!o.domain.empty()) out.append("; Domain=").append(o.domain);
    if (!o.path.empty()) out.append("; Path=").append(o.path);
    if (o.expires) out.append("; Expires=").append(http_date(*o.expires));
    if (o.http_only) out += "; HttpOnly";
    if (o.secure) out += "; Secure";
    if (o.partitioned) out += "; Partitioned";
    switch (o.same_site) {
    case same_site_policy::lax: out += "; SameSite=Lax"; break;
    case same_site_policy::strict: out += "; SameSite=Strict"; break;
    case same_site_policy::none: out += "; SameSite=None"; break;
    case same_site_policy::unset: break;
    }
    return out;
}

} // namespace authpp::cookie
