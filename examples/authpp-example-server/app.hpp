// app.hpp — authpp-example-server's routes, on asio_auth (or the same
// config with another Store):
//
//   /api/auth/*   the Auth.js actions (csrf, providers, signin, callback, session, signout, error)
//   /login        the sign-in page the middleware sends anonymous visitors to
//   /dashboard    protected by the middleware; shows the session
//   /api/me       JSON, guarded by with_auth (401 without a usable session)
//   /api/signout-everywhere  POST with the CSRF token: ends every session of
//                 the user (database strategy only)
//   /             public
//
// With AUTHPP_PATH_PREFIX (say /cpp, behind a reverse proxy that forwards
// that prefix of its origin unchanged) every page above but the actions is
// under it: /cpp/dashboard, /cpp/login; the actions' own path comes from
// AUTH_URL (default {prefix}/api/auth).
//
// Every request but the Auth.js actions goes through the middleware first,
// whose Set-Cookie values (a refreshed token) go out with the page it lets
// through.
#pragma once

#include "http_server.hpp"

#include <authpp/adapter/beast.hpp>
#include <authpp/asio.hpp>
#include <authpp/endpoints.hpp>
#include <authpp/helpers.hpp>
#include <authpp/middleware.hpp>
#include <authpp/url/form.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value_from.hpp>

#include <string>
#include <string_view>

namespace example {

namespace beast_adapter = authpp::adapter::beast;

/// Appends `s` to `out` as text for HTML element content and attribute values.
inline void append_escaped(std::string& out, std::string_view s) {
    for (char c : s) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&#39;"; break;
        default: out += c;
        }
    }
}

inline std::string html_escape(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    append_escaped(out, s);
    return out;
}

/// The first characters of a token: enough to see it change on refresh,
/// too few to use.
inline void append_abbreviated(std::string& out, const std::optional<std::string>& token) {
    if (!token) {
        out += "(none)";
        return;
    }
    append_escaped(out, std::string_view(*token).substr(0, 10));
    out += "… (";
    out += std::to_string(token->size());
    out += " chars)";
}

/// Starts an HTML page titled `title` (escaped) in res's body, with room
/// for `body_size` more bytes; the caller appends the body, then end_page().
inline std::string& begin_page(response_type& res, std::string_view title, std::size_t body_size) {
    res.set(bhttp::field::content_type, "text/html; charset=utf-8");
    auto& b = res.body();
    b.clear();
    b.reserve(128 + 2 * title.size() + body_size);
    b += "<!doctype html><html><head><meta charset=\"utf-8\"><title>";
    append_escaped(b, title);
    b += "</title></head><body><h1>";
    append_escaped(b, title);
    b += "</h1>\n";
    return b;
}

inline void end_page(std::string& b) { b += "\n</body></html>\n"; }

/// An HTML page: `title` escaped, `body` as given.
inline void page(response_type& res, std::string_view title, std::string_view body) {
    auto& b = begin_page(res, title, body.size());
    b += body;
    end_page(b);
}

/// The value of `name` in a query string, undecoded ("" when absent).
inline std::string_view query_param(std::string_view query, std::string_view name) {
    while (!query.empty()) {
        const auto amp = query.find('&');
        const auto pair = query.substr(0, amp);
        if (pair.size() > name.size() && pair.starts_with(name) && pair[name.size()] == '=')
            return pair.substr(name.size() + 1);
        if (amp == std::string_view::npos) break;
        query.remove_prefix(amp + 1);
    }
    return {};
}

/// %XX and '+' decoding; a malformed escape is kept as it is.
inline std::string url_decode(std::string_view s) { return authpp::url::form_decode(s); }

template <class Config>
class app {
public:
    /// `signin_params`: a query added to the sign-in action, which Auth.js
    /// passes on to the authorization URL (e.g. prompt=consent).
    /// `prefix`: the pages' path prefix ("" or e.g. "/cpp", AUTHPP_PATH_PREFIX).
    app(Config& auth, std::string signin_params, std::string prefix = {})
        : auth_(auth), signin_params_(std::move(signin_params)), prefix_(std::move(prefix)) {}

