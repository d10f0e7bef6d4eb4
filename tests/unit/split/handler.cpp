// split/handler.hpp (driven by split/config.hpp, blocking): the three
// handlers against a scripted backend on manual time — status, body,
// cookies, Clear-Site-Data, and which backend calls were made.
#include <authpp/clock/manual_clock.hpp>
#include <authpp/split/config.hpp>

#include "../../support/scripted_transport.hpp"

#include <boost/asio/error.hpp>
#include <boost/json/parse.hpp>

#include <catch2/catch.hpp>

#include <string>

using namespace authpp;
using namespace std::chrono_literals;

namespace {

using config = split::basic_split_config<test::scripted_transport, manual_clock, memory_store>;

constexpr std::int64_t t0 = 1'800'000'000'000; // the manual clock's start, Unix ms

std::string tokens(std::string_view access, std::string_view refresh, long long expires = 900000) {
    return R"({"data":{"access_token":")" + std::string(access) + R"(","expires":)" + std::to_string(expires) +
           R"(,"refresh_token":")" + std::string(refresh) + R"("}})";
}

split::split_options options() {
    split::split_options o;
    o.cookies.secure = false;
    o.secrets = {"split-handler-test-secret"};
    return o;
}

struct fixture {
    test::scripted_transport t;
    manual_clock clock;
    config c{options(), split::directus_handlers("http://directus.test"), t, clock};

    split::reply run(std::string_view method, std::string_view target, std::string_view cookie = {},
                     std::string_view content_type = {}, std::string_view body = {}) {
        return c.handle({method, target, cookie, content_type, body, {}});
    }
    split::reply login(std::string_view body = R"({"email":"ada@example.com","password":"pw"})",
                       std::string_view content_type = "application/json") {
        return run("POST", "/api/auth/login", {}, content_type, body);
    }
};

boost::json::value json(const split::reply& r) { return boost::json::parse(r.body); }

bool clears(const split::reply& r) {
    return r.clear_site_data && r.set_cookies.size() == 3 && r.set_cookies[0].starts_with("access_token=; Max-Age=0") &&
           r.set_cookies[1].starts_with("refresh_token=; Max-Age=0") && r.set_cookies[2].starts_with("session=; Max-Age=0");
}

} // namespace

TEST_CASE("split handler: login sets the three cookies and answers the access token") {
    fixture f;
    f.t.push(200, tokens("acc-1", "ref-1"));
    const auto r = f.login();
    CHECK(r.status == 200);
    CHECK(json(r) == boost::json::parse(R"({"accessToken":"acc-1","expires":900000})"));
    CHECK(r.body.find("ref-1") == std::string::npos);
    REQUIRE(r.set_cookies.size() == 3);
    CHECK(r.set_cookies[0] == "access_token=acc-1; Path=/; Expires=Fri, 15 Jan 2027 08:15:00 GMT; SameSite=Lax");
    CHECK(r.set_cookies[1] == "refresh_token=ref-1; Path=/; HttpOnly; SameSite=Lax");
    CHECK(r.set_cookies[2] == "session=2027-01-15T08:15:00.000Z; Path=/; SameSite=Lax");
    CHECK_FALSE(r.clear_site_data);
    const auto sent = f.t.sent();
    REQUIRE(sent.size() == 1);
    CHECK(sent[0].url == "http://directus.test/auth/login");
    CHECK(boost::json::parse(sent[0].body) == boost::json::parse(R"({"email":"ada@example.com","password":"pw"})"));
}

TEST_CASE("split handler: a form body logs in too") {
    fixture f;
    f.t.push(200, tokens("acc-1", "ref-1"));
    const auto r = f.login("email=ada%40example.com&password=p+w", "application/x-www-form-urlencoded; charset=UTF-8");
    CHECK(r.status == 200);
    CHECK(boost::json::parse(f.t.sent().at(0).body) ==
          boost::json::parse(R"({"email":"ada@example.com","password":"p w"})"));
}

