// authpp/endpoints/oauth_code.hpp — the OAuth 2.0 authorization-code flow
// with PKCE S256, state and nonce, sans I/O: the authorization URL, the code
// exchange request, and the user its answer signs in.
#pragma once

#include <authpp/endpoints/form.hpp>
#include <authpp/http/message.hpp>
#include <authpp/jose/jwt_claims.hpp>
#include <authpp/oauth/credentials.hpp>
#include <authpp/oauth/refresh.hpp>
#include <authpp/options.hpp>
#include <authpp/url/form.hpp>
#include <authpp/url/url.hpp>

#include <boost/json/object.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace authpp::endpoints {

/// The state parameter is itself a JWE, as Auth.js makes it ({random},
/// salt "encodedState", 15 minutes), so it reveals nothing to the provider.
inline constexpr std::string_view encoded_state_salt = "encodedState";

inline std::string authorization_endpoint(const auth_options& o) {
    if (!o.authorization_endpoint.empty()) return o.authorization_endpoint;
    std::string_view d = o.authentication_domain;
    while (!d.empty() && d.back() == '/') d.remove_suffix(1);
    return std::string(d) + "/authorize";
}

/// The redirect URI of the authorization-code flow: options.redirect_uri
/// when it is an absolute http(s) URL (say, the public URL of the callback
/// action behind a proxy that rewrites paths; it is sent to the provider and
/// to the token endpoint as it is, so register exactly it), else Auth.js's
/// callbackUrl {base_url}{base_path}/callback/{id}. A relative redirect_uri
/// (the reference's default "/callback") names the page of its browser SDK,
/// not this action, so it is not used here.
inline std::string oauth_redirect_uri(const auth_options& o, std::string_view base_url) {
    if (url::is_absolute_http_url(o.redirect_uri)) return o.redirect_uri;
    return std::string(base_url) + o.base_path + "/callback/" + o.oauth_provider_id;
}

struct authorization_params {
    std::string redirect_uri;
    std::string state;
    std::string code_challenge;
    std::string nonce;
};

/// The URL the browser is sent to. Parameters of the sign-in request's
/// query are passed on (next-auth's authorizationParams), except those that
/// bind the flow to this client and these checks.
inline std::string authorization_url(const auth_options& o, const authorization_params& p,
                                     const form_fields& extra = {}) {
    std::string url = authorization_endpoint(o);
    url += url.find('?') == std::string::npos ? '?' : '&';
    auto add = [&url, first = true](std::string_view k, std::string_view v) mutable {
        if (!first) url += '&';
        first = false;
        url::append_form_field(url, k, v);
    };
    add("response_type", "code");
    add("client_id", o.client_id);
    add("redirect_uri", p.redirect_uri);
    add("scope", o.scope);
    if (!o.audience.empty()) add("audience", o.audience);
    for (const auto& [k, v] : extra.entries()) {
        static constexpr std::string_view bound[] = {"response_type", "client_id", "redirect_uri",
                                                     "state",         "nonce",     "code_challenge",
                                                     "code_challenge_method", "scope", "audience",
                                                     "callbackUrl"};
        bool skip = false;
        for (auto b : bound) skip = skip || k == b;
        if (!skip) add(k, v);
    }
    add("state", p.state);
    add("code_challenge", p.code_challenge);
    add("code_challenge_method", "S256");
    add("nonce", p.nonce);
    return url;
}

/// POST {token endpoint} grant_type=authorization_code with the verifier;
/// the client authenticates as in a refresh.
inline http::request make_code_request(const auth_options& o, std::string_view code, std::string_view redirect_uri,
                                       std::string_view code_verifier) {
    // The refresh request carries the client authentication (header or a
    // trailing client_secret); only the grant fields in front differ.
    auto r = oauth::make_refresh_request(o, {});
    const auto refresh_fields =
        url::form_body({{"grant_type", "refresh_token"}, {"client_id", o.client_id}, {"refresh_token", ""}});
    r.body = url::form_body({{"grant_type", "authorization_code"},
                             {"code", code},
                             {"redirect_uri", redirect_uri},
                             {"code_verifier", code_verifier},
                             {"client_id", o.client_id}}) +
             r.body.substr(refresh_fields.size());
    return r;
}

namespace detail {

inline std::string_view trim_slash(std::string_view s) noexcept {
    while (!s.empty() && s.back() == '/') s.remove_suffix(1);
    return s;
}

// RFC 7519 aud: a string or an array of strings.
inline bool audience_has(const boost::json::value& aud, std::string_view client_id) {
    if (aud.is_string()) return aud.get_string() == client_id;
    if (!aud.is_array()) return false;
    for (const auto& a : aud.get_array())
        if (a.is_string() && a.get_string() == client_id) return true;
    return false;
}

} // namespace detail

/// What the code exchange produced: the user (complete when the answer held
/// an id token), or the tokens still waiting for userinfo to say whose they
/// are.
struct code_exchange_result {
    signed_in_user user;
    bool needs_userinfo = false;
};

/// Reads the token endpoint's answer. The id token came straight from the
/// token endpoint over TLS, so (as Auth.js) its signature is not checked;
/// its nonce must be the one we sent, and its iss and aud, when present,
/// must name the provider and this client. Errors: refresh_rejected /
/// refresh_unavailable / bad_token_response (the exchange), bad_claim (an
/// id token that fails those checks).
inline result<code_exchange_result> parse_code_response(const auth_options& o, const error_code& transport_error,
                                                        const http::response& r, std::string_view expected_nonce,
                                                        std::int64_t now_ms) {
    auto rr = oauth::parse_refresh_response(transport_error, r, {}, now_ms);
    if (!rr.ok()) return rr.error;
    auto& t = *rr.tokens;
    code_exchange_result out;
    auto& u = out.user;
    u.access_token = t.access_token;
    if (!t.refresh_token.empty()) u.refresh_token = t.refresh_token;
    u.access_token_expires = t.access_token_expires;
    if (!t.id_token) {
        out.needs_userinfo = true;
        return out;
    }
    auto claims = jose::peek_jwt_claims(*t.id_token);
    if (!claims) return error::bad_claim;
    auto str = [&](std::string_view k) -> std::optional<std::string> {
        const auto* v = claims->if_contains(k);
        return v && v->is_string() ? std::optional<std::string>(std::string(v->get_string())) : std::nullopt;
    };
    const auto nonce = str("nonce");
    if (!nonce || *nonce != expected_nonce) return error::bad_claim;
    if (const auto iss = str("iss"); iss && detail::trim_slash(*iss) != detail::trim_slash(o.authentication_domain))
        return error::bad_claim;
    if (const auto* aud = claims->if_contains("aud"); aud && !detail::audience_has(*aud, o.client_id))
        return error::bad_claim;
    auto sub = str("sub");
    if (!sub || sub->empty()) return error::bad_claim;
    u.sub = std::move(*sub);
    u.email = str("email");
    u.nickname = str("nickname");
    u.zkevm = oauth::extract_zkevm_from_id_token(*t.id_token);
    u.id_token = std::move(t.id_token);
    return out;
}

/// Completes a user from the userinfo endpoint's answer (no id token came).
inline error_code apply_userinfo(signed_in_user& u, const error_code& transport_error, const http::response& r) {
    auto info = oauth::parse_userinfo(transport_error, r);
    if (!info) return info.error();
    if (info->sub.empty()) return error::userinfo_rejected;
    u.sub = std::move(info->sub);
    u.email = std::move(info->email);
    u.nickname = std::move(info->nickname);
    return {};
}

} // namespace authpp::endpoints