    asio::awaitable<void> operator()(const request_type& req, response_type& res) {
        std::string cookie_storage;
        const authpp::http::server_request in = beast_adapter::to_server_request(req, cookie_storage);
        if (authpp::is_auth_request(auth_.options(), in.path())) {
            auto out = co_await authpp::async_handle_auth_request(auth_, in, asio::use_awaitable);
            beast_adapter::apply_response(out, res);
            co_return;
        }

        auto decision = co_await authpp::async_middleware(auth_, in, asio::use_awaitable);
        if (!beast_adapter::apply_decision(decision, res)) co_return;
        // Routed on the path the middleware decided for, never on the raw
        // target: "//dashboard" is then not the dashboard here either.
        std::string_view path = decision.path;
        if (!prefix_.empty()) { // only what is under the prefix is ours
            if (path == prefix_) path = "/";
            else if (path.starts_with(prefix_) && path[prefix_.size()] == '/') path.remove_prefix(prefix_.size());
            else path = {};
        }

        if (path == "/") {
            const std::string p = html_escape(prefix_), actions = html_escape(auth_.options().base_path);
            page(res, "authpp example", "<p>A public page. <a href=\"" + p + "/dashboard\">Dashboard</a> (protected), <a href=\"" +
                                            p + "/api/me\">" + p + "/api/me</a> (JSON), <a href=\"" + actions + "/session\">" +
                                            actions + "/session</a>.</p>");
        } else if (path == "/login") {
            login_page(res, url_decode(query_param(in.query(), "returnTo")), url_decode(query_param(in.query(), "error")));
        } else if (path == "/dashboard") {
            dashboard(res, decision.session);
        } else if (path == "/api/signout-everywhere") {
            co_await signout_everywhere(in, res);
        } else if (path == "/api/me") {
            std::optional<authpp::session> session = std::move(decision.session);
            if (!session) {
                // The middleware resolves sessions on protected paths only.
                auto r = co_await authpp::async_resolve(auth_, std::string(in.cookie), asio::use_awaitable);
                beast_adapter::add_set_cookies(res, r.set_cookies);
                session = std::move(r.session);
            }
            me(res, std::move(session));
        } else {
            res.result(bhttp::status::not_found);
            page(res, "Not found", "<p>No such page.</p>");
        }
    }

private:
    /// A form posting to the Auth.js sign-in action; the CSRF token comes
    /// from GET /api/auth/csrf, as next-auth/react's signIn() gets it.
    void login_page(response_type& res, const std::string& return_to, const std::string& error) {
        const auto& o = auth_.options();
        const std::string provider = o.oauth_provider_id.empty() ? o.provider_id : o.oauth_provider_id;
        std::string body;
        if (!error.empty()) body += "<p>Sign-in needed again: " + html_escape(error) + "</p>\n";
        body += "<form id=\"signin\" method=\"post\" action=\"" + html_escape(o.base_path) + "/signin/" +
                html_escape(provider) + (signin_params_.empty() ? "" : "?" + html_escape(signin_params_)) +
                "\">\n<input type=\"hidden\" name=\"csrfToken\">\n"
                "<input type=\"hidden\" name=\"callbackUrl\" value=\"" + html_escape(return_to.empty() ? prefix_ + "/dashboard" : return_to) +
                "\">\n<button>Sign in</button>\n</form>\n";
        csrf_script(body);
        page(res, "Sign in", body);
    }

    /// Fills the page's csrfToken field from GET {base_path}/csrf, as
    /// next-auth/react's signIn() and signOut() get it.
    void csrf_script(std::string& b) const {
        b += "<script>fetch('";
        append_escaped(b, auth_.options().base_path);
        b += "/csrf').then(r => r.json()).then(j => { document.querySelector('[name=csrfToken]').value = j.csrfToken; });"
             "</script>";
    }

