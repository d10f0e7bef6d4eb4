// crypto/hex.hpp: the one hex table.
#include <authpp/crypto/hex.hpp>

#include <catch2/catch.hpp>

#include <array>
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
