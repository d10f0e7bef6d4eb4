// authpp/endpoints/pkce.hpp — RFC 7636 proof key (S256 only, as Auth.js).
#pragma once

#include <authpp/endpoints/random.hpp>
#include <authpp/jose/base64url.hpp>

#include <openssl/evp.h>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace authpp::endpoints {

/// A fresh code verifier: 32 random bytes, 43 base64url characters.
inline result<std::string> make_code_verifier() { return random_base64url(32); }

/// BASE64URL(SHA256(ASCII(code_verifier))).
inline std::string code_challenge_s256(std::string_view verifier) {
    std::uint8_t md[32];
    unsigned int len = 0;
    EVP_Digest(verifier.data(), verifier.size(), md, &len, EVP_sha256(), nullptr);
    return jose::base64url_encode(std::span<const std::uint8_t>(md, len));
}

} // namespace authpp::endpoints
