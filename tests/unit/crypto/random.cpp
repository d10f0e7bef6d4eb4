// crypto/random.hpp: the one source of the random values the codecs, the
// actions and the refresh coordinator hand out.
#include <authpp/crypto/random.hpp>

#include <catch2/catch.hpp>

#include <array>
#include <set>
#include <string>

using namespace authpp;

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
