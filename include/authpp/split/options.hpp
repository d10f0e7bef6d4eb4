// authpp/split/options.hpp — the options of mode split, with
// @significa/auth-next's defaults (C6.md), and validate() naming the option
// that is wrong.
#pragma once

#include <authpp/cookie/set_cookie.hpp>
#include <authpp/options.hpp>
#include <authpp/options/option_problem.hpp>

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace authpp::split {

using authpp::option_problem;

/// The three cookies a session lives in.
struct cookie_settings {
    std::string access = "access_token";   ///< readable by the page; Expires = the access token's expiry
    std::string refresh = "refresh_token"; ///< HttpOnly
    std::string indicator = "session";     ///< readable: the expiry, ISO 8601 UTC with milliseconds
    std::string path = "/";
    bool secure = true; ///< false only for plain-http development origins
};

struct split_options {
    cookie_settings cookies;
    std::string base_path = "/api/auth";      ///< the handlers: {base}/login, {base}/refresh, {base}/logout
    std::chrono::seconds refresh_margin{30};  ///< a session refreshes when it expires within this (≤ 1 day; a
                                              ///< margin above the access token's lifetime refreshes every request)
    std::string login_url = "/login";         ///< where the auth restriction sends those without a session
    std::string app_url = "/app";             ///< where the guest restriction sends those with one
    std::size_t max_body_bytes = 16 * 1024;   ///< a longer login body is a wrong payload
    std::size_t max_token_bytes = 4096;       ///< a backend token longer than a cookie can hold is refused

    /// Refreshes are coordinated per refresh token (in process, and through
    /// the Store across processes); the tokens a refresh gave are kept as
    /// successor records sealed with `secrets` (the first seals, any opens),
    /// so a tab that arrives with the token just rotated gets the new pair.
    /// Processes sharing a Store need the same secret; with none, a random one
    /// is made per process.
    std::vector<std::string> secrets;
    auth_options::refresh_coordination_options refresh_coordination = [] {
        auth_options::refresh_coordination_options r;
        r.key_prefix = "authpp:split:refresh";
        return r;
    }();

    /// The attributes every session cookie is written with (HttpOnly for the
    /// refresh token's).
    cookie::cookie_options cookie_attributes(bool http_only) const {
        cookie::cookie_options c;
        c.path = cookies.path;
        c.http_only = http_only;
        c.secure = cookies.secure;
        c.same_site = cookie::same_site_policy::lax;
        return c;
    }

    std::string login_path() const { return base_path + "/login"; }
    std::string refresh_path() const { return base_path + "/refresh"; }
    std::string logout_path() const { return base_path + "/logout"; }

    /// The first option that is wrong, or nullopt.
    std::optional<option_problem> validate() const {
        using authpp::detail::is_cookie_name;
        using authpp::detail::is_same_origin_path;
        if (!is_cookie_name(cookies.access)) return option_problem{"cookies.access", "must be a cookie name"};
        if (!is_cookie_name(cookies.refresh) || cookies.refresh == cookies.access)
            return option_problem{"cookies.refresh", "must be a cookie name of its own"};
        if (!is_cookie_name(cookies.indicator) || cookies.indicator == cookies.access ||
            cookies.indicator == cookies.refresh)
            return option_problem{"cookies.indicator", "must be a cookie name of its own"};
        if (!is_same_origin_path(cookies.path)) return option_problem{"cookies.path", "must be a path"};
        // What a browser would drop (a __Host- or __Secure- name without
        // Secure, a ';' in the path) is refused here, not after the backend
        // has issued the tokens.
        const std::pair<const char*, const std::string*> names[] = {
            {"cookies.access", &cookies.access}, {"cookies.refresh", &cookies.refresh},
            {"cookies.indicator", &cookies.indicator}};
        for (const auto& [option, name] : names)
            if (!cookie::set_cookie_header(*name, "x", cookie_attributes(name == &cookies.refresh)))
                return option_problem{option, "cannot be written with these attributes (a __Host-/__Secure- "
                                              "prefix needs Secure, __Host- also the path /)"};
        if (!is_same_origin_path(base_path) || base_path.size() < 2 || base_path.back() == '/' ||
            base_path.find_first_of("?#") != std::string::npos)
            return option_problem{"base_path", "must be a path like /api/auth (no trailing '/')"};
        if (refresh_margin.count() < 0 || refresh_margin > std::chrono::hours(24))
            return option_problem{"refresh_margin", "must be from 0 to one day"};
        if (!is_same_origin_path(login_url) || login_url.find('#') != std::string::npos)
            return option_problem{"login_url", "must be a path on this origin, without a fragment"};
        if (!is_same_origin_path(app_url) || app_url.find('#') != std::string::npos)
            return option_problem{"app_url", "must be a path on this origin, without a fragment"};
        if (max_body_bytes == 0) return option_problem{"max_body_bytes", "must be positive"};
        if (max_token_bytes == 0) return option_problem{"max_token_bytes", "must be positive"};
        return std::nullopt;
    }
};

} // namespace authpp::split
