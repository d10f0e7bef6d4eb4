// authpp/crypto/sha.hpp — one-shot SHA digests, the one place that asks
// OpenSSL for them: SHA-256 (PKCE challenges, CSRF hashes, refresh and
// session keys, A256GCM key thumbprints), SHA-512 (A256CBC-HS512 key
// thumbprints) and SHA-1 (only the names Redis gives Lua scripts).
#pragma once

#include <authpp/crypto/base64.hpp>
#include <authpp/crypto/detail/openssl.hpp>
#include <authpp/crypto/hex.hpp>

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace authpp::crypto {

using sha256_digest = std::array<std::uint8_t, 32>;
using sha512_digest = std::array<std::uint8_t, 64>;

namespace detail {

// OpenSSL fails here only when the digest's provider is missing (a broken
// installation); the digest is then all zeros.
template <std::size_t N>
std::array<std::uint8_t, N> digest(const EVP_MD* md, std::string_view in) noexcept {
    std::array<std::uint8_t, N> out{};
    unsigned int n = 0;
    if (!md || EVP_Digest(in.data(), in.size(), out.data(), &n, md, nullptr) != 1 || n != N) out.fill(0);
    return out;
}

} // namespace detail

/// SHA-256 of `in`.
inline sha256_digest sha256(std::string_view in) noexcept { return detail::digest<32>(detail::sha256(), in); }

/// SHA-512 of `in`.
inline sha512_digest sha512(std::string_view in) noexcept { return detail::digest<64>(detail::sha512(), in); }

/// base64url(SHA-256(in)): 43 characters.
inline std::string sha256_base64url(std::string_view in) {
    const auto md = sha256(in);
    return base64url_encode(std::span<const std::uint8_t>(md));
}

/// Lower-case hex SHA-256(in): 64 characters.
inline std::string sha256_hex(std::string_view in) { return hex(sha256(in)); }

/// Lower-case hex SHA-1(in): 40 characters. Not for security: Redis names a
/// Lua script by it (EVALSHA).
inline std::string sha1_hex(std::string_view in) { return hex(detail::digest<20>(EVP_sha1(), in)); }

} // namespace authpp::crypto
