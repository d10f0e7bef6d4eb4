// crypto/random.hpp, crypto/hex.hpp, crypto/constant_time.hpp: the floor the
// codecs, the actions and the refresh coordinator draw their random values,
// hex and secret comparisons from.
#include <authpp/crypto/constant_time.hpp>
#include <authpp/crypto/hex.hpp>
#include <authpp/crypto/random.hpp>

#include <catch2/catch.hpp>

#include <array>
#include <set>
#include <string>

using namespace authpp;

TEST_CASE("crypto::hex: lower-case, two characters a byte") {
    const std::array<std::uint8_t, 5> b{0x00, 0x0f, 0x10, 0xab, 0xff};
    CHECK(crypto::hex(b) == "000f10abff");
    CHECK(crypto::hex({}) == "");
    std::string s = "x";
    crypto::append_hex(s, std::span<const std::uint8_t>(b).subspan(3));
    CHECK(s == "xabff");
}

TEST_CASE("crypto::random_*: the asked length, the right alphabet, never the same twice") {
    std::set<std::string> seen;
    for (int i = 0; i < 100; ++i) {
        auto h = crypto::random_hex(32);
        REQUIRE(h);
        CHECK(h->size() == 64);
        CHECK(h->find_first_not_of("0123456789abcdef") == std::string::npos);
        CHECK(seen.insert(*h).second);
        auto b = crypto::random_base64url(32);
        REQUIRE(b);
        CHECK(b->size() == 43);
        CHECK(b->find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") ==
              std::string::npos);
        CHECK(seen.insert(*b).second);
    }
    std::array<std::uint8_t, 64> zeros{}, bytes{};
    CHECK(crypto::random_bytes(bytes));
    CHECK(bytes != zeros);
    CHECK(crypto::random_bytes(std::span<std::uint8_t>())); // nothing asked, nothing failed
    CHECK(crypto::random_hex(0).value().empty());
}

TEST_CASE("crypto::constant_time_equals and secure_erase") {
    CHECK(crypto::constant_time_equals("token|hash", "token|hash"));
    CHECK_FALSE(crypto::constant_time_equals("token|hash", "token|hasH"));
    CHECK_FALSE(crypto::constant_time_equals("token", "token|hash"));
    CHECK(crypto::constant_time_equals("", ""));
    std::string secret = "s3cret";
    crypto::secure_erase(secret);
    CHECK(secret == std::string(6, '\0'));
    std::string empty;
    crypto::secure_erase(empty); // no bytes, no call
    CHECK(empty.empty());
}
