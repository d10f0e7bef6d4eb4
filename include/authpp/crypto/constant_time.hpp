// authpp/crypto/constant_time.hpp — comparing secrets (tags, CSRF tokens)
// without an early exit that would time the first difference.
#pragma once

#include <openssl/crypto.h>

#include <cstddef>
#include <string_view>

namespace authpp::crypto {

/// Equality of `n` bytes at `a` and `b` in time independent of their contents.
inline bool constant_time_equals(const void* a, const void* b, std::size_t n) noexcept {
    return CRYPTO_memcmp(a, b, n) == 0;
}

/// Equality of two secrets (the lengths are not secret).
inline bool constant_time_equals(std::string_view a, std::string_view b) noexcept {
    return a.size() == b.size() && constant_time_equals(a.data(), b.data(), a.size());
}

} // namespace authpp::crypto
