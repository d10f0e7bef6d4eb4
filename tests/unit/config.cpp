// basic_auth_config driving the sans-I/O session flow through a scripted
// transport: the exact session and Set-Cookie each case produces.
#include <authpp/config.hpp>

#include <authpp/clock/manual_clock.hpp>
#include <authpp/codec/authjs_codec.hpp>
#include <authpp/helpers.hpp>
#include <authpp/crypto/base64.hpp>
#include <authpp/match/prefix_matcher.hpp>
#include <authpp/store/memory_store.hpp>

#include "../support/scripted_transport.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <catch2/catch.hpp>

using namespace authpp;
using config = basic_auth_config<test::scripted_transport, authjs_codec, manual_clock, memory_store, prefix_matcher>;

namespace {

auth_options test_options() {
    auto o = sandbox_options();
    o.secrets = {"config-test-secret"};
    o.token_endpoint = "http://127.0.0.1:1/oauth/token";
    return o;
}

// Turns Set-Cookie values into the Cookie header a browser would send next.
std::string browser_cookies(const std::vector<std::string>& set_cookies, std::string extra = "theme=dark") {
    std::string h = std::move(extra);
    for (const auto& sc : set_cookies) {
        if (sc.find("; Max-Age=0") != std::string::npos) continue;
        h += "; " + sc.substr(0, sc.find(';'));
    }
    return h;
}

boost::json::object cookie_claims(const config& c, const std::vector<std::string>& set_cookies) {
    std::string token;
    REQUIRE_FALSE(cookie::read_session_cookie(browser_cookies(set_cookies), c.options().session_cookie(), token));
    auto claims = c.codec().decode(token, c.options().session_cookie(), c.now_ms() / 1000);
    REQUIRE(claims.has_value());
    return *claims;
}

std::string sign_in(config& c, std::int64_t expires_in_ms = 3'600'000, bool with_refresh = true) {
    signed_in_user u;
    u.sub = "user-1";
    u.email = "ada@example.com";
    u.nickname = "ada";
    u.access_token = "at-1";
    if (with_refresh) u.refresh_token = "rt-1";
    u.id_token = "id-1";
    u.access_token_expires = c.now_ms() + expires_in_ms;
    u.zkevm = zkevm_info{"0xeth", "0xadmin"};
    core::flow_options fo;
    fo.event = {jwt_trigger::sign_in, &u, nullptr};
    auto r = c.resolve("", fo);
    REQUIRE(r.session);
    return browser_cookies(r.set_cookies);
}

std::string unsigned_jwt(const boost::json::object& claims) {
    return crypto::base64url_encode(std::string_view(R"({"alg":"none"})")) + "." +
           crypto::base64url_encode(boost::json::serialize(claims)) + ".sig";
}

} // namespace

TEST_CASE("no cookie: no session, nothing to set") {
    config c(test_options());
    auto r = c.resolve("theme=dark; other=1");
    CHECK_FALSE(r.session);
    CHECK_FALSE(r.token);
    CHECK(r.set_cookies.empty());
    CHECK(r.cookie_error == error::no_session_cookie);
    CHECK_FALSE(c.auth(""));
}

TEST_CASE("an unreadable cookie gives no session and is cleared") {
    config c(test_options());
    for (const char* bad : {"authjs.session-token=garbage", "authjs.session-token=a.b.c.d.e",
                            "authjs.session-token.0=abc; authjs.session-token.2=def"}) {
        INFO(bad);
        auto r = c.resolve(bad);
        CHECK_FALSE(r.session);
        CHECK(r.cookie_error);
        REQUIRE_FALSE(r.set_cookies.empty());
        for (const auto& sc : r.set_cookies) CHECK(sc.find("=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax") != std::string::npos);
    }
    // A cookie made with another secret is refused the same way.
    auto other = test_options();
    other.secrets = {"another-secret"};
    config c2(other);
    const auto header = sign_in(c2);
    auto r = c.resolve(header);
    CHECK_FALSE(r.session);
    CHECK(r.cookie_error == error::unknown_kid);
    CHECK(r.set_cookies == std::vector<std::string>{"authjs.session-token=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax"});
}

