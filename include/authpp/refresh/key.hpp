// authpp/refresh/key.hpp — what refresh coordination calls a refresh token:
// base64url(SHA-256(token)).
//
// Every table, store key and log line of the coordination uses this key, so
// the refresh token itself is never written anywhere it could leak from (a
// Redis keyspace, a MONITOR session, a crash dump of the lock table).
#pragma once

#include <authpp/jose/base64url.hpp>
#include <authpp/jose/detail/openssl.hpp>

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace authpp::refresh {

/// base64url(SHA-256(refresh_token)), 43 characters; empty if hashing failed.
inline std::string token_key(std::string_view refresh_token) {
    std::array<std::uint8_t, 32> digest{};
    unsigned int n = 0;
    if (EVP_Digest(refresh_token.data(), refresh_token.size(), digest.data(), &n, jose::detail::sha256(), nullptr) != 1 ||
        n != digest.size())
        return {};
    return jose::base64url_encode(std::span<const std::uint8_t>(digest));
}

} // namespace authpp::refresh
