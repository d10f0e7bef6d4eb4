// authpp/nal/options.hpp — the options of mode nal, with next-api-layer's
// defaults (C6.md), and validate() naming the option that is wrong.
#pragma once

#include <authpp/options.hpp>
#include <authpp/options/option_problem.hpp>
#include <authpp/url/url.hpp>

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace authpp::nal {

/// Where the user's and the guest's tokens live in the browser.
struct cookie_settings {
    std::string user = "userToken";
    std::string guest = "guestToken";
    std::chrono::seconds user_max_age{7 * 24 * 3600};
    std::chrono::seconds guest_max_age{3600};
    bool secure = true; ///< false only for plain-http development origins
    std::string path = "/";
};

/// The backend's endpoints, relative to api_base_url.
struct endpoint_paths {
    std::string validate = "auth/me";     ///< GET, the token as bearer
    std::string refresh = "auth/refresh"; ///< POST, the old token as bearer
    std::string guest = "auth/guest";     ///< POST {"username","password"}
};

/// The account guest tokens are created with; guest tokens are on when set.
struct guest_credentials {
    std::string username;
    std::string password;
};

using authpp::option_problem;

struct nal_options {
    std::string api_base_url;         ///< required: absolute http(s); a '/' is appended when missing
    cookie_settings cookies;
    endpoint_paths endpoints;
    std::optional<guest_credentials> guest;

    // Routes: segment-bounded path prefixes ("/dashboard" covers "/dashboard/x",
    // not "/dashboards"), matched against the normalised path.
    std::vector<std::string> protected_routes;
    std::vector<std::string> auth_routes{"/login"}; ///< a signed-in user is sent to home_url
    std::vector<std::string> public_routes;
    bool protected_by_default = false; ///< every page not public or auth is protected
    std::vector<std::string> excluded_paths; ///< passed through untouched: no token read, no backend call
    std::string api_prefix = "/api";  ///< API routes answer JSON (401/403/503) instead of redirecting
    std::string login_url = "/login"; ///< where protected pages send those without access
    std::string home_url = "/";       ///< where auth routes send signed-in users

    std::vector<std::string> allowed_types; ///< token types let in; empty = all
    bool accept_bearer = true;        ///< read `Authorization: Bearer` when no cookie holds a token
    std::size_t max_token_bytes = 8 * 1024; ///< a longer token is no token

    std::chrono::milliseconds cache_ttl{2000}; ///< 0 turns the validation cache off
    std::size_t cache_max_entries = 100;
    bool deduplicate = true;          ///< one backend validation per token at a time

    /// Refreshes are coordinated per old token like the Auth.js mode's (in
    /// process, and through the Store across processes); the tokens a refresh
    /// gave are kept as successor records sealed with `secrets` (the first
    /// seals, any opens). Processes sharing a Store need the same secret; with
    /// none, a random one is made per process (adoption then stays in it).
    std::vector<std::string> secrets;
    auth_options::refresh_coordination_options refresh_coordination = [] {
        auth_options::refresh_coordination_options r;
        r.key_prefix = "authpp:nal:refresh";
        return r;
    }();

    /// The backend URL of `endpoint` (api_base_url ends in '/').
    std::string url_of(std::string_view endpoint) const {
        std::string u = api_base_url;
        if (u.empty() || u.back() != '/') u += '/';
        u.append(endpoint.starts_with('/') ? endpoint.substr(1) : endpoint);
        return u;
    }

    /// The first option that is wrong, or nullopt.
    std::optional<option_problem> validate() const {
        if (api_base_url.empty()) return option_problem{"api_base_url", "is required"};
        if (!url::parse_http_url(api_base_url) || api_base_url.find_first_of("?#") != std::string::npos)
            return option_problem{"api_base_url", "must be an absolute http:// or https:// URL without query"};
        for (const auto* e : {&endpoints.validate, &endpoints.refresh, &endpoints.guest})
            if (e->empty() || !url::parse_http_url(url_of(*e)))
                return option_problem{"endpoints", "each must be a path relative to api_base_url"};
        if (!authpp::detail::is_cookie_name(cookies.user)) return option_problem{"cookies.user", "must be a cookie name"};
        if (!authpp::detail::is_cookie_name(cookies.guest) || cookies.guest == cookies.user)
            return option_problem{"cookies.guest", "must be a cookie name other than cookies.user"};
        if (cookies.user_max_age.count() <= 0) return option_problem{"cookies.user_max_age", "must be positive"};
        if (cookies.guest_max_age.count() <= 0) return option_problem{"cookies.guest_max_age", "must be positive"};
        if (!cookies.path.starts_with('/')) return option_problem{"cookies.path", "must start with '/'"};
        if (guest && (guest->username.empty() || guest->password.empty()))
            return option_problem{"guest", "needs both a username and a password"};
        const std::pair<const char*, const std::vector<std::string>*> lists[] = {
            {"protected_routes", &protected_routes}, {"auth_routes", &auth_routes},
            {"public_routes", &public_routes},       {"excluded_paths", &excluded_paths}};
        for (const auto& [name, list] : lists)
            for (const auto& p : *list)
                if (!p.starts_with('/')) return option_problem{name, "every path must start with '/'"};
        if (!api_prefix.starts_with('/')) return option_problem{"api_prefix", "must start with '/'"};
        if (!authpp::detail::is_same_origin_path(login_url)) return option_problem{"login_url", "must be a path on this origin"};
        if (!authpp::detail::is_same_origin_path(home_url)) return option_problem{"home_url", "must be a path on this origin"};
        for (const auto& t : allowed_types)
            if (t.empty()) return option_problem{"allowed_types", "must not hold an empty type"};
        if (max_token_bytes == 0) return option_problem{"max_token_bytes", "must be positive"};
        if (cache_ttl.count() < 0) return option_problem{"cache_ttl", "must not be negative"};
        return std::nullopt;
    }
};

} // namespace authpp::nal
