// authpp/endpoints/cookies.hpp — the cookies the actions set besides the
// session: names and attributes as Auth.js's defaultCookies(), values
// encoded as its `cookie` serializer does (encodeURIComponent), and the
// sealed check cookies (PKCE verifier, state, nonce) that are Auth.js JWEs
// {value, provider} salted with their own cookie name, 15 minutes long.
#pragma once

#include <authpp/concepts/cookie_codec.hpp>
#include <authpp/constants.hpp>
#include <authpp/cookie/cookie_header.hpp>
#include <authpp/cookie/set_cookie.hpp>
#include <authpp/crypto/secure_erase.hpp>
#include <authpp/error.hpp>
#include <authpp/url/percent.hpp>

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>


#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace authpp::endpoints {

inline constexpr std::int64_t check_cookie_max_age = 15 * 60;

struct auth_cookie_names {
    std::string csrf;
    std::string callback_url;
    std::string pkce;
    std::string state;
    std::string nonce;
};

inline auth_cookie_names cookie_names(bool secure) {
    const std::string p = secure ? "__Secure-" : "";
    return {std::string(secure ? "__Host-" : "") + "authjs.csrf-token", p + "authjs.callback-url",
            p + "authjs.pkce.code_verifier", p + "authjs.state", p + "authjs.nonce"};
}

/// Auth.js's options for its own cookies: HttpOnly, SameSite=Lax (the
/// OAuth redirect back from the provider is cross-site), Path=/, Secure
/// over HTTPS, host-only.
inline cookie::cookie_options auth_cookie_options(bool secure) {
    cookie::cookie_options o;
    o.secure = secure;
    o.same_site = cookie::same_site_policy::lax;
    return o;
}

/// A Set-Cookie value for one of those cookies (`value` not yet encoded).
inline result<std::string> auth_set_cookie(std::string_view name, std::string_view value,
                                           const cookie::cookie_options& o) {
    return cookie::set_cookie_header(name, url::encode_uri_component(value), o);
}

/// The Set-Cookie value that deletes one of them.
inline result<std::string> auth_clear_cookie(std::string_view name, bool secure) {
    auto o = auth_cookie_options(secure);
    o.max_age = 0;
    return cookie::set_cookie_header(name, "", o);
}

/// A request cookie's value, decoded as the `cookie` package parses it.
inline std::optional<std::string> request_cookie(std::string_view cookie_header, std::string_view name) {
    auto v = cookie::cookie_header(cookie_header).find(name);
    if (!v) return std::nullopt;
    return url::percent_decode_or_keep(*v);
}

/// Seals a check value as Auth.js's sealCookie does.
template <CookieCodec Codec>
result<std::string> seal_check(const Codec& codec, std::string_view cookie_name, std::string_view value,
                               std::string_view provider, std::int64_t now_s) {
    boost::json::object claims;
    claims["value"] = value;
    claims["provider"] = provider;
    return codec.encode(claims, cookie_name, check_cookie_max_age, now_s);
}

/// Opens a sealed check cookie: it must decrypt under its own name, be
/// unexpired, carry a string value and name `provider` (a check made for
/// one provider is no good for another).
template <CookieCodec Codec>
result<std::string> open_check(const Codec& codec, std::string_view cookie_name, std::string_view sealed,
                               std::string_view provider, std::int64_t now_s) {
    if (sealed.empty()) return error::no_session_cookie;
    std::string json;
    if (auto ec = codec.decrypt(sealed, cookie_name, json)) return ec;
    error_code ec;
    auto v = boost::json::parse(json, ec);
    crypto::secure_erase(json);
    if (ec || !v.is_object()) return error::malformed_payload;
    const auto& o = v.get_object();
    if (auto cec = Codec::check_claims(o, now_s)) return cec;
    const auto* val = o.if_contains("value");
    const auto* prov = o.if_contains("provider");
    if (!val || !val->is_string() || val->get_string().empty()) return error::malformed_payload;
    if (!prov || !prov->is_string() || prov->get_string() != provider) return error::malformed_payload;
    return std::string(val->get_string());
}

} // namespace authpp::endpoints
