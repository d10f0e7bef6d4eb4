// nal/identity.hpp: x-auth-user round trips, refuses what is not base64 of
// an object, and client-sent identity headers are stripped in any case.
#include <authpp/nal/identity.hpp>

#include <catch2/catch.hpp>

using namespace authpp;

TEST_CASE("x-auth-user: base64 of the user JSON, and back") {
    const auto user = boost::json::parse(R"({"id":7,"name":"Zoë","roles":["a","b"]})");
    const auto h = nal::encode_user(user);
    CHECK(h == crypto::base64_encode(R"({"id":7,"name":"Zoë","roles":["a","b"]})"));
    const auto back = nal::decode_user(h);
    REQUIRE(back);
    CHECK(boost::json::value(*back) == user);
}

TEST_CASE("decode_user refuses what is not base64 of a JSON object") {
    for (const std::string& bad :
         {std::string(), std::string("not base64!"), crypto::base64_encode("[1,2]"), crypto::base64_encode("\"x\""),
          crypto::base64_encode("{\"a\":"), crypto::base64_encode(std::string(40, '[') + std::string(40, ']')),
          std::string(nal::max_user_header + 4, 'A')}) {
        INFO(bad.substr(0, 40));
        CHECK_FALSE(nal::decode_user(bad));
    }
}

TEST_CASE("strip_identity_headers removes every copy, any case, nothing else") {
    http::header_list h{{"X-Auth-User", "forged"},     {"Accept", "text/html"},       {"x-auth-token-type", "admin"},
                        {"X-REFRESHED-TOKEN", "t"},     {"x-auth-user", "forged too"}, {"x-auth-users", "kept"}};
    nal::strip_identity_headers(h);
    CHECK(h == http::header_list{{"Accept", "text/html"}, {"x-auth-users", "kept"}});
    CHECK(nal::is_identity_header("X-Auth-Token-Type"));
    CHECK_FALSE(nal::is_identity_header("x-auth"));
}
