// authpp/detail/civil_time.hpp — Unix time as a UTC calendar date and time of
// day, for the two places that write dates: Set-Cookie's Expires
// (http_date) and the session's `expires` (iso8601).
#pragma once

#include <cstdint>

namespace authpp::detail {

struct civil_time {
    std::int64_t year = 1970;
    int month = 1;   ///< 1..12
    int day = 1;     ///< 1..31
    int weekday = 4; ///< 0 = Sunday (1 January 1970 was a Thursday)
    int hour = 0, minute = 0, second = 0;
};

/// The UTC date and time of `unix_seconds` (negative ones included), by
/// Howard Hinnant's civil_from_days.
constexpr civil_time to_civil(std::int64_t unix_seconds) noexcept {
    std::int64_t days = unix_seconds / 86400, secs = unix_seconds % 86400;
    if (secs < 0) {
        secs += 86400;
        --days;
    }
    civil_time c;
    c.weekday = static_cast<int>(((days + 4) % 7 + 7) % 7);
    c.hour = static_cast<int>(secs / 3600);
    c.minute = static_cast<int>(secs / 60 % 60);
    c.second = static_cast<int>(secs % 60);
    const std::int64_t z = days + 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const std::int64_t doe = z - era * 146097;
    const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const std::int64_t mp = (5 * doy + 2) / 153;
    c.day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
    c.month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
    c.year = yoe + era * 400 + (c.month <= 2 ? 1 : 0);
    return c;
}

} // namespace authpp::detail
