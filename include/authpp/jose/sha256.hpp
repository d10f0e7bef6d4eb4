// authpp/jose/sha256.hpp — SHA-256 one-shot digests, the one place that asks
// OpenSSL for them (PKCE challenges, CSRF hashes, refresh and session keys).
#pragma once

#include <authpp/crypto/hex.hpp>
#include <authpp/jose/base64url.hpp>
#include <authpp/jose/detail/openssl.hpp>

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace authpp::jose {

using sha256_digest = std::array<std::uint8_t, 32>;

/// SHA-256 of `in`. OpenSSL fails here only when its SHA-256 provider is
/// missing (a broken installation); the digest is then all zeros.
inline sha256_digest sha256(std::string_view in) noexcept {
    sha256_digest md{};
    unsigned int n = 0;
    if (EVP_Digest(in.data(), in.size(), md.data(), &n, detail::sha256(), nullptr) != 1 || n != md.size()) md.fill(0);
    return md;
}

/// base64url(SHA-256(in)): 43 characters.
inline std::string sha256_base64url(std::string_view in) {
    const auto md = sha256(in);
    return base64url_encode(std::span<const std::uint8_t>(md));
}

/// Lower-case hex SHA-256(in): 64 characters.
inline std::string sha256_hex(std::string_view in) {
    const auto md = sha256(in);
    return crypto::hex(md);
}

} // namespace authpp::jose
