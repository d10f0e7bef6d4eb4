// The refresh grant: request shape, response reading, expiry, zkEvm, classification.
#include <authpp/oauth/refresh.hpp>

#include <authpp/crypto/base64.hpp>

#include <boost/json/serialize.hpp>

#include <catch2/catch.hpp>

using namespace authpp;

namespace {
constexpr std::int64_t now_ms = 1'800'000'000'000;

std::string jwt_with(const boost::json::object& claims) {
    return crypto::base64url_encode(std::string_view(R"({"alg":"RS256"})")) + "." +
           crypto::base64url_encode(boost::json::serialize(claims)) + ".c2ln";
}

http::response reply(int status, std::string body) { return {status, {}, std::move(body)}; }
} // namespace

TEST_CASE("the refresh request is the reference's form POST") {
    auto o = sandbox_options();
    o.client_id = "client 1&x";
    auto r = oauth::make_refresh_request(o, "rt+/=");
    CHECK(r.method == "POST");
    CHECK(r.url == "https://auth.immutable.com/oauth/token");
    CHECK(http::find_header(r.headers, "content-type") == "application/x-www-form-urlencoded");
    CHECK(r.body == "grant_type=refresh_token&client_id=client+1%26x&refresh_token=rt%2B%2F%3D");
    CHECK(http::find_header(r.headers, "Authorization").empty());

    o.token_endpoint = "http://127.0.0.1:9/token";
    o.client_secret = "s3cr:t";
    o.client_id = "cid";
    r = oauth::make_refresh_request(o, "rt");
    CHECK(r.url == "http://127.0.0.1:9/token");
    // base64("cid:s3cr%3At")
    CHECK(http::find_header(r.headers, "Authorization") == "Basic Y2lkOnMzY3IlM0F0");
}

