// Every branch of the reference's jwt callback, driven directly.
#include <authpp/core/jwt_callback.hpp>

#include <authpp/crypto/base64.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <catch2/catch.hpp>

using namespace authpp;
using core::jwt_begin;
using core::jwt_finish_refresh;

namespace {

constexpr std::int64_t now_ms = 1'800'000'000'000;
constexpr auto buffer = std::chrono::seconds(60);

session_token signed_in_token(std::int64_t expires_ms) {
    session_token t;
    t.sub = "user-1";
    t.email = "ada@example.com";
    t.access_token = "at-1";
    t.refresh_token = "rt-1";
    t.access_token_expires = expires_ms;
    t.zkevm = zkevm_info{"0xeth", "0xadmin"};
    return t;
}

std::string unsigned_jwt(const boost::json::object& claims) {
    return crypto::base64url_encode(std::string_view(R"({"alg":"none"})")) + "." +
           crypto::base64url_encode(boost::json::serialize(claims)) + ".sig";
}

oauth::refresh_result refreshed(std::optional<std::string> id_token, std::string rt = "rt-2") {
    oauth::refresh_result r;
    r.tokens = oauth::refreshed_tokens{"at-2", std::move(rt), std::move(id_token), now_ms + 900'000};
    return r;
}

} // namespace

TEST_CASE("sign-in stores the user's tokens") {
    signed_in_user u;
    u.sub = "user-9";
    u.email = "u9@example.com";
    u.nickname = "nine";
    u.access_token = "at";
    u.refresh_token = "rt";
    u.id_token = "id";
    u.access_token_expires = now_ms + 1000;
    u.zkevm = zkevm_info{"0x1", "0x2"};
    session_token before;
    before.extra["name"] = "Nine";
    auto s = jwt_begin(before, {jwt_trigger::sign_in, &u, nullptr}, now_ms, buffer);
    CHECK(s.changed);
    CHECK_FALSE(s.refresh);
    CHECK(s.token.sub == "user-9");
    CHECK(s.token.email == "u9@example.com");
    CHECK(s.token.nickname == "nine");
    CHECK(s.token.access_token == "at");
    CHECK(s.token.refresh_token == "rt");
    CHECK(s.token.id_token == "id");
    CHECK(s.token.access_token_expires == now_ms + 1000);
    CHECK(s.token.zkevm == zkevm_info{"0x1", "0x2"});
    CHECK(s.token.extra.at("name") == "Nine"); // {...token, …} keeps Auth.js's own claims
}

TEST_CASE("update merges synced tokens and clears the error") {
    auto t = signed_in_token(now_ms - 1);
    t.error = "TokenExpired";
    const auto update = boost::json::parse(R"({"accessToken":"at-sync","accessTokenExpires":1800000900000,
        "idToken":"","zkEvm":{"ethAddress":"0xnew","userAdminAddress":"0xnewadmin"}})").as_object();
    auto s = jwt_begin(t, {jwt_trigger::update, nullptr, &update}, now_ms, buffer);
    CHECK(s.changed);
    CHECK_FALSE(s.refresh);
    CHECK(s.token.access_token == "at-sync");
    CHECK(s.token.access_token_expires == 1800000900000);
    CHECK(s.token.refresh_token == "rt-1"); // not in the update: kept
    CHECK_FALSE(s.token.id_token);          // "" is falsy in the reference: not merged
    CHECK(s.token.zkevm == zkevm_info{"0xnew", "0xnewadmin"});
    CHECK_FALSE(s.token.error);
}

TEST_CASE("update with forceRefresh refreshes now, even when the token is fresh") {
    const auto t = signed_in_token(now_ms + 3'600'000);
    const auto update = boost::json::parse(R"({"forceRefresh":true})").as_object();
    auto s = jwt_begin(t, {jwt_trigger::update, nullptr, &update}, now_ms, buffer);
    CHECK(s.refresh);
    CHECK(s.token.refresh_token == "rt-1");

    SECTION("and forceRefresh without a refresh token is a plain update") {
        auto no_rt = t;
        no_rt.refresh_token.reset();
        no_rt.error = "TokenExpired";
        auto s2 = jwt_begin(no_rt, {jwt_trigger::update, nullptr, &update}, now_ms, buffer);
        CHECK_FALSE(s2.refresh);
        CHECK(s2.changed);
        CHECK_FALSE(s2.token.error);
    }
}

