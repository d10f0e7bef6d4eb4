// crypto/secure_erase.hpp: secrets overwritten before their memory goes.
#include <authpp/crypto/secure_erase.hpp>

#include <catch2/catch.hpp>

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

using namespace authpp;

TEST_CASE("crypto::secure_erase zeroes every byte and keeps the size") {
    std::string secret = "s3cret";
    crypto::secure_erase(secret);
    CHECK(secret == std::string(6, '\0'));
    std::array<std::uint8_t, 4> key{1, 2, 3, 4};
    crypto::secure_erase(key);
    CHECK(key == std::array<std::uint8_t, 4>{});
    std::vector<std::uint32_t> words{0xffffffffu, 0x12345678u};
    crypto::secure_erase(words); // bytes, not elements
    CHECK(words == std::vector<std::uint32_t>{0, 0});
    std::array<char, 8> buf{'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'};
    crypto::secure_erase(buf.data() + 2, 3);
    CHECK(std::string(buf.data(), 8) == std::string("ab\0\0\0fgh", 8));
    std::string empty;
    crypto::secure_erase(empty); // no bytes, no call
    CHECK(empty.empty());
}