TEST_CASE("a successful answer: new tokens, expiry from the access token's exp") {
    const auto at = jwt_with({{"sub", "u"}, {"exp", 1'800'000'600}});
    auto r = oauth::parse_refresh_response({}, reply(200, R"({"access_token":")" + at +
                                                              R"(","refresh_token":"rt-new","id_token":"id","expires_in":30})"),
                                           "rt-old", now_ms);
    REQUIRE(r.ok());
    CHECK(r.tokens->access_token == at);
    CHECK(r.tokens->refresh_token == "rt-new");
    CHECK(r.tokens->id_token == "id");
    CHECK(r.tokens->access_token_expires == 1'800'000'600'000); // exp wins over expires_in
}

TEST_CASE("the old refresh token is kept when none comes back") {
    auto r = oauth::parse_refresh_response({}, reply(200, R"({"access_token":"opaque","refresh_token":""})"), "rt-old",
                                           now_ms);
    REQUIRE(r.ok());
    CHECK(r.tokens->refresh_token == "rt-old");
    CHECK_FALSE(r.tokens->id_token);
}

TEST_CASE("expiry falls back to expires_in, then to 15 minutes") {
    auto with_expires_in = oauth::parse_refresh_response({}, reply(200, R"({"access_token":"opaque","expires_in":120})"),
                                                         "rt", now_ms);
    CHECK(with_expires_in.tokens->access_token_expires == now_ms + 120'000);
    auto neither = oauth::parse_refresh_response({}, reply(200, R"({"access_token":"opaque"})"), "rt", now_ms);
    CHECK(neither.tokens->access_token_expires == now_ms + 900'000);
    auto jwt_without_exp = oauth::parse_refresh_response(
        {}, reply(200, R"({"access_token":")" + jwt_with({{"sub", "u"}}) + R"("})"), "rt", now_ms);
    CHECK(jwt_without_exp.tokens->access_token_expires == now_ms + 900'000);
}

TEST_CASE("error text: error_description, else error, else the body, else the status") {
    auto r = oauth::parse_refresh_response(
        {}, reply(400, R"({"error":"invalid_grant","error_description":"grant request is invalid"})"), "rt", now_ms);
    CHECK_FALSE(r.ok());
    CHECK(r.error == error::refresh_rejected);
    CHECK_FALSE(r.transient());
    CHECK(r.error_text == "grant request is invalid");
    CHECK(oauth::parse_refresh_response({}, reply(400, R"({"error":"invalid_client"})"), "rt", now_ms).error_text ==
          "invalid_client");
    CHECK(oauth::parse_refresh_response({}, reply(401, "nope"), "rt", now_ms).error_text == "nope");
    CHECK(oauth::parse_refresh_response({}, reply(403, ""), "rt", now_ms).error_text ==
          "Token refresh failed with status 403");
}

TEST_CASE("network failures, 5xx, 429 and 408 are transient; other statuses definitive") {
    CHECK(oauth::parse_refresh_response(make_error_code(boost::system::errc::connection_refused), {}, "rt", now_ms)
              .transient());
    for (int status : {500, 502, 503, 504, 429, 408})
        CHECK(oauth::parse_refresh_response({}, reply(status, "busy"), "rt", now_ms).transient());
    for (int status : {400, 401, 403, 404, 302})
        CHECK(oauth::parse_refresh_response({}, reply(status, "{}"), "rt", now_ms).error == error::refresh_rejected);
}

TEST_CASE("a malformed 2xx is a transient error, never a half-written token set nor a logout") {
    // The provider refused nothing: a maintenance page, an empty object or an
    // over-deep document says nothing about the refresh token.
    const std::string deep = std::string(100, '[') + std::string(100, ']');
    const std::string deep_object = R"({"access_token":"a","x":)" + deep + "}";
    for (const std::string& body :
         {std::string(), std::string("not json"), std::string("[]"), std::string("{}"), std::string(R"({"access_token":5})"),
          std::string(R"({"access_token":""})"), std::string(R"({"refresh_token":"x"})"),
          std::string("{\"access_token\":\"a\""),
          std::string("<!doctype html><html><body>Down for maintenance</body></html>"), deep, deep_object}) {
        for (int status : {200, 201, 204}) {
            INFO(status << " " << body.substr(0, 40));
            auto r = oauth::parse_refresh_response({}, reply(status, body), "rt", now_ms);
            CHECK_FALSE(r.ok());
            CHECK(r.error == error::bad_token_response);
            CHECK(r.transient());
            CHECK(oauth::is_transient_refresh_error(r.error));
            CHECK(r.error_text.find(std::to_string(status)) != std::string::npos);
        }
    }
    CHECK_FALSE(oauth::is_transient_refresh_error(error::refresh_rejected));
}

TEST_CASE("extract_zkevm_from_id_token reads the passport claim") {
    const auto id = jwt_with({{"passport", {{"zkevm_eth_address", "0xa"}, {"zkevm_user_admin_address", "0xb"}}}});
    CHECK(oauth::extract_zkevm_from_id_token(id) == zkevm_info{"0xa", "0xb"});
    CHECK_FALSE(oauth::extract_zkevm_from_id_token(""));
    CHECK_FALSE(oauth::extract_zkevm_from_id_token("a.b"));
    CHECK_FALSE(oauth::extract_zkevm_from_id_token("a.!!!.c"));
    CHECK_FALSE(oauth::extract_zkevm_from_id_token(jwt_with({{"passport", "x"}})));
    CHECK_FALSE(oauth::extract_zkevm_from_id_token(jwt_with({{"passport", {{"zkevm_eth_address", "0xa"}}}})));
}

TEST_CASE("is_token_expired uses the buffer and treats no expiry as expired") {
    CHECK(oauth::is_token_expired(std::nullopt, now_ms));
    CHECK(oauth::is_token_expired(now_ms + 60'000, now_ms));
    CHECK_FALSE(oauth::is_token_expired(now_ms + 60'001, now_ms));
    CHECK_FALSE(oauth::is_token_expired(now_ms + 1'000, now_ms, std::chrono::seconds(0)));
    CHECK(oauth::is_token_expired(now_ms, now_ms, std::chrono::seconds(0)));
}