TEST_CASE("a token that is not expired is returned as is") {
    const auto t = signed_in_token(now_ms + 61'000); // outside the 60 s buffer
    auto s = jwt_begin(t, {}, now_ms, buffer);
    CHECK_FALSE(s.changed);
    CHECK_FALSE(s.refresh);
    CHECK(s.token.access_token == "at-1");
}

TEST_CASE("expiry within the buffer, at the buffer's edge, missing or invalid counts as expired") {
    CHECK(jwt_begin(signed_in_token(now_ms + 60'000), {}, now_ms, buffer).refresh);
    CHECK(jwt_begin(signed_in_token(now_ms + 59'999), {}, now_ms, buffer).refresh);
    auto missing = signed_in_token(0);
    missing.access_token_expires.reset();
    CHECK(jwt_begin(missing, {}, now_ms, buffer).refresh);
    // The buffer is configurable.
    CHECK_FALSE(jwt_begin(signed_in_token(now_ms + 10'000), {}, now_ms, std::chrono::seconds(5)).refresh);
}

TEST_CASE("an expired token without a refresh token gets TokenExpired") {
    auto t = signed_in_token(now_ms - 1);
    t.refresh_token.reset();
    auto s = jwt_begin(t, {}, now_ms, buffer);
    CHECK_FALSE(s.refresh);
    CHECK(s.changed);
    CHECK(s.token.error == "TokenExpired");
    // Already marked: nothing new to write.
    auto again = jwt_begin(s.token, {}, now_ms, buffer);
    CHECK_FALSE(again.changed);
}

TEST_CASE("a successful refresh stores the new tokens and zkEvm from the id token") {
    auto t = signed_in_token(now_ms - 1);
    t.error = "TokenExpired";
    const auto id = unsigned_jwt({{"sub", "user-1"},
                                  {"passport", {{"zkevm_eth_address", "0xfresh"}, {"zkevm_user_admin_address", "0xfa"}}}});
    auto out = jwt_finish_refresh(t, refreshed(id));
    CHECK(out.access_token == "at-2");
    CHECK(out.refresh_token == "rt-2");
    CHECK(out.id_token == id);
    CHECK(out.access_token_expires == now_ms + 900'000);
    CHECK(out.zkevm == zkevm_info{"0xfresh", "0xfa"});
    CHECK_FALSE(out.error);
}

TEST_CASE("a refresh whose id token has no passport keeps the old zkEvm") {
    auto out = jwt_finish_refresh(signed_in_token(now_ms - 1), refreshed(unsigned_jwt({{"sub", "user-1"}})));
    CHECK(out.zkevm == zkevm_info{"0xeth", "0xadmin"});
    auto half = jwt_finish_refresh(signed_in_token(now_ms - 1),
                                   refreshed(unsigned_jwt({{"passport", {{"zkevm_eth_address", "0xonly"}}}})));
    CHECK(half.zkevm == zkevm_info{"0xeth", "0xadmin"});
    auto none = jwt_finish_refresh(signed_in_token(now_ms - 1), refreshed(std::nullopt));
    CHECK(none.zkevm == zkevm_info{"0xeth", "0xadmin"});
    CHECK_FALSE(none.id_token);
}

TEST_CASE("a definitive refresh failure sets RefreshTokenError") {
    oauth::refresh_result r;
    r.error = error::refresh_rejected;
    auto out = jwt_finish_refresh(signed_in_token(now_ms - 1), r);
    CHECK(out.error == "RefreshTokenError");
    CHECK(out.access_token == "at-1");
    CHECK(out.refresh_token == "rt-1");
}

TEST_CASE("an unusable 2xx from the token endpoint keeps the session (TokenExpired), as a transient failure") {
    oauth::refresh_result r;
    r.error = error::bad_token_response;
    auto out = jwt_finish_refresh(signed_in_token(now_ms - 1), r);
    CHECK(out.error == "TokenExpired");
    CHECK(out.refresh_token == "rt-1");
}

TEST_CASE("a transient refresh failure keeps the refresh token and reports TokenExpired") {
    oauth::refresh_result r;
    r.error = error::refresh_unavailable;
    auto out = jwt_finish_refresh(signed_in_token(now_ms - 1), r);
    CHECK(out.error == "TokenExpired");
    CHECK(out.refresh_token == "rt-1");
}
