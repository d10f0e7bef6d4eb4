// authpp/endpoints/actions/context.hpp — what every Auth.js action works
// with: the request as Auth.js's init() reads it (base URL, query and body,
// the double-submit CSRF check, the resolved callbackUrl, the cookies either
// sets) and the response the action builds (JSON, HTML, a redirect, or the
// catch-all's error redirect without the cookies gathered so far).
// endpoints::action_flow (<authpp/endpoints/action_flow.hpp>) owns one and
// hands it to the action it runs; its tests are that header's.
#pragma once

#include <authpp/endpoints/action.hpp>
#include <authpp/endpoints/cookies.hpp>
#include <authpp/endpoints/csrf.hpp>
#include <authpp/endpoints/form.hpp>
#include <authpp/endpoints/redirect.hpp>
#include <authpp/error.hpp>
#include <authpp/http/message.hpp>
#include <authpp/http/server_message.hpp>
#include <authpp/options.hpp>
#include <authpp/url/form.hpp>

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace authpp::endpoints {

namespace detail {

inline bool icontains(std::string_view s, std::string_view needle) noexcept {
    if (needle.size() > s.size()) return false;
    for (std::size_t i = 0; i + needle.size() <= s.size(); ++i)
        if (http::iequals(s.substr(i, needle.size()), needle)) return true;
    return false;
}

inline bool valid_host(std::string_view h) noexcept {
    if (h.empty() || h.size() > 255) return false;
    for (char c : h)
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' ||
              c == ':' || c == '[' || c == ']'))
            return false;
    return true;
}

inline std::string with_query(std::string url, std::string_view name, std::string_view value) {
    url += url.find('?') == std::string::npos ? '?' : '&';
    url::append_form_field(url, name, value);
    return url;
}

inline std::string html_page(std::string_view title, std::string_view inner) {
    std::string s = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"UTF-8\"><meta name=\"viewport\" "
                    "content=\"width=device-width, initial-scale=1.0\"><title>";
    s.append(title).append("</title></head><body><div class=\"page\">").append(inner).append("</div></body></html>");
    return s;
}

} // namespace detail

/// One action's request and response. The request's views must outlive it;
/// the Config too. Every response member marks the action answered.
template <class Config>
struct action_context {
    action_context(Config& c, const http::server_request& r) : cfg(c), o(c.options()), req(r) {}

    // ---- request reading and Auth.js's init() ------------------------------

    /// Reads the request and runs Auth.js's init(): the action the path
    /// names, or nullopt when init() has answered already (400, 500).
    std::optional<parsed_action> init() {
        const bool get = req.method == "GET", post = req.method == "POST";
        const auto pa = parse_action(req.path(), o.base_path);
        if ((!get && !post) || !pa) return bad_request();
        if (o.secrets.empty()) return configuration_error();
        if (!o.base_url.empty()) {
            std::string_view b = o.base_url;
            while (!b.empty() && b.back() == '/') b.remove_suffix(1);
            base_url = std::string(b);
        } else {
            if (!detail::valid_host(req.host)) return bad_request();
            base_url = std::string(o.use_secure_cookies.value_or(false) ? "https://" : "http://") +
                       std::string(req.host);
        }
        auto q = parse_form(req.query());
        if (!q) return bad_request();
        query = std::move(*q);
        if (post && !read_body()) return bad_request();
        secure = o.secure_cookies();
        names = cookie_names(secure);
        provider = std::string(pa->provider);

        auto checked = check_csrf(request_cookie(req.cookie, names.csrf), o.secrets, post, body.get("csrfToken"));
        if (!checked) return configuration_error();
        csrf = std::move(*checked);
        if (csrf.cookie) add_cookie(auth_set_cookie(names.csrf, *csrf.cookie, auth_cookie_options(secure)));

        const auto cookie_url = request_cookie(req.cookie, names.callback_url);
        auto param = body.get("callbackUrl");
        if (!param) param = query.get("callbackUrl");
        callback_url = base_url;
        if (param && !param->empty())
            callback_url = resolve_redirect(o, *param, base_url);
        else if (cookie_url && !cookie_url->empty())
            callback_url = resolve_redirect(o, *cookie_url, base_url);
        if (!cookie_url || callback_url != *cookie_url)
            add_cookie(auth_set_cookie(names.callback_url, callback_url, auth_cookie_options(secure)));
        return pa;
    }

