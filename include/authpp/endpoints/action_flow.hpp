// authpp/endpoints/action_flow.hpp — one Auth.js REST action, sans I/O.
//
// Built from a server_request, the flow runs every step it can at once and
// says through next() what it still waits for (a refresh, userinfo, a code
// exchange; <authpp/flow/step.hpp>), like the session flow it wraps. When done, result() is the whole response: status, headers (each
// Set-Cookie its own entry) and body, with Auth.js 0.41's wire behaviour:
//   * every action first checks the double-submit CSRF cookie and resolves
//     callbackUrl (body, else query, else the callback-url cookie) through
//     the redirect callback, setting either cookie when it changes;
//   * POSTs to session, signin, signout and the credentials callback need a
//     verified CSRF token; a refused POST /session answers 400 `null`, the
//     others redirect to the sign-in page with ?error=MissingCSRF;
//   * errors redirect (or, with X-Auth-Return-Redirect, answer JSON {url})
//     to the sign-in or error page with Auth.js's client-safe error type,
//     and send no cookies, as Auth.js's catch-all does.
// The request's views must outlive the flow; the Config too.
#pragma once

#include <authpp/concepts/cookie_codec.hpp>
#include <authpp/core/credentials_flow.hpp>
#include <authpp/core/session_flow.hpp>
#include <authpp/detail/json_truthy.hpp>
#include <authpp/crypto/random.hpp>
#include <authpp/crypto/secure_erase.hpp>
#include <authpp/detail/time_arith.hpp>
#include <authpp/endpoints/action.hpp>
#include <authpp/endpoints/cookies.hpp>
#include <authpp/endpoints/csrf.hpp>
#include <authpp/endpoints/form.hpp>
#include <authpp/endpoints/oauth_code.hpp>
#include <authpp/endpoints/pkce.hpp>
#include <authpp/endpoints/redirect.hpp>
#include <authpp/http/server_message.hpp>
#include <authpp/oauth/credentials.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value_from.hpp>

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

// The status Auth.js's built-in error page answers with.
inline int error_page_status(std::string_view type) noexcept {
    if (type == "Configuration") return 500;
    if (type == "AccessDenied" || type == "Verification") return 403;
    return 200;
}

inline std::string html_page(std::string_view title, std::string_view inner) {
    std::string s = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"UTF-8\"><meta name=\"viewport\" "
                    "content=\"width=device-width, initial-scale=1.0\"><title>";
    s.append(title).append("</title></head><body><div class=\"page\">").append(inner).append("</div></body></html>");
    return s;
}

} // namespace detail

template <class Config>
class action_flow {
    using codec_type = typename Config::codec_type;
    using session_flow_type = core::session_flow<codec_type>;
    using credentials_flow_type = core::credentials_flow<codec_type>;

public:
    action_flow(Config& cfg, const http::server_request& req) : cfg_(cfg), o_(cfg.options()), req_(req) { start(); }

    /// What the flow waits for (<authpp/flow/step.hpp>): the wrapped session
    /// or credentials flow's step, a code or userinfo exchange, or nothing.
    flow::step next() const noexcept {
        switch (stage_) {
        case stage::session:
        case stage::oauth_session: return session_->next();
        case stage::credentials: return credentials_->next();
        case stage::code_exchange:
        case stage::userinfo: return flow::step::send(*exchange_);
        case stage::sign_out_store: return flow::step::call(*store_op_);
        case stage::done: break;
        }
        return flow::step::finished();
    }

    void on_response(const error_code& ec, const http::response& resp) {
        switch (stage_) {
        case stage::session:
        case stage::oauth_session: session_->on_response(ec, resp); break;
        case stage::credentials: credentials_->on_response(ec, resp); break;
        case stage::code_exchange: on_code_response(ec, resp); return;
        case stage::userinfo: on_userinfo_response(ec, resp); return;
        case stage::sign_out_store:
        case stage::done: return;
        }
        after_inner_step();
    }
    void on_refresh(const oauth::refresh_result& rr) {
        if (stage_ == stage::session || stage_ == stage::oauth_session) session_->on_refresh(rr);
        after_inner_step();
    }
    void on_store(flow::store_answer a) {
        if (stage_ == stage::sign_out_store) return finish_sign_out(); // gone or not, the user is signed out
        if (stage_ == stage::session || stage_ == stage::oauth_session) session_->on_store(std::move(a));
        else if (stage_ == stage::credentials) credentials_->on_store(std::move(a));
        after_inner_step();
    }

