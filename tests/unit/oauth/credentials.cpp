// Sign-in with client-obtained tokens: field validation and the userinfo check.
#include <authpp/oauth/credentials.hpp>

#include <catch2/catch.hpp>

using namespace authpp;

namespace {
const char* valid = R"({"accessToken":"at","refreshToken":"rt","idToken":"id","accessTokenExpires":1800000000000,
  "profile":{"sub":"user-1","email":"a@b.c","nickname":"ada"},"zkEvm":{"ethAddress":"0x1","userAdminAddress":"0x2"}})";
}

TEST_CASE("valid client tokens parse") {
    auto t = oauth::parse_credentials(valid);
    REQUIRE(t.has_value());
    CHECK(t->access_token == "at");
    CHECK(t->refresh_token == "rt");
    CHECK(t->id_token == "id");
    CHECK(t->access_token_expires == 1800000000000);
    CHECK(t->sub == "user-1");
    CHECK(t->email == "a@b.c");
    CHECK(t->zkevm == zkevm_info{"0x1", "0x2"});
}

TEST_CASE("client tokens without a required field are refused") {
    for (const char* bad : {"", "nope", "[]", R"({})", R"({"accessToken":"at","accessTokenExpires":1,"profile":{}})",
                            R"({"accessToken":"","accessTokenExpires":1,"profile":{"sub":"u"}})",
                            R"({"accessToken":7,"accessTokenExpires":1,"profile":{"sub":"u"}})",
                            R"({"accessToken":"at","accessTokenExpires":"1","profile":{"sub":"u"}})",
                            R"({"accessToken":"at","profile":{"sub":"u"}})",
                            R"({"accessToken":"at","accessTokenExpires":1,"profile":"u"})",
                            R"({"accessToken":"at","accessTokenExpires":1,"profile":{"sub":5}})"}) {
        INFO(bad);
        auto t = oauth::parse_credentials(bad);
        REQUIRE_FALSE(t.has_value());
        CHECK(t.error() == error::invalid_credentials);
    }
}

TEST_CASE("userinfo must accept the token and name the same sub") {
    auto o = sandbox_options();
    o.userinfo_endpoint = "http://127.0.0.1:1/me";
    auto req = oauth::make_userinfo_request(o, "at");
    CHECK(req.method == "GET");
    CHECK(req.url == "http://127.0.0.1:1/me");
    CHECK(http::find_header(req.headers, "authorization") == "Bearer at");

    const auto t = *oauth::parse_credentials(valid);
    auto ok = oauth::verify_userinfo({}, {200, {}, R"({"sub":"user-1","email":"real@b.c"})"}, t);
    REQUIRE(ok.has_value());
    CHECK(ok->sub == "user-1");
    CHECK(ok->email == "real@b.c");   // userinfo wins
    CHECK(ok->nickname == "ada");     // else the profile's
    CHECK(ok->access_token == "at");
    CHECK(ok->zkevm == zkevm_info{"0x1", "0x2"});

    CHECK(oauth::verify_userinfo({}, {200, {}, R"({"sub":"someone-else"})"}, t).error() == error::userinfo_mismatch);
    CHECK(oauth::verify_userinfo({}, {401, {}, R"({"sub":"user-1"})"}, t).error() == error::userinfo_rejected);
    CHECK(oauth::verify_userinfo({}, {200, {}, "garbage"}, t).error() == error::userinfo_rejected);
    CHECK(oauth::verify_userinfo({}, {200, {}, R"({"email":"x"})"}, t).error() == error::userinfo_rejected);
    CHECK(oauth::verify_userinfo(make_error_code(boost::system::errc::timed_out), {}, t).error() ==
          error::userinfo_rejected);
}
