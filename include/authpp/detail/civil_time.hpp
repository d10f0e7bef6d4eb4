// authpp/detail/civil_time.hpp — Unix time as a UTC calendar date and time of
// day, for the places that write dates (Set-Cookie's Expires, the session's
// `expires`), and back from an ISO 8601 date-time a backend sends.
#pragma once

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

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

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
/// days_from_civil); month 1..12, day 1..31, not checked here.
constexpr std::int64_t days_from_civil(std::int64_t y, int m, int d) noexcept {
    y -= m <= 2 ? 1 : 0;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const std::int64_t yoe = y - era * 400;
    const std::int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/// Unix milliseconds of an RFC 3339 / ISO 8601 date-time: YYYY-MM-DDThh:mm:ss,
/// optional fraction (milliseconds kept, finer digits dropped), then 'Z', an
/// offset ±hh:mm or nothing (read as UTC); 't' or ' ' may separate date and
/// time. Anything else — a missing field, a month 13, a 30 February,
/// trailing text — is nullopt.
constexpr std::optional<std::int64_t> parse_iso8601_ms(std::string_view s) noexcept {
    std::size_t i = 0;
    const auto digits = [&](std::size_t n, int& out) {
        if (s.size() - i < n) return false;
        out = 0;
        for (std::size_t k = 0; k < n; ++k, ++i) {
            if (s[i] < '0' || s[i] > '9') return false;
            out = out * 10 + (s[i] - '0');
        }
        return true;
    };
    const auto expect = [&](char c) {
        if (i >= s.size() || s[i] != c) return false;
        ++i;
        return true;
    };
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
    if (!digits(4, y) || !expect('-') || !digits(2, mo) || !expect('-') || !digits(2, d)) return std::nullopt;
    if (i >= s.size() || (s[i] != 'T' && s[i] != 't' && s[i] != ' ')) return std::nullopt;
    ++i;
    if (!digits(2, h) || !expect(':') || !digits(2, mi) || !expect(':') || !digits(2, sec)) return std::nullopt;
    int ms = 0;
    if (i < s.size() && s[i] == '.') {
        ++i;
        const std::size_t start = i;
        for (int scale = 100; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i, scale /= 10) ms += (s[i] - '0') * scale;
        if (i == start) return std::nullopt;
    }
    int offset = 0;
    if (i < s.size() && (s[i] == 'Z' || s[i] == 'z')) {
        ++i;
    } else if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
        const int sign = s[i] == '-' ? -1 : 1;
        ++i;
        int oh = 0, om = 0;
        if (!digits(2, oh) || !expect(':') || !digits(2, om) || oh > 23 || om > 59) return std::nullopt;
        offset = sign * (oh * 3600 + om * 60);
    }
    if (i != s.size()) return std::nullopt;
    constexpr int month_days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (mo < 1 || mo > 12 || d < 1 || d > month_days[mo - 1] || (mo == 2 && d == 29 && !leap) || h > 23 ||
        mi > 59 || sec > 60)
        return std::nullopt;
    return (days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec - offset) * 1000 + ms;
}

/// Unix seconds of an ISO 8601 date-time, as parse_iso8601_ms reads it (the
/// fraction dropped).
constexpr std::optional<std::int64_t> parse_iso8601(std::string_view s) noexcept {
    const auto ms = parse_iso8601_ms(s);
    if (!ms) return std::nullopt;
    return *ms >= 0 ? *ms / 1000 : -((-*ms + 999) / 1000);
}

/// Unix seconds of an IMF-fixdate, the HTTP date JavaScript's
/// Date.toUTCString() writes: "Sun, 06 Nov 1994 08:49:37 GMT". The weekday
/// is not checked against the date; anything else wrong is nullopt.
constexpr std::optional<std::int64_t> parse_imf_fixdate(std::string_view s) noexcept {
    constexpr std::string_view months = "JanFebMarAprMayJunJulAugSepOctNovDec";
    // "Www, DD Mon YYYY hh:mm:ss GMT": fixed width, 29 characters.
    if (s.size() != 29 || s.substr(3, 2) != ", " || s[7] != ' ' || s[11] != ' ' || s[16] != ' ' || s[19] != ':' ||
        s[22] != ':' || s.substr(25) != " GMT")
        return std::nullopt;
    const auto num = [&](std::size_t at, std::size_t n, int& out) {
        out = 0;
        for (std::size_t k = at; k < at + n; ++k) {
            if (s[k] < '0' || s[k] > '9') return false;
            out = out * 10 + (s[k] - '0');
        }
        return true;
    };
    int d = 0, y = 0, h = 0, mi = 0, sec = 0;
    const auto m = months.find(s.substr(8, 3));
    if (m == std::string_view::npos || m % 3 != 0 || !num(5, 2, d) || !num(12, 4, y) || !num(17, 2, h) ||
        !num(20, 2, mi) || !num(23, 2, sec))
        return std::nullopt;
    const int mo = static_cast<int>(m / 3) + 1;
    constexpr int month_days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (d < 1 || d > month_days[mo - 1] || (mo == 2 && d == 29 && !leap) || h > 23 || mi > 59 || sec > 60)
        return std::nullopt;
    return days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec;
}

/// Unix milliseconds as JavaScript's Date.toISOString() writes them:
/// YYYY-MM-DDThh:mm:ss.mmmZ.
inline std::string format_iso8601_ms(std::int64_t ms) {
    std::int64_t s = ms / 1000, msec = ms % 1000;
    if (msec < 0) msec += 1000, --s;
    const auto c = to_civil(s);
    if (c.year < 0 || c.year > 9999) { // outside what four digits hold: printf's widths
        char buf[128]; // room for any field values, so no -Wformat-truncation
        std::snprintf(buf, sizeof buf, "%04lld-%02d-%02dT%02d:%02d:%02d.%03dZ", static_cast<long long>(c.year),
                      c.month, c.day, c.hour, c.minute, c.second, static_cast<int>(msec));
        return buf;
    }
    // The session's `expires` on every request: digits by hand (no printf).
    std::string out = "0000-00-00T00:00:00.000Z";
    auto put = [&out](std::size_t at, std::int64_t v, int width) {
        for (int i = width - 1; i >= 0; --i, v /= 10) out[at + static_cast<std::size_t>(i)] = static_cast<char>('0' + v % 10);
    };
    put(0, c.year, 4);
    put(5, c.month, 2);
    put(8, c.day, 2);
    put(11, c.hour, 2);
    put(14, c.minute, 2);
    put(17, c.second, 2);
    put(20, msec, 3);
    return out;
}

} // namespace authpp::detail