    bool done() const noexcept { return next().what == flow::step::kind::done; }

    /// The response to send (complete once done()).
    http::server_response result() && { return std::move(out_); }

private:
    enum class stage { done, session, credentials, code_exchange, userinfo, oauth_session, sign_out_store };

    void after_inner_step() {
        if (stage_ == stage::session && session_->done()) finish_session();
        else if (stage_ == stage::oauth_session && session_->done()) finish_oauth_session();
        else if (stage_ == stage::credentials && credentials_->done()) finish_credentials();
    }

    // ---- request reading and Auth.js's init() ------------------------------

    void start() {
        const bool get = req_.method == "GET", post = req_.method == "POST";
        const auto pa = parse_action(req_.path(), o_.base_path);
        if ((!get && !post) || !pa) return bad_request();
        if (o_.secrets.empty()) return configuration_error();
        if (!o_.base_url.empty()) {
            std::string_view b = o_.base_url;
            while (!b.empty() && b.back() == '/') b.remove_suffix(1);
            base_url_ = std::string(b);
        } else {
            if (!detail::valid_host(req_.host)) return bad_request();
            base_url_ = std::string(o_.use_secure_cookies.value_or(false) ? "https://" : "http://") +
                        std::string(req_.host);
        }
        auto q = parse_form(req_.query());
        if (!q) return bad_request();
        query_ = std::move(*q);
        if (post && !read_body()) return bad_request();
        post_ = post;
        secure_ = o_.secure_cookies();
        names_ = cookie_names(secure_);
        provider_ = std::string(pa->provider);

        auto csrf = check_csrf(request_cookie(req_.cookie, names_.csrf), o_.secrets, post_, body_.get("csrfToken"));
        if (!csrf) return configuration_error();
        csrf_ = std::move(*csrf);
        if (csrf_.cookie) add_cookie(auth_set_cookie(names_.csrf, *csrf_.cookie, auth_cookie_options(secure_)));

        const auto cookie_url = request_cookie(req_.cookie, names_.callback_url);
        auto param = body_.get("callbackUrl");
        if (!param) param = query_.get("callbackUrl");
        callback_url_ = base_url_;
        if (param && !param->empty())
            callback_url_ = resolve_redirect(o_, *param, base_url_);
        else if (cookie_url && !cookie_url->empty())
            callback_url_ = resolve_redirect(o_, *cookie_url, base_url_);
        if (!cookie_url || callback_url_ != *cookie_url)
            add_cookie(auth_set_cookie(names_.callback_url, callback_url_, auth_cookie_options(secure_)));

        if (get) return dispatch_get(pa->action);
        dispatch_post(pa->action);
    }

    // Auth.js's getBody(): JSON or form by Content-Type, else no body.
    bool read_body() {
        if (detail::icontains(req_.content_type, "application/json")) {
            if (req_.body.size() > form_limits{}.max_size) return false;
            error_code ec;
            auto v = boost::json::parse(req_.body, ec);
            if (ec) return false;
            if (!v.is_object()) return true;
            for (const auto& kv : v.get_object()) {
                if (kv.key() == "data")
                    data_ = std::make_unique<boost::json::value>(kv.value());
                else if (kv.value().is_string())
                    body_.set(std::string(kv.key()), std::string(kv.value().get_string()));
            }
            return true;
        }
        if (detail::icontains(req_.content_type, "application/x-www-form-urlencoded")) {
            auto f = parse_form(req_.body);
            if (!f) return false;
            body_ = std::move(*f);
        }
        return true;
    }

