// authpp/options.hpp — everything a deployment configures, with the
// reference's defaults (@imtbl/auth-next-server constants.ts / config.ts).
//
// Policy, as in the reference: give nothing → the sandbox client; give a
// configuration → give clientId and redirectUri too (validate() says which
// one is missing).
//
// The options are data; the user callbacks they carry are in
// <authpp/options/callbacks.hpp>, and load_env() (what Auth.js reads from
// the environment) in <authpp/options/environment.hpp>. This header
// includes both.
#pragma once

#include <authpp/constants.hpp>
#include <authpp/cookie/set_cookie.hpp>
#include <authpp/error.hpp>
#include <authpp/options/callbacks.hpp>
#include <authpp/options/decode_cache_options.hpp>
#include <authpp/url/path.hpp>
#include <authpp/url/url.hpp>

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace authpp {

namespace defaults {
inline constexpr std::string_view authentication_domain = "https://auth.immutable.com";
inline constexpr std::string_view audience = "platform_api";
inline constexpr std::string_view scope = "openid profile email offline_access transact";
inline constexpr std::string_view provider_id = "immutable";
inline constexpr std::string_view base_path = "/api/auth";
inline constexpr std::string_view sandbox_client_id = "mjtCL8mt06BtbxSkp2vbrYStKWnXVZfo";
inline constexpr std::string_view redirect_uri_path = "/callback";
inline constexpr std::string_view logout_redirect_uri_path = "/";
inline constexpr std::string_view login_url = "/login";
inline constexpr std::chrono::seconds session_max_age{365 * 24 * 60 * 60};
inline constexpr std::chrono::seconds refresh_buffer{60};
inline constexpr std::chrono::seconds token_expiry_fallback{15 * 60};
inline constexpr std::size_t max_session_cookie_bytes = 6 * 1024;
} // namespace defaults

/// How the client secret reaches the token endpoint (RFC 6749 §2.3.1).
enum class client_auth_method {
    basic, ///< HTTP Basic (client_secret_basic), the default
    post,  ///< `client_secret` in the form body (client_secret_post)
};

struct auth_options {
    // OAuth client
    std::string client_id;
    /// The reference's redirectUri (required). An absolute http(s) URL is also
    /// the redirect URI of the authorization-code flow (oauth_provider_id);
    /// a path such as the default "/callback" is left to the browser SDK and
    /// the code flow uses {base_url}{base_path}/callback/{id}.
    std::string redirect_uri;
    std::optional<std::string> client_secret;   ///< confidential clients only
    client_auth_method client_auth = client_auth_method::basic;
    std::string audience{defaults::audience};
    std::string scope{defaults::scope};
    std::string authentication_domain{defaults::authentication_domain};
    std::string token_endpoint;                 ///< empty: {authentication_domain}/oauth/token
    std::string userinfo_endpoint;              ///< empty: {authentication_domain}/userinfo
    std::string authorization_endpoint;         ///< empty: {authentication_domain}/authorize (OpenID discovery fills it)
    std::string provider_id{defaults::provider_id}; ///< the Credentials provider of the reference
    std::string provider_name{"Immutable"};
    /// Non-empty: also offer the server-side authorization-code flow (PKCE
    /// S256, state, nonce) as an OAuth provider of this id, redirect URI
    /// {base_url}{base_path}/callback/{id} as Auth.js builds it (or redirect_uri
    /// when that is absolute). The reference
    /// has none, so GET /providers lists only the Credentials one by default.
    std::string oauth_provider_id;
    std::string sign_in_page{defaults::login_url}; ///< Auth.js pages.signIn (the reference's loginUrl)
    std::string error_page;                     ///< Auth.js pages.error; empty: the built-in {base_path}/error

    // Session
    std::vector<std::string> secrets;           ///< first encodes, all decode
    std::chrono::seconds session_max_age = defaults::session_max_age;
    std::chrono::seconds refresh_buffer = defaults::refresh_buffer;
    /// After a transient refresh failure (network, time-out, 5xx, 429) the
    /// token endpoint is left alone for this long, doubling per failure in a
    /// row up to refresh_retry_max; requests meanwhile keep their session,
    /// reported as TokenExpired.
    std::chrono::milliseconds refresh_retry_initial{1'000};
    std::chrono::milliseconds refresh_retry_max{60'000};
    std::string base_path{defaults::base_path};
    std::string base_url;                       ///< AUTH_URL's origin, e.g. https://app.example.com
    std::optional<bool> use_secure_cookies;     ///< default: base_url starts with https://
    std::string cookie_domain;
    cookie::same_site_policy same_site = cookie::same_site_policy::lax;
    /// The session budget: the most the session cookie (all its chunks, as
    /// the browser sends them back) may add to a Cookie header. A session
    /// over it is not written: the request keeps its old cookie and reports
    /// error::session_too_large (an update answers 413, a sign-in fails).
    /// Auth.js warns and writes anyway, and the browser then sends headers
    /// that the server or a proxy refuses on every request (8 KB of headers
    /// is a common proxy limit; this leaves room for the other cookies).
    std::size_t max_session_cookie_bytes = defaults::max_session_cookie_bytes;
    /// The sessions decoded cookies gave, kept so that a repeated cookie is
    /// not decrypted and parsed again (<authpp/core/decode_cache.hpp>). On
    /// by default; `decode_cache.enabled = false` turns it off.
    decode_cache_options decode_cache;

    // Middleware
    std::string login_url{defaults::login_url};
    std::vector<std::string> protected_paths;
    std::vector<std::string> public_paths;
    /// Router leniencies the middleware applies before matching, so that it
    /// protects what your router will serve. Whatever you choose, route on
    /// middleware_result::path (the path the rules saw), not on the raw
    /// target: then the router and the middleware cannot disagree.
    /// merge_slashes, ignore_case: <authpp/url/path.hpp>.
    using path_matching_options = url::path_leniencies;
    path_matching_options path_matching;

    auth_callbacks callbacks;

    std::string resolved_token_endpoint() const {
        return token_endpoint.empty() ? authentication_domain + "/oauth/token" : token_endpoint;
    }
    std::string resolved_userinfo_endpoint() const {
        return userinfo_endpoint.empty() ? authentication_domain + "/userinfo" : userinfo_endpoint;
    }
    bool secure_cookies() const {
        return use_secure_cookies.value_or(std::string_view(base_url).starts_with("https://"));
    }
    /// The session cookie's name, which is also its key's HKDF salt.
    std::string_view session_cookie() const {
        return secure_cookies() ? secure_session_cookie_name : session_cookie_name;
    }
    cookie::cookie_options session_cookie_options() const {
        cookie::cookie_options o;
        o.secure = secure_cookies();
        o.domain = cookie_domain;
        o.same_site = same_site;
        return o;
    }

    /// The reference's rule: a configuration must name its client and redirect
    /// URI. Also refused: an empty or relative authentication_domain or
    /// endpoint (every refresh would then fail as a transport error, read as
    /// transient forever), and durations whose sums with a time overflow.
    error_code validate() const {
        if (client_id.empty()) return error::missing_client_id;
        if (redirect_uri.empty()) return error::missing_redirect_uri;
        if (!url::is_absolute_http_url(authentication_domain)) return error::invalid_endpoint;
        for (const std::string* e : {&token_endpoint, &userinfo_endpoint, &authorization_endpoint})
            if (!e->empty() && !url::is_absolute_http_url(*e)) return error::invalid_endpoint;
        // A century is far beyond any browser's cookie lifetime (Chrome caps at
        // 400 days) and keeps now + max_age in range for every clock.
        constexpr std::chrono::seconds longest_max_age{100LL * 365 * 24 * 3600};
        if (session_max_age.count() <= 0 || session_max_age > longest_max_age || refresh_buffer.count() < 0 ||
            refresh_buffer > longest_max_age)
            return error::invalid_option;
        if (refresh_retry_initial.count() < 0 || refresh_retry_max < refresh_retry_initial) return error::invalid_option;
        if (!base_path.starts_with('/')) return error::invalid_option;
        if (max_session_cookie_bytes < 1024) return error::invalid_option; // not even a small session fits
        if (!decode_cache.valid()) return error::invalid_option;
        return {};
    }

    /// Refresh single-flight (<authpp/refresh/coordinator.hpp>): one
    /// redemption per refresh token across the requests of this process and,
    /// through the Store, of every process sharing it. Zero or negative
    /// durations are read as the defaults.
    struct refresh_coordination_options {
        bool enabled = true;                          ///< false: every request redeems on its own (the race)
        bool use_store = true;                        ///< false: in-process single-flight only
        std::chrono::milliseconds lease{5'000};       ///< store lock lifetime, renewed every lease/3 while held
        std::chrono::milliseconds wait_timeout{15'000}; ///< a waiter gives up (transient, session kept) after this
        std::chrono::milliseconds successor_ttl{30'000}; ///< how long old-token → new-tokens records live
        std::string key_prefix{"authpp:refresh"};     ///< store keys: PREFIX:lock:{HASH}, PREFIX:succ:{HASH}
    };
    refresh_coordination_options refresh_coordination;
};

/// Zero configuration: the sandbox client and the `/callback` redirect path,
/// every other option at its default.
inline auth_options sandbox_options() {
    auth_options o;
    o.client_id = defaults::sandbox_client_id;
    o.redirect_uri = defaults::redirect_uri_path;
    return o;
}

} // namespace authpp

#include <authpp/options/environment.hpp>
