// crypto/constant_time.hpp: secrets compared without an early exit.
#include <authpp/crypto/constant_time.hpp>

#include <catch2/catch.hpp>

#include <string>

using namespace authpp;

TEST_CASE("crypto::constant_time_equals") {
    CHECK(crypto::constant_time_equals("token|hash", "token|hash"));
    CHECK_FALSE(crypto::constant_time_equals("token|hash", "token|hasH"));
    CHECK_FALSE(crypto::constant_time_equals("Token|hash", "token|hash"));
    CHECK_FALSE(crypto::constant_time_equals("token", "token|hash"));
    CHECK(crypto::constant_time_equals("", ""));
    const unsigned char a[3] = {1, 2, 3}, b[3] = {1, 2, 4};
    CHECK(crypto::constant_time_equals(a, a, 3));
    CHECK_FALSE(crypto::constant_time_equals(a, b, 3));
    CHECK(crypto::constant_time_equals(a, b, 2));
}