    void dispatch_get(action a) {
        switch (a) {
        case action::session: return start_session(false);
        case action::csrf: {
            boost::json::object b;
            b["csrfToken"] = csrf_.token;
            return json(200, boost::json::serialize(b), true, true);
        }
        case action::providers: return providers();
        case action::callback: return oauth_callback();
        case action::signin: return sign_in_page();
        case action::signout: return sign_out_page();
        case action::error: return error_page();
        default: return fail("Configuration", "error");
        }
    }

    void dispatch_post(action a) {
        switch (a) {
        case action::session:
            if (!csrf_.verified) return json(400, "null", false, false);
            return start_session(true);
        case action::callback:
            if (!provider_.empty() && provider_ == o_.provider_id) {
                if (!csrf_.verified) return fail("MissingCSRF", "signIn");
                return start_credentials();
            }
            return oauth_callback();
        case action::signin:
            if (!csrf_.verified) return fail("MissingCSRF", "signIn");
            return sign_in();
        case action::signout:
            if (!csrf_.verified) return fail("MissingCSRF", "signIn");
            return sign_out();
        default: return fail("Configuration", "error");
        }
    }

    // ---- actions ------------------------------------------------------------

    void start_session(bool update) {
        update_ = update;
        core::flow_options fo;
        fo.rolling = true; // Auth.js re-issues the cookie on every session read, to extend it
        if (update) {
            fo.event.trigger = jwt_trigger::update;
            // The reference acts on an update only when `data` is truthy.
            if (data_ && authpp::detail::truthy(data_.get())) {
                update_data_ = std::make_unique<boost::json::object>(
                    data_->is_object() ? data_->get_object() : boost::json::object{});
                fo.event.update = update_data_.get();
            }
        }
        session_.emplace(cfg_.begin(req_.cookie, fo));
        stage_ = stage::session;
        if (session_->done()) finish_session();
    }

    void finish_session() {
        stage_ = stage::done;
        auto& r = session_->result();
        cfg_.note_refresh(r);
        if (update_ && r.cookie_error == error::session_too_large) {
            // The update is refused and the browser keeps its cookie;
            // next-auth/react's update() then keeps its session state.
            cookies_.clear();
            return json(413, R"({"error":"SessionTooLarge","message":"the updated session would exceed the session cookie budget; it was not saved"})",
                        true, true);
        }
        for (auto& c : r.set_cookies) cookies_.push_back(std::move(c));
        std::string body = r.session ? boost::json::serialize(boost::json::value_from(*r.session)) : "null";
        json(200, std::move(body), !update_, true);
    }

    void providers() {
        boost::json::object b;
        auto add = [&](const std::string& id, std::string_view type) {
            boost::json::object p;
            p["id"] = id;
            p["name"] = o_.provider_name;
            p["type"] = type;
            p["signinUrl"] = base_url_ + o_.base_path + "/signin/" + id;
            p["callbackUrl"] = base_url_ + o_.base_path + "/callback/" + id;
            b[id] = std::move(p);
        };
        add(o_.provider_id, "credentials");
        // One id for both (POST /callback/<id> takes tokens, GET /callback/<id>
        // a code): listed as credentials, which is what next-auth/react's
        // signIn(id, {tokens}) needs to post the tokens rather than start OAuth.
        if (!o_.oauth_provider_id.empty() && o_.oauth_provider_id != o_.provider_id)
            add(o_.oauth_provider_id, "oidc");
        cookies_.clear(); // Auth.js's providers page sends none of init's cookies
        json(200, boost::json::serialize(b), false, false);
    }

    void start_credentials() {
        const auto tokens = body_.get("tokens");
        credentials_.emplace(cfg_.begin_sign_in(tokens ? *tokens : std::string_view{}, req_.cookie));
        stage_ = stage::credentials;
        if (credentials_->done()) finish_credentials();
    }

    void finish_credentials() {
        stage_ = stage::done;
        auto r = std::move(*credentials_).result();
        if (!r) {
            if (r.error() == error::unauthorized) return fail("AccessDenied", "error");
            return fail("CredentialsSignin", "signIn", "credentials");
        }
        if (r->cookie_error == error::session_too_large) return fail("SessionTooLarge", "error");
        for (auto& c : r->set_cookies) cookies_.push_back(std::move(c));
        redirect(callback_url_);
    }

