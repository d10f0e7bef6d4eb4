// authpp/constants.hpp — names and sizes fixed by Auth.js's wire format.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace authpp {

/// Session cookie name over plain HTTP; also the HKDF salt of its key.
inline constexpr std::string_view session_cookie_name = "authjs.session-token";
/// Session cookie name over HTTPS (the browser enforces Secure on `__Secure-`).
inline constexpr std::string_view secure_session_cookie_name = "__Secure-authjs.session-token";

/// Auth.js splits a cookie value longer than this into `name.0`, `name.1`, …
/// (4096 bytes a browser keeps per cookie, less 160 for name and attributes).
inline constexpr std::size_t cookie_chunk_size = 4096 - 160;

/// Auth.js's default session lifetime (30 days), used when none is given.
inline constexpr std::int64_t authjs_default_max_age = 30 * 24 * 60 * 60;

/// Leeway Auth.js grants on `exp` and `nbf`, in seconds.
inline constexpr std::int64_t clock_tolerance = 15;
/// How deeply claims may nest. JSON.parse has no limit; Boost.JSON's default
/// (32) would refuse sessions Auth.js accepts. The parser does not recurse,
/// so this only bounds the work a hostile cookie can cause.
inline constexpr std::size_t max_claims_depth = 256;

} // namespace authpp
