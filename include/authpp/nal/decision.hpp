// authpp/nal/decision.hpp — mode nal's decision for one request, as a
// sans-I/O flow (<authpp/flow/step.hpp>), C6.md steps 1–8:
//
//  1. an excluded path passes untouched;
//  2. the token: user cookie, else guest cookie, else a bearer;
//  3. no token: with guest tokens on, one is created (Set-Cookie guestToken)
//     and the request goes on as a guest; else an API route gets 401, a
//     protected page 307 to the login URL, anything else passes;
//  4. the token is validated — the cache, else one shared backend call per
//     token in this process; an unavailable backend (network, time-out, 5xx,
//     408, 429) leaves every cookie as it is: API 503, protected page 503,
//     anything else passes without identity;
//  5. an invalid user token is refreshed, coordinated per old token in this
//     process and through the Store (a rotated token is redeemed once, late
//     requests adopt the successor); the new token is validated once (which
//     seeds the cache) and set as the user cookie — or, for a bearer, sent
//     back as an `x-refreshed-token` response header. A refused refresh goes
//     on as 3, clearing the user cookie; a transient one as 4;
//  6. a valid token whose type is not allowed: API 403, page 307 to login,
//     the auth cookies cleared (guest tokens answer to 7 instead);
//  7. a guest on a protected route: API 403, page 307 to login;
//  8. a signed-in user on an auth route: 307 home; otherwise the request
//     passes with `x-auth-user` and `x-auth-token-type` (and
//     `x-refreshed-token` after a refresh or a new guest token).
//
// Differences from next-api-layer are deliberate and listed in the README:
// an outage is never a logout, 408/429 are transient, validations are cached
// and de-duplicated, bearer tokens are read, guests on protected API routes
// get 403, and the checks of 6–7 apply after a refresh too.
#pragma once

