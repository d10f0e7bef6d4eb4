// authpp/oauth/credentials.hpp — sign-in with tokens the client obtained
// itself (the reference's Credentials provider "immutable"), sans I/O.
//
// 1. parse_credentials(): the `tokens` form field must hold accessToken,
//    profile.sub and a numeric accessTokenExpires.
// 2. make_userinfo_request(): the provider validates the access token.
// 3. verify_userinfo(): the userinfo `sub` must equal the claimed one, so a
//    valid token cannot be used to sign in as somebody else.
#pragma once

#include <authpp/error.hpp>
#include <authpp/http/message.hpp>
#include <authpp/options.hpp>

#include <boost/json/parse.hpp>

#include <cmath>
#include <optional>
#include <string>
#include <string_view>

namespace authpp::oauth {

/// The reference's ImmutableTokenData.
struct client_tokens {
    std::string access_token;
    std::optional<std::string> refresh_token;
    std::optional<std::string> id_token;
    std::int64_t access_token_expires = 0; ///< ms since the epoch
    std::string sub;
    std::optional<std::string> email;
    std::optional<std::string> nickname;
    std::optional<zkevm_info> zkevm;
};

inline result<client_tokens> parse_credentials(std::string_view tokens_json) {
    error_code ec;
    auto v = boost::json::parse(tokens_json, ec);
    if (ec || !v.is_object()) return error::invalid_credentials;
    const auto& o = v.get_object();
    const auto* at = o.if_contains("accessToken");
    const auto* profile = o.if_contains("profile");
    const auto* exp = o.if_contains("accessTokenExpires");
    if (!at || !at->is_string() || at->get_string().empty() || !profile || !profile->is_object() || !exp ||
        !exp->is_number())
        return error::invalid_credentials;
    const auto* sub = profile->get_object().if_contains("sub");
    if (!sub || !sub->is_string() || sub->get_string().empty()) return error::invalid_credentials;
    const double e = exp->to_number<double>();
    if (!std::isfinite(e) || std::fabs(e) >= 9.0e18) return error::invalid_credentials; // not an int64 of ms
    client_tokens t;
    t.access_token = std::string(at->get_string());
    t.refresh_token = authpp::detail::optional_string(o.if_contains("refreshToken"));
    t.id_token = authpp::detail::optional_string(o.if_contains("idToken"));
    t.access_token_expires = static_cast<std::int64_t>(e);
    t.sub = std::string(sub->get_string());
    t.email = authpp::detail::optional_string(profile->get_object().if_contains("email"));
    t.nickname = authpp::detail::optional_string(profile->get_object().if_contains("nickname"));
    t.zkevm = authpp::detail::optional_zkevm(o.if_contains("zkEvm"));
    return t;
}

inline http::request make_userinfo_request(const auth_options& o, std::string_view access_token) {
    http::request r;
    r.method = "GET";
    r.url = o.resolved_userinfo_endpoint();
    r.headers.emplace_back("Authorization", "Bearer " + std::string(access_token));
    r.headers.emplace_back("Accept", "application/json");
    return r;
}

/// What a userinfo endpoint said about an access token's user.
struct userinfo {
    std::string sub;
    std::optional<std::string> email;
    std::optional<std::string> nickname;
};

/// The userinfo endpoint's answer: a 2xx JSON object with a string `sub`,
/// else userinfo_rejected.
inline result<userinfo> parse_userinfo(const error_code& transport_error, const http::response& r) {
    if (transport_error || r.status < 200 || r.status >= 300) return error::userinfo_rejected;
    error_code ec;
    auto v = boost::json::parse(r.body, ec);
    if (ec || !v.is_object()) return error::userinfo_rejected;
    const auto& info = v.get_object();
    const auto* sub = info.if_contains("sub");
    if (!sub || !sub->is_string()) return error::userinfo_rejected;
    return userinfo{std::string(sub->get_string()), authpp::detail::optional_string(info.if_contains("email")),
                    authpp::detail::optional_string(info.if_contains("nickname"))};
}

/// The signed-in user, when userinfo accepted the token and names the same sub.
inline result<signed_in_user> verify_userinfo(const error_code& transport_error, const http::response& r,
                                              const client_tokens& t) {
    auto info = parse_userinfo(transport_error, r);
    if (!info) return info.error();
    if (info->sub != t.sub) return error::userinfo_mismatch;
    signed_in_user u;
    u.sub = t.sub;
    u.email = info->email ? std::move(info->email) : t.email;
    u.nickname = info->nickname ? std::move(info->nickname) : t.nickname;
    u.access_token = t.access_token;
    u.refresh_token = t.refresh_token;
    u.id_token = t.id_token;
    u.access_token_expires = t.access_token_expires;
    u.zkevm = t.zkevm;
    return u;
}

} // namespace authpp::oauth
