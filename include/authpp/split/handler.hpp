// authpp/split/handler.hpp — the reference's ServerAuth.handler as a
// sans-I/O flow: the three routes under the base path.
//
//   POST {base}/login    JSON or form {email, password} → 200 {"accessToken","expires"} + the cookies
//   GET  {base}/refresh  the refresh cookie redeemed (coordinated per token) → 200 as login
//   GET  {base}/logout   the backend told → 200 {"message":"OK"} + clearing
//   anything else under the base → 404 {"message":"Not found"}
//
// Answers are JSON, sent with `Cache-Control: no-store`; `expires` is the
// milliseconds until the access token expires. The refresh token never
// appears in a body. Refused (401) and failed (503) are told apart: a
// backend that is down logs nobody out. A login or logout a browser says
// another site started (`Sec-Fetch-Site: cross-site`: a form another site
// submits, a link to the logout) is refused with 403 {"message":"Forbidden"}
// — the reference has no defence against login or logout CSRF.
#pragma once

#include <authpp/cookie/cookie_header.hpp>
#include <authpp/error.hpp>
#include <authpp/flow/step.hpp>
#include <authpp/http/message.hpp>
#include <authpp/oauth/refresh.hpp>
#include <authpp/split/context.hpp>
#include <authpp/split/cookies.hpp>
#include <authpp/url/form.hpp>

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace authpp::split {

/// What a handler reads of a request.
struct handler_request {
    std::string_view method = "GET";
    std::string_view target;       ///< path and query
    std::string_view cookie;       ///< the Cookie header (several joined with "; ")
    std::string_view content_type; ///< of the body
    std::string_view body;
    std::string_view fetch_site;   ///< the Sec-Fetch-Site header, when the browser sent one
};

/// A handler's answer: send it with `Content-Type: application/json` and
/// `Cache-Control: no-store`, every Set-Cookie value, and
/// `Clear-Site-Data: "cookies"` when clear_site_data is set.
struct reply {
    int status = 200;
    std::string body;
    std::vector<std::string> set_cookies;
    bool clear_site_data = false;
};

inline constexpr std::string_view clear_site_data_value = "\"cookies\"";

/// Whether `target` is under the base path (the handlers answer it).
inline bool under_base(const split_options& o, std::string_view target) noexcept {
    const auto path = target.substr(0, target.find_first_of("?#"));
    return path.starts_with(o.base_path) &&
           (path.size() == o.base_path.size() || path[o.base_path.size()] == '/');
}

/// The email and password of a login body: JSON, or a form, with both
/// non-empty strings; nullopt for anything else.
inline std::optional<std::pair<std::string, std::string>> read_credentials(std::string_view content_type,
                                                                           std::string_view body) {
    const auto media = cookie::detail::trim_ows(content_type.substr(0, content_type.find(';')));
    std::string email, password;
    if (http::iequals(media, "application/json")) {
        boost::json::parse_options po;
        po.max_depth = 8;
        error_code ec;
        const auto v = boost::json::parse(body, ec, {}, po);
        if (ec || !v.is_object()) return std::nullopt;
        const auto* e = v.get_object().if_contains("email");
        const auto* p = v.get_object().if_contains("password");
        if (!e || !p || !e->is_string() || !p->is_string()) return std::nullopt;
        email = e->get_string();
        password = p->get_string();
    } else if (http::iequals(media, "application/x-www-form-urlencoded")) {
        const auto fields = url::parse_form_fields(body, 64);
        if (!fields) return std::nullopt;
        bool have_email = false, have_password = false;
        for (const auto& [name, value] : *fields) {
            if (name == "email" && !have_email) email = value, have_email = true;
            else if (name == "password" && !have_password) password = value, have_password = true;
        }
    } else {
        return std::nullopt;
    }
    if (email.empty() || password.empty()) return std::nullopt;
    return std::pair{std::move(email), std::move(password)};
}

namespace detail {
inline std::string message_body(std::string_view message) {
    return boost::json::serialize(boost::json::object{{"message", message}});
}
} // namespace detail

class handler_flow {
public:
    handler_flow(const context& cx, const handler_request& req, std::int64_t now_ms) : cx_(&cx), now_ms_(now_ms) {
        const auto& o = cx.options;
        const auto path = req.target.substr(0, req.target.find_first_of("?#"));
        const auto route = under_base(o, path) ? path.substr(o.base_path.size()) : std::string_view{};
        if (route == "/login") {
            login(req);
        } else if (route == "/refresh" || route == "/logout") {
            from_cookie(req, route == "/refresh");
        } else {
            finish(404, "Not found");
        }
    }

    flow::step next() const {
        switch (stage_) {
        case stage::login:
        case stage::logout: return flow::step::send(http_);
        case stage::refresh: return flow::step::redeem(http_, refresh_token_, {&read_refresh, cx_});
        case stage::done: break;
        }
        return flow::step::finished();
    }

    void on_response(const error_code& ec, const http::response& r) {
        if (stage_ == stage::login) {
            auto got = read_issued(cx_->options, cx_->backend.login.parse, ec, r);
            if (got.what == answer::refused) return finish(401, "Not authorized");
            if (got.what == answer::unavailable) return finish(503, "Service unavailable");
            return start(got.tokens->access_token, got.tokens->refresh_token, now_ms_ + got.tokens->lifetime_ms);
        }
        if (stage_ == stage::logout) {
            const auto what = classify(ec, r.status);
            if (what == answer::ok) return end_session(200, "OK");
            return end_session(what == answer::refused ? 401 : 503,
                               what == answer::refused ? "Not authorized" : "Service unavailable");
        }
    }
    void on_store(flow::store_answer) {}
    void on_refresh(const oauth::refresh_result& r) {
        if (stage_ != stage::refresh) return;
        if (r.ok()) return start(r.tokens->access_token, r.tokens->refresh_token, r.tokens->access_token_expires);
        if (r.transient()) return finish(503, "Service unavailable");
        end_session(401, "Not authorized");
    }

    bool done() const noexcept { return stage_ == stage::done; }
    reply result() && { return std::move(out_); }

private:
    enum class stage { login, refresh, logout, done };

    // GET {base}/refresh and {base}/logout: the refresh cookie is what they send.
    void from_cookie(const handler_request& req, bool refresh) {
        if (req.method != "GET") return finish(400, "Invalid request");
        if (!refresh && req.fetch_site == "cross-site") return finish(403, "Forbidden");
        const auto cookies = read_cookies(cx_->options, req.cookie);
        if (!cookies.refresh) return end_session(401, "Not authorized");
        refresh_token_ = std::string(*cookies.refresh);
        http_ = refresh ? cx_->backend.refresh.request(refresh_token_) : cx_->backend.logout.request(refresh_token_);
        stage_ = refresh ? stage::refresh : stage::logout;
    }

    void login(const handler_request& req) {
        if (req.method != "POST" || req.body.size() > cx_->options.max_body_bytes) return finish(400, "Wrong payload");
        if (req.fetch_site == "cross-site") return finish(403, "Forbidden");
        auto creds = read_credentials(req.content_type, req.body);
        if (!creds) return finish(400, "Wrong payload");
        http_ = cx_->backend.login.request(creds->first, creds->second);
        stage_ = stage::login;
    }

    // A session begins (or goes on): 200 with the access token and its
    // remaining lifetime, and the three cookies.
    void start(const std::string& access, const std::string& refresh, std::int64_t expiry_ms) {
        auto cookies = session_cookies(cx_->options, access, refresh, expiry_ms);
        if (!cookies) return finish(503, "Service unavailable");
        out_.status = 200;
        out_.body = boost::json::serialize(boost::json::object{
            {"accessToken", access}, {"expires", expiry_ms > now_ms_ ? expiry_ms - now_ms_ : 0}});
        out_.set_cookies = std::move(*cookies);
        stage_ = stage::done;
    }

    void end_session(int status, std::string_view message) {
        finish(status, message);
        out_.set_cookies = clearing_cookies(cx_->options);
        out_.clear_site_data = true;
    }

    void finish(int status, std::string_view message) {
        out_.status = status;
        out_.body = detail::message_body(message);
        stage_ = stage::done;
    }

    const context* cx_;
    std::int64_t now_ms_;
    stage stage_ = stage::done;
    std::string refresh_token_;
    http::request http_;
    reply out_;
};

} // namespace authpp::split
