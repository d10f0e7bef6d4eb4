// crypto/aes_cbc_hmac.hpp: AES_256_CBC_HMAC_SHA_512 against RFC 7518
// Appendix B.3, and every alteration refused before anything is decrypted.
#include <authpp/crypto/aes_cbc_hmac.hpp>
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

const auto key = unhex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
                       "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f");
const std::string plain_text = "A cipher system must not be required to be secret, and it must be able to fall into "
                               "the hands of the enemy without inconvenience";
const std::string aad = "The second principle of Auguste Kerckhoffs";
const auto iv = unhex("1af38c2dc2b96ffdd86694092341bc04");
const std::string ct_hex =
    "4affaaadb78c31c5da4b1b590d10ffbd3dd8d5d302423526912da037ecbcc7bd822c301dd67c373bccb584ad3e9279c2"
    "e6d12a1374b77f077553df829410446b36ebd97066296ae6427ea75c2e0846a11a09ccf5370dc80bfecbad28c73f09b3"
    "a3b75e662a2594410ae496b2e2e6609e31e6e02cc837f053d21f37ff4f51950bbe2638d09dd7a4930930806d0703b1f6";
const std::string tag_hex = "4dd3b4c088a7f45c216839645b2012bf2e6269a8c56a816dbc1b267761955bc5";

std::span<const std::uint8_t> bytes(const std::string& s) {
    return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

} // namespace

TEST_CASE("AL is the AAD's length in bits, 64-bit big-endian (RFC 7518 B.3)") {
    CHECK(crypto::hex(crypto::detail::aad_length_block(aad.size())) == "0000000000000150");
    CHECK(crypto::hex(crypto::detail::aad_length_block(0)) == "0000000000000000");
}

TEST_CASE("aes_cbc_hs512_seal: RFC 7518 B.3 known answer") {
    std::vector<std::uint8_t> ct(crypto::aes_cbc_hs512_ciphertext_size(plain_text.size()));
    std::array<std::uint8_t, 32> tag{};
    auto n = crypto::aes_cbc_hs512_seal(key, iv, aad, bytes(plain_text), ct.data(), tag);
    REQUIRE(n);
    CHECK(*n == ct.size());
    CHECK(crypto::hex(ct) == ct_hex);
    CHECK(crypto::hex(tag) == tag_hex);
    CHECK(crypto::aes_cbc_hs512_ciphertext_size(0) == 16);
    CHECK(crypto::aes_cbc_hs512_ciphertext_size(16) == 32); // PKCS#7 always pads
}

TEST_CASE("aes_cbc_hs512_open: RFC 7518 B.3, then every alteration refused untouched") {
    const auto ct = unhex(ct_hex);
    const auto tag_v = unhex(tag_hex);
    std::array<std::uint8_t, 32> tag{};
    std::copy(tag_v.begin(), tag_v.end(), tag.begin());
    auto buf = ct;
    auto n = crypto::aes_cbc_hs512_open(key, iv, aad, buf, tag);
    REQUIRE(n);
    CHECK(std::string(buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(*n)) == plain_text);

    buf = ct;
    SECTION("the tag's last bit") {
        tag[31] ^= 0x80;
        CHECK(crypto::aes_cbc_hs512_open(key, iv, aad, buf, tag).error() == error::bad_tag);
    }
    SECTION("one bit of AAD") {
        CHECK(crypto::aes_cbc_hs512_open(key, iv, "The second principle of Auguste Kerckhoffz", buf, tag).error() ==
              error::bad_tag);
    }
    SECTION("the IV") {
        auto v = iv;
        v[3] ^= 1;
        CHECK(crypto::aes_cbc_hs512_open(key, v, aad, buf, tag).error() == error::bad_tag);
    }
    SECTION("the MAC half of the key") {
        auto k = key;
        k[0] ^= 1;
        CHECK(crypto::aes_cbc_hs512_open(k, iv, aad, buf, tag).error() == error::bad_tag);
    }
    CHECK(buf == ct); // nothing was decrypted
}

TEST_CASE("aes_cbc_hs512_open: shapes refused before any MAC") {
    std::array<std::uint8_t, 32> tag{};
    std::vector<std::uint8_t> partial(15), empty;
    CHECK(crypto::aes_cbc_hs512_open(key, iv, aad, partial, tag).error() == error::malformed_token);
    CHECK(crypto::aes_cbc_hs512_open(key, iv, aad, empty, tag).error() == error::malformed_token);
    std::vector<std::uint8_t> block(16);
    CHECK(crypto::aes_cbc_hs512_open(std::span(key).first(32), iv, aad, block, tag).error() == error::crypto_failure);
    CHECK(crypto::aes_cbc_hs512_open(key, std::span(iv).first(12), aad, block, tag).error() == error::crypto_failure);
}

TEST_CASE("aes_cbc_hs512: round trips across plaintext sizes and keys") {
    for (std::size_t size : {0u, 1u, 15u, 16u, 17u, 1000u}) {
        for (int seed : {1, 2}) {
            auto k = key;
            k[40] = static_cast<std::uint8_t>(seed); // the same MAC key, another AES key
            const std::string plain(size, static_cast<char>('a' + seed));
            std::vector<std::uint8_t> ct(crypto::aes_cbc_hs512_ciphertext_size(size));
            std::array<std::uint8_t, 32> tag{};
            auto n = crypto::aes_cbc_hs512_seal(k, iv, "aad", bytes(plain), ct.data(), tag);
            REQUIRE(n);
            auto m = crypto::aes_cbc_hs512_open(k, iv, "aad", ct, tag);
            REQUIRE(m);
            CHECK(std::string(ct.begin(), ct.begin() + static_cast<std::ptrdiff_t>(*m)) == plain);
        }
    }
}
