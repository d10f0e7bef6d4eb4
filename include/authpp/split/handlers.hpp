// authpp/split/handlers.hpp — how mode split speaks to its backend (sans
// I/O): for login, refresh and logout, a request builder, and for login and
// refresh a parser of the answer's body. The reference calls them
// serverHandlers; its Directus preset is directus_handlers(url):
//
//   login    POST {url}/auth/login    {"email":…,"password":…}
//   refresh  POST {url}/auth/refresh  {"refresh_token":…}
//   logout   POST {url}/auth/logout   {"refresh_token":…}
//   answer   {"data":{"access_token":…,"expires":<ms>,"refresh_token":…}}
//
// json_handlers() is the same with other paths and JSON pointers; users
// with another backend write their own handlers.
#pragma once

#include <authpp/error.hpp>
#include <authpp/http/message.hpp>
#include <authpp/options/option_problem.hpp>
#include <authpp/url/url.hpp>

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <cmath>
#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

namespace authpp::split {

/// What a login or a refresh gives: two tokens and the access token's
/// lifetime.
struct session_tokens {
    std::string access_token;
    std::string refresh_token;
    std::int64_t lifetime_ms = 0; ///< the backend's `expires`: milliseconds from now
};

/// A body → tokens, or nullopt when it holds no usable set.
using token_parser = std::function<std::optional<session_tokens>(std::string_view body)>;

struct login_handler {
    std::function<http::request(std::string_view email, std::string_view password)> request;
    token_parser parse;
};
struct refresh_handler {
    std::function<http::request(std::string_view refresh_token)> request;
    token_parser parse;
};
struct logout_handler {
    std::function<http::request(std::string_view refresh_token)> request; ///< any 2xx answer is success
};

struct handlers {
    login_handler login;
    refresh_handler refresh;
    logout_handler logout;

    /// Whether every member is set.
    bool complete() const noexcept {
        return login.request && login.parse && refresh.request && refresh.parse && logout.request;
    }
};

/// The longest lifetime taken from a backend (ten years); longer is no
/// lifetime (it would overflow the dates written from it).
inline constexpr std::int64_t max_lifetime_ms = 10LL * 366 * 24 * 3600 * 1000;

/// `base` + `path` with one '/' between them; `scheme://` stays intact
/// (the reference's joiner turns "http://h" into "http:/h").
inline std::string join_url(std::string_view base, std::string_view path) {
    while (base.ends_with('/')) base.remove_suffix(1);
    while (path.starts_with('/')) path.remove_prefix(1);
    std::string u(base);
    u += '/';
    u.append(path);
    return u;
}

/// A JSON answer's tokens at three JSON pointers: access and refresh token
/// non-empty strings, the lifetime a positive number of milliseconds (at
/// most max_lifetime_ms). Anything else — not JSON, a member missing or of
/// another type — is nullopt.
inline std::optional<session_tokens> read_tokens(std::string_view body, std::string_view access_pointer,
                                                 std::string_view refresh_pointer, std::string_view expires_pointer) {
    boost::json::parse_options po;
    po.max_depth = 32;
    error_code ec;
    const boost::json::value doc = boost::json::parse(body, ec, {}, po);
    if (ec) return std::nullopt;
    const auto text = [&](std::string_view ptr) -> std::optional<std::string> {
        error_code pec;
        const auto* v = doc.find_pointer(ptr, pec);
        if (!v || !v->is_string() || v->get_string().empty()) return std::nullopt;
        return std::string(v->get_string());
    };
    auto access = text(access_pointer);
    auto refresh = text(refresh_pointer);
    error_code pec;
    const auto* e = doc.find_pointer(expires_pointer, pec);
    if (!access || !refresh || !e) return std::nullopt;
    std::int64_t ms = 0;
    if (e->is_int64()) ms = e->get_int64();
    else if (e->is_uint64()) ms = e->get_uint64() > static_cast<std::uint64_t>(max_lifetime_ms) ? -1 : static_cast<std::int64_t>(e->get_uint64());
    else if (e->is_double() && std::isfinite(e->get_double()) && e->get_double() >= 1 &&
             e->get_double() <= static_cast<double>(max_lifetime_ms))
        ms = static_cast<std::int64_t>(e->get_double());
    if (ms <= 0 || ms > max_lifetime_ms) return std::nullopt;
    return session_tokens{std::move(*access), std::move(*refresh), ms};
}

/// Where a JSON backend lives and how its answers are read.
struct json_handler_options {
    std::string url; ///< the backend's base, absolute http(s)
    std::string login_path = "/auth/login";
    std::string refresh_path = "/auth/refresh";
    std::string logout_path = "/auth/logout";
    std::string access_pointer = "/data/access_token";   ///< RFC 6901 JSON pointers into the answer
    std::string refresh_pointer = "/data/refresh_token";
    std::string expires_pointer = "/data/expires";