#include <authpp/crypto/base64.hpp>
#include <authpp/crypto/sha.hpp>
#include <authpp/error.hpp>
#include <authpp/flow/step.hpp>
#include <authpp/http/message.hpp>
#include <authpp/nal/audit.hpp>
#include <authpp/nal/calls.hpp>
#include <authpp/nal/classify.hpp>
#include <authpp/nal/identity.hpp>
#include <authpp/nal/mapper.hpp>
#include <authpp/nal/options.hpp>
#include <authpp/nal/request.hpp>
#include <authpp/nal/validation_cache.hpp>
#include <authpp/oauth/refresh.hpp>

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace authpp::nal {

/// What a decision reads besides the request, built once (by the config).
struct context {
    nal_options options;
    response_mapper mapper;
    route_table routes;
    mutable validation_cache cache;
    audit_sink audit;

    context(nal_options o, response_mapper m = {}, audit_sink a = {})
        : options(std::move(o)), mapper(complete(std::move(m))), routes(options),
          cache(options.cache_ttl, options.cache_max_entries), audit(std::move(a)) {}
};

/// The parts of a request the decision reads.
struct request_view {
    std::string_view method = "GET";
    std::string_view path;          ///< normalised, without the query
    std::string_view cookie;        ///< the Cookie header
    std::string_view authorization; ///< the Authorization header
    std::optional<std::string> ip;  ///< the client, for the audit log (client_ip())
};

/// What the request comes to.
struct decision {
    bool pass = true;                   ///< on to the handler; else answer with the fields below
    int status = 200;
    std::string location;               ///< 307: where
    std::string content_type;
    std::string body;
    std::vector<std::string> set_cookies; ///< either way
    /// For the handler, after every client-sent identity header was removed.
    http::header_list request_headers;
    http::header_list response_headers; ///< x-refreshed-token for a bearer that was refreshed

    std::optional<std::string> token_type; ///< the token's type, when one was accepted
    bool guest = false;                 ///< the request goes on as a guest
    bool refreshed = false;             ///< a new token was issued (refresh, or a new guest token)
};

/// The refresh step's reading of a backend's refresh answer (the context's
/// mapper): the new token as the access token of a refresh result.
inline oauth::refresh_result read_refresh(const void* ctx, const error_code& ec, const http::response& r,
                                          std::string_view redeemed, std::int64_t now_ms) {
    const auto& m = *static_cast<const response_mapper*>(ctx);
    auto t = classify_issued(ec, r, m.refreshed_token);
    oauth::refresh_result out;
    if (t.what == validity::valid) {
        out.tokens = oauth::refreshed_tokens{std::move(t.token), std::string(redeemed), std::nullopt, now_ms};
    } else {
        out.error = t.what == validity::invalid ? error::refresh_rejected : error::refresh_unavailable;
        out.error_text = std::string(to_string(t.what));
    }
    return out;
}

/// The shared validations' keys: this, then the base64url SHA-256 of the token.
inline constexpr std::string_view validate_key_prefix = "nal:validate:";

/// A shared validation settled by the request that performed it: a valid
/// answer goes into the cache before the requests waiting on it resume, so
/// one that arrives just after finds it there (`ctx` is the context).
inline void settle_validation(const void* ctx, std::string_view key, const flow::shared_answer& a,
                              std::int64_t now_ms) {
    const auto& cx = *static_cast<const context*>(ctx);
    if (!cx.cache.enabled() || !key.starts_with(validate_key_prefix)) return;
    auto v = classify_validation(a.ec, a.response, cx.mapper);
    if (v.what != validity::valid) return;
    const auto b64 = key.substr(validate_key_prefix.size());
    crypto::sha256_digest digest{};
    if (crypto::base64url_decoded_size(b64.size()) != digest.size()) return;
    const auto n = crypto::base64url_decode(b64, digest.data());
    if (!n || *n != digest.size()) return;
    cx.cache.insert_digest(digest, v.info, now_ms);
}

class decision_flow {
public:
    decision_flow(const context& cx, request_view req, std::int64_t now_ms)
        : cx_(&cx), req_(std::move(req)), now_ms_(now_ms) {
        const auto route = cx.routes.describe(req_.path);
        if (route.excluded) {
            finish_pass();
            return;
        }
        api_ = route.api;
        auth_route_ = route.auth;
        protected_ = route.protected_;
        const auto cookies = read_cookies(cx.options, req_.cookie); // one pass over the header
        carried_ = carried(cookies);
        if (auto t = find_token(cx.options, cookies, req_.authorization)) {
            token_ = std::move(*t);
            validate(token_->token, stage::validate);
        } else {
            no_token();
        }
    }

    flow::step next() const {
        switch (stage_) {
        case stage::done: return flow::step::finished();
        case stage::validate:
        case stage::validate_new:
            return cx_->options.deduplicate ? flow::step::share(http_, key_, {&settle_validation, cx_})
                                            : flow::step::send(http_);
        case stage::refresh: return flow::step::redeem(http_, token_->token, {&read_refresh, &cx_->mapper});
        case stage::mint: return flow::step::send(http_);
        }
        return flow::step::finished();
    }

    void on_response(const error_code& ec, const http::response& r) {
        switch (stage_) {
        case stage::validate: return validated(classify_validation(ec, r, cx_->mapper), false);
        case stage::validate_new: return validated(classify_validation(ec, r, cx_->mapper), true);
        case stage::mint: return minted(classify_issued(ec, r, cx_->mapper.guest_token));
        default: return;
        }
    }
    void on_store(flow::store_answer) {}
    void on_refresh(const oauth::refresh_result& r) {
        if (stage_ != stage::refresh) return;
        if (r.ok()) {
            new_token_ = r.tokens->access_token;
            return validate(new_token_, stage::validate_new);
        }
        if (r.transient()) return unavailable();
        if (token_->from == token_source::user_cookie) clear_user_ = true;
        event(audit_type::auth_fail, false, {{"reason", "refresh-refused"}});
        no_token();
    }

    bool done() const noexcept { return stage_ == stage::done; }
    decision result() && { return std::move(d_); }

private:
    enum class stage { validate, refresh, validate_new, mint, done };

    // Step 4: the cache, else the backend (shared per token when de-duplicating).
    void validate(const std::string& token, stage s) {
        if (auto hit = cx_->cache.find(token, now_ms_)) return accepted(std::move(*hit), s == stage::validate_new);
        http_ = validate_request(cx_->options, token);
        key_ = std::string(validate_key_prefix) + crypto::sha256_base64url(token);
        stage_ = s;
    }

    void validated(validation v, bool after_refresh) {
        const std::string& token = after_refresh ? new_token_ : token_->token;
        switch (v.what) {
        case validity::valid:
            cx_->cache.insert(token, v.info, now_ms_);
            return accepted(std::move(v.info), after_refresh);
        case validity::unavailable:
            if (after_refresh) keep_new_token(); // the old one is spent: do not lose this one
            return unavailable();
        case validity::invalid:
            if (after_refresh || token_->from == token_source::guest_cookie) {
                if (token_->from == token_source::guest_cookie) clear_guest_ = true;
                if (token_->from == token_source::user_cookie) clear_user_ = true;
                event(audit_type::auth_fail, false, {{"reason", "invalid-token"}});
                return no_token();
            }
            // Step 5: a user token the backend refuses is refreshed.
            http_ = refresh_request(cx_->options, token_->token);
            stage_ = stage::refresh;
            return;
        }
    }

    // Steps 6–8 for a valid token (the request's, or the one a refresh gave).
    void accepted(token_info info, bool after_refresh) {
        const auto& o = cx_->options;
        const bool guest = info.token_type == "guest";
        d_.token_type = info.token_type;
        d_.guest = guest;
        if (after_refresh) {
            d_.refreshed = true;
            keep_new_token();
            event(audit_type::auth_refresh, true, {{"tokenType", info.token_type}}, &info.user);
        }
        if (!guest && !o.allowed_types.empty() &&
            std::find(o.allowed_types.begin(), o.allowed_types.end(), info.token_type) == o.allowed_types.end()) {
            clear_user_ = carried_.user;
            clear_guest_ = carried_.guest;
            d_.set_cookies.clear(); // a refreshed token is not kept either
            event(audit_type::access_denied, false, {{"reason", "token-type"}, {"tokenType", info.token_type}},
                  &info.user);
            return deny();
        }
        if (guest && protected_) {
            event(audit_type::access_denied, false, {{"reason", "guest"}}, &info.user);
            return deny();
        }
        if (!after_refresh)
            event(guest ? audit_type::auth_guest : audit_type::auth_success, true, {{"tokenType", info.token_type}},
                  &info.user);
        if (!guest && token_ && token_->from != token_source::guest_cookie && carried_.guest) clear_guest_ = true;
        if (!guest && auth_route_) return redirect(o.home_url);
        if (!info.user.is_null()) d_.request_headers.emplace_back(user_header, encode_user(info.user));
        d_.request_headers.emplace_back(token_type_header, info.token_type);
        if (after_refresh) d_.request_headers.emplace_back(refreshed_token_header, new_token_);
        finish_pass();
    }

    // The token a refresh gave: a cookie, or for a bearer a response header.
    void keep_new_token() {
        if (kept_) return;
        kept_ = true;
        if (token_->from == token_source::bearer) {
            d_.response_headers.emplace_back(refreshed_token_header, new_token_);
            return;
        }
        const auto& o = cx_->options;
        if (auto c = token_cookie(o, o.cookies.user, new_token_, o.cookies.user_max_age, now_ms_ / 1000))
            d_.set_cookies.push_back(std::move(*c));
        clear_user_ = false;
    }

    // Step 3.
    void no_token() {
        const auto& o = cx_->options;
        if (o.guest && !tried_guest_) {
            tried_guest_ = true;
            http_ = guest_request(o);
            stage_ = stage::mint;
            return;
        }
        if (!token_) event(audit_type::auth_fail, false, {{"reason", "no-token"}});
        if (api_) return answer_json(401, "Token not found");
        if (protected_) return redirect(o.login_url);
        finish_pass();
    }

    void minted(issued_token t) {
        const auto& o = cx_->options;
        if (t.what == validity::unavailable) return unavailable();
        if (t.what == validity::invalid) return no_token(); // as with guest tokens off
        if (auto c = token_cookie(o, o.cookies.guest, t.token, o.cookies.guest_max_age, now_ms_ / 1000))
            d_.set_cookies.push_back(std::move(*c));
        clear_guest_ = false;
        d_.guest = true;
        d_.refreshed = true;
        d_.token_type = "guest";
        event(audit_type::auth_guest, true, {{"reason", "created"}});
        if (protected_) return deny();
        d_.request_headers.emplace_back(token_type_header, "guest");
        d_.request_headers.emplace_back(refreshed_token_header, t.token);
        finish_pass();
    }

    // Step 4's answer to an unavailable backend: no cookie is cleared.
    void unavailable() {
        clear_user_ = clear_guest_ = false;
        event(audit_type::error, false, {{"reason", "backend-unavailable"}});
        if (api_) return answer_json(503, "Connection error occurred.");
        if (protected_) return answer(503, "text/plain; charset=utf-8", "Service Unavailable");
        finish_pass();
    }

    // Steps 6–7: API 403, page 307 to the login URL (but not to itself).
    void deny() {
        if (api_) return answer_json(403, "You are not authorized for this action");
        if (req_.path == cx_->options.login_url) return finish_pass();
        redirect(cx_->options.login_url);
    }

    void redirect(const std::string& to) {
        d_.pass = false;
        d_.status = 307;
        d_.location = to;
        finish();
    }
    void answer_json(int status, std::string_view message) {
        boost::json::object b;
        b["success"] = false;
        b["message"] = message;
        answer(status, "application/json", boost::json::serialize(b));
    }
    void answer(int status, std::string_view type, std::string body) {
        d_.pass = false;
        d_.status = status;
        d_.content_type = std::string(type);
        d_.body = std::move(body);
        finish();
    }
    void finish_pass() {
        d_.pass = true;
        finish();
    }
    void finish() {
        const auto& o = cx_->options;
        if (clear_user_ && carried_.user) d_.set_cookies.push_back(clearing_cookie(o, o.cookies.user));
        if (clear_guest_ && carried_.guest) d_.set_cookies.push_back(clearing_cookie(o, o.cookies.guest));
        if (!d_.pass) d_.request_headers.clear();
        stage_ = stage::done;
    }

    void event(audit_type type, bool success, boost::json::object metadata, const boost::json::value* user = nullptr) {
        if (!cx_->audit) return;
        audit_event e;
        e.type = type;
        e.time_ms = now_ms_;
        e.ip = req_.ip;
        if (user) e.user_id = user_id_of(*user);
        e.path = std::string(req_.path);
        e.method = std::string(req_.method);
        e.success = success;
        e.metadata = std::move(metadata);
        emit(cx_->audit, e);
    }

    const context* cx_;
    request_view req_;
    std::int64_t now_ms_;
    stage stage_ = stage::done;
    bool api_ = false, auth_route_ = false, protected_ = false;
    carried_cookies carried_;
    std::optional<found_token> token_;
    std::string new_token_;
    http::request http_;
    std::string key_;
    bool clear_user_ = false, clear_guest_ = false, tried_guest_ = false, kept_ = false;
    decision d_;
};

static_assert(flow::Flow<decision_flow>);

} // namespace authpp::nal
