// jose/jwt_claims.hpp: the unverified peek at a JWT's claims, and its two
// users in oauth/refresh.hpp (the access token's expiry, the id token's
// zkEVM addresses), on the input as a token; then the input as the payload
// of a JWT (padded and unpadded): the peek gives exactly the JSON object it
// holds, or fails when it is not one.
#include "fuzz_common.hpp"

#include <authpp/crypto/base64.hpp>
#include <authpp/jose/jwt_claims.hpp>
#include <authpp/oauth/refresh.hpp>

#include <boost/json/parse.hpp>

#include <optional>
#include <span>
#include <string>

namespace {

constexpr std::int64_t now_ms = authpp_fuzz::now * 1000;

void use_token(std::string_view jwt) {
    using namespace authpp;
    const auto claims = jose::peek_jwt_claims(jwt);
    if (!claims)
        FUZZ_CHECK(claims.error() == error::malformed_token || claims.error() == error::bad_base64url ||
                   claims.error() == error::malformed_payload);

    const auto zk = oauth::extract_zkevm_from_id_token(jwt);
    if (zk) FUZZ_CHECK(claims && !zk->eth_address.empty() && !zk->user_admin_address.empty());

    for (std::optional<double> expires_in : {std::optional<double>{}, std::optional<double>{3600.0}}) {
        const std::int64_t at = oauth::access_token_expiry(jwt, expires_in, now_ms);
        if (!claims || !claims->contains("exp")) {
            // No usable exp: expires_in, else the fallback, both after now.
            FUZZ_CHECK(at > now_ms);
            if (expires_in) FUZZ_CHECK(at == now_ms + 3'600'000);
        }
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view in = authpp_fuzz::as_view(data, size);
    use_token(in);

    // The input as the payload of a JWT.
    boost::json::error_code ec;
    const auto v = boost::json::parse(in, ec);
    const bool object = !ec && v.is_object();
    std::string jwt = "eyJhbGciOiJSUzI1NiJ9.";
    authpp::crypto::base64url_encode(std::span<const std::uint8_t>(data, size), jwt);
    for (int padded = 0; padded < 2; ++padded) {
        if (padded)
            while (jwt.size() % 4 != 1) jwt += '='; // "xxx." + payload: pad the payload to 4k
        const std::string token = jwt + ".c2lnbmF0dXJl";
        const auto claims = authpp::jose::peek_jwt_claims(token);
        FUZZ_CHECK(claims.has_value() == object);
        if (object) FUZZ_CHECK(*claims == v.get_object());
        else FUZZ_CHECK(claims.error() == authpp::error::malformed_payload);
        use_token(token);
    }
    return 0;
}