    std::optional<option_problem> validate() const {
        if (url.empty()) return option_problem{"url", "is required"};
        if (!url::parse_http_url(url) || url.find_first_of("?#") != std::string::npos)
            return option_problem{"url", "must be an absolute http:// or https:// URL without query"};
        const std::pair<const char*, const std::string*> paths[] = {
            {"login_path", &login_path}, {"refresh_path", &refresh_path}, {"logout_path", &logout_path}};
        for (const auto& [name, p] : paths)
            if (p->empty() || !url::parse_http_url(join_url(url, *p)) || p->find_first_of("?#") != std::string::npos)
                return option_problem{name, "must be a path on the backend"};
        const std::pair<const char*, const std::string*> pointers[] = {{"access_pointer", &access_pointer},
                                                                       {"refresh_pointer", &refresh_pointer},
                                                                       {"expires_pointer", &expires_pointer}};
        for (const auto& [name, p] : pointers)
            if (!is_json_pointer(*p)) return option_problem{name, "must be a JSON pointer starting with '/'"};
        return std::nullopt;
    }

    /// RFC 6901: '/' before every token, '~' only as "~0" or "~1".
    static bool is_json_pointer(std::string_view p) noexcept {
        if (!p.starts_with('/')) return false;
        for (std::size_t i = 0; i < p.size(); ++i)
            if (p[i] == '~' && (i + 1 == p.size() || (p[i + 1] != '0' && p[i + 1] != '1'))) return false;
        return true;
    }
};

namespace detail {
inline http::request json_post(std::string url, const boost::json::object& body) {
    http::request r;
    r.method = "POST";
    r.url = std::move(url);
    r.headers = {{"Content-Type", "application/json"}, {"Accept", "application/json"}};
    r.body = boost::json::serialize(body);
    return r;
}
} // namespace detail

/// Handlers for a JSON backend: POST JSON bodies as the Directus preset
/// does, answers read at the options' pointers. Throws std::invalid_argument
/// naming the wrong option.
inline handlers json_handlers(json_handler_options o) {
    if (auto p = o.validate()) throw std::invalid_argument("authpp split handler option " + p->option + ": " + p->why);
    handlers h;
    auto login_url = join_url(o.url, o.login_path), refresh_url = join_url(o.url, o.refresh_path),
         logout_url = join_url(o.url, o.logout_path);
    h.login.request = [u = std::move(login_url)](std::string_view email, std::string_view password) {
        return detail::json_post(u, {{"email", email}, {"password", password}});
    };
    h.refresh.request = [u = std::move(refresh_url)](std::string_view token) {
        return detail::json_post(u, {{"refresh_token", token}});
    };
    h.logout.request = [u = std::move(logout_url)](std::string_view token) {
        return detail::json_post(u, {{"refresh_token", token}});
    };
    h.login.parse = [a = o.access_pointer, r = o.refresh_pointer, e = o.expires_pointer](std::string_view body) {
        return read_tokens(body, a, r, e);
    };
    h.refresh.parse = h.login.parse;
    return h;
}

/// The reference's createDirectusHandlers({url}).
inline handlers directus_handlers(std::string url) {
    json_handler_options o;
    o.url = std::move(url);
    return json_handlers(std::move(o));
}

/// What a backend's answer is, before its body is read.
enum class answer { ok, refused, unavailable };

/// 2xx → ok; a 4xx other than 408 and 429 → refused (definitive); no answer,
/// a time-out, 3xx, 5xx, 408, 429 → unavailable (transient: nobody is logged
/// out for it).
constexpr answer classify(const error_code& ec, int status) noexcept {
    if (ec) return answer::unavailable;
    if (status >= 200 && status < 300) return answer::ok;
    if (status >= 400 && status < 500 && status != 408 && status != 429) return answer::refused;
    return answer::unavailable;
}

} // namespace authpp::split
