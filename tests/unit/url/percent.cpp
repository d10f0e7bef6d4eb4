// Percent-encoding: the escape reader, strict decoding, the cookie
// package's decode-or-keep, and encoding (encodeURIComponent).
#include <authpp/url/percent.hpp>

#include <catch2/catch.hpp>

#include <string>

using namespace authpp;

TEST_CASE("hex_value and escaped_byte read one escape") {
    CHECK(url::hex_value('0') == 0);
    CHECK(url::hex_value('9') == 9);
    CHECK(url::hex_value('a') == 10);
    CHECK(url::hex_value('F') == 15);
    CHECK(url::hex_value('g') == -1);
    CHECK(url::hex_value('%') == -1);
    CHECK(url::hex_value('\0') == -1);
    CHECK(url::escaped_byte("%41", 0) == 'A');
    CHECK(url::escaped_byte("x%ff", 1) == 255);
    CHECK(url::escaped_byte("%00", 0) == 0);
    CHECK(url::escaped_byte("x%41", 0) == -1); // not at a '%'
    CHECK(url::escaped_byte("%4", 0) == -1);   // truncated
    CHECK(url::escaped_byte("%", 0) == -1);
    CHECK(url::escaped_byte("%g1", 0) == -1);
    CHECK(url::escaped_byte("%1g", 0) == -1);
    CHECK(url::escaped_byte("", 0) == -1);
    CHECK(url::escaped_byte("%41", 3) == -1); // past the end
    CHECK(url::escapes_well_formed(""));
    CHECK(url::escapes_well_formed("a%20b%2F"));
    CHECK_FALSE(url::escapes_well_formed("a%2"));
    CHECK_FALSE(url::escapes_well_formed("%%41"));
    CHECK_FALSE(url::escapes_well_formed("%41%"));
}

TEST_CASE("percent_decode: strict, nullopt on a malformed escape") {
    CHECK(url::percent_decode("") == "");
    CHECK(url::percent_decode("a%20b%2Fc") == "a b/c");
    CHECK(url::percent_decode("%C3%A9") == "\xC3\xA9");
    CHECK(url::percent_decode("%00") == std::string(1, '\0'));
    CHECK(url::percent_decode("a+b") == "a+b"); // '+' is no space
    CHECK(url::percent_decode("%2541") == "%41"); // decoded once
    for (const char* bad : {"%", "%4", "%zz", "%4g", "100%", "ab%", "%%41", "%41%", "%41%2"}) {
        INFO(bad);
        CHECK_FALSE(url::percent_decode(bad));
    }
}

TEST_CASE("percent-decoding as decodeURIComponent, malformed escapes left alone") {
    CHECK(url::percent_decode_or_keep("a%20b%2Fc") == "a b/c");
    CHECK(url::percent_decode_or_keep("%C3%A9") == "\xC3\xA9");
    CHECK(url::percent_decode_or_keep("100%") == "100%");
    CHECK(url::percent_decode_or_keep("%zz%20") == "%zz%20");
}

TEST_CASE("percent-decoding edge cases") {
    CHECK(url::percent_decode_or_keep("") == "");
    CHECK(url::percent_decode_or_keep("%") == "%");
    CHECK(url::percent_decode_or_keep("%2") == "%2");
    CHECK(url::percent_decode_or_keep("%2f%2F") == "//");
    CHECK(url::percent_decode_or_keep("%00") == std::string(1, '\0'));
    CHECK(url::percent_decode_or_keep("a+b") == "a+b"); // '+' is not a space in cookies
    const std::string long_escapes = [] {
        std::string s;
        for (int i = 0; i < 30000; ++i) s += "%41";
        return s;
    }();
    CHECK(url::percent_decode_or_keep(long_escapes) == std::string(30000, 'A'));
}

TEST_CASE("percent_encode keeps what the caller's set keeps, escapes the rest in upper-case hex") {
    std::string out = "x=";
    url::percent_encode(out, "a b/~\xC3\xA9\x7f", url::is_unreserved);
    CHECK(out == "x=a%20b%2F~%C3%A9%7F");
    out.clear();
    url::percent_encode(out, "/run/redis.sock", [](unsigned char c) { return url::is_unreserved(c) || c == '/'; });
    CHECK(out == "/run/redis.sock");
    out.clear();
    url::percent_encode(out, "", url::is_unreserved);
    CHECK(out.empty());
    url::percent_encode(out, std::string(1, '\0'), url::is_unreserved);
    CHECK(out == "%00");
    CHECK(url::is_unreserved('~'));
    CHECK_FALSE(url::is_unreserved('*'));
    CHECK_FALSE(url::is_unreserved(0xC3));
}

TEST_CASE("encode_uri_component: JavaScript's encodeURIComponent") {
    CHECK(url::encode_uri_component("http://a.b/c?d=e f|g~!*'()") == "http%3A%2F%2Fa.b%2Fc%3Fd%3De%20f%7Cg~!*'()");
    CHECK(url::encode_uri_component("") == "");
    CHECK(url::encode_uri_component("é+%") == "%C3%A9%2B%25");
    // Decoding gives every byte back.
    std::string all;
    for (int c = 0; c < 256; ++c) all += static_cast<char>(c);
    CHECK(url::percent_decode(url::encode_uri_component(all)) == all);
}
