// Absolute URLs: the transports' parse_http_url, the redirect check's
// origin_of, and the cheap screens of the options and the middleware.
#include <authpp/url/url.hpp>

#include <catch2/catch.hpp>

#include <string>

using namespace authpp;

namespace {
url::http_url parsed(std::string_view s) {
    auto u = url::parse_http_url(s);
    INFO(s);
    REQUIRE(u.has_value());
    return *u;
}
} // namespace

TEST_CASE("parse_http_url: scheme, host, port and target") {
    auto u = parsed("https://auth.example.com/oauth/token");
    CHECK(u.tls);
    CHECK(u.host == "auth.example.com");
    CHECK(u.port == "443");
    CHECK(u.target == "/oauth/token");
    CHECK(u.origin() == "https://auth.example.com:443");
    CHECK(u.host_header() == "auth.example.com");

    u = parsed("http://127.0.0.1:8080/userinfo?x=1&y=%20#frag");
    CHECK_FALSE(u.tls);
    CHECK(u.host == "127.0.0.1");
    CHECK(u.port == "8080");
    CHECK(u.target == "/userinfo?x=1&y=%20");
    CHECK(u.origin() == "http://127.0.0.1:8080");
    CHECK(u.host_header() == "127.0.0.1:8080");

    CHECK(parsed("http://h").target == "/");
    CHECK(parsed("http://h?q").target == "/?q");
    CHECK(parsed("http://h#f").target == "/");
    CHECK(parsed("http://h:80").host_header() == "h");
    CHECK(parsed("https://h:80").host_header() == "h:80");
    CHECK(parsed("http://h:65535/").port == "65535");
    CHECK(parsed("http://h:0080/").port == "0080"); // kept as written
    CHECK(parsed("http://h:/").port == "80");         // an empty port is the default one
    CHECK(parsed("https://[::1]:/").port == "443");
}

TEST_CASE("parse_http_url: IPv6 literals in brackets") {
    auto u = parsed("http://[::1]:9000/x");
    CHECK(u.host == "::1");
    CHECK(u.port == "9000");
    CHECK(u.host_header() == "[::1]:9000");
    CHECK(u.origin() == "http://::1:9000");
    u = parsed("https://[2001:db8::1]/");
    CHECK(u.host == "2001:db8::1");
    CHECK(u.port == "443");
    CHECK(u.host_header() == "[2001:db8::1]");
    for (const char* bad : {"http://[::1", "http://[::1/x", "http://[]/", "http://[]:80/", "http://[::1]x/",
                            "http://[::1]80/", "http://[::1]:x/", "http://[::1]:99999/"}) {
        INFO(bad);
        CHECK(url::parse_http_url(bad).error() == error::invalid_option);
    }
}

TEST_CASE("parse_http_url: malformed input is invalid_option") {
    for (const char* bad : {
             "", "http://", "https://", "http:/h", "http:h", "//h/x", "/path", "ftp://h/", "HTTP://h/", "Https://h/",
             "ws://h/", " http://h/",
             "http://u@h/", "http://u:p@h/", "http://@h/",        // user info
             "http:///x", "http://?q", "http://#f", "http://:80/", // no host
             "http://h:0/", "http://h:65536/", "http://h:99999999999/", "http://h:-1/", "http://h:+80/",
             "http://h:8o/", "http://h:80 /", "http://h: 80/", // bad ports
             "http://h h/", "http://h\t/", "http://h\\x/", "http://h\x7f/",
             "http://h/a b", "http://h/\r\nX: y", "http://h/?\x01",      // controls and spaces
         }) {
        INFO(bad);
        CHECK(url::parse_http_url(bad).error() == error::invalid_option);
    }
    CHECK(url::parse_http_url(std::string_view("http://h\0/", 10)).error() == error::invalid_option);
    CHECK(url::parse_http_url(std::string_view("http://h/\0", 10)).error() == error::invalid_option);
}

TEST_CASE("redirect: origin_of") {
    CHECK(url::origin_of("https://A.example.com:443/x") == "https://a.example.com");
    CHECK(url::origin_of("http://127.0.0.1:8080?q") == "http://127.0.0.1:8080");
    CHECK(url::origin_of("http://[::1]:80/") == "http://[::1]");
    CHECK_FALSE(url::origin_of("ftp://x"));
    CHECK_FALSE(url::origin_of("https://"));
    CHECK_FALSE(url::origin_of("https://u:p@x/"));
    CHECK_FALSE(url::origin_of("https://:443/"));
    CHECK_FALSE(url::origin_of("https://ex ample.com/"));
}

TEST_CASE("origin_of: more of the malformed") {
    CHECK(url::origin_of("HTTP://X.Example.COM#f") == "http://x.example.com");
    CHECK(url::origin_of("https://h:8443\\x") == "https://h:8443"); // '\' ends the authority, as in browsers
    CHECK(url::origin_of("http://h:443/") == "http://h:443");       // another scheme's default stays
    for (const char* bad : {"", "http:", "http:/h", "//h", "http://:80", "http://%68/", "http://h_x/", "http://h\t/"}) {
        INFO(bad);
        CHECK_FALSE(url::origin_of(bad));
    }
}

TEST_CASE("is_absolute_http_url: what the options accept as an endpoint") {
    CHECK(url::is_absolute_http_url("https://auth.immutable.com"));
    CHECK(url::is_absolute_http_url("http://127.0.0.1:1/oauth/token"));
    CHECK(url::is_absolute_http_url("HTTPS://X"));
    CHECK(url::is_absolute_http_url("hTtP://x"));
    for (const char* bad : {"", "https://", "http://", "https:///x", "https://?q", "https://#f", "https://:443",
                            "/callback", "ftp://x", "https:/x", "httpx://x", "http//x"}) {
        INFO(bad);
        CHECK_FALSE(url::is_absolute_http_url(bad));
    }
}

TEST_CASE("has_scheme: scheme characters, then ://") {
    CHECK(url::has_scheme("https://app/login"));
    CHECK(url::has_scheme("git+ssh://x"));
    CHECK(url::has_scheme("a.b-c://"));
    CHECK_FALSE(url::has_scheme("/login"));
    CHECK_FALSE(url::has_scheme("login"));
    CHECK_FALSE(url::has_scheme("://x"));
    CHECK_FALSE(url::has_scheme(""));
    CHECK_FALSE(url::has_scheme("a b://x"));
    CHECK_FALSE(url::has_scheme("/x?u=https://y"));
    CHECK_FALSE(url::has_scheme("mailto:x"));
}
