// Strict base64url: RFC 4648 vectors, canonical form only, and the AVX2 and
// scalar paths agreeing on every length and every bad position.
#include <authpp/jose/base64url.hpp>

#include <catch2/catch.hpp>

#include <random>
#include <string>

using namespace authpp;
using jose::base64url_decode;
using jose::base64url_encode;

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