    void sign_in() {
        if (provider_.empty() || provider_ != o_.oauth_provider_id || o_.oauth_provider_id.empty())
            return redirect(base_url_ + o_.base_path + "/signin");
        const std::int64_t now_s = cfg_.now_ms() / 1000;
        auto verifier = make_code_verifier();
        auto nonce = crypto::random_base64url(32);
        auto random = crypto::random_base64url(32);
        if (!verifier || !nonce || !random) return fail("Configuration", "error");
        boost::json::object st;
        st["random"] = *random;
        auto state = check_codec().encode(st, encoded_state_salt, check_cookie_max_age, now_s);
        if (!state) return fail("Configuration", "error");
        authorization_params p{oauth_redirect_uri(o_, base_url_), *state, code_challenge_s256(*verifier), *nonce};
        // Auth.js: state and PKCE cookies carry Max-Age and Expires, the nonce only Expires.
        if (!add_check_cookie(names_.state, *state, now_s, true) ||
            !add_check_cookie(names_.pkce, *verifier, now_s, true) ||
            !add_check_cookie(names_.nonce, *nonce, now_s, false))
            return fail("Configuration", "error");
        redirect(authorization_url(o_, p, query_));
    }

    bool add_check_cookie(const std::string& name, std::string_view value, std::int64_t now_s, bool max_age) {
        auto sealed = seal_check(check_codec(), name, value, provider_, now_s);
        if (!sealed) return false;
        auto opts = auth_cookie_options(secure_);
        if (max_age) opts.max_age = check_cookie_max_age;
        opts.expires = authpp::detail::saturating_add(now_s, check_cookie_max_age);
        auto line = auth_set_cookie(name, *sealed, opts);
        if (!line) return false;
        cookies_.push_back(std::move(*line));
        return true;
    }

    void oauth_callback() {
        if (provider_.empty() || provider_ != o_.oauth_provider_id || o_.oauth_provider_id.empty())
            return fail("Configuration", "error"); // Auth.js: InvalidProvider / credentials over GET
        const std::int64_t now_s = cfg_.now_ms() / 1000;
        auto open = [&](const std::string& name) -> authpp::result<std::string> {
            const auto v = request_cookie(req_.cookie, name);
            if (!v) return error::no_session_cookie;
            return open_check(check_codec(), name, *v, provider_, now_s);
        };
        // The order of Auth.js (oauth4webapi): state, then the provider's
        // error, then the PKCE verifier; a failed check is a server-side
        // "Configuration" error, a provider error an OAuthCallbackError.
        auto state = open(names_.state);
        if (!state) return fail("Configuration", "error");
        clears_.push_back(names_.state);
        const auto got_state = query_.get("state");
        if (!got_state || !constant_time_equals(*got_state, *state)) return fail("Configuration", "error");
        if (const auto iss = query_.get("iss");
            iss && ::authpp::endpoints::detail::trim_slash(*iss) !=
                       ::authpp::endpoints::detail::trim_slash(o_.authentication_domain))
            return fail("Configuration", "error");
        if (query_.get("error")) return fail("OAuthCallbackError", "signIn");
        const auto code = query_.get("code");
        if (!code || code->empty()) return fail("Configuration", "error");
        auto verifier = open(names_.pkce);
        if (!verifier) return fail("Configuration", "error");
        clears_.push_back(names_.pkce);
        auto nonce = open(names_.nonce);
        if (!nonce) return fail("Configuration", "error");
        clears_.push_back(names_.nonce);
        nonce_ = std::move(*nonce);
        exchange_ = make_code_request(o_, *code, oauth_redirect_uri(o_, base_url_), *verifier);
        stage_ = stage::code_exchange;
    }

    void on_code_response(const error_code& ec, const http::response& resp) {
        stage_ = stage::done;
        auto r = parse_code_response(o_, ec, resp, nonce_, cfg_.now_ms());
        if (!r) return fail("Configuration", "error");
        user_ = std::make_unique<signed_in_user>(std::move(r->user));
        if (r->needs_userinfo) {
            exchange_ = oauth::make_userinfo_request(o_, *user_->access_token);
            stage_ = stage::userinfo;
            return;
        }
        finish_oauth_sign_in();
    }

