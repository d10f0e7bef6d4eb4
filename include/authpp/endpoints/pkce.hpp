// authpp/endpoints/pkce.hpp — RFC 7636 proof key (S256 only, as Auth.js).
#pragma once

#include <authpp/crypto/random.hpp>
#include <authpp/crypto/sha.hpp>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace authpp::endpoints {

/// A fresh code verifier: 32 random bytes, 43 base64url characters.
inline result<std::string> make_code_verifier() { return crypto::random_base64url(32); }

/// BASE64URL(SHA256(ASCII(code_verifier))).
inline std::string code_challenge_s256(std::string_view verifier) { return crypto::sha256_base64url(verifier); }

} // namespace authpp::endpoints
