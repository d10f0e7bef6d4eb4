// authpp/crypto/constant_time.hpp — comparing and forgetting secrets.
#pragma once

#include <openssl/crypto.h>

#include <string_view>

namespace authpp::crypto {

/// Equality of two secrets without an early exit on the first difference
/// (the lengths are not secret).
inline bool constant_time_equals(std::string_view a, std::string_view b) noexcept {
    return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

/// Overwrites a secret's bytes in a way the compiler does not drop.
template <class Bytes>
void secure_erase(Bytes& b) noexcept {
    if (!b.empty()) OPENSSL_cleanse(b.data(), b.size());
}

} // namespace authpp::crypto
