// GET /session and POST /session (update, forceRefresh through the driver,
// an update over the budget refused), and the chunked session cookie.
#include "../../../support/action_requests.hpp"

using namespace authpp;
using namespace authpp::test;

TEST_CASE("GET /session without a session: null, no-cache, init cookies") {
    config c(test_options());
    auto r = handle_auth_request(c, get("/session").view());
    CHECK(r.status == 200);
    CHECK(r.body == "null");
    CHECK(header(r, "Cache-Control") == "private, no-cache, no-store");
    CHECK(headers(r, "Set-Cookie").size() == 2);
    // A cookie it cannot read is cleared.
    auto bad = handle_auth_request(c, get("/session", "authjs.session-token=garbage").view());
    CHECK(bad.body == "null");
    CHECK(headers(bad, "Set-Cookie").back() == "authjs.session-token=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax");
}

TEST_CASE("POST /session: update merges data; forceRefresh refreshes through the driver") {
    test::scripted_transport t;
    config c(test_options(), t);
    jar j;
    credentials_sign_in(c, t, j);
    const auto token = csrf_token(c, j);
    auto update = [&](std::string data) {
        req s;
        s.method = "POST";
        s.target = "/api/auth/session";
        s.cookie = j.header();
        s.content_type = "application/json";
        s.body = R"({"csrfToken":")" + token + R"(","data":)" + data + "}";
        return s;
    };
    auto r = handle_auth_request(c, update(R"({"accessToken":"at-synced"})").view());
    CHECK(r.status == 200);
    REQUIRE(r.headers.size() == 2); // Content-Type and the session; no cache headers on update
    CHECK(header(r, "Content-Type") == "application/json");
    CHECK(boost::json::parse(r.body).at("accessToken") == "at-synced");
    j.apply(r);

    auto rq = update(R"({"forceRefresh":true})");
    endpoints::action_flow<config> af(c, rq.view());
    const auto s = af.next();
    REQUIRE(s.what == authpp::flow::step::kind::refresh);
    CHECK(s.request->url == "https://idp.example.com/oauth/token");
    CHECK(s.refresh_token == "rt-1");
    af.on_refresh(oauth::parse_refresh_response(
        {}, http::response{200, {}, R"({"access_token":"at-forced","refresh_token":"rt-2","expires_in":600})"}, "rt-1",
        c.now_ms()));
    CHECK(af.done());
    CHECK(af.next().what == authpp::flow::step::kind::done);
    auto fr = std::move(af).result();
    auto v = boost::json::parse(fr.body);
    CHECK(v.at("accessToken") == "at-forced");
    CHECK(v.at("refreshToken") == "rt-2");
}

TEST_CASE("POST /session: an update over the session budget is refused with 413 and the old cookie stays") {
    // Before: a 20 KB access token gave 27 KB of cookies, after which every
    // request (sign-out included) answered 431; a 300 KB one gave a 200 with
    // no Set-Cookie, silently dropping the update.
    test::scripted_transport t;
    auto o = test_options();
    std::vector<std::string> warnings;
    o.callbacks.warning = [&](error_code ec, std::string_view detail) {
        CHECK(ec == error::session_too_large);
        warnings.emplace_back(detail);
    };
    config c(o, t);
    jar j;
    credentials_sign_in(c, t, j);
    const auto token = csrf_token(c, j);
    for (std::size_t size : {20'000u, 50'000u}) { // (a larger body is refused as a body already)
        INFO(size);
        req s;
        s.method = "POST";
        s.target = "/api/auth/session";
        s.cookie = j.header();
        s.content_type = "application/json";
        s.body = R"({"csrfToken":")" + token + R"(","data":{"accessToken":")" + std::string(size, 'a') + R"("}})";
        auto r = handle_auth_request(c, s.view());
        CHECK(r.status == 413);
        CHECK(boost::json::parse(r.body).at("error") == "SessionTooLarge");
        CHECK(headers(r, "Set-Cookie").empty());
        j.apply(r);
    }
    CHECK(warnings.size() == 2);
    CHECK(warnings[0].find("budget of 6144") != std::string::npos);
    CHECK(warnings[0].find("aaaa") == std::string::npos); // no token in the warning
    // The browser's cookie is the old one, and still a session.
    auto s = boost::json::parse(handle_auth_request(c, get("/session", j.header()).view()).body);
    CHECK(s.at("user").at("sub") == "user-1");
    CHECK(s.at("accessToken") == "at-1");
    std::size_t cookie_bytes = 0;
    for (const auto& [k, v] : j.cookies) cookie_bytes += k.size() + v.size() + 3;
    CHECK(cookie_bytes < 8 * 1024);
}

TEST_CASE("chunked session cookie: written in chunks, read through GET /session, every chunk cleared on sign-out") {
    test::scripted_transport t;
    auto o = test_options();
    o.callbacks.jwt = [](session_token& tok, const jwt_event& ev) {
        if (ev.trigger != jwt_trigger::sign_in) return jwt_verdict::unchanged;
        tok.extra["roles"] = std::string(6000, 'r'); // a > 4 KB session
        return jwt_verdict::changed;
    };
    o.max_session_cookie_bytes = 16 * 1024; // over the default budget
    config c(o, t);
    jar j;
    auto r = credentials_sign_in(c, t, j);
    std::vector<std::string> chunks;
    for (const auto& h : headers(r, "Set-Cookie"))
        if (h.starts_with("authjs.session-token")) chunks.push_back(h.substr(0, h.find('=')));
    REQUIRE(chunks.size() >= 2);
    for (std::size_t i = 0; i < chunks.size(); ++i) CHECK(chunks[i] == "authjs.session-token." + std::to_string(i));
    CHECK(j.cookies.at("authjs.session-token.0").size() == cookie_chunk_size);
    CHECK(j.cookies.count("authjs.session-token") == 0);

    auto s = handle_auth_request(c, get("/session", j.header()).view());
    CHECK(boost::json::parse(s.body).at("user").at("sub") == "user-1");
    CHECK(headers(s, "Set-Cookie").size() == chunks.size()); // every chunk re-issued

    const auto token = csrf_token(c, j);
    auto out = handle_auth_request(c, post_form("/signout", j.header(), form({{"csrfToken", token}})).view());
    auto osc = headers(out, "Set-Cookie");
    REQUIRE(osc.size() == chunks.size());
    for (std::size_t i = 0; i < chunks.size(); ++i)
        CHECK(osc[i] == chunks[i] + "=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax");
    j.apply(out);
    for (const auto& n : chunks) CHECK(j.cookies.count(n) == 0);
}
