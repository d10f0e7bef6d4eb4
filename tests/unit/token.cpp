// session_token <-> claims: known fields, unknown claims kept, odd types kept.
#include <authpp/token.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <catch2/catch.hpp>

using namespace authpp;

TEST_CASE("claims map to the token and back, unknown claims kept") {
    const auto claims = boost::json::parse(R"({"name":"Ada","picture":null,"sub":"u1","email":"a@b.c","nickname":"ada",
      "accessToken":"at","refreshToken":"rt","accessTokenExpires":1800000000000,
      "zkEvm":{"ethAddress":"0x1","userAdminAddress":"0x2"},"custom":{"deep":[1,{"x":"ü"}]},
      "iat":1,"exp":2,"jti":"j"})").as_object();
    auto t = boost::json::value_to<session_token>(boost::json::value(claims));
    CHECK(t.sub == "u1");
    CHECK(t.email == "a@b.c");
    CHECK(t.nickname == "ada");
    CHECK(t.access_token == "at");
    CHECK(t.refresh_token == "rt");
    CHECK_FALSE(t.id_token);
    CHECK(t.access_token_expires == 1800000000000);
    CHECK(t.zkevm == zkevm_info{"0x1", "0x2"});
    CHECK_FALSE(t.error);
    CHECK(t.extra.at("custom").at("deep").at(1).at("x") == "ü");
    CHECK(t.extra.at("jti") == "j");
    auto back = boost::json::value_from(t).as_object();
    CHECK(back == claims);
}

TEST_CASE("the cookie form leaves the id token out") {
    session_token t;
    t.sub = "u";
    t.id_token = "big-id-token";
    CHECK(token_to_claims(t).contains("idToken"));
    CHECK_FALSE(token_to_claims(t, false).contains("idToken"));
}

TEST_CASE("a known claim of the wrong type is read as absent and kept as it came") {
    const auto claims =
        boost::json::parse(R"({"sub":"u","accessTokenExpires":"soon","email":5,"zkEvm":{"ethAddress":1}})").as_object();
    auto t = token_from_claims(claims);
    CHECK_FALSE(t.access_token_expires);
    CHECK_FALSE(t.email);
    CHECK_FALSE(t.zkevm);
    auto back = token_to_claims(t);
    CHECK(back.at("accessTokenExpires") == "soon");
    CHECK(back.at("email") == 5);
    CHECK(back == claims);
}

TEST_CASE("fractional and huge expiries") {
    CHECK(token_from_claims(boost::json::parse(R"({"accessTokenExpires":1.5e12})").as_object()).access_token_expires ==
          1'500'000'000'000);
    CHECK_FALSE(token_from_claims(boost::json::parse(R"({"accessTokenExpires":1e300})").as_object()).access_token_expires);
    CHECK_FALSE(token_from_claims(boost::json::parse(R"({"accessTokenExpires":18446744073709551615})").as_object())
                    .access_token_expires);
}

TEST_CASE("value_to of a non-object throws, as Boost.JSON conversions do") {
    CHECK_THROWS_AS(boost::json::value_to<session_token>(boost::json::value(5)), std::invalid_argument);
}
