// RFC 7638 thumbprints of symmetric keys, as jose computes Auth.js's kid.
#include <authpp/jose/jwk_thumbprint.hpp>

#include <authpp/crypto/hkdf.hpp>

#include <openssl/evp.h>

#include <catch2/catch.hpp>

#include <array>
#include <string>

using namespace authpp;

namespace {
// RFC 7638 §3: the hash of the required members in lexicographic order,
// no whitespace: {"k":"…","kty":"oct"}.
std::string expected(std::span<const std::uint8_t> key, const EVP_MD* md) {
    const std::string json = R"({"k":")" + crypto::base64url_encode(key) + R"(","kty":"oct"})";
    unsigned char d[EVP_MAX_MD_SIZE];
    unsigned len = 0;
    REQUIRE(EVP_Digest(json.data(), json.size(), d, &len, md, nullptr) == 1);
    return crypto::base64url_encode(std::span<const std::uint8_t>(d, len));
}
} // namespace

TEST_CASE("64-byte keys use SHA-512, 32-byte keys SHA-256") {
    std::array<std::uint8_t, 64> k64{};
    for (std::size_t i = 0; i < k64.size(); ++i) k64[i] = static_cast<std::uint8_t>(i * 7);
    auto t = jose::oct_jwk_thumbprint(k64);
    REQUIRE(t.has_value());
    CHECK(*t == expected(k64, EVP_sha512()));
    CHECK(t->size() == 86);

    std::array<std::uint8_t, 32> k32{};
    auto t32 = jose::oct_jwk_thumbprint(k32);
    REQUIRE(t32.has_value());
    CHECK(*t32 == expected(k32, EVP_sha256()));
    CHECK(t32->size() == 43);
    CHECK(*t32 != *t); // a different key, a different thumbprint
}


// Known answers computed by jose 6.2.18 (calculateJwkThumbprint), the library
// Auth.js uses, for the keys 00 01 02 … 3f and 00 01 … 1f. (RFC 7638 §3.1's
// example is an RSA key; authpp only ever fingerprints "oct" keys, so the API
// takes raw key bytes and that example cannot be expressed with it.)
TEST_CASE("known answers from jose") {
    std::array<std::uint8_t, 64> k64{};
    for (std::size_t i = 0; i < k64.size(); ++i) k64[i] = static_cast<std::uint8_t>(i);
    CHECK(jose::oct_jwk_thumbprint(k64).value() ==
          "8YGM_hgHJLgDo84c_xellW2cujZhZq-A5Zd5XjqxkfJjYDaZqtIpDKRiPXkGFiOOIYXYYwvy1r695HPAfudkRg");
    CHECK(jose::oct_jwk_thumbprint(std::span<const std::uint8_t>(k64).first(32)).value() ==
          "WqjPPRvAP8oYbAqCwMErhzTg-Quaz-vLx_cef07yhOs");
}

// The kid @auth/core 0.41.3 wrote into real session tokens for the secret
// "unit-test-secret": HKDF-SHA256 with salt = cookie name, then the thumbprint.
TEST_CASE("Auth.js's kid for a secret and salt") {
    auto kid = [](std::string_view salt, std::size_t bytes) {
        std::array<std::uint8_t, 64> key{};
        const std::string info = "Auth.js Generated Encryption Key (" + std::string(salt) + ")";
        REQUIRE_FALSE(crypto::hkdf_sha256("unit-test-secret", salt, info, std::span<std::uint8_t>(key.data(), bytes)));
        return jose::oct_jwk_thumbprint(std::span<const std::uint8_t>(key.data(), bytes)).value();
    };
    CHECK(kid("authjs.session-token", 64) ==
          "6MO46xbVRupJHt_FpXZIAeidAkX1QopasGYfxtzYY8eM7JdF0W__eH_isiHnWkbWDNEE77jDL89_-Z7Ld7ru3g");
    CHECK(kid("__Secure-authjs.session-token", 64) ==
          "eQm0p4CAHS-nfM5mSx3nu1BVAVHH1bcgDkksm7TmK871srpJxsFYWzczYHw59AamnR8XHXh3Kyl3OOeCSj1S5w");
    CHECK(kid("authjs.session-token", 32) == "pfm2V91ehZcSSkv95BJ89VCZa3b_bERjo0DLgXIB4FQ");
}

TEST_CASE("other key sizes are refused") {
    for (std::size_t n : {std::size_t{0}, std::size_t{16}, std::size_t{31}, std::size_t{33}, std::size_t{65}}) {
        std::array<std::uint8_t, 65> k{};
        auto t = jose::oct_jwk_thumbprint(std::span<const std::uint8_t>(k.data(), n));
        INFO(n);
        REQUIRE_FALSE(t.has_value());
        CHECK(t.error() == error::unsupported_algorithm);
    }
}
