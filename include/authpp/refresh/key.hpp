// authpp/refresh/key.hpp — what refresh coordination calls a refresh token:
// base64url(SHA-256(token)).
//
// Every table, store key and log line of the coordination uses this key, so
// the refresh token itself is never written anywhere it could leak from (a
// Redis keyspace, a MONITOR session, a crash dump of the lock table).
#pragma once

#include <authpp/crypto/sha.hpp>

#include <string>
#include <string_view>

namespace authpp::refresh {

/// base64url(SHA-256(refresh_token)), 43 characters.
inline std::string token_key(std::string_view refresh_token) { return crypto::sha256_base64url(refresh_token); }

} // namespace authpp::refresh