    void on_userinfo_response(const error_code& ec, const http::response& resp) {
        stage_ = stage::done;
        if (apply_userinfo(*user_, ec, resp)) return fail("Configuration", "error");
        finish_oauth_sign_in();
    }

    void finish_oauth_sign_in() {
        if (o_.callbacks.sign_in && !o_.callbacks.sign_in(*user_)) return fail("AccessDenied", "error");
        core::flow_options fo;
        fo.event = {jwt_trigger::sign_in, user_.get(), nullptr};
        session_.emplace(cfg_.begin(req_.cookie, fo));
        stage_ = stage::oauth_session;
        if (session_->done()) finish_oauth_session(); // else: the session's Store calls first
    }

    void finish_oauth_session() {
        stage_ = stage::done;
        auto& r = session_->result();
        if (r.cookie_error == error::session_too_large) return fail("SessionTooLarge", "error");
        for (const auto& n : clears_) add_cookie(auth_clear_cookie(n, secure_));
        for (auto& c : r.set_cookies) cookies_.push_back(std::move(c));
        redirect(callback_url_);
    }

    void sign_in_page() {
        if (!provider_.empty() || o_.sign_in_page.empty()) return fail("Configuration", "error");
        auto url = detail::with_query(o_.sign_in_page, "callbackUrl", callback_url_);
        if (const auto e = query_.get("error")) url = detail::with_query(std::move(url), "error", *e);
        redirect(std::move(url));
    }

    void sign_out_page() {
        std::string inner = "<div class=\"signout\"><h1>Signout</h1><p>Are you sure you want to sign out?</p>"
                            "<form action=\"";
        inner += o_.base_path + "/signout\" method=\"POST\"><input type=\"hidden\" name=\"csrfToken\" value=\"";
        inner += csrf_.token; // hex: nothing to escape
        inner += "\"/><button id=\"submitButton\" type=\"submit\">Sign out</button></form></div>";
        html(200, "Sign Out", inner);
    }

    void error_page() {
        const auto e = query_.get("error");
        const std::string_view type = e && !e->empty() ? *e : std::string_view("default");
        if (!o_.error_page.empty()) return redirect(detail::with_query(o_.error_page, "error", type));
        // The type only selects a message; it is never echoed into the page.
        const int status = detail::error_page_status(type);
        std::string_view heading = status == 500 ? "Server error" : status == 403 ? "Access Denied" : "Error";
        if (type == "Verification") heading = "Unable to sign in";
        std::string inner = "<div class=\"error\"><div class=\"card\"><h1>";
        inner.append(heading).append("</h1><div class=\"message\"><p><a class=\"button\" href=\"");
        inner.append(o_.base_path).append("/signin\">Sign in</a></p></div></div></div>");
        html(status, "Error", inner);
    }

    // The short-lived check cookies (state, PKCE verifier, nonce) are JWEs
    // whatever the session strategy: a codec that keeps sessions in the store
    // lends its JWE codec for them.
    const auto& check_codec() const noexcept {
        if constexpr (SessionStoreCodec<typename Config::codec_type>)
            return cfg_.codec().jwe();
        else
            return cfg_.codec();
    }

    void sign_out() {
        if constexpr (SessionStoreCodec<typename Config::codec_type>) {
            // Database sessions: the stored session ends with the cookie (one Store call).
            std::string token;
            if (!cookie::read_session_cookie(req_.cookie, o_.session_cookie(), token))
                store_op_ = cfg_.codec().end_session_op(token);
            crypto::secure_erase(token);
            if (store_op_) {
                stage_ = stage::sign_out_store;
                return;
            }
        }
        finish_sign_out();
    }

    void finish_sign_out() {
        stage_ = stage::done;
        // Every session cookie and chunk the request carries is expired, also
        // when they could not be read (too many chunks, a gap, too large):
        // a user can always sign out.
        auto lines = cookie::write_session_cookie(o_.session_cookie(), "", o_.session_cookie_options(), req_.cookie);
        if (lines)
            for (auto& l : *lines) cookies_.push_back(std::move(l));
        redirect(callback_url_);
    }

