// split/cookies.hpp: the exact Set-Cookie lines of a session and of its
// end, the one-pass Cookie reader, and the indicator in both directions
// (malformed values included).
#include <authpp/split/cookies.hpp>

#include <catch2/catch.hpp>

using namespace authpp;

namespace {
constexpr std::int64_t expiry = 1'800'000'900'123; // 2027-01-15T08:15:00.123Z
}

TEST_CASE("split cookies: a session's three lines, plain http and https") {
    split::split_options o;
    o.cookies.secure = false;
    const auto lines = split::session_cookies(o, "acc.1", "ref-1", expiry);
    REQUIRE(lines);
    REQUIRE(lines->size() == 3);
    CHECK((*lines)[0] == "access_token=acc.1; Path=/; Expires=Fri, 15 Jan 2027 08:15:00 GMT; SameSite=Lax");
    CHECK((*lines)[1] == "refresh_token=ref-1; Path=/; HttpOnly; SameSite=Lax");
    CHECK((*lines)[2] == "session=2027-01-15T08:15:00.123Z; Path=/; SameSite=Lax");
    o.cookies.secure = true;
    const auto secure = split::session_cookies(o, "acc.1", "ref-1", expiry);
    REQUIRE(secure);
    CHECK((*secure)[0] == "access_token=acc.1; Path=/; Expires=Fri, 15 Jan 2027 08:15:00 GMT; Secure; SameSite=Lax");
    CHECK((*secure)[1] == "refresh_token=ref-1; Path=/; HttpOnly; Secure; SameSite=Lax");
    CHECK((*secure)[2] == "session=2027-01-15T08:15:00.123Z; Path=/; Secure; SameSite=Lax");
}

TEST_CASE("split cookies: tokens no cookie can hold are refused") {
    split::split_options o;
    for (const char* bad : {"a b", "a;b", "a,b", "a\"b", "a\\b", "a\nb"}) {
        INFO(bad);
        CHECK_FALSE(split::session_cookies(o, bad, "r", expiry));
        CHECK_FALSE(split::session_cookies(o, "a", bad, expiry));
    }
    o.max_token_bytes = 8;
    CHECK(split::session_cookies(o, "12345678", "r", expiry));
    CHECK_FALSE(split::session_cookies(o, "123456789", "r", expiry));
}

TEST_CASE("split cookies: clearing writes all three, expired") {
    split::split_options o;
    o.cookies.secure = false;
    const auto lines = split::clearing_cookies(o);
    REQUIRE(lines.size() == 3);
    CHECK(lines[0] == "access_token=; Max-Age=0; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; SameSite=Lax");
    CHECK(lines[1] == "refresh_token=; Max-Age=0; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax");
    CHECK(lines[2] == "session=; Max-Age=0; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; SameSite=Lax");
}

TEST_CASE("split cookies: read_cookies takes the first non-empty of each") {
    split::split_options o;
    const auto c = split::read_cookies(o, "other=1; access_token=; access_token=a1; refresh_token=\"r1\"; "
                                          "session=2027-01-15T08:15:00.123Z; refresh_token=r2");
    CHECK(c.access == std::optional<std::string_view>("a1"));
    CHECK(c.refresh == std::optional<std::string_view>("r1"));
    CHECK(c.indicator == std::optional<std::string_view>("2027-01-15T08:15:00.123Z"));
    const auto none = split::read_cookies(o, "x=1;;=;access_token");
    CHECK_FALSE(none.access);
    CHECK_FALSE(none.refresh);
    CHECK_FALSE(none.indicator);
}

TEST_CASE("split cookies: the indicator round-trips, and the reference's form is read") {
    CHECK(split::indicator_value(expiry) == "2027-01-15T08:15:00.123Z");
    CHECK(split::read_indicator(split::indicator_value(expiry)) == expiry);
    CHECK(split::read_indicator("Fri, 15 Jan 2027 08:15:00 GMT") == 1'800'000'900'000);
    CHECK(split::read_indicator("Fri%2C%2015%20Jan%202027%2008%3A15%3A00%20GMT") == 1'800'000'900'000);
    CHECK(split::read_indicator("2027-01-15T08:15:00Z") == 1'800'000'900'000);
    CHECK(split::read_indicator("2027-01-15T09:15:00.5+01:00") == 1'800'000'900'500);
    for (const char* bad : {"", "soon", "2027-13-15T08:15:00.123Z", "2027-02-30T08:15:00Z", "2027-01-15",
                            "2027-01-15T08:15:00.123Zjunk", "Fri, 15 Foo 2027 08:15:00 GMT",
                            "Fri, 15 Jan 2027 08:15:00 UTC", "Fri, 32 Jan 2027 08:15:00 GMT", "%zz", "%",
                            "Fri, 15 Jan 2027 25:15:00 GMT",
                            "2027-01-15T08:15:00.123Z2027-01-15T08:15:00.123Z2027-01-15T08:15:00.123Z"}) {
        INFO(bad);
        CHECK_FALSE(split::read_indicator(bad));
    }
}
