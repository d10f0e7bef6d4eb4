// authpp/jose/jwk_thumbprint.hpp — RFC 7638 thumbprint of a symmetric ("oct") JWK.
#pragma once

#include <authpp/crypto/base64.hpp>
#include <authpp/crypto/secure_erase.hpp>
#include <authpp/crypto/sha.hpp>
#include <authpp/error.hpp>

#include <cstdint>
#include <span>
#include <string>

namespace authpp::jose {

/// The RFC 7638 thumbprint of {"kty":"oct","k":base64url(key)}: the hash of
/// the canonical member order {"k":…,"kty":"oct"}, base64url-encoded. Like
/// Auth.js, the hash is SHA-(8 × key length): SHA-512 for a 64-byte
/// A256CBC-HS512 key, SHA-256 for a 32-byte A256GCM key.
inline result<std::string> oct_jwk_thumbprint(std::span<const std::uint8_t> key) {
    if (key.size() != 64 && key.size() != 32) return error::unsupported_algorithm;
    std::string canonical = R"({"k":")";
    crypto::base64url_encode(key, canonical);
    canonical += R"(","kty":"oct"})";
    std::string out;
    if (key.size() == 64) {
        const auto md = crypto::sha512(canonical);
        crypto::base64url_encode(std::span<const std::uint8_t>(md), out);
    } else {
        const auto md = crypto::sha256(canonical);
        crypto::base64url_encode(std::span<const std::uint8_t>(md), out);
    }
    crypto::secure_erase(canonical);
    return out;
}

} // namespace authpp::jose
