// env_config.hpp — authpp-example-server's configuration, read from the
// environment (the variables are listed in docs/examples.md). Every bad
// value is refused at start-up with a message naming the variable, never
// quoting a secret.
#pragma once

#include "redis_env.hpp"

#include <authpp/options.hpp>
#include <authpp/options/option_problem.hpp>
#include <authpp/url/url.hpp>

#include <charconv>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <variant>
#include <vector>

namespace example {

struct server_config {
    std::string host = "127.0.0.1";
    std::uint16_t port = 3000;
    unsigned threads = 1;
    std::string issuer;           ///< AUTHPP_ISSUER: run OpenID discovery at start-up
    std::string signin_params;    ///< AUTHPP_SIGNIN_PARAMS: extra authorization parameters from /login
    std::string path_prefix;      ///< AUTHPP_PATH_PREFIX: the pages' path prefix behind a proxy ("" or "/app")
    redis_env redis;              ///< AUTHPP_REDIS_URL and its TLS files: the Store; no URL: in memory
    bool database_sessions = false; ///< AUTHPP_SESSION_STRATEGY=database: the cookie is an id, tokens in the Store
    std::chrono::milliseconds request_timeout{20'000}; ///< AUTHPP_REQUEST_TIMEOUT_MS: reading one request, first byte to last
    bool access_log = true;       ///< AUTHPP_ACCESS_LOG=off: no line per request
    authpp::auth_options auth;
};

/// A getenv as a function giving string_views ("" when unset).
template <class Getenv>
auto env_reader(Getenv& getenv_fn) {
    return [&getenv_fn](const char* name) -> std::string_view {
        const char* v = getenv_fn(name);
        return v ? std::string_view(v) : std::string_view{};
    };
}

/// An on | off variable into `flag` (unset: unchanged); the message naming
/// it when it is anything else, or empty.
template <class Get>
std::string on_off_from_env(Get&& get, const char* name, bool& flag) {
    const std::string_view v = get(name);
    if (v.empty()) return {};
    if (v != "on" && v != "off") return std::string(name) + " must be on or off";
    flag = v == "on";
    return {};
}

/// "a, /b ,,c" → {"a", "/b", "c"}
inline std::vector<std::string> split_list(std::string_view s) {
    std::vector<std::string> out;
    while (!s.empty()) {
        const auto comma = s.find(',');
        auto item = s.substr(0, comma);
        while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
        while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
        if (!item.empty()) out.emplace_back(item);
        if (comma == std::string_view::npos) break;
        s.remove_prefix(comma + 1);
    }
    return out;
}

template <class Int>
std::optional<Int> parse_number(std::string_view s) {
    Int v{};
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || end != s.data() + s.size() || s.empty()) return std::nullopt;
    return v;
}

/// "host:port" or "[v6]:port".
inline bool parse_listen(std::string_view s, std::string& host, std::uint16_t& port) {
    const auto colon = s.rfind(':');
    if (colon == std::string_view::npos || colon == 0) return false;
    auto h = s.substr(0, colon);
    if (h.front() == '[') {
        if (h.size() < 3 || h.back() != ']') return false;
        h = h.substr(1, h.size() - 2);
    }
    const auto p = parse_number<std::uint16_t>(s.substr(colon + 1));
    if (!p) return false;
    host = std::string(h);
    port = *p;
    return true;
}

/// AUTH_URL decides whether cookies are Secure: an https URL yes, plain
/// http no; unset, no (the server listens on plain http). The message naming
/// the variable when it is not an absolute http(s) URL, or empty.
template <class Get>
std::string secure_from_env(Get&& get, bool& secure) {
    const std::string_view v = get("AUTH_URL");
    if (v.empty()) {
        secure = false;
        return {};
    }
    const auto u = authpp::url::parse_http_url(v);
    if (!authpp::url::is_absolute_http_url(v) || !u) return "AUTH_URL must be an absolute http:// or https:// URL";
    secure = u->tls;
    return {};
}

/// AUTHPP_LISTEN, AUTHPP_THREADS, AUTHPP_REQUEST_TIMEOUT_MS and
/// AUTHPP_ACCESS_LOG (on | off) into the arguments; the message naming the
/// wrong one, or empty.
template <class Get>
std::string listen_from_env(Get&& get, std::string& host, std::uint16_t& port, unsigned& threads,
                            std::chrono::milliseconds& request_timeout, bool& access_log) {
    if (auto l = get("AUTHPP_LISTEN"); !l.empty() && !parse_listen(l, host, port))
        return "AUTHPP_LISTEN must be host:port (e.g. 127.0.0.1:3000)";
    if (auto t = get("AUTHPP_THREADS"); !t.empty()) {
        const auto n = parse_number<unsigned>(t);
        if (!n || *n == 0 || *n > 256) return "AUTHPP_THREADS must be a number from 1 to 256";
        threads = *n;
    }
    if (auto l = get("AUTHPP_REQUEST_TIMEOUT_MS"); !l.empty()) {
        const auto n = parse_number<unsigned>(l);
        if (!n || *n < 100 || *n > 600'000) return "AUTHPP_REQUEST_TIMEOUT_MS must be milliseconds from 100 to 600000";
        request_timeout = std::chrono::milliseconds(*n);
    }
    return on_off_from_env(get, "AUTHPP_ACCESS_LOG", access_log);
}

/// A path prefix as a reverse proxy forwards it unchanged: "/app", "/a/b"
/// (a same-origin path with one '/' before each segment, none at the end, no
/// query, fragment, escape or dot segment). Refused rather than normalised:
/// "/app/" and "app" are typos whose guessed meaning could leave a page
/// unprotected.
inline bool valid_path_prefix(std::string_view p) {
    if (p.size() < 2 || p.back() == '/' || !authpp::detail::is_same_origin_path(p)) return false;
    if (p.find_first_of("?#%\\") != std::string_view::npos || p.find("//") != std::string_view::npos) return false;
    for (std::string_view rest = p.substr(1);;) { // no "." or ".." segment
        const auto slash = rest.find('/');
        const auto seg = rest.substr(0, slash);
        if (seg == "." || seg == "..") return false;
        if (slash == std::string_view::npos) return true;
        rest.remove_prefix(slash + 1);
    }
}

/// Where the middleware sends anonymous visitors: a path on this origin
/// ("/login", not "//host") or an absolute http(s) URL (another app's
/// sign-in page, e.g. the Next.js app's in front of the same origin).
inline bool valid_login_url(std::string_view u) {
    if (u.starts_with('/')) return authpp::detail::is_same_origin_path(u);
    for (const unsigned char c : u)
        if (c <= 0x20 || c >= 0x7f) return false;
    return authpp::url::is_absolute_http_url(u) && authpp::url::parse_http_url(u).has_value();
}

/// The configuration, or the message saying which variable is wrong.
template <class Getenv>
std::variant<server_config, std::string> config_from_env(Getenv&& getenv_fn) {
    server_config c;
    const auto get = env_reader(getenv_fn);
    if (auto m = listen_from_env(get, c.host, c.port, c.threads, c.request_timeout, c.access_log); !m.empty()) return m;
    if (auto m = redis_from_env(get, c.redis); !m.empty()) return m;
    if (auto l = get("AUTHPP_REFRESH_LEASE_MS"); !l.empty()) {
        const auto n = parse_number<unsigned>(l);
        if (!n || *n < 100 || *n > 600'000) return std::string("AUTHPP_REFRESH_LEASE_MS must be milliseconds from 100 to 600000");
        c.auth.refresh_coordination.lease = std::chrono::milliseconds(*n);
    }
    if (auto st = get("AUTHPP_SESSION_STRATEGY"); !st.empty()) {
        if (st == "database") c.database_sessions = true;
        else if (st != "jwt") return std::string("AUTHPP_SESSION_STRATEGY must be jwt or database");
    }
    if (auto m = on_off_from_env(get, "AUTHPP_DECODE_CACHE", c.auth.decode_cache.enabled); !m.empty()) return m;

    if (auto p = get("AUTHPP_PATH_PREFIX"); !p.empty()) {
        if (!valid_path_prefix(p)) return std::string("AUTHPP_PATH_PREFIX must be a path such as /app (no trailing '/')");
        c.path_prefix = std::string(p);
    }

    auto& o = c.auth;
    authpp::load_env(o, getenv_fn); // AUTH_SECRET(_1.._3), AUTH_URL
    if (o.secrets.empty()) return std::string("AUTH_SECRET is not set (e.g. AUTH_SECRET=$(openssl rand -base64 32))");
    if (o.base_url.empty()) o.base_url = "http://" + std::string(get("AUTHPP_LISTEN").empty() ? "127.0.0.1:3000" : get("AUTHPP_LISTEN"));
    // Behind a prefix the Auth.js actions move with the pages, unless
    // AUTH_URL names their path itself (as Auth.js reads it).
    // (load_env() took AUTH_URL's origin as base_url: anything longer but a
    // trailing '/' is a path.)
    const bool auth_url_has_path = get("AUTH_URL").size() > o.base_url.size() + 1;
    if (!c.path_prefix.empty() && !auth_url_has_path) o.base_path = c.path_prefix + o.base_path;
    o.login_url = c.path_prefix + "/login";
    if (auto l = get("AUTHPP_LOGIN_URL"); !l.empty()) {
        if (!valid_login_url(l))
            return std::string("AUTHPP_LOGIN_URL must be a path on this origin (/login) or an absolute http(s) URL");
        o.login_url = std::string(l);
    }
    o.sign_in_page = o.login_url; // GET {base_path}/signin goes there too, as Auth.js's pages.signIn

    c.issuer = std::string(get("AUTHPP_ISSUER"));
    c.signin_params = std::string(get("AUTHPP_SIGNIN_PARAMS"));
    for (char ch : c.signin_params)
        if (ch == '"' || ch == '<' || ch == '>' || ch == '#' || ch == ' ')
            return std::string("AUTHPP_SIGNIN_PARAMS must be a URL query (a=b&c=d)");
    if (!c.issuer.empty()) o.authentication_domain = c.issuer;
    if (auto d = get("AUTHPP_AUTH_DOMAIN"); !d.empty()) o.authentication_domain = std::string(d);
    o.token_endpoint = std::string(get("AUTHPP_TOKEN_ENDPOINT"));
    o.userinfo_endpoint = std::string(get("AUTHPP_USERINFO_ENDPOINT"));
    o.authorization_endpoint = std::string(get("AUTHPP_AUTHORIZATION_ENDPOINT"));
    o.client_id = std::string(get("AUTHPP_CLIENT_ID"));
    if (o.client_id.empty()) o.client_id = std::string(authpp::defaults::sandbox_client_id);
    if (auto s = get("AUTHPP_CLIENT_SECRET"); !s.empty()) o.client_secret = std::string(s);
    if (auto m = get("AUTHPP_CLIENT_AUTH"); !m.empty()) {
        if (m == "basic") o.client_auth = authpp::client_auth_method::basic;
        else if (m == "post") o.client_auth = authpp::client_auth_method::post;
        else return std::string("AUTHPP_CLIENT_AUTH must be basic or post");
    }
    if (auto s = get("AUTHPP_SCOPE"); !s.empty()) o.scope = std::string(s);
    if (auto a = get("AUTHPP_AUDIENCE"); !a.empty()) o.audience = std::string(a);
    if (auto b = get("AUTHPP_REFRESH_BUFFER_S"); !b.empty()) {
        const auto n = parse_number<std::int64_t>(b);
        if (!n || *n < 0 || *n > 86'400) return std::string("AUTHPP_REFRESH_BUFFER_S must be seconds from 0 to 86400");
        o.refresh_buffer = std::chrono::seconds(*n);
    }
    // The authorization-code flow shares the Credentials provider's id by
    // default, as the reference's client expects (/signin/immutable,
    // /callback/immutable); "off" leaves only the Credentials provider.
    if (const char* p = getenv_fn("AUTHPP_OAUTH_PROVIDER"); !p) o.oauth_provider_id = o.provider_id;
    else if (std::string_view(p) != "off") o.oauth_provider_id = p;
    o.redirect_uri = std::string(get("AUTHPP_REDIRECT_URI"));
    if (o.redirect_uri.empty())
        o.redirect_uri = o.base_url + o.base_path + "/callback/" +
                         (o.oauth_provider_id.empty() ? o.provider_id : o.oauth_provider_id);
    o.protected_paths =
        split_list(get("AUTHPP_PROTECTED").empty() ? c.path_prefix + "/dashboard" : get("AUTHPP_PROTECTED"));
    o.public_paths = split_list(get("AUTHPP_PUBLIC"));
    for (const auto& p : o.protected_paths)
        if (!p.starts_with('/')) return std::string("AUTHPP_PROTECTED: every prefix must start with '/'");
    for (const auto& p : o.public_paths)
        if (!p.starts_with('/')) return std::string("AUTHPP_PUBLIC: every prefix must start with '/'");
    if (auto ec = o.validate()) return "invalid configuration: " + ec.message();
    return c;
}

} // namespace example