    void dashboard(response_type& res, const std::optional<authpp::session>& s) {
        if (!s) { // the middleware let an anonymous request through: the path is public too
            const std::string p = html_escape(prefix_);
            page(res, "Dashboard", "<p>Not signed in. <a href=\"" + p + "/login?returnTo=" + p + "%2Fdashboard\">Sign in</a></p>");
            return;
        }
        // One buffer, the response's own: this page is what load.sh measures.
        auto& b = begin_page(res, "Dashboard", 800);
        b += "<dl>\n<dt>user</dt><dd id=\"sub\">";
        append_escaped(b, s->user.sub);
        b += "</dd>\n<dt>email</dt><dd id=\"email\">";
        append_escaped(b, s->user.email.value_or(""));
        b += "</dd>\n<dt>session expires</dt><dd>";
        append_escaped(b, s->expires);
        b += "</dd>\n<dt>access token</dt><dd id=\"access-token\">";
        append_abbreviated(b, s->access_token);
        b += "</dd>\n<dt>access token expires (ms)</dt><dd id=\"access-token-expires\">";
        b += s->access_token_expires ? std::to_string(*s->access_token_expires) : std::string("?");
        b += "</dd>\n<dt>error</dt><dd id=\"error\">";
        append_escaped(b, s->error.value_or(""));
        b += "</dd>\n</dl>\n<form method=\"post\" action=\"";
        append_escaped(b, auth_.options().base_path);
        b += "/signout\"><input type=\"hidden\" name=\"csrfToken\"><button id=\"signout\">Sign out</button></form>";
        csrf_script(b);
        end_page(b);
    }

    /// Sign-out everywhere: with the database strategy every stored session
    /// of the user is refused from now on (the codec bumps the user's
    /// generation). A POST carrying the CSRF token, as the Auth.js actions.
    asio::awaitable<void> signout_everywhere(const authpp::http::server_request& in, response_type& res) {
        namespace ep = authpp::endpoints;
        const auto& o = auth_.options();
        res.set(bhttp::field::content_type, "application/json");
        auto fail = [&](bhttp::status st, std::string_view why) {
            res.result(st);
            res.body() = boost::json::serialize(boost::json::object{{"error", why}});
        };
        if (in.method != "POST") co_return fail(bhttp::status::method_not_allowed, "POST only");
        auto form = ep::parse_form(in.body);
        auto csrf = ep::check_csrf(ep::request_cookie(in.cookie, ep::cookie_names(o.secure_cookies()).csrf), o.secrets,
                                   true, form ? form->get("csrfToken") : std::nullopt);
        if (!csrf || !csrf->verified) co_return fail(bhttp::status::forbidden, "MissingCSRF");
        if constexpr (authpp::SessionStoreCodec<typename Config::codec_type>) {
            auto r = co_await authpp::async_resolve(auth_, std::string(in.cookie), asio::use_awaitable);
            if (!r.session) co_return fail(bhttp::status::unauthorized, "Unauthorized");
            // One Store write; through the asynchronous Store when there is one
            // (the I/O thread never waits on Redis).
            auto op = auth_.codec().end_all_sessions_op(r.session->user.sub);
            bool stored = false;
            if (op) {
                using store_type = std::remove_reference_t<decltype(auth_.store())>;
                auto ex = co_await asio::this_coro::executor;
                if constexpr (authpp::AsyncStore<store_type, decltype(ex)>) {
                    auto [ec, ok] = co_await auth_.store().async_set(ex, op->key, op->value, op->ttl,
                                                                     asio::as_tuple(asio::use_awaitable));
                    stored = !ec && ok;
                } else {
                    stored = authpp::flow::perform(auth_.store(), *op).ok;
                }
            }
            if (!stored) co_return fail(bhttp::status::service_unavailable, "StoreUnavailable");
            if (auto lines = authpp::cookie::write_session_cookie(o.session_cookie(), "", o.session_cookie_options(), in.cookie))
                beast_adapter::add_set_cookies(res, *lines);
            res.body() = R"({"ok":true})";
        } else {
            fail(bhttp::status::not_implemented, "sign-out everywhere needs AUTHPP_SESSION_STRATEGY=database");
        }
    }

    static void me(response_type& res, std::optional<authpp::session> session) {
        res.set(bhttp::field::content_type, "application/json");
        auto handler = authpp::with_auth([&] { return session; }, [](const authpp::session& s) {
            boost::json::object o;
            o["user"] = boost::json::value_from(s).as_object()["user"];
            if (s.access_token_expires) o["accessTokenExpires"] = *s.access_token_expires;
            if (s.error) o["error"] = *s.error;
            return boost::json::serialize(o);
        });
        try {
            res.body() = handler();
        } catch (const authpp::unauthorized_error& e) {
            res.result(bhttp::status::unauthorized);
            res.body() = boost::json::serialize(boost::json::object{{"error", "Unauthorized"}, {"message", e.what()}});
        }
    }

    Config& auth_;
    std::string signin_params_;
    std::string prefix_;
};

} // namespace example