TEST_CASE("split handler: wrong payloads and methods are 400 without a backend call") {
    fixture f;
    const auto wrong = [&](split::reply r) {
        CHECK(r.status == 400);
        CHECK(json(r) == boost::json::parse(R"({"message":"Wrong payload"})"));
        CHECK(r.set_cookies.empty());
    };
    wrong(f.login(R"({"email":"ada@example.com"})"));
    wrong(f.login(R"({"email":"","password":"pw"})"));
    wrong(f.login(R"({"email":"ada@example.com","password":7})"));
    wrong(f.login(R"(["email","password"])"));
    wrong(f.login(R"({"email":"a","password":"b")"));
    wrong(f.login("email=a&password=", "application/x-www-form-urlencoded"));
    wrong(f.login(R"({"email":"a","password":"b"})", "text/plain"));
    wrong(f.login(R"({"email":"a","password":"b"})", ""));
    wrong(f.login(std::string(20000, ' ') + R"({"email":"a","password":"b"})"));
    wrong(f.run("GET", "/api/auth/login"));
    wrong(f.run("PUT", "/api/auth/login", {}, "application/json", R"({"email":"a","password":"b"})"));
    const auto invalid = [&](split::reply r) {
        CHECK(r.status == 400);
        CHECK(json(r) == boost::json::parse(R"({"message":"Invalid request"})"));
    };
    invalid(f.run("POST", "/api/auth/refresh", "refresh_token=r"));
    invalid(f.run("DELETE", "/api/auth/logout", "refresh_token=r"));
    CHECK(f.t.sent().empty());
}

TEST_CASE("split handler: anything else under the base is 404; the query does not change the route") {
    fixture f;
    for (const char* target : {"/api/auth", "/api/auth/", "/api/auth/nope", "/api/auth/login/x", "/api/authx/login",
                               "/elsewhere"}) {
        INFO(target);
        const auto r = f.run("GET", target);
        CHECK(r.status == 404);
        CHECK(json(r) == boost::json::parse(R"({"message":"Not found"})"));
    }
    f.t.push(200, tokens("acc-2", "ref-2"));
    CHECK(f.run("GET", "/api/auth/refresh?x=1#y", "refresh_token=ref-1").status == 200);
}

TEST_CASE("split handler: the backend's refusal is 401, its failure 503, neither sets a cookie") {
    fixture f;
    f.t.push(401, R"({"errors":[{"message":"Invalid user credentials.","extensions":{"code":"INVALID_CREDENTIALS"}}]})");
    auto r = f.login();
    CHECK(r.status == 401);
    CHECK(json(r) == boost::json::parse(R"({"message":"Not authorized"})"));
    CHECK(r.set_cookies.empty());
    for (int status : {500, 503, 429}) {
        f.t.push(status, "{}");
        r = f.login();
        CHECK(r.status == 503);
        CHECK(json(r) == boost::json::parse(R"({"message":"Service unavailable"})"));
        CHECK(r.set_cookies.empty());
    }
    f.t.push_error(boost::asio::error::connection_refused);
    CHECK(f.login().status == 503);
    f.t.push(200, "<html>maintenance</html>");
    CHECK(f.login().status == 503);
    f.t.push(200, tokens("has space", "ref"));
    CHECK(f.login().status == 503);
}

TEST_CASE("split handler: refresh rotates the cookies") {
    fixture f;
    f.clock.advance(5s);
    f.t.push(200, tokens("acc-2", "ref-2", 600000));
    const auto r = f.run("GET", "/api/auth/refresh", "refresh_token=ref-1; access_token=acc-1");
    CHECK(r.status == 200);
    CHECK(json(r) == boost::json::parse(R"({"accessToken":"acc-2","expires":600000})"));
    REQUIRE(r.set_cookies.size() == 3);
    CHECK(r.set_cookies[0].starts_with("access_token=acc-2; Path=/; Expires=Fri, 15 Jan 2027 08:10:05 GMT;"));
    CHECK(r.set_cookies[1].starts_with("refresh_token=ref-2;"));
    CHECK(r.set_cookies[2].starts_with("session=2027-01-15T08:10:05.000Z;"));
    const auto sent = f.t.sent();
    REQUIRE(sent.size() == 1);
    CHECK(sent[0].url == "http://directus.test/auth/refresh");
    CHECK(boost::json::parse(sent[0].body) == boost::json::parse(R"({"refresh_token":"ref-1"})"));
}

