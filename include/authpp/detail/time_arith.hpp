// authpp/detail/time_arith.hpp — sums of times that cannot overflow.
//
// "now + max age" is everywhere in session code, and every operand can come
// from outside (a token's expires_in, a CLI's --now, a user's option, a test
// clock). Signed overflow is undefined behaviour, so each such sum goes
// through one of these: checked_add when an out-of-range time is an error,
// saturating_add when the largest representable time is the right answer
// (a deadline "never").
#pragma once

#include <cstdint>
#include <limits>
#include <optional>

namespace authpp::detail {

/// a + b, or nullopt when it does not fit in 64 bits.
constexpr std::optional<std::int64_t> checked_add(std::int64_t a, std::int64_t b) noexcept {
    std::int64_t out = 0;
    if (__builtin_add_overflow(a, b, &out)) return std::nullopt;
    return out;
}

/// a + b, clamped to the int64 range.
constexpr std::int64_t saturating_add(std::int64_t a, std::int64_t b) noexcept {
    std::int64_t out = 0;
    if (!__builtin_add_overflow(a, b, &out)) return out;
    return b > 0 ? std::numeric_limits<std::int64_t>::max() : std::numeric_limits<std::int64_t>::min();
}

/// Unix seconds that an HTTP date (IMF-fixdate, a four-digit year) can
/// carry: 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z.
inline constexpr std::int64_t min_http_date = -62135596800;
inline constexpr std::int64_t max_http_date = 253402300799;

} // namespace authpp::detail