    // ---- responses ------------------------------------------------------------

    void add_cookie(authpp::result<std::string> line) {
        if (line) cookies.push_back(std::move(*line));
    }

    void json(int status, std::string body_text, bool no_cache, bool with_cookies) {
        answered = true;
        out = {};
        out.status = status;
        out.add_header("Content-Type", "application/json");
        if (no_cache) {
            out.add_header("Cache-Control", "private, no-cache, no-store");
            out.add_header("Expires", "0");
            out.add_header("Pragma", "no-cache");
        }
        if (with_cookies) emit_cookies();
        out.body = std::move(body_text);
    }

    void html(int status, std::string_view title, std::string_view inner) {
        answered = true;
        out = {};
        out.status = status;
        out.add_header("Content-Type", "text/html");
        emit_cookies();
        out.body = detail::html_page(title, inner);
    }

    // A redirect with the cookies gathered so far; next-auth/react's fetches
    // (X-Auth-Return-Redirect) get it as JSON {url} with the same headers.
    void redirect(std::string url) {
        answered = true;
        if (!url_as_json(url)) out.status = 302;
        emit_cookies();
        out.add_header("Location", std::move(url));
    }

    // Auth.js's catch-all: to the page for the error's kind with its type,
    // without any of the cookies gathered so far.
    void fail(std::string_view type, std::string_view kind, std::string_view code = {}) {
        answered = true;
        cookies.clear();
        std::string page = kind == "signIn" ? (o.sign_in_page.empty() ? o.base_path + "/signin" : o.sign_in_page)
                                            : (o.error_page.empty() ? o.base_path + "/error" : o.error_page);
        auto url = detail::with_query(page.starts_with('/') ? base_url + page : page, "error", type);
        if (!code.empty()) url = detail::with_query(std::move(url), "code", code);
        if (url_as_json(url)) return;
        out.status = 302;
        out.add_header("Location", std::move(url));
    }

    Config& cfg;
    const auth_options& o;
    http::server_request req;
    bool secure = false;
    bool answered = false; ///< the response is written: the action is over
    std::string base_url;
    std::string provider;
    auth_cookie_names names;
    form_fields query;
    form_fields body;
    std::unique_ptr<boost::json::value> data; ///< a JSON body's `data` (a session update's)
    csrf_state csrf;
    std::string callback_url;
    std::vector<std::string> cookies; ///< Set-Cookie values gathered for the response
    http::server_response out;

private:
    // init()'s refusals.
    std::nullopt_t bad_request() {
        cookies.clear();
        json(400, "\"Bad request.\"", false, false);
        return std::nullopt;
    }

    std::nullopt_t configuration_error() {
        cookies.clear();
        json(500,
             "{\"message\":\"There was a problem with the server configuration. Check the server logs for more "
             "information.\"}",
             false, false);
        return std::nullopt;
    }

    // Auth.js's getBody(): JSON or form by Content-Type, else no body.
    bool read_body() {
        if (detail::icontains(req.content_type, "application/json")) {
            if (req.body.size() > form_limits{}.max_size) return false;
            error_code ec;
            auto v = boost::json::parse(req.body, ec);
            if (ec) return false;
            if (!v.is_object()) return true;
            for (const auto& kv : v.get_object()) {
                if (kv.key() == "data")
                    data = std::make_unique<boost::json::value>(kv.value());
                else if (kv.value().is_string())
                    body.set(std::string(kv.key()), std::string(kv.value().get_string()));
            }
            return true;
        }
        if (detail::icontains(req.content_type, "application/x-www-form-urlencoded")) {
            auto f = parse_form(req.body);
            if (!f) return false;
            body = std::move(*f);
        }
        return true;
    }

    void emit_cookies() {
        for (auto& c : cookies) out.add_header("Set-Cookie", std::move(c));
        cookies.clear();
    }

    // Starts a fresh response; with X-Auth-Return-Redirect it is 200 JSON {url}.
    bool url_as_json(const std::string& url) {
        out = {};
        if (req.x_auth_return_redirect.empty()) return false;
        out.status = 200;
        out.add_header("Content-Type", "application/json");
        boost::json::object b;
        b["url"] = url;
        out.body = boost::json::serialize(b);
        return true;
    }
};

} // namespace authpp::endpoints
