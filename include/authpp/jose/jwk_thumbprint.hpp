// authpp/jose/jwk_thumbprint.hpp — RFC 7638 thumbprint of a symmetric ("oct") JWK.
#pragma once

#include <authpp/error.hpp>
#include <authpp/jose/base64url.hpp>
#include <authpp/jose/detail/openssl.hpp>

#include <cstdint>
#include <span>
#include <string>

namespace authpp::jose {

/// The RFC 7638 thumbprint of {"kty":"oct","k":base64url(key)}: the hash of
/// the canonical member order {"k":…,"kty":"oct"}, base64url-encoded. Like
/// Auth.js, the hash is SHA-(8 × key length): SHA-512 for a 64-byte
/// A256CBC-HS512 key, SHA-256 for a 32-byte A256GCM key.
inline result<std::string> oct_jwk_thumbprint(std::span<const std::uint8_t> key) {
    const EVP_MD* md = nullptr;
    if (key.size() == 64) md = detail::sha512();
    else if (key.size() == 32) md = detail::sha256();
    else return error::unsupported_algorithm;
    std::string canonical = R"({"k":")";
    base64url_encode(key, canonical);
    canonical += R"(","kty":"oct"})";
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (!md || EVP_Digest(canonical.data(), canonical.size(), digest, &len, md, nullptr) != 1)
        return error::crypto_failure;
    OPENSSL_cleanse(canonical.data(), canonical.size());
    return base64url_encode(std::span<const std::uint8_t>(digest, len));
}

} // namespace authpp::jose