TEST_CASE("sign-in: the cookie holds the tokens but not the id token; the session has it") {
    config c(test_options());
    signed_in_user u;
    u.sub = "user-1";
    u.email = "ada@example.com";
    u.access_token = "at-1";
    u.refresh_token = "rt-1";
    u.id_token = "id-1";
    u.access_token_expires = c.now_ms() + 3'600'000;
    core::flow_options fo;
    fo.event = {jwt_trigger::sign_in, &u, nullptr};
    auto r = c.resolve("authjs.session-token=stale", fo);
    REQUIRE(r.session);
    CHECK(r.session->id_token == "id-1");
    CHECK(r.session->user.sub == "user-1");
    CHECK(r.session->expires == "2028-01-15T08:00:00.000Z"); // manual_clock starts at 1.8e9 s; + 365 days
    REQUIRE(r.set_cookies.size() == 1);
    const auto& sc = r.set_cookies[0];
    CHECK(sc.starts_with("authjs.session-token=eyJ"));
    CHECK(sc.ends_with("; Path=/; Expires=Sat, 15 Jan 2028 08:00:00 GMT; HttpOnly; SameSite=Lax"));
    auto claims = cookie_claims(c, r.set_cookies);
    CHECK(claims.at("sub") == "user-1");
    CHECK(claims.at("accessToken") == "at-1");
    CHECK(claims.at("refreshToken") == "rt-1");
    CHECK_FALSE(claims.contains("idToken"));
    CHECK(claims.at("exp").as_int64() == 1'800'000'000 + 365 * 24 * 3600);
}

TEST_CASE("a fresh token: the exact session, no cookie rewrite unless rolling") {
    config c(test_options());
    const auto header = sign_in(c);
    c.clock().advance(std::chrono::minutes(5));
    auto r = c.resolve(header);
    REQUIRE(r.session);
    CHECK(r.set_cookies.empty());
    CHECK_FALSE(r.refreshed);
    CHECK(c.transport().sent().empty());
    const auto json = boost::json::value_from(*r.session);
    CHECK(json == boost::json::parse(R"({"user":{"email":"ada@example.com","sub":"user-1","nickname":"ada"},
        "expires":"2028-01-15T08:05:00.000Z","accessToken":"at-1","refreshToken":"rt-1",
        "accessTokenExpires":1800003600000,"zkEvm":{"ethAddress":"0xeth","userAdminAddress":"0xadmin"}})"));

    core::flow_options rolling;
    rolling.rolling = true;
    auto rr = c.resolve(header, rolling);
    REQUIRE(rr.set_cookies.size() == 1);
    CHECK(cookie_claims(c, rr.set_cookies).at("exp").as_int64() == 1'800'000'300 + 365 * 24 * 3600);
}

TEST_CASE("an expired token is refreshed through the transport") {
    config c(test_options());
    const auto header = sign_in(c);
    c.clock().advance(std::chrono::minutes(59) + std::chrono::seconds(1)); // inside the 60 s buffer
    const auto id = unsigned_jwt({{"passport", {{"zkevm_eth_address", "0xnew"}, {"zkevm_user_admin_address", "0xna"}}}});
    c.transport().push(200, R"({"access_token":"at-2","refresh_token":"rt-2","expires_in":900,"id_token":")" + id + "\"}");
    auto r = c.resolve(header);
    REQUIRE(r.session);
    REQUIRE(c.transport().sent().size() == 1);
    const auto sent = c.transport().sent();
    const auto& req = sent[0];
    CHECK(req.method == "POST");
    CHECK(req.url == "http://127.0.0.1:1/oauth/token");
    CHECK(req.body == "grant_type=refresh_token&client_id=mjtCL8mt06BtbxSkp2vbrYStKWnXVZfo&refresh_token=rt-1");
    CHECK(r.refreshed);
    CHECK_FALSE(r.refresh_error);
    CHECK(r.session->access_token == "at-2");
    CHECK(r.session->refresh_token == "rt-2");
    CHECK(r.session->id_token == id);
    CHECK(r.session->zkevm == zkevm_info{"0xnew", "0xna"});
    CHECK(r.session->access_token_expires == c.now_ms() + 900'000);
    CHECK_FALSE(r.session->error);
    auto claims = cookie_claims(c, r.set_cookies);
    CHECK(claims.at("accessToken") == "at-2");
    CHECK(claims.at("refreshToken") == "rt-2");
    CHECK_FALSE(claims.contains("idToken"));

    // The next request carries the new cookie and needs no refresh.
    auto next = c.resolve(browser_cookies(r.set_cookies));
    REQUIRE(next.session);
    CHECK(next.session->access_token == "at-2");
    CHECK_FALSE(next.session->id_token);
    CHECK(c.transport().sent().size() == 1);
}

TEST_CASE("a refused refresh gives RefreshTokenError, written to the cookie") {
    config c(test_options());
    const auto header = sign_in(c);
    c.clock().advance(std::chrono::hours(2));
    c.transport().push(400, R"({"error":"invalid_grant","error_description":"grant request is invalid"})");
    auto r = c.resolve(header);
    REQUIRE(r.session);
    CHECK(r.session->error == "RefreshTokenError");
    CHECK(r.refresh_error == error::refresh_rejected);
    CHECK(r.refresh_error_text == "grant request is invalid");
    CHECK(cookie_claims(c, r.set_cookies).at("error") == "RefreshTokenError");
}

TEST_CASE("a transient refresh failure keeps the user signed in and retries next time") {
    config c(test_options());
    const auto header = sign_in(c);
    c.clock().advance(std::chrono::hours(2));
    c.transport().push(503, "down for maintenance");
    auto r = c.resolve(header);
    REQUIRE(r.session);
    CHECK(r.session->error == "TokenExpired");
    CHECK(r.session->refresh_token == "rt-1");
    CHECK(r.refresh_error == error::refresh_unavailable);

    // Within the back-off (1 s after one failure) the endpoint is left alone.
    CHECK(c.refresh_backoff().failures() == 1);
    auto waiting = c.resolve(browser_cookies(r.set_cookies));
    CHECK_FALSE(waiting.refreshed);
    CHECK(waiting.refresh_error == error::refresh_unavailable);
    CHECK(waiting.session->error == "TokenExpired");
    CHECK(c.transport().sent().size() == 1);

    c.clock().advance(std::chrono::milliseconds(1'001));
    c.transport().push_error(make_error_code(boost::system::errc::connection_refused));
    auto r2 = c.resolve(browser_cookies(r.set_cookies));
    CHECK(r2.refreshed);
    CHECK(r2.session->error == "TokenExpired");
    CHECK(c.refresh_backoff().failures() == 2);
    CHECK(c.refresh_backoff().not_before() == c.now_ms() + 2'000); // doubled

    c.clock().advance(std::chrono::milliseconds(2'001));
    c.transport().push(200, R"({"access_token":"at-3","expires_in":600})");
    auto r3 = c.resolve(browser_cookies(r.set_cookies));
    CHECK(c.refresh_backoff().failures() == 0);
    REQUIRE(r3.session);
    CHECK_FALSE(r3.session->error);
    CHECK(r3.session->access_token == "at-3");
    CHECK(r3.session->refresh_token == "rt-1"); // none came back: kept
    CHECK(c.transport().sent().size() == 3);
}

TEST_CASE("auth() as the helpers bind it: the rotated cookie reaches the response; the read-only form never refreshes") {
    config c(test_options());
    const auto header = sign_in(c);
    c.clock().advance(std::chrono::hours(2));

    // Read-only: nowhere to put a rotated token, so no redemption happens.
    auto peek = c.auth(header);
    REQUIRE(peek);
    CHECK(peek->error == "TokenExpired");
    CHECK(peek->refresh_token == "rt-1");
    CHECK(c.transport().sent().empty());

    // The documented pattern: the helper's session, and the cookies to send.
    c.transport().push(200, R"({"access_token":"at-2","refresh_token":"rt-2","expires_in":900})");
    std::vector<std::string> set_cookies;
    auto v = get_valid_session([&] { return c.auth(header, set_cookies); });
    CHECK(v.status == session_status::authenticated);
    REQUIRE(v.session);
    CHECK(v.session->refresh_token == "rt-2");
    CHECK(c.transport().sent().size() == 1);
    REQUIRE_FALSE(set_cookies.empty());
    CHECK(cookie_claims(c, set_cookies).at("refreshToken") == "rt-2");
    // The browser's next request carries rt-2 and needs nothing more.
    std::vector<std::string> more;
    auto next = c.auth(browser_cookies(set_cookies), more);
    REQUIRE(next);
    CHECK(next->access_token == "at-2");
    CHECK(more.empty());
    CHECK(c.transport().sent().size() == 1);
}

TEST_CASE("a 2xx maintenance page from the token endpoint keeps the user signed in and backs off") {
    config c(test_options());
    const auto header = sign_in(c);
    c.clock().advance(std::chrono::hours(2));
    c.transport().push(200, "<html><body>Down for maintenance</body></html>");
    auto r = c.resolve(header);
    REQUIRE(r.session);
    CHECK(r.session->error == "TokenExpired");
    CHECK(r.session->refresh_token == "rt-1");
    CHECK(r.refresh_error == error::bad_token_response);
    CHECK(c.refresh_backoff().failures() == 1);
    c.clock().advance(std::chrono::milliseconds(1'001));
    c.transport().push(200, "{}");
    auto r2 = c.resolve(header);
    REQUIRE(r2.session);
    CHECK(r2.session->error == "TokenExpired");
    CHECK(c.refresh_backoff().failures() == 2);
}

TEST_CASE("a refresh whose tokens exceed the session budget writes nothing; the request still has its session") {
    for (std::size_t size : {20'000u, 300'000u}) {
        INFO(size);
        config c(test_options());
        const auto header = sign_in(c);
        c.clock().advance(std::chrono::hours(2));
        c.transport().push(200, R"({"access_token":")" + std::string(size, 'a') + R"(","refresh_token":"rt-2","expires_in":900})");
        auto r = c.resolve(header);
        REQUIRE(r.session);
        CHECK(r.session->refresh_token == "rt-2");
        CHECK(r.cookie_error == error::session_too_large);
        CHECK(r.set_cookies.empty()); // the browser keeps the cookie it has
        CHECK(c.transport().sent().size() == 1);
    }
    // The session budget counts what the browser sends back, chunk names included.
    CHECK(cookie::session_cookie_bytes("n", 10) == 12);
    CHECK(cookie::session_cookie_bytes("n", cookie_chunk_size + 1) == 2 * 4 + cookie_chunk_size + 1 + 2);
    auto o = test_options();
    o.max_session_cookie_bytes = 100;
    CHECK(o.validate() == error::invalid_option);
}

TEST_CASE("an expired token without a refresh token: TokenExpired, no exchange") {
    config c(test_options());
    const auto header = sign_in(c, 3'600'000, /*with_refresh=*/false);
    c.clock().advance(std::chrono::hours(2));
    auto r = c.resolve(header);
    REQUIRE(r.session);
    CHECK(r.session->error == "TokenExpired");
    CHECK(c.transport().sent().empty());
    CHECK(cookie_claims(c, r.set_cookies).at("error") == "TokenExpired");
}

TEST_CASE("update syncs tokens from the client and clears the error") {
    config c(test_options());
    const auto header = sign_in(c, 3'600'000, false);
    c.clock().advance(std::chrono::hours(2));
    const auto expired = browser_cookies(c.resolve(header).set_cookies);
    const auto update = boost::json::parse(R"({"accessToken":"at-client","accessTokenExpires":1800010000000})").as_object();
    core::flow_options fo;
    fo.event = {jwt_trigger::update, nullptr, &update};
    auto r = c.resolve(expired, fo);
    REQUIRE(r.session);
    CHECK(r.session->access_token == "at-client");
    CHECK_FALSE(r.session->error);
    CHECK(cookie_claims(c, r.set_cookies).at("accessToken") == "at-client");
}

TEST_CASE("update with forceRefresh refreshes a fresh token") {
    config c(test_options());
    const auto header = sign_in(c);
    c.transport().push(200, R"({"access_token":"at-forced","refresh_token":"rt-forced"})");
    const auto update = boost::json::parse(R"({"forceRefresh":true})").as_object();
    core::flow_options fo;
    fo.event = {jwt_trigger::update, nullptr, &update};
    auto r = c.resolve(header, fo);
    REQUIRE(r.session);
    CHECK(r.session->access_token == "at-forced");
    CHECK(c.transport().sent().size() == 1);
}

TEST_CASE("user callbacks run after the built-in ones") {
    auto o = test_options();
    int jwt_calls = 0;
    o.callbacks.jwt = [&](session_token& t, const jwt_event& ev) {
        ++jwt_calls;
        if (ev.trigger == jwt_trigger::sign_in) {
            CHECK(t.access_token == "at-1"); // the built-in already stored the tokens
            t.extra["role"] = "admin";
            return jwt_verdict::changed;
        }
        if (t.extra.contains("ban")) return jwt_verdict::end_session;
        return jwt_verdict::unchanged;
    };
    o.callbacks.session = [](session& s, const session_token& t) {
        if (const auto* role = t.extra.if_contains("role")) s.extra["role"] = *role;
    };
    config c(o);
    const auto header = sign_in(c);
    auto r = c.resolve(header);
    REQUIRE(r.session);
    CHECK(r.session->extra.at("role") == "admin");
    CHECK(boost::json::value_from(*r.session).at("role") == "admin");
    CHECK(r.set_cookies.empty());
    CHECK(jwt_calls == 2);

    // A user callback can end the session: the cookie is cleared.
    auto o2 = o;
    o2.callbacks.jwt = [](session_token& t, const jwt_event&) {
        t.extra["ban"] = true;
        return jwt_verdict::end_session;
    };
    config c2(o2);
    auto ended = c2.resolve(header);
    CHECK_FALSE(ended.session);
    CHECK(ended.set_cookies == std::vector<std::string>{"authjs.session-token=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax"});
}

TEST_CASE("a large session is chunked, read back in any order, and shrinks cleanly") {
    auto o = test_options();
    o.callbacks.jwt = [](session_token& t, const jwt_event& ev) {
        if (ev.trigger != jwt_trigger::sign_in) return jwt_verdict::unchanged;
        t.extra["blob"] = std::string(6000, 'x');
        return jwt_verdict::changed;
    };
    o.max_session_cookie_bytes = 16 * 1024; // over the default budget
    config c(o);
    signed_in_user u;
    u.sub = "big";
    u.access_token = "at";
    u.access_token_expires = c.now_ms() + 3'600'000;
    core::flow_options fo;
    fo.event = {jwt_trigger::sign_in, &u, nullptr};
    auto r = c.resolve("", fo);
    REQUIRE(r.set_cookies.size() == 3);
    CHECK(r.set_cookies[0].starts_with("authjs.session-token.0="));
    CHECK(r.set_cookies[2].starts_with("authjs.session-token.2="));
    std::string shuffled = "a=1";
    for (int i : {2, 0, 1}) shuffled += "; " + r.set_cookies[i].substr(0, r.set_cookies[i].find(';'));
    auto again = c.resolve(shuffled);
    REQUIRE(again.session);
    CHECK(again.session->user.sub == "big");

    // Signing in with a small session expires all three chunks.
    config small(test_options());
    auto s = small.resolve(shuffled, fo);
    // The small config has another callback: the token is small and written unchunked.
    REQUIRE(s.set_cookies.size() == 4);
    CHECK(s.set_cookies[0] == "authjs.session-token.2=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax");
    CHECK(s.set_cookies[3].starts_with("authjs.session-token=eyJ"));
}

TEST_CASE("over HTTPS the cookie is __Secure- and Secure") {
    auto o = test_options();
    o.base_url = "https://app.example.com";
    config c(o);
    signed_in_user u;
    u.sub = "s";
    u.access_token_expires = c.now_ms() + 3'600'000;
    core::flow_options fo;
    fo.event = {jwt_trigger::sign_in, &u, nullptr};
    auto r = c.resolve("", fo);
    REQUIRE(r.set_cookies.size() == 1);
    CHECK(r.set_cookies[0].starts_with("__Secure-authjs.session-token=eyJ"));
    CHECK(r.set_cookies[0].find("; Secure") != std::string::npos);
    // A plain-HTTP cookie is not read as the secure one.
    auto plain = c.resolve("authjs.session-token=" + r.set_cookies[0].substr(30, r.set_cookies[0].find(';') - 30));
    CHECK_FALSE(plain.session);
    auto ok = c.resolve(r.set_cookies[0].substr(0, r.set_cookies[0].find(';')));
    CHECK(ok.session);
}

TEST_CASE("invalid options are a clear error") {
    auth_options o;
    o.client_id = "c";
    auto made = config::create(o);
    REQUIRE_FALSE(made.has_value());
    CHECK(made.error() == error::missing_redirect_uri);
    CHECK_THROWS_AS(config(o), boost::system::system_error);
    o.redirect_uri = "/cb";
    CHECK(config::create(o).has_value());
}