TEST_CASE("split handler: a tab with the token just rotated gets the rotated tokens, not a 401") {
    fixture f;
    f.t.push(200, tokens("acc-2", "ref-2"));
    REQUIRE(f.run("GET", "/api/auth/refresh", "refresh_token=ref-1").status == 200);
    f.clock.advance(2s);
    const auto second = f.run("GET", "/api/auth/refresh", "refresh_token=ref-1");
    CHECK(second.status == 200);
    CHECK(json(second).at("accessToken") == "acc-2");
    CHECK(json(second).at("expires") == 898000);
    REQUIRE(second.set_cookies.size() == 3);
    CHECK(second.set_cookies[1].starts_with("refresh_token=ref-2;"));
    CHECK(f.t.sent().size() == 1); // served by the successor record
}

TEST_CASE("split handler: refresh without a cookie, refused, or failing") {
    fixture f;
    auto r = f.run("GET", "/api/auth/refresh", "access_token=a");
    CHECK(r.status == 401);
    CHECK(json(r) == boost::json::parse(R"({"message":"Not authorized"})"));
    CHECK(clears(r));
    f.t.push(401, R"({"errors":[{"extensions":{"code":"INVALID_CREDENTIALS"}}]})");
    r = f.run("GET", "/api/auth/refresh", "refresh_token=burnt");
    CHECK(r.status == 401);
    CHECK(clears(r));
    f.t.push(503, "down");
    r = f.run("GET", "/api/auth/refresh", "refresh_token=ref-1");
    CHECK(r.status == 503);
    CHECK(json(r) == boost::json::parse(R"({"message":"Service unavailable"})"));
    CHECK(r.set_cookies.empty());
    CHECK_FALSE(r.clear_site_data);
}

TEST_CASE("split handler: logout tells the backend and clears") {
    fixture f;
    f.t.push(204, "");
    auto r = f.run("GET", "/api/auth/logout", "refresh_token=ref-1");
    CHECK(r.status == 200);
    CHECK(json(r) == boost::json::parse(R"({"message":"OK"})"));
    CHECK(clears(r));
    const auto sent = f.t.sent();
    REQUIRE(sent.size() == 1);
    CHECK(sent[0].url == "http://directus.test/auth/logout");
    CHECK(boost::json::parse(sent[0].body) == boost::json::parse(R"({"refresh_token":"ref-1"})"));

    r = f.run("GET", "/api/auth/logout");
    CHECK(r.status == 401);
    CHECK(clears(r));
    f.t.push(401, "{}");
    r = f.run("GET", "/api/auth/logout", "refresh_token=unknown");
    CHECK(r.status == 401);
    CHECK(clears(r));
    f.t.push_error(boost::asio::error::timed_out);
    r = f.run("GET", "/api/auth/logout", "refresh_token=ref-1");
    CHECK(r.status == 503);
    CHECK(clears(r));
}

TEST_CASE("split config: a bad option or a missing handler is refused by name") {
    auto o = options();
    o.base_path = "api";
    CHECK_THROWS_WITH((config(o, split::directus_handlers("http://d.test"))),
                      Catch::Contains("base_path"));
    auto h = split::directus_handlers("http://d.test");
    h.logout.request = nullptr;
    CHECK_THROWS_WITH((config(options(), h)), Catch::Contains("handlers"));
}

TEST_CASE("split handler: a login or logout another site started is refused (login and logout CSRF)") {
    fixture f;
    split::handler_request login{"POST", "/api/auth/login", {}, "application/x-www-form-urlencoded",
                                 "email=eve%40example.com&password=pw", "cross-site"};
    auto r = f.c.handle(login);
    CHECK(r.status == 403);
    CHECK(json(r) == boost::json::parse(R"({"message":"Forbidden"})"));
    CHECK(r.set_cookies.empty());
    split::handler_request logout{"GET", "/api/auth/logout", "refresh_token=ref-1", {}, {}, "cross-site"};
    r = f.c.handle(logout);
    CHECK(r.status == 403);
    CHECK(r.set_cookies.empty());
    CHECK(f.t.sent().empty());
    for (const char* site : {"same-origin", "same-site", "none", ""}) {
        INFO(site);
        f.t.push(200, tokens("acc-1", "ref-1"));
        login.fetch_site = site;
        CHECK(f.c.handle(login).status == 200);
    }
}
