// crypto/aes_gcm.hpp: AES-256-GCM against the McGrew–Viega test case 16, and
// every alteration refused with bad_tag and no plaintext.
#include <authpp/crypto/aes_gcm.hpp>
#include <authpp/crypto/hex.hpp>

#include "../../support/unhex.hpp"

#include <catch2/catch.hpp>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

using namespace authpp;

namespace {

using authpp_test::unhex;
std::string str(const std::vector<std::uint8_t>& v) { return {v.begin(), v.end()}; }

// Test case 16 of "The Galois/Counter Mode of Operation (GCM)".
const auto key = unhex("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308");
const auto iv = unhex("cafebabefacedbaddecaf888");
const auto aad = str(unhex("feedfacedeadbeeffeedfacedeadbeefabaddad2"));
const auto plain = unhex("d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e24"
                         "49a6b525b16aedf5aa0de657ba637b39");
const std::string ct_hex = "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
                           "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662";
const std::string tag_hex = "76fc6ece0f4e1768cddf8853bb2d551b";

} // namespace

TEST_CASE("aes_256_gcm_seal: test case 16 known answer") {
    std::vector<std::uint8_t> ct(plain.size());
    std::array<std::uint8_t, 16> tag{};
    REQUIRE_FALSE(crypto::aes_256_gcm_seal(key, iv, aad, plain, ct.data(), tag));
    CHECK(crypto::hex(ct) == ct_hex);
    CHECK(crypto::hex(tag) == tag_hex);
    // In place: the output may be the input.
    auto buf = plain;
    REQUIRE_FALSE(crypto::aes_256_gcm_seal(key, iv, aad, buf, buf.data(), tag));
    CHECK(crypto::hex(buf) == ct_hex);
}

TEST_CASE("aes_256_gcm_open: test case 16, then every alteration refused") {
    const auto ct = unhex(ct_hex);
    const auto tag_v = unhex(tag_hex);
    std::array<std::uint8_t, 16> tag{};
    std::copy(tag_v.begin(), tag_v.end(), tag.begin());
    std::vector<std::uint8_t> out(ct.size());
    REQUIRE_FALSE(crypto::aes_256_gcm_open(key, iv, aad, ct, out.data(), tag));
    CHECK(out == plain);
    auto inplace = ct;
    REQUIRE_FALSE(crypto::aes_256_gcm_open(key, iv, aad, inplace, inplace.data(), tag));
    CHECK(inplace == plain);

    const std::vector<std::uint8_t> zeros(ct.size());
    SECTION("tag") {
        tag[0] ^= 1;
        CHECK(crypto::aes_256_gcm_open(key, iv, aad, ct, out.data(), tag) == error::bad_tag);
        CHECK(out == zeros); // what was decrypted is erased
    }
    SECTION("aad") {
        auto a = aad;
        a.back() ^= 1;
        CHECK(crypto::aes_256_gcm_open(key, iv, a, ct, out.data(), tag) == error::bad_tag);
        CHECK(out == zeros);
    }
    SECTION("ciphertext") {
        auto c = ct;
        c[5] ^= 0x80;
        CHECK(crypto::aes_256_gcm_open(key, iv, aad, c, out.data(), tag) == error::bad_tag);
        CHECK(out == zeros);
    }
    SECTION("key and iv") {
        auto k = key;
        k[31] ^= 1;
        CHECK(crypto::aes_256_gcm_open(k, iv, aad, ct, out.data(), tag) == error::bad_tag);
        auto v = iv;
        v[0] ^= 1;
        CHECK(crypto::aes_256_gcm_open(key, v, aad, ct, out.data(), tag) == error::bad_tag);
    }
    SECTION("wrong key or IV sizes are refused before any work") {
        CHECK(crypto::aes_256_gcm_open(std::span(key).first(16), iv, aad, ct, out.data(), tag) ==
              error::crypto_failure);
        CHECK(crypto::aes_256_gcm_open(key, std::span(iv).first(8), aad, ct, out.data(), tag) ==
              error::crypto_failure);
    }
}

TEST_CASE("aes_256_gcm: an empty plaintext still carries a tag") {
    std::array<std::uint8_t, 16> tag{};
    std::uint8_t none = 0;
    REQUIRE_FALSE(crypto::aes_256_gcm_seal(key, iv, "header", {}, &none, tag));
    CHECK_FALSE(crypto::aes_256_gcm_open(key, iv, "header", {}, &none, tag));
    CHECK(crypto::aes_256_gcm_open(key, iv, "headeR", {}, &none, tag) == error::bad_tag);
}
