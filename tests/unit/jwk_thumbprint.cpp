// RFC 7638 thumbprints of symmetric keys, as jose computes Auth.js's kid.
#include <authpp/jose/jwk_thumbprint.hpp>

#include <openssl/evp.h>

#include <catch2/catch.hpp>

#include <array>

using namespace authpp;

namespace {
// RFC 7638 §3: the hash of the required members in lexicographic order,
// no whitespace: {"k":"…","kty":"oct"}.
std::string expected(std::span<const std::uint8_t> key, const EVP_MD* md) {
    const std::string json = R"({"k":")" + jose::base64url_encode(key) + R"(","kty":"oct"})";
    unsigned char d[EVP_MAX_MD_SIZE];
    unsigned len = 0;
    REQUIRE(EVP_Digest(json.data(), json.size(), d, &len, md, nullptr) == 1);
    return jose::base64url_encode(std::span<const std::uint8_t>(d, len));
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

TEST_CASE("other key sizes are refused") {
    std::array<std::uint8_t, 16> k{};
    auto t = jose::oct_jwk_thumbprint(k);
    REQUIRE_FALSE(t.has_value());
    CHECK(t.error() == error::unsupported_algorithm);
}
