// Set-Cookie values: attributes, safe defaults, and what browsers would reject.
#include <authpp/cookie/set_cookie.hpp>

#include <catch2/catch.hpp>

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
    CHECK(h->starts_with("__Secure-authjs.session-token=v; "));
    CHECK(h->find("; Path=/app") != std::string::npos);
    CHECK(h->find("; Domain=example.com") != std::string::npos);
    CHECK(h->find("; Max-Age=3600") != std::string::npos);
    CHECK(h->find("; Expires=Tue, 24 Nov 2026 06:00:00 GMT") != std::string::npos);
    CHECK(h->find("; HttpOnly") != std::string::npos);
    CHECK(h->find("; Secure") != std::string::npos);
    CHECK(h->find("; SameSite=Strict") != std::string::npos);

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
