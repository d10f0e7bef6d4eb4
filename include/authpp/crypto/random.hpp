// authpp/crypto/random.hpp — unpredictable bytes from OpenSSL's CSPRNG, and
// the encodings authpp hands them out in (CSRF tokens, PKCE verifiers, state,
// nonce, session ids, owner ids, IVs). The one place RAND_bytes is called.
#pragma once

#include <authpp/crypto/hex.hpp>
#include <authpp/error.hpp>
#include <authpp/crypto/base64.hpp>

#include <openssl/rand.h>

#include <climits>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace authpp::crypto {

/// Fills `out` with random bytes; false when the CSPRNG failed.
inline bool random_bytes(std::span<std::uint8_t> out) noexcept {
    return out.size() <= static_cast<std::size_t>(INT_MAX) &&
           RAND_bytes(out.data(), static_cast<int>(out.size())) == 1;
}

/// `n` random bytes as lower-case hex (Auth.js's randomString(n)).
inline result<std::string> random_hex(std::size_t n) {
    std::vector<std::uint8_t> b(n);
    if (!random_bytes(b)) return error::crypto_failure;
    return hex(b);
}

/// `n` random bytes as unpadded base64url (oauth4webapi's generateRandom*).
inline result<std::string> random_base64url(std::size_t n = 32) {
    std::vector<std::uint8_t> b(n);
    if (!random_bytes(b)) return error::crypto_failure;
    return base64url_encode(std::span<const std::uint8_t>(b));
}

} // namespace authpp::crypto
