// authpp/endpoints/random.hpp — unpredictable values for CSRF tokens,
// PKCE verifiers, state and nonce, from OpenSSL's CSPRNG.
#pragma once

#include <authpp/error.hpp>
#include <authpp/jose/base64url.hpp>

#include <openssl/rand.h>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace authpp::endpoints {

/// `n` random bytes as lowercase hex (Auth.js's randomString(n)).
inline result<std::string> random_hex(std::size_t n) {
    std::vector<unsigned char> b(n);
    if (RAND_bytes(b.data(), static_cast<int>(n)) != 1) return error::crypto_failure;
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    out.reserve(2 * n);
    for (unsigned char c : b) {
        out += hex[c >> 4];
        out += hex[c & 15];
    }
    return out;
}

/// `n` random bytes as unpadded base64url (oauth4webapi's generateRandom*).
inline result<std::string> random_base64url(std::size_t n = 32) {
    std::vector<unsigned char> b(n);
    if (RAND_bytes(b.data(), static_cast<int>(n)) != 1) return error::crypto_failure;
    return jose::base64url_encode(std::span<const std::uint8_t>(b.data(), b.size()));
}

} // namespace authpp::endpoints
