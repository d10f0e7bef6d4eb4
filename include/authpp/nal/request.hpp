// authpp/nal/request.hpp — what mode nal reads from a request before it asks
// the backend anything: the kind of route (on the normalised path), the
// token and where it came from, and the cookies it writes back.
//
// Routes, in this order: excluded (passed through untouched), public, auth
// (a signed-in user is sent home), API (under api_prefix: JSON answers),
// protected (a listed prefix, or every other page with protected_by_default),
// and plain pages. All are segment-bounded prefixes ("/api" covers "/api/x",
// never "/apiary").
//
// The token: the user cookie, else the guest cookie, else (accept_bearer) an
// `Authorization: Bearer` token. A value longer than max_token_bytes, or with
// a byte outside visible ASCII, is no token. Cookie values are percent-
// decoded and written percent-encoded (encodeURIComponent), as next-api-
// layer's cookie library does, so both read each other's cookies.
#pragma once

#include <authpp/cookie/cookie_header.hpp>
#include <authpp/cookie/set_cookie.hpp>
#include <authpp/detail/time_arith.hpp>
#include <authpp/error.hpp>
#include <authpp/http/message.hpp>
#include <authpp/match/prefix_matcher.hpp>
#include <authpp/nal/options.hpp>
#include <authpp/url/percent.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace authpp::nal {

enum class route_kind { excluded, public_page, auth, api, protected_page, page };

/// What the decision needs to know of a path.
struct route_info {
    bool excluded = false;  ///< passed through untouched
    bool api = false;       ///< under api_prefix and not public: JSON answers, a token needed
    bool auth = false;      ///< an auth route, not public: signed-in users go home
    bool protected_ = false; ///< a listed protected prefix (pages and API), or every page and API route
                             ///< not public or auth with protected_by_default
};

/// The route lists of the options, compiled once.
class route_table {
public:
    explicit route_table(const nal_options& o)
        : excluded_(o.excluded_paths), public_(o.public_routes), auth_(o.auth_routes),
          protected_(o.protected_routes), api_({o.api_prefix}), protected_by_default_(o.protected_by_default) {}

    /// What `path` (normalised, without its query) is.
    route_info describe(std::string_view path) const noexcept {
        route_info r;
        if (excluded_.matches(path)) {
            r.excluded = true;
            return r;
        }
        if (public_.matches(path)) return r;
        r.auth = auth_.matches(path);
        r.api = !r.auth && api_.matches(path);
        r.protected_ = !r.auth && (protected_.matches(path) || protected_by_default_);
        return r;
    }

    /// The kind of `path`, one word (protected API routes count as API).
    route_kind classify(std::string_view path) const noexcept {
        if (excluded_.matches(path)) return route_kind::excluded;
        if (public_.matches(path)) return route_kind::public_page;
        const auto r = describe(path);
        if (r.auth) return route_kind::auth;
        if (r.api) return route_kind::api;
        if (r.protected_) return route_kind::protected_page;
        return route_kind::page;
    }

private:
    prefix_matcher excluded_, public_, auth_, protected_, api_;
    bool protected_by_default_;
};

enum class token_source { user_cookie, guest_cookie, bearer };

struct found_token {
    std::string token;
    token_source from = token_source::user_cookie;
};

/// Which of mode nal's cookies the request carried (non-empty): only those
/// are cleared.
struct carried_cookies {
    bool user = false;
    bool guest = false;
};

namespace detail {

inline bool token_ok(std::string_view t, std::size_t max_bytes) noexcept {
    if (t.empty() || t.size() > max_bytes) return false;
    for (const unsigned char c : t)
        if (c < 0x21 || c > 0x7e) return false;
    return true;
}

// A cookie's value, percent-decoded; nullopt when absent, empty or with a
// bad escape (the original's cookie parser drops such a cookie too).
inline std::optional<std::string> cookie_token(std::optional<std::string_view> raw) {
    if (!raw || raw->empty()) return std::nullopt;
    return url::percent_decode(*raw);
}

} // namespace detail

/// The raw values of mode nal's two cookies (the first of each name), read
/// in one pass over the Cookie header.
struct nal_cookies {
    std::optional<std::string_view> user, guest;
};

inline nal_cookies read_cookies(const nal_options& o, std::string_view cookie_header) noexcept {
    nal_cookies r;
    for (const auto& c : cookie::cookie_header(cookie_header)) {
        if (!r.user && c.name == o.cookies.user) r.user = c.value;
        else if (!r.guest && c.name == o.cookies.guest) r.guest = c.value;
        if (r.user && r.guest) break;
    }
    return r;
}

/// The cookies of mode nal the request carries.
inline carried_cookies carried(const nal_cookies& c) noexcept {
    return {c.user && !c.user->empty(), c.guest && !c.guest->empty()};
}
inline carried_cookies carried(const nal_options& o, std::string_view cookie_header) noexcept {
    return carried(read_cookies(o, cookie_header));
}

/// The request's token, or nullopt when it carries none that can be one.
inline std::optional<found_token> find_token(const nal_options& o, const nal_cookies& c,
                                             std::string_view authorization) {
    if (auto t = detail::cookie_token(c.user); t && detail::token_ok(*t, o.max_token_bytes))
        return found_token{std::move(*t), token_source::user_cookie};
    if (auto t = detail::cookie_token(c.guest); t && detail::token_ok(*t, o.max_token_bytes))
        return found_token{std::move(*t), token_source::guest_cookie};
    if (o.accept_bearer && authorization.size() > 7 && http::iequals(authorization.substr(0, 7), "bearer ")) {
        auto t = authorization.substr(7);
        while (!t.empty() && t.front() == ' ') t.remove_prefix(1);
        while (!t.empty() && t.back() == ' ') t.remove_suffix(1);
        if (detail::token_ok(t, o.max_token_bytes)) return found_token{std::string(t), token_source::bearer};
    }
    return std::nullopt;
}
inline std::optional<found_token> find_token(const nal_options& o, std::string_view cookie_header,
                                             std::string_view authorization) {
    return find_token(o, read_cookies(o, cookie_header), authorization);
}

/// The attributes of mode nal's cookies: HttpOnly, SameSite=Lax, the
/// configured path, Secure unless configured off.
inline cookie::cookie_options cookie_attributes(const nal_options& o) {
    cookie::cookie_options c;
    c.path = o.cookies.path;
    c.secure = o.cookies.secure;
    return c;
}

/// Set-Cookie for `token` in cookie `name` for `max_age`, at `now_s`.
inline result<std::string> token_cookie(const nal_options& o, std::string_view name, std::string_view token,
                                        std::chrono::seconds max_age, std::int64_t now_s) {
    auto c = cookie_attributes(o);
    c.max_age = max_age.count();
    c.expires = authpp::detail::saturating_add(now_s, max_age.count());
    return cookie::set_cookie_header(name, url::encode_uri_component(token), c);
}

/// Set-Cookie that clears cookie `name`: empty value, Max-Age=0, an Expires
/// in the past.
inline std::string clearing_cookie(const nal_options& o, std::string_view name) {
    auto c = cookie_attributes(o);
    c.max_age = 0;
    c.expires = 0;
    auto h = cookie::set_cookie_header(name, "", c); // the names and path were validated
    return h ? std::move(*h) : std::string();
}

} // namespace authpp::nal
