// Set-Cookie values: attributes, safe defaults, and what browsers would reject.
#include <authpp/cookie/set_cookie.hpp>

#include <catch2/catch.hpp>

#include <limits>

using namespace authpp;
using cookie::cookie_options;
using cookie::same_site_policy;

TEST_CASE("defaults: Path=/, HttpOnly, SameSite=Lax") {
    auto h = cookie::set_cookie_header("authjs.session-token", "abc", cookie_options{});
    REQUIRE(h.has_value());
    CHECK(*h == "authjs.session-token=abc; Path=/; HttpOnly; SameSite=Lax");
}

TEST_CASE("every attribute, with the expiry as an HTTP date") {
    cookie_options o;
    o.secure = true;
    o.domain = "example.com";
    o.path = "/app";
    o.max_age = 3600;
    o.expires = 1795500000; // 2026-11-24T06:00:00Z, a Tuesday
    o.same_site = same_site_policy::strict;
    auto h = cookie::set_cookie_header("__Secure-authjs.session-token", "v", o);
    REQUIRE(h.has_value());
    // In the `cookie` package's order, so Auth.js and authpp write the same bytes.
    CHECK(*h == "__Secure-authjs.session-token=v; Max-Age=3600; Domain=example.com; Path=/app; "
                "Expires=Tue, 24 Nov 2026 06:00:00 GMT; HttpOnly; Secure; SameSite=Strict");
    o.partitioned = true;
    CHECK(cookie::set_cookie_header("x", "v", o).value().ends_with("; HttpOnly; Secure; Partitioned; SameSite=Strict"));

    o.same_site = same_site_policy::none;
    o.http_only = false;
    h = cookie::set_cookie_header("x", "1", o);
    REQUIRE(h.has_value());
    CHECK(h->find("SameSite=None") != std::string::npos);
    CHECK(h->find("HttpOnly") == std::string::npos);
    cookie_options gone;
    gone.max_age = 0;
    CHECK(cookie::set_cookie_header("x", "", gone).value().find("Max-Age=0") != std::string::npos);
}

TEST_CASE("what a browser would refuse is refused here") {
    cookie_options plain;
    CHECK(cookie::set_cookie_header("__Secure-x", "1", plain).error() == error::invalid_cookie);
    CHECK(cookie::set_cookie_header("__Host-x", "1", plain).error() == error::invalid_cookie);
    cookie_options none;
    none.same_site = same_site_policy::none;
    CHECK(cookie::set_cookie_header("x", "1", none).error() == error::invalid_cookie); // None needs Secure
    for (const char* name : {"", "a b", "a;b", "a=b", "a\r\nb", "é"}) {
        INFO(name);
        CHECK(cookie::set_cookie_header(name, "1", plain).error() == error::invalid_cookie);
    }
    for (const char* value : {"a b", "a;b", "a,b", "a\"b", "a\\b", "a\nb"}) {
        INFO(value);
        CHECK(cookie::set_cookie_header("x", value, plain).error() == error::invalid_cookie);
    }
}

TEST_CASE("every attribute can be left out") {
    cookie_options bare;
    bare.path.clear();
    bare.http_only = false;
    bare.same_site = same_site_policy::unset;
    CHECK(cookie::set_cookie_header("x", "", bare).value() == "x=");
    bare.max_age = -1;
    CHECK(cookie::set_cookie_header("x", "", bare).value() == "x=; Max-Age=-1");
}

TEST_CASE("http_date across epochs, leap days and far futures") {
    CHECK(cookie::http_date(0) == "Thu, 01 Jan 1970 00:00:00 GMT");
    CHECK(cookie::http_date(-1) == "Wed, 31 Dec 1969 23:59:59 GMT");
    CHECK(cookie::http_date(951782400) == "Tue, 29 Feb 2000 00:00:00 GMT");
    CHECK(cookie::http_date(2147483648) == "Tue, 19 Jan 2038 03:14:08 GMT");
    CHECK(cookie::http_date(253402300799) == "Fri, 31 Dec 9999 23:59:59 GMT");
    CHECK(cookie::http_date(-2207520000) == "Thu, 18 Jan 1900 00:00:00 GMT");
}

TEST_CASE("an Expires outside the years an HTTP date can carry is refused, not printed garbled") {
    cookie_options o;
    o.expires = 253402300799; // 9999-12-31T23:59:59Z
    CHECK(cookie::set_cookie_header("a", "b", o).has_value());
    for (std::int64_t t : {std::int64_t{253402300800}, std::int64_t{-62135596801}, std::numeric_limits<std::int64_t>::max(),
                           std::numeric_limits<std::int64_t>::min()}) {
        INFO(t);
        o.expires = t;
        auto r = cookie::set_cookie_header("a", "b", o);
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error() == error::time_out_of_range);
    }
}

TEST_CASE("cookie prefixes: allowed exactly when the browser allows them") {
    cookie_options secure;
    secure.secure = true;
    CHECK(cookie::set_cookie_header("__Secure-authjs.session-token", "v", secure).has_value());
    CHECK(cookie::set_cookie_header("__Host-x", "v", secure).value() ==
          "__Host-x=v; Path=/; HttpOnly; Secure; SameSite=Lax");
    auto with_domain = secure;
    with_domain.domain = "example.com";
    CHECK(cookie::set_cookie_header("__Host-x", "v", with_domain).error() == error::invalid_cookie);
    CHECK(cookie::set_cookie_header("__Secure-x", "v", with_domain).has_value());
    auto sub_path = secure;
    sub_path.path = "/app";
    CHECK(cookie::set_cookie_header("__Host-x", "v", sub_path).error() == error::invalid_cookie);
    auto none = secure;
    none.same_site = same_site_policy::none;
    CHECK(cookie::set_cookie_header("x", "v", none).value().ends_with("; Secure; SameSite=None"));
}

TEST_CASE("attribute values cannot smuggle attributes in") {
    for (const auto& bad : {std::string("/a; Domain=evil.com"), std::string("/a\r\nSet-Cookie: x=1"),
                            std::string("/a\0b", 4)}) {
        cookie_options o;
        o.path = bad;
        INFO(bad);
        CHECK(cookie::set_cookie_header("x", "v", o).error() == error::invalid_cookie);
        cookie_options d;
        d.domain = std::string("example.com") + bad;
        CHECK(cookie::set_cookie_header("x", "v", d).error() == error::invalid_cookie);
    }
    cookie_options del;
    del.path = std::string("/a\x7f");
    CHECK(cookie::set_cookie_header("x", "v", del).error() == error::invalid_cookie);
}

TEST_CASE("every base64url and JWE character is a valid cookie value") {
    const std::string jwe_chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.";
    auto h = cookie::set_cookie_header("authjs.session-token", jwe_chars, cookie_options{});
    REQUIRE(h.has_value());
    CHECK(h->starts_with("authjs.session-token=" + jwe_chars + "; "));
    CHECK(cookie::set_cookie_header("x", "a=b", cookie_options{}).has_value()); // '=' is a cookie-octet
    std::string big(100 * 1024, 'A');
    CHECK(cookie::set_cookie_header("x", big, cookie_options{}).value().size() > big.size());
}
