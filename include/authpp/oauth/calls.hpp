// authpp/oauth/calls.hpp — the OAuth exchanges as plain calls on any
// HttpTransport. (asio.hpp has the same with completion tokens.)
#pragma once

#include <authpp/concepts/http_transport.hpp>
#include <authpp/oauth/discovery.hpp>
#include <authpp/oauth/refresh.hpp>

#include <string_view>

namespace authpp::oauth {

/// The refresh-token grant against options.resolved_token_endpoint().
/// The result says success, a definitive refusal (refresh_rejected), a
/// transient failure (refresh_unavailable) or an unusable 200
/// (bad_token_response), with the provider's error text.
template <HttpTransport T>
refresh_result refresh_access_token(T& transport, const auth_options& o, std::string_view refresh_token,
                                    std::int64_t now_ms) {
    error_code ec;
    auto resp = transport.send(make_refresh_request(o, refresh_token), ec);
    return parse_refresh_response(ec, resp, refresh_token, now_ms);
}

/// OpenID discovery: fills o.token_endpoint and o.userinfo_endpoint from
/// {authentication_domain}/.well-known/openid-configuration unless set.
template <HttpTransport T>
error_code discover(T& transport, auth_options& o) {
    error_code ec;
    auto resp = transport.send(make_discovery_request(o), ec);
    return apply_discovery(o, ec, resp);
}

} // namespace authpp::oauth
