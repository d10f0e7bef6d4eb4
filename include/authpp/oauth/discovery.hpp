// authpp/oauth/discovery.hpp — OpenID Connect Discovery 1.0, sans I/O:
// GET {authentication_domain}/.well-known/openid-configuration and take the
// token, userinfo and authorization endpoints from it.
#pragma once

#include <authpp/error.hpp>
#include <authpp/http/message.hpp>
#include <authpp/options.hpp>

#include <boost/json/parse.hpp>

#include <string>
#include <string_view>

namespace authpp::oauth {

inline http::request make_discovery_request(const auth_options& o) {
    std::string_view base = o.authentication_domain;
    while (!base.empty() && base.back() == '/') base.remove_suffix(1);
    http::request r;
    r.method = "GET";
    r.url = std::string(base) + "/.well-known/openid-configuration";
    r.headers.emplace_back("Accept", "application/json");
    return r;
}

/// Applies a discovery document to `o`: endpoints already set explicitly are
/// kept. The document's `issuer` must be the authentication domain (§4.3), and
/// the endpoints must be http(s) URLs on an https issuer's scheme; otherwise
/// `o` is left as it was and error::discovery_failed is returned.
inline error_code apply_discovery(auth_options& o, const error_code& transport_error, const http::response& r) {
    if (transport_error || r.status != 200) return error::discovery_failed;
    error_code ec;
    auto v = boost::json::parse(r.body, ec);
    if (ec || !v.is_object()) return error::discovery_failed;
    const auto& doc = v.get_object();
    auto str = [&](std::string_view k) -> std::string_view {
        const auto* x = doc.if_contains(k);
        return x && x->is_string() ? std::string_view(x->get_string()) : std::string_view{};
    };
    auto trim = [](std::string_view s) {
        while (!s.empty() && s.back() == '/') s.remove_suffix(1);
        return s;
    };
    if (trim(str("issuer")) != trim(o.authentication_domain)) return error::discovery_failed;
    const bool https = std::string_view(o.authentication_domain).starts_with("https://");
    auto usable = [&](std::string_view url) {
        return url.starts_with("https://") || (!https && url.starts_with("http://"));
    };
    const auto token = str("token_endpoint");
    const auto userinfo = str("userinfo_endpoint");
    const auto authorization = str("authorization_endpoint");
    if (!usable(token) || (!userinfo.empty() && !usable(userinfo)) ||
        (!authorization.empty() && !usable(authorization)))
        return error::discovery_failed;
    if (o.token_endpoint.empty()) o.token_endpoint = std::string(token);
    if (o.userinfo_endpoint.empty() && !userinfo.empty()) o.userinfo_endpoint = std::string(userinfo);
    if (o.authorization_endpoint.empty() && !authorization.empty())
        o.authorization_endpoint = std::string(authorization);
    return {};
}

} // namespace authpp::oauth
