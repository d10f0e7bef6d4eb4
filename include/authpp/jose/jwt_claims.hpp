// authpp/jose/jwt_claims.hpp — reading the claims of a JWS compact token
// WITHOUT verifying its signature.
//
// For exactly two uses, as in the reference: the access token's `exp` (to
// know when to refresh; the provider, not us, validates the token) and the
// id token's `passport` claim right after the provider handed it to us over
// TLS. Never use this to decide who a user is.
#pragma once

#include <authpp/error.hpp>
#include <authpp/crypto/base64.hpp>

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>

#include <string>
#include <string_view>

namespace authpp::jose {

/// The payload of a three-part JWT as a JSON object, unverified. Accepts
/// padded or unpadded base64url in the payload (providers differ).
inline result<boost::json::object> peek_jwt_claims(std::string_view jwt) {
    const auto d1 = jwt.find('.');
    if (d1 == std::string_view::npos) return error::malformed_token;
    const auto d2 = jwt.find('.', d1 + 1);
    if (d2 == std::string_view::npos || jwt.find('.', d2 + 1) != std::string_view::npos)
        return error::malformed_token;
    std::string_view payload = jwt.substr(d1 + 1, d2 - d1 - 1);
    while (!payload.empty() && payload.back() == '=') payload.remove_suffix(1);
    auto bytes = crypto::base64url_decode(payload);
    if (!bytes) return bytes.error();
    error_code ec;
    auto v = boost::json::parse(*bytes, ec);
    if (ec || !v.is_object()) return error::malformed_payload;
    return std::move(v.get_object());
}

} // namespace authpp::jose
