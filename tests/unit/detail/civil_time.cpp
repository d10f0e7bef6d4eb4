// detail/civil_time.hpp: Unix seconds as UTC calendar fields, across the
// epoch, leap days, centuries and far futures; and ISO 8601 back to seconds.
#include <authpp/detail/civil_time.hpp>

#include <catch2/catch.hpp>

using namespace authpp;

namespace {
bool is(const detail::civil_time& c, std::int64_t y, int mo, int d, int wd, int h, int mi, int s) {
    return c.year == y && c.month == mo && c.day == d && c.weekday == wd && c.hour == h && c.minute == mi &&
           c.second == s;
}
} // namespace

TEST_CASE("to_civil: known instants") {
    CHECK(is(detail::to_civil(0), 1970, 1, 1, 4, 0, 0, 0));
    CHECK(is(detail::to_civil(-1), 1969, 12, 31, 3, 23, 59, 59));
    CHECK(is(detail::to_civil(951782400), 2000, 2, 29, 2, 0, 0, 0));     // a leap day of a leap century
    CHECK(is(detail::to_civil(4107542400), 2100, 3, 1, 1, 0, 0, 0));     // 2100 is not a leap year
    CHECK(is(detail::to_civil(1831536300), 2028, 1, 15, 6, 8, 5, 0));    // a session's expiry in the tests
    CHECK(is(detail::to_civil(2147483648), 2038, 1, 19, 2, 3, 14, 8));
    CHECK(is(detail::to_civil(253402300799), 9999, 12, 31, 5, 23, 59, 59));
    CHECK(is(detail::to_civil(-2208988800), 1900, 1, 1, 1, 0, 0, 0));
}

TEST_CASE("to_civil: every weekday in order, and the extremes do not overflow") {
    for (int i = 0; i < 14; ++i) CHECK(detail::to_civil(std::int64_t{i} * 86400).weekday == (4 + i) % 7);
    const auto hi = detail::to_civil(INT64_MAX);
    CHECK(hi.month >= 1);
    CHECK(hi.month <= 12);
    const auto lo = detail::to_civil(INT64_MIN + 86400);
    CHECK(lo.day >= 1);
    CHECK(lo.day <= 31);
}

TEST_CASE("days_from_civil inverts to_civil") {
    for (std::int64_t t : {std::int64_t{0}, std::int64_t{951782400}, std::int64_t{-2208988800},
                           std::int64_t{253402300799}, std::int64_t{1831536300}}) {
        const auto c = detail::to_civil(t);
        CHECK(detail::days_from_civil(c.year, c.month, c.day) * 86400 + c.hour * 3600 + c.minute * 60 + c.second ==
              t);
    }
}

TEST_CASE("parse_iso8601: the forms backends send") {
    CHECK(detail::parse_iso8601("1970-01-01T00:00:00Z") == 0);
    CHECK(detail::parse_iso8601("2030-01-01T00:00:00Z") == 1893456000);
    CHECK(detail::parse_iso8601("2030-01-01T00:00:00.123456Z") == 1893456000);
    CHECK(detail::parse_iso8601("2030-01-01T02:00:00+02:00") == 1893456000);
    CHECK(detail::parse_iso8601("2029-12-31T19:00:00-05:00") == 1893456000);
    CHECK(detail::parse_iso8601("2030-01-01T00:00:00") == 1893456000); // no zone: UTC
    CHECK(detail::parse_iso8601("2030-01-01 00:00:00z") == 1893456000);
    CHECK(detail::parse_iso8601("2000-02-29T00:00:00Z") == 951782400);
}

TEST_CASE("parse_iso8601: malformed input is nullopt") {
    for (const char* s : {"", "2030", "2030-01-01", "2030-01-01T00:00Z", "2030-13-01T00:00:00Z",
                          "2030-02-30T00:00:00Z", "2001-02-29T00:00:00Z", "2030-01-01T24:00:00Z",
                          "2030-01-01T00:60:00Z", "2030-01-01T00:00:00.Z", "2030-01-01T00:00:00+2:00",
                          "2030-01-01T00:00:00+02", "2030-01-01T00:00:00Zjunk", "2030-01-01X00:00:00Z",
                          "-030-01-01T00:00:00Z", "2030-1-01T00:00:00Z", "２０３０-01-01T00:00:00Z"}) {
        INFO(s);
        CHECK_FALSE(detail::parse_iso8601(s));
    }
}

TEST_CASE("civil_time: parse_iso8601_ms keeps milliseconds, format_iso8601_ms writes toISOString's form") {
    using authpp::detail::format_iso8601_ms;
    using authpp::detail::parse_iso8601_ms;
    CHECK(parse_iso8601_ms("2027-01-15T08:15:00.123Z") == 1'800'000'900'123);
    CHECK(parse_iso8601_ms("2027-01-15T08:15:00.1239Z") == 1'800'000'900'123);
    CHECK(parse_iso8601_ms("2027-01-15T08:15:00.5Z") == 1'800'000'900'500);
    CHECK(parse_iso8601_ms("1969-12-31T23:59:59.500Z") == -500);
    CHECK(authpp::detail::parse_iso8601("1969-12-31T23:59:59.500Z") == -1);
    CHECK(format_iso8601_ms(1'800'000'900'123) == "2027-01-15T08:15:00.123Z");
    CHECK(format_iso8601_ms(-500) == "1969-12-31T23:59:59.500Z");
    CHECK(parse_iso8601_ms(format_iso8601_ms(951'782'400'007)) == 951'782'400'007); // 29 February 2000
    CHECK(format_iso8601_ms(0) == "1970-01-01T00:00:00.000Z");
    CHECK(format_iso8601_ms(253'402'300'799'999) == "9999-12-31T23:59:59.999Z"); // the last four-digit year
    // Beyond four digits: printf's widths (unreachable from a session: validate() caps max age at a century).
    CHECK(format_iso8601_ms(253'402'300'800'000) == "10000-01-01T00:00:00.000Z");
    CHECK(format_iso8601_ms(-62'167'219'200'001) == "-001-12-31T23:59:59.999Z");
}

TEST_CASE("civil_time: parse_imf_fixdate reads Date.toUTCString()'s form and nothing else") {
    using authpp::detail::parse_imf_fixdate;
    CHECK(parse_imf_fixdate("Fri, 15 Jan 2027 08:15:00 GMT") == 1'800'000'900);
    CHECK(parse_imf_fixdate("Thu, 01 Jan 1970 00:00:00 GMT") == 0);
    CHECK(parse_imf_fixdate("Tue, 29 Feb 2000 00:00:00 GMT") == 951'782'400);
    for (const char* bad : {"", "Fri, 15 Jan 2027 08:15:00", "Fri, 15 Jan 2027 08:15:00 UTC",
                            "Fri 15 Jan 2027 08:15:00 GMT ", "Fri, 15 Jab 2027 08:15:00 GMT",
                            "Fri, 15 anF 2027 08:15:00 GMT", "Fri, 29 Feb 2027 08:15:00 GMT",
                            "Fri, 15 Jan 2027 24:00:00 GMT", "Fri, 1x Jan 2027 08:15:00 GMT",
                            "Friday, 15-Jan-27 08:15:00 GMT"}) {
        INFO(bad);
        CHECK_FALSE(parse_imf_fixdate(bad));
    }
}
