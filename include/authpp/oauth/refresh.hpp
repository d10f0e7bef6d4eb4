// authpp/oauth/refresh.hpp — the refresh-token grant, sans I/O: the request
// to send, and what its answer means.
//
// Semantics of the reference's refreshAccessToken(), plus one thing it lacks:
// a failure that says nothing about the refresh token (network error,
// time-out, 5xx, 429, or a 2xx whose body is no usable token set — an HTML
// maintenance page, `{}`) is *transient* and must not log the user out; only
// the provider's definitive refusal (invalid_grant, invalid_client, other
// 4xx) is.
#pragma once

#include <authpp/crypto/base64.hpp>
#include <authpp/detail/time_arith.hpp>
#include <authpp/error.hpp>
#include <authpp/http/message.hpp>
#include <authpp/jose/jwt_claims.hpp>
#include <authpp/options.hpp>
#include <authpp/url/form.hpp>

#include <boost/json/parse.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace authpp::oauth {

struct refreshed_tokens {
    std::string access_token;
    std::string refresh_token;            ///< the new one, or the old one when none came back
    std::optional<std::string> id_token;
    std::int64_t access_token_expires = 0; ///< ms since the epoch
};

/// True for the refresh failures that say nothing about the refresh token:
/// the session is kept (TokenExpired) and the refresh retried after a
/// back-off. A 2xx without a usable token set is one of them: the provider
/// refused nothing, it answered something we cannot read.
inline bool is_transient_refresh_error(const error_code& ec) noexcept {
    return ec == error::refresh_unavailable || ec == error::bad_token_response;
}

/// The outcome of one refresh exchange.
struct refresh_result {
    std::optional<refreshed_tokens> tokens; ///< set on success
    error_code error;                       ///< refresh_rejected, refresh_unavailable or bad_token_response
    std::string error_text;                 ///< the provider's words (error_description, error, or body)

    bool ok() const noexcept { return tokens.has_value(); }
    bool transient() const noexcept { return is_transient_refresh_error(error); }
};

namespace detail {

inline std::string basic_credentials(std::string_view id, std::string_view secret) {
    // RFC 6749 §2.3.1: each part form-encoded, then base64 (standard alphabet, padded).
    std::string raw;
    url::form_encode(raw, id);
    raw += ':';
    url::form_encode(raw, secret);
    return "Basic " + crypto::base64_encode(raw);
}

// The provider's explanation: error_description, else error, else the body.
inline std::string oauth_error_text(const http::response& r) {
    error_code ec;
    auto v = boost::json::parse(r.body, ec);
    if (!ec && v.is_object()) {
        const auto& o = v.get_object();
        if (const auto* d = o.if_contains("error_description"); d && d->is_string() && !d->get_string().empty())
            return std::string(d->get_string());
        if (const auto* e = o.if_contains("error"); e && e->is_string() && !e->get_string().empty())
            return std::string(e->get_string());
    }
    if (!r.body.empty()) return r.body.substr(0, 512);
    return "Token refresh failed with status " + std::to_string(r.status);
}

} // namespace detail

/// POST {token endpoint} with grant_type=refresh_token, client_id and
/// refresh_token; a configured client secret goes in HTTP Basic auth, or in
/// the form as client_secret when options.client_auth is `post`.
inline http::request make_refresh_request(const auth_options& o, std::string_view refresh_token) {
    http::request r;
    r.method = "POST";
    r.url = o.resolved_token_endpoint();
    r.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
    r.headers.emplace_back("Accept", "application/json");
    const bool basic = o.client_secret && o.client_auth == client_auth_method::basic;
    if (basic) r.headers.emplace_back("Authorization", detail::basic_credentials(o.client_id, *o.client_secret));
    r.body = url::form_body({{"grant_type", "refresh_token"}, {"client_id", o.client_id}, {"refresh_token", refresh_token}});
    if (o.client_secret && !basic) {
        r.body += "&client_secret=";
        url::form_encode(r.body, *o.client_secret);
    }
    return r;
}

