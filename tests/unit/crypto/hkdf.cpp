// HKDF-SHA256 against RFC 5869's test vectors, and the Auth.js key shape.
#include <authpp/crypto/hkdf.hpp>

#include <catch2/catch.hpp>

#include <array>
#include <string>
#include <vector>

using namespace authpp;

namespace {
std::string hex(std::span<const std::uint8_t> b) {
    static constexpr char d[] = "0123456789abcdef";
    std::string s;
    for (auto c : b) s += d[c >> 4], s += d[c & 15];
    return s;
}
std::string bytes(std::initializer_list<int> v) {
    std::string s;
    for (int c : v) s += static_cast<char>(c);
    return s;
}
} // namespace

TEST_CASE("RFC 5869 test case 1") {
    const std::string ikm(22, '\x0b');
    const auto salt = bytes({0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
    const auto info = bytes({0xf0, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8, 0xf9});
    std::array<std::uint8_t, 42> okm{};
    REQUIRE_FALSE(crypto::hkdf_sha256(ikm, salt, info, okm));
    CHECK(hex(okm) == "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
}

TEST_CASE("RFC 5869 test case 2: longer inputs and outputs") {
    std::string ikm, salt, info;
    for (int i = 0x00; i < 0x50; ++i) ikm += static_cast<char>(i);
    for (int i = 0x60; i < 0xb0; ++i) salt += static_cast<char>(i);
    for (int i = 0xb0; i < 0x100; ++i) info += static_cast<char>(i);
    std::array<std::uint8_t, 82> okm{};
    REQUIRE_FALSE(crypto::hkdf_sha256(ikm, salt, info, okm));
    CHECK(hex(okm) == "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c59045a99cac7827271cb41c65e590e09d"
                      "a3275600c2f09b8367793a9aca3db71cc30c58179ec3e87c14c01d5c1f3434f1d87");
}

TEST_CASE("RFC 5869 test case 3: empty salt and info") {
    const std::string ikm(22, '\x0b');
    std::array<std::uint8_t, 42> okm{};
    REQUIRE_FALSE(crypto::hkdf_sha256(ikm, "", "", okm));
    CHECK(hex(okm) == "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8");
}

TEST_CASE("different salts give unrelated keys") {
    std::array<std::uint8_t, 64> a{}, b{};
    REQUIRE_FALSE(crypto::hkdf_sha256("secret", "authjs.session-token",
                                    "Auth.js Generated Encryption Key (authjs.session-token)", a));
    REQUIRE_FALSE(crypto::hkdf_sha256("secret", "__Secure-authjs.session-token",
                                    "Auth.js Generated Encryption Key (__Secure-authjs.session-token)", b));
    CHECK(hex(a) != hex(b));
}

TEST_CASE("a prefix of a longer output is the shorter output; more than 255 blocks is refused") {
    std::array<std::uint8_t, 32> k32{};
    std::array<std::uint8_t, 64> k64{};
    REQUIRE_FALSE(crypto::hkdf_sha256("secret", "salt", "info", k32));
    REQUIRE_FALSE(crypto::hkdf_sha256("secret", "salt", "info", k64));
    CHECK(hex(k32) == hex(std::span<const std::uint8_t>(k64).first(32)));

    std::vector<std::uint8_t> too_long(255 * 32 + 1);
    CHECK(crypto::hkdf_sha256("secret", "salt", "info", too_long) == error::crypto_failure);
    std::vector<std::uint8_t> longest(255 * 32);
    CHECK_FALSE(crypto::hkdf_sha256("secret", "salt", "info", longest));
}
