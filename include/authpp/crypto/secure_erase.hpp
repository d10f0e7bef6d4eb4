// authpp/crypto/secure_erase.hpp — forgetting secrets: keys, plaintext
// sessions and tokens are overwritten before their memory is released.
#pragma once

#include <openssl/crypto.h>

#include <cstddef>

namespace authpp::crypto {

/// Overwrites `n` bytes at `p` in a way the compiler does not drop.
inline void secure_erase(void* p, std::size_t n) noexcept {
    if (n) OPENSSL_cleanse(p, n);
}

/// Overwrites a contiguous container's bytes (std::string, std::array,
/// std::vector of bytes); its size is unchanged.
template <class Bytes>
void secure_erase(Bytes& b) noexcept
    requires requires { b.data(); b.size(); }
{
    secure_erase(static_cast<void*>(b.data()), b.size() * sizeof(*b.data()));
}

} // namespace authpp::crypto