/// When the access token expires, in ms since the epoch: its `exp` claim if
/// it is a JWT that has one, else `expires_in` from the token response, else
/// 15 minutes from now (the reference uses exp, else 15 minutes; providers
/// with opaque access tokens make `expires_in` the only truthful source).
inline std::int64_t access_token_expiry(std::string_view access_token, std::optional<double> expires_in,
                                        std::int64_t now_ms) {
    if (auto claims = jose::peek_jwt_claims(access_token)) {
        if (const auto* exp = claims->if_contains("exp")) {
            // An exp whose milliseconds do not fit in 64 bits is no usable expiry.
            constexpr std::int64_t max_exp = INT64_MAX / 1000;
            if (exp->is_int64() && exp->get_int64() > 0 && exp->get_int64() <= max_exp) return exp->get_int64() * 1000;
            if (exp->is_uint64() && exp->get_uint64() <= static_cast<std::uint64_t>(max_exp))
                return static_cast<std::int64_t>(exp->get_uint64()) * 1000;
            if (exp->is_double() && exp->get_double() > 0 && exp->get_double() < 1e15)
                return static_cast<std::int64_t>(exp->get_double() * 1000);
        }
    }
    if (expires_in && *expires_in > 0 && *expires_in < 1e10)
        return authpp::detail::saturating_add(now_ms, static_cast<std::int64_t>(*expires_in * 1000));
    return authpp::detail::saturating_add(
        now_ms, std::chrono::duration_cast<std::chrono::milliseconds>(defaults::token_expiry_fallback).count());
}

/// Reads the token endpoint's answer (or the transport's failure).
inline refresh_result parse_refresh_response(const error_code& transport_error, const http::response& r,
                                             std::string_view old_refresh_token, std::int64_t now_ms) {
    refresh_result out;
    if (transport_error) {
        out.error = error::refresh_unavailable;
        out.error_text = transport_error.message();
        return out;
    }
    if (r.status < 200 || r.status >= 300) {
        out.error_text = detail::oauth_error_text(r);
        // 5xx and 429 say the provider is struggling, not that the token is bad.
        out.error = (r.status >= 500 || r.status == 429 || r.status == 408) ? error::refresh_unavailable
                                                                             : error::refresh_rejected;
        return out;
    }
    error_code ec;
    auto v = boost::json::parse(r.body, ec);
    const boost::json::object* o = (!ec && v.is_object()) ? &v.get_object() : nullptr;
    const auto* at = o ? o->if_contains("access_token") : nullptr;
    if (!at || !at->is_string() || at->get_string().empty()) {
        out.error = error::bad_token_response;
        out.error_text = "the token endpoint answered " + std::to_string(r.status) +
                         " without a usable token set (not a JSON object with a string access_token)";
        return out;
    }
    refreshed_tokens t;
    t.access_token = std::string(at->get_string());
    const auto* rt = o->if_contains("refresh_token");
    t.refresh_token = (rt && rt->is_string() && !rt->get_string().empty()) ? std::string(rt->get_string())
                                                                            : std::string(old_refresh_token);
    if (const auto* id = o->if_contains("id_token"); id && id->is_string()) t.id_token = std::string(id->get_string());
    std::optional<double> expires_in;
    if (const auto* e = o->if_contains("expires_in"); e && e->is_number()) expires_in = e->to_number<double>();
    t.access_token_expires = access_token_expiry(t.access_token, expires_in, now_ms);
    out.tokens = std::move(t);
    return out;
}

/// The reference's extractZkEvmFromIdToken: the `passport` claim's
/// zkevm_eth_address and zkevm_user_admin_address, when both are present.
inline std::optional<zkevm_info> extract_zkevm_from_id_token(std::string_view id_token) {
    if (id_token.empty()) return std::nullopt;
    auto claims = jose::peek_jwt_claims(id_token);
    if (!claims) return std::nullopt;
    const auto* passport = claims->if_contains("passport");
    if (!passport || !passport->is_object()) return std::nullopt;
    const auto& p = passport->get_object();
    const auto* eth = p.if_contains("zkevm_eth_address");
    const auto* admin = p.if_contains("zkevm_user_admin_address");
    if (!eth || !eth->is_string() || eth->get_string().empty() || !admin || !admin->is_string() ||
        admin->get_string().empty())
        return std::nullopt;
    return zkevm_info{std::string(eth->get_string()), std::string(admin->get_string())};
}

/// The reference's isTokenExpired: true when `expires_ms` is within
/// `buffer` of `now_ms`, or when there is no valid expiry at all.
constexpr bool is_token_expired(std::optional<std::int64_t> expires_ms, std::int64_t now_ms,
                                std::chrono::seconds buffer = defaults::refresh_buffer) noexcept {
    if (!expires_ms) return true;
    return now_ms >= *expires_ms - std::chrono::duration_cast<std::chrono::milliseconds>(buffer).count();
}

} // namespace authpp::oauth