    // ---- responses ------------------------------------------------------------

    void add_cookie(authpp::result<std::string> line) {
        if (line) cookies_.push_back(std::move(*line));
    }

    void emit_cookies() {
        for (auto& c : cookies_) out_.add_header("Set-Cookie", std::move(c));
        cookies_.clear();
    }

    void json(int status, std::string body, bool no_cache, bool with_cookies) {
        stage_ = stage::done;
        out_ = {};
        out_.status = status;
        out_.add_header("Content-Type", "application/json");
        if (no_cache) {
            out_.add_header("Cache-Control", "private, no-cache, no-store");
            out_.add_header("Expires", "0");
            out_.add_header("Pragma", "no-cache");
        }
        if (with_cookies) emit_cookies();
        out_.body = std::move(body);
    }

    void html(int status, std::string_view title, std::string_view inner) {
        stage_ = stage::done;
        out_ = {};
        out_.status = status;
        out_.add_header("Content-Type", "text/html");
        emit_cookies();
        out_.body = detail::html_page(title, inner);
    }

    // A redirect with the cookies gathered so far; next-auth/react's fetches
    // (X-Auth-Return-Redirect) get it as JSON {url} with the same headers.
    void redirect(std::string url) {
        stage_ = stage::done;
        if (!url_as_json(url)) out_.status = 302;
        emit_cookies();
        out_.add_header("Location", std::move(url));
    }

    // Auth.js's catch-all: to the page for the error's kind with its type,
    // without any of the cookies gathered so far.
    void fail(std::string_view type, std::string_view kind, std::string_view code = {}) {
        stage_ = stage::done;
        cookies_.clear();
        std::string page = kind == "signIn" ? (o_.sign_in_page.empty() ? o_.base_path + "/signin" : o_.sign_in_page)
                                            : (o_.error_page.empty() ? o_.base_path + "/error" : o_.error_page);
        auto url = detail::with_query(page.starts_with('/') ? base_url_ + page : page, "error", type);
        if (!code.empty()) url = detail::with_query(std::move(url), "code", code);
        if (url_as_json(url)) return;
        out_.status = 302;
        out_.add_header("Location", std::move(url));
    }

    // Starts a fresh response; with X-Auth-Return-Redirect it is 200 JSON {url}.
    bool url_as_json(const std::string& url) {
        out_ = {};
        if (req_.x_auth_return_redirect.empty()) return false;
        out_.status = 200;
        out_.add_header("Content-Type", "application/json");
        boost::json::object b;
        b["url"] = url;
        out_.body = boost::json::serialize(b);
        return true;
    }

    void bad_request() {
        cookies_.clear();
        json(400, "\"Bad request.\"", false, false);
    }

    void configuration_error() {
        cookies_.clear();
        json(500,
             "{\"message\":\"There was a problem with the server configuration. Check the server logs for more "
             "information.\"}",
             false, false);
    }

    Config& cfg_;
    const auth_options& o_;
    http::server_request req_;
    stage stage_ = stage::done;
    bool post_ = false;
    bool secure_ = false;
    bool update_ = false;
    std::string base_url_;
    std::string provider_;
    auth_cookie_names names_;
    form_fields query_;
    form_fields body_;
    // Heap-held so that the pointers the session flow keeps to them survive
    // a move of this flow (the async driver moves it into its state).
    std::unique_ptr<boost::json::value> data_;
    std::unique_ptr<boost::json::object> update_data_;
    std::unique_ptr<signed_in_user> user_;
    csrf_state csrf_;
    std::string callback_url_;
    std::string nonce_;
    std::vector<std::string> clears_;
    std::vector<std::string> cookies_;
    std::optional<session_flow_type> session_;
    std::optional<flow::store_op> store_op_; // sign-out's end of a stored session
    std::optional<credentials_flow_type> credentials_;
    std::optional<http::request> exchange_;
    http::server_response out_;
};

} // namespace authpp::endpoints
