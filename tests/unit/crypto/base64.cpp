// crypto/base64.hpp. Strict base64url: RFC 4648 vectors, canonical form only, and the AVX2 and
// scalar paths agreeing on every length and every bad position.
#include <authpp/crypto/base64.hpp>

#include <catch2/catch.hpp>

#include <random>
#include <string>

using namespace authpp;
using crypto::base64url_decode;
using crypto::base64url_encode;

TEST_CASE("RFC 4648 test vectors, without padding") {
    const std::pair<const char*, const char*> v[] = {{"", ""},         {"f", "Zg"},         {"fo", "Zm8"},
                                                     {"foo", "Zm9v"},  {"foob", "Zm9vYg"},  {"fooba", "Zm9vYmE"},
                                                     {"foobar", "Zm9vYmFy"}};
    for (auto [plain, enc] : v) {
        CHECK(base64url_encode(std::string_view(plain)) == enc);
        auto d = base64url_decode(enc);
        REQUIRE(d.has_value());
        CHECK(*d == plain);
    }
    // The URL-safe alphabet: 0xfb 0xff is "+/8" in base64, "-_8" here.
    CHECK(base64url_encode(std::string_view("\xfb\xff", 2)) == "-_8");
    auto d = base64url_decode("-_8");
    REQUIRE(d.has_value());
    CHECK(*d == std::string("\xfb\xff", 2));
}

TEST_CASE("anything but canonical unpadded base64url is bad_base64url") {
    for (const char* bad : {"Zg==", "Zm8=", "Zm9v!", "Zm+v", "Zm/v", "Z", "Zm9vY", "Zh", "Zm9", "Zm 9v", "Zm9v\n",
                            "\x80\x81"}) {
        INFO(bad);
        auto d = base64url_decode(bad);
        REQUIRE_FALSE(d.has_value());
        CHECK(d.error() == error::bad_base64url);
    }
    // "Zh" would decode to "f" with non-zero stray bits: not canonical.
    CHECK(base64url_decode("Zg").has_value());
}

TEST_CASE("long inputs: every length round-trips and a bad character anywhere is caught") {
    std::mt19937 rng(7);
    for (std::size_t n = 0; n < 300; ++n) {
        std::string bytes(n, '\0');
        for (auto& c : bytes) c = static_cast<char>(rng());
        const auto enc = base64url_encode(bytes);
        CHECK(enc.size() == (n * 4 + 2) / 3);
        auto d = base64url_decode(enc);
        REQUIRE(d.has_value());
        CHECK(*d == bytes);
        if (enc.empty()) continue;
        for (std::size_t pos : {std::size_t{0}, enc.size() / 2, enc.size() - 1}) {
            for (char bad : {'=', '+', '/', '.', ' ', '\0', '\xff'}) {
                auto t = enc;
                t[pos] = bad;
                auto r = base64url_decode(t);
                INFO("n=" << n << " pos=" << pos << " char=" << int(bad));
                REQUIRE_FALSE(r.has_value());
                CHECK(r.error() == error::bad_base64url);
            }
        }
    }
}

TEST_CASE("100 KB of garbage is refused, not crashed on") {
    std::string garbage(100 * 1024, '\0');
    std::mt19937 rng(11);
    for (auto& c : garbage) c = static_cast<char>(rng());
    auto r = base64url_decode(garbage);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error() == error::bad_base64url);
}

TEST_CASE("stray low bits in the last group are refused past the vectorised prefix too") {
    // Lengths ≥ 44 characters take the AVX2 path for the head; the tail is
    // checked by the scalar code, which must still insist on canonical bits.
    for (std::size_t n : {std::size_t{34}, std::size_t{35}, std::size_t{100}, std::size_t{101}}) {
        const auto enc = base64url_encode(std::string(n, 'x'));
        REQUIRE(enc.size() % 4 != 0);
        auto t = enc;
        // Canonical last characters are A, Q, g, w (or multiples of 4): +1 sets an unused bit.
        t.back() = static_cast<char>(t.back() + 1);
        INFO("n=" << n << " " << enc.back() << " -> " << t.back());
        auto r = base64url_decode(t);
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error() == error::bad_base64url);
    }
    // A length that leaves a lone 6-bit group is impossible at any size.
    for (std::size_t n : {std::size_t{1}, std::size_t{5}, std::size_t{45}, std::size_t{101}}) {
        auto r = base64url_decode(std::string(n, 'A'));
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error() == error::bad_base64url);
    }
}

TEST_CASE("sizes and the caller-buffer overload") {
    STATIC_REQUIRE(crypto::base64url_encoded_size(0) == 0);
    STATIC_REQUIRE(crypto::base64url_encoded_size(1) == 2);
    STATIC_REQUIRE(crypto::base64url_encoded_size(2) == 3);
    STATIC_REQUIRE(crypto::base64url_encoded_size(3) == 4);
    STATIC_REQUIRE(crypto::base64url_encoded_size(64) == 86);
    STATIC_REQUIRE(crypto::base64url_decoded_size(86) == 64);
    STATIC_REQUIRE(crypto::base64url_decoded_size(43) == 32);
    STATIC_REQUIRE(crypto::base64url_decoded_size(22) == 16);

    std::uint8_t out[6] = {};
    auto n = base64url_decode("Zm9vYmFy", out);
    REQUIRE(n.has_value());
    CHECK(*n == 6);
    CHECK(std::string(reinterpret_cast<const char*>(out), 6) == "foobar");
    auto bad = base64url_decode("Zm9v YmE", out);
    REQUIRE_FALSE(bad.has_value());
    CHECK(bad.error() == error::bad_base64url);

    // Appending encodes after what the string already holds.
    std::string s = "prefix.";
    crypto::base64url_encode(std::span<const std::uint8_t>(out, 3), s);
    CHECK(s == "prefix.Zm9v");
}

TEST_CASE("crypto::base64_encode: standard alphabet, padded (RFC 4648 §10)") {
    CHECK(crypto::base64_encode("") == "");
    CHECK(crypto::base64_encode("f") == "Zg==");
    CHECK(crypto::base64_encode("fo") == "Zm8=");
    CHECK(crypto::base64_encode("foo") == "Zm9v");
    CHECK(crypto::base64_encode("foob") == "Zm9vYg==");
    CHECK(crypto::base64_encode("fooba") == "Zm9vYmE=");
    CHECK(crypto::base64_encode("foobar") == "Zm9vYmFy");
    CHECK(crypto::base64_encode("\xfb\xff\xbf") == "+/+/"); // where it differs from base64url
}

TEST_CASE("crypto::base64_decode: padded or not, canonical, standard alphabet only") {
    for (const char* plain : {"", "f", "fo", "foo", "foob", "fooba", "foobar", "\xfb\xff\xbf"}) {
        const auto enc = crypto::base64_encode(plain);
        CHECK(crypto::base64_decode(enc).value() == plain);
        std::string unpadded = enc;
        while (!unpadded.empty() && unpadded.back() == '=') unpadded.pop_back();
        CHECK(crypto::base64_decode(unpadded).value() == plain);
    }
    for (const char* bad : {"Zg=", "Zg===", "=", "Z===", "Zh==", "-_-_", "Zm9v YmFy", "Zm9v\n", "Zm=v", "Z"}) {
        INFO(bad);
        CHECK(crypto::base64_decode(bad).error() == error::bad_base64url);
    }
}
