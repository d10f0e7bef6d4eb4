// nal/validation_cache.hpp: TTL, the token's exp, the bound, off at TTL 0,
// and never the token itself as a key.
#include <authpp/nal/validation_cache.hpp>

#include <catch2/catch.hpp>

#include <string>

using namespace authpp;
using namespace std::chrono_literals;

namespace {
nal::token_info info(std::string type, std::optional<std::int64_t> exp = std::nullopt) {
    nal::token_info t;
    t.token_type = std::move(type);
    t.exp = exp;
    return t;
}
constexpr std::int64_t t0 = 1'800'000'000'000; // ms
} // namespace

TEST_CASE("an entry lives for the TTL") {
    nal::validation_cache c(2000ms, 100);
    CHECK(c.enabled());
    CHECK_FALSE(c.find("tok", t0));
    c.insert("tok", info("admin"), t0);
    REQUIRE(c.find("tok", t0 + 1999));
    CHECK(c.find("tok", t0 + 1999)->token_type == "admin");
    CHECK_FALSE(c.find("tok", t0 + 2000));
    CHECK_FALSE(c.find("tok2", t0));
    c.erase("tok");
    CHECK_FALSE(c.find("tok", t0 + 1));
}

TEST_CASE("an entry never outlives the token's exp") {
    nal::validation_cache c(2000ms, 100);
    c.insert("tok", info("user", t0 / 1000 + 1), t0); // expires in 1 s
    CHECK(c.find("tok", t0 + 999));
    CHECK_FALSE(c.find("tok", t0 + 1000));
    c.insert("gone", info("user", t0 / 1000 - 5), t0); // already expired: not kept
    CHECK_FALSE(c.find("gone", t0));
    CHECK(c.size() == 1);
    c.insert("far", info("user", INT64_MAX), t0); // no overflow: the TTL rules
    CHECK(c.find("far", t0 + 1999));
    CHECK_FALSE(c.find("far", t0 + 2000));
}

TEST_CASE("past the bound the entry closest to expiry goes; expired ones are reclaimed on insert") {
    nal::validation_cache c(10'000ms, 3);
    c.insert("a", info("user"), t0);        // until t0 + 10 s
    c.insert("b", info("user"), t0 + 100);  // until t0 + 10.1 s
    c.insert("c", info("user", t0 / 1000 + 5), t0); // until t0 + 5 s: the closest
    c.insert("d", info("user"), t0 + 200);
    CHECK(c.size() == 3);
    CHECK_FALSE(c.find("c", t0 + 300));
    CHECK(c.find("a", t0 + 300));
    CHECK(c.find("b", t0 + 300));
    CHECK(c.find("d", t0 + 300));
    c.insert("a", info("admin"), t0 + 300); // replacing does not evict
    CHECK(c.size() == 3);
    CHECK(c.find("a", t0 + 400)->token_type == "admin");
    c.insert("e", info("user"), t0 + 20'000); // everything else expired by now
    CHECK(c.size() == 1);
}

TEST_CASE("TTL 0 or a bound of 0 turns the cache off") {
    nal::validation_cache off(0ms, 100), none(2000ms, 0);
    CHECK_FALSE(off.enabled());
    CHECK_FALSE(none.enabled());
    off.insert("tok", info("user"), t0);
    none.insert("tok", info("user"), t0);
    CHECK_FALSE(off.find("tok", t0));
    CHECK_FALSE(none.find("tok", t0));
    CHECK(off.size() == 0);
}
