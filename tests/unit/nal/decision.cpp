// nal/decision.hpp (driven by nal/config.hpp, blocking): C6.md's steps 1–8
// against a scripted backend on manual time — what each request comes to,
// which backend calls it made, which cookies it set or cleared, and that no
// token ever reaches the audit log.
#include <authpp/clock/manual_clock.hpp>
#include <authpp/nal/config.hpp>

#include "../../support/scripted_transport.hpp"

#include <boost/asio/error.hpp>
#include <boost/json/parse.hpp>

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace authpp;
using namespace std::chrono_literals;

namespace {

using config = nal::basic_nal_config<test::scripted_transport, manual_clock, memory_store>;

constexpr std::string_view user_ok = R"({"success":true,"data":{"id":7,"type":"user","name":"Zoë"}})";
constexpr std::string_view admin_ok = R"({"success":true,"data":{"id":1,"type":"admin"}})";
constexpr std::string_view guest_ok = R"({"success":true,"data":{"id":"g1","type":"guest"}})";
constexpr std::string_view refused = R"({"success":false,"message":"invalid token"})";

nal::nal_options options() {
    nal::nal_options o;
    o.api_base_url = "http://backend.test/";
    o.protected_routes = {"/dashboard", "/api/admin"};
    o.excluded_paths = {"/_next"};
    o.secrets = {"nal-decision-test-secret"};
    return o;
}

struct fixture {
    test::scripted_transport t;
    manual_clock clock{std::chrono::system_clock::time_point(1'800'000'000s)};
    std::vector<nal::audit_event> events;
    config c;

    explicit fixture(nal::nal_options o = options())
        : c(std::move(o), {}, [this](const nal::audit_event& e) { events.push_back(e); }, t, clock) {}

    nal::decision run(std::string_view path, std::string_view cookie = {}, std::string_view authorization = {}) {
        nal::request_view v;
        v.path = path;
        v.cookie = cookie;
        v.authorization = authorization;
        v.ip = "203.0.113.7";
        return c.decide(v);
    }
    std::size_t calls_to(std::string_view endpoint) const {
        std::size_t n = 0;
        for (const auto& r : t.sent()) n += r.url.ends_with(endpoint);
        return n;
    }
};

std::string header(const http::header_list& h, std::string_view name) {
    return std::string(http::find_header(h, name));
}

bool sets(const nal::decision& d, std::string_view prefix) {
    for (const auto& c : d.set_cookies)
        if (c.starts_with(prefix)) return true;
    return false;
}

} // namespace

TEST_CASE("1. an excluded path passes untouched, with no backend call") {
    fixture f;
    auto d = f.run("/_next/static/app.js", "userToken=u1");
    CHECK(d.pass);
    CHECK(d.set_cookies.empty());
    CHECK(d.request_headers.empty());
    CHECK(f.t.sent().empty());
}

TEST_CASE("3. no token, guest tokens off") {
    fixture f;
    auto api = f.run("/api/whoami");
    CHECK_FALSE(api.pass);
    CHECK(api.status == 401);
    CHECK(api.content_type == "application/json");
    CHECK(boost::json::parse(api.body) == boost::json::parse(R"({"success":false,"message":"Token not found"})"));
    auto page = f.run("/dashboard/x");
    CHECK(page.status == 307);
    CHECK(page.location == "/login");
    auto open = f.run("/");
    CHECK(open.pass);
    CHECK(open.request_headers.empty());
    CHECK(f.t.sent().empty());
}

TEST_CASE("3. no token, guest tokens on: one is created and the request goes on as a guest") {
    auto o = options();
    o.guest = nal::guest_credentials{"guest", "guest-pw"};
    fixture f(o);
    f.t.push(200, R"({"success":true,"data":{"accessToken":"g-new"}})");
    auto d = f.run("/api/whoami");
    CHECK(d.pass);
    CHECK(d.guest);
    CHECK(sets(d, "guestToken=g-new; Max-Age=3600;"));
    CHECK(header(d.request_headers, "x-auth-token-type") == "guest");
    CHECK(header(d.request_headers, "x-refreshed-token") == "g-new");
    REQUIRE(f.t.sent().size() == 1);
    CHECK(f.t.sent()[0].url == "http://backend.test/auth/guest");
    CHECK(f.t.sent()[0].method == "POST");

    f.t.push(200, R"({"success":true,"data":{"accessToken":"g-2"}})");
    auto page = f.run("/dashboard"); // a guest on a protected page
    CHECK(page.status == 307);
    CHECK(page.location == "/login");
    CHECK(sets(page, "guestToken=g-2;"));

    f.t.push(503, "");
    auto down = f.run("/api/whoami");
    CHECK(down.status == 503);
    CHECK(down.set_cookies.empty());
}

TEST_CASE("4. a valid user token passes with the user for the handler; the cache answers for 2 s") {
    fixture f;
    f.t.push(200, std::string(user_ok));
    auto d = f.run("/dashboard", "userToken=u1");
    CHECK(d.pass);
    CHECK(d.token_type == "user");
    CHECK_FALSE(d.refreshed);
    CHECK(d.set_cookies.empty());
    CHECK(header(d.request_headers, "x-auth-token-type") == "user");
    const auto user = nal::decode_user(header(d.request_headers, "x-auth-user"));
    REQUIRE(user);
    CHECK(user->at("name") == "Zoë");
    REQUIRE(f.t.sent().size() == 1);
    CHECK(f.t.sent()[0].url == "http://backend.test/auth/me");
    CHECK(http::find_header(f.t.sent()[0].headers, "Authorization") == "Bearer u1");

    f.clock.advance(1999ms);
    CHECK(f.run("/api/whoami", "userToken=u1").pass); // cached
    CHECK(f.t.sent().size() == 1);
    f.clock.advance(1ms);
    f.t.push(200, std::string(user_ok));
    CHECK(f.run("/api/whoami", "userToken=u1").pass); // expired: asked again
    CHECK(f.t.sent().size() == 2);
}

TEST_CASE("4. TTL 0: every request asks the backend") {
    auto o = options();
    o.cache_ttl = 0ms;
    fixture f(o);
    f.t.push(200, std::string(user_ok));
    f.t.push(200, std::string(user_ok));
    f.run("/", "userToken=u1");
    f.run("/", "userToken=u1");
    CHECK(f.calls_to("auth/me") == 2);
}

TEST_CASE("4. an unavailable backend never clears a cookie") {
    for (int status : {500, 502, 503, 408, 429}) {
        INFO(status);
        fixture f;
        f.t.push(status, "");
        auto api = f.run("/api/whoami", "userToken=u1; guestToken=g1");
        CHECK(api.status == 503);
        CHECK(boost::json::parse(api.body) ==
              boost::json::parse(R"({"success":false,"message":"Connection error occurred."})"));
        CHECK(api.set_cookies.empty());
        f.t.push(status, "");
        auto page = f.run("/dashboard", "userToken=u1");
        CHECK(page.status == 503);
        CHECK(page.set_cookies.empty());
        f.t.push(status, "");
        auto open = f.run("/", "userToken=u1");
        CHECK(open.pass);
        CHECK(open.request_headers.empty());
        CHECK(open.set_cookies.empty());
        CHECK(f.calls_to("auth/refresh") == 0);
    }
    fixture f;
    f.t.push_error(boost::asio::error::connection_refused);
    CHECK(f.run("/api/x", "userToken=u1").status == 503);
}

TEST_CASE("5. an invalid user token is refreshed; the new one is validated, set, and handed on") {
    fixture f;
    f.t.push(401, std::string(refused));                                        // auth/me u1
    f.t.push(200, R"({"success":true,"data":{"accessToken":"u2"}})");           // auth/refresh
    f.t.push(200, std::string(user_ok));                                        // auth/me u2
    auto d = f.run("/dashboard", "userToken=u1; guestToken=g0");
    CHECK(d.pass);
    CHECK(d.refreshed);
    CHECK(sets(d, "userToken=u2; Max-Age=604800;"));
    CHECK(sets(d, "guestToken=; Max-Age=0;")); // the guest cookie goes
    CHECK(header(d.request_headers, "x-refreshed-token") == "u2");
    CHECK(header(d.request_headers, "x-auth-token-type") == "user");
    REQUIRE(f.t.sent().size() == 3);
    CHECK(f.t.sent()[1].url == "http://backend.test/auth/refresh");
    CHECK(http::find_header(f.t.sent()[1].headers, "Authorization") == "Bearer u1");
    CHECK(http::find_header(f.t.sent()[2].headers, "Authorization") == "Bearer u2");

    // A late request with the old token (another tab): the backend still
    // refuses u1, and the successor record answers — no second refresh, and
    // u2's validation comes from the cache.
    f.t.push(401, std::string(refused));
    auto late = f.run("/api/whoami", "userToken=u1");
    CHECK(late.pass);
    CHECK(sets(late, "userToken=u2;"));
    CHECK(f.calls_to("auth/refresh") == 1);
    CHECK(f.t.sent().size() == 4);
}

TEST_CASE("5. a bearer token that is refreshed gets the new token as a response header") {
    fixture f;
    f.t.push(401, std::string(refused));
    f.t.push(200, R"({"success":true,"data":{"accessToken":"b2"}})");
    f.t.push(200, std::string(user_ok));
    auto d = f.run("/api/whoami", {}, "Bearer b1");
    CHECK(d.pass);
    CHECK(d.set_cookies.empty());
    CHECK(header(d.response_headers, "x-refreshed-token") == "b2");
    CHECK(header(d.request_headers, "x-refreshed-token") == "b2");
}

TEST_CASE("5. a refused refresh goes on as step 3 and clears the user cookie") {
    fixture f;
    f.t.push(401, std::string(refused));
    f.t.push(401, std::string(refused)); // auth/refresh refused
    auto d = f.run("/api/whoami", "userToken=u1");
    CHECK(d.status == 401);
    CHECK(sets(d, "userToken=; Max-Age=0;"));
    f.t.push(401, std::string(refused));
    f.t.push(403, "");
    auto page = f.run("/dashboard", "userToken=u3");
    CHECK(page.status == 307);
    CHECK(sets(page, "userToken=; Max-Age=0;"));
}

TEST_CASE("5. a refresh that fails transiently is an unavailable backend: nothing cleared") {
    fixture f;
    f.t.push(401, std::string(refused));
    f.t.push(503, "");
    auto d = f.run("/api/whoami", "userToken=u1");
    CHECK(d.status == 503);
    CHECK(d.set_cookies.empty());
}

TEST_CASE("5. an invalid guest token is not refreshed: a new guest, or step 3") {
    fixture f;
    f.t.push(401, std::string(refused));
    auto d = f.run("/api/whoami", "guestToken=g-old");
    CHECK(d.status == 401);
    CHECK(sets(d, "guestToken=; Max-Age=0;"));
    CHECK(f.calls_to("auth/refresh") == 0);
}

TEST_CASE("6. a type that is not allowed: 403 or the login page, auth cookies cleared") {
    auto o = options();
    o.allowed_types = {"admin"};
    fixture f(o);
    f.t.push(200, std::string(user_ok));
    auto api = f.run("/api/whoami", "userToken=u1; guestToken=g1");
    CHECK(api.status == 403);
    CHECK(boost::json::parse(api.body) ==
          boost::json::parse(R"({"success":false,"message":"You are not authorized for this action"})"));
    CHECK(sets(api, "userToken=; Max-Age=0;"));
    CHECK(sets(api, "guestToken=; Max-Age=0;"));
    auto page = f.run("/", "userToken=u1"); // cached
    CHECK(page.status == 307);
    CHECK(page.location == "/login");
    f.t.push(200, std::string(admin_ok));
    CHECK(f.run("/api/whoami", "userToken=a1").pass);
}

TEST_CASE("7. a guest on a protected route; elsewhere a guest passes") {
    fixture f;
    f.t.push(200, std::string(guest_ok));
    auto page = f.run("/dashboard", "guestToken=g1");
    CHECK(page.status == 307);
    CHECK(page.set_cookies.empty()); // the guest keeps its cookie
    auto api = f.run("/api/admin/users", "guestToken=g1");
    CHECK(api.status == 403);
    auto open = f.run("/api/whoami", "guestToken=g1");
    CHECK(open.pass);
    CHECK(open.guest);
    CHECK(header(open.request_headers, "x-auth-token-type") == "guest");
    CHECK(f.t.sent().size() == 1);
}

TEST_CASE("8. a signed-in user on an auth route goes home") {
    fixture f;
    f.t.push(200, std::string(user_ok));
    auto d = f.run("/login", "userToken=u1");
    CHECK(d.status == 307);
    CHECK(d.location == "/");
    f.t.push(200, std::string(guest_ok));
    CHECK(f.run("/login", "guestToken=g1").pass); // a guest may sign in
}

TEST_CASE("the audit log: one event per decision, with the client and the user, never a token") {
    fixture f;
    f.t.push(200, std::string(user_ok));
    f.run("/dashboard", "userToken=secret-token-u1");
    f.run("/api/whoami");
    f.t.push(401, std::string(refused));
    f.t.push(200, R"({"success":true,"data":{"accessToken":"secret-token-u2"}})");
    f.t.push(200, std::string(user_ok));
    f.run("/api/whoami", "userToken=secret-token-u9");
    REQUIRE(f.events.size() == 3);
    CHECK(f.events[0].type == nal::audit_type::auth_success);
    CHECK(f.events[0].user_id == "7");
    CHECK(f.events[0].ip == "203.0.113.7");
    CHECK(f.events[0].path == "/dashboard");
    CHECK(f.events[1].type == nal::audit_type::auth_fail);
    CHECK(f.events[1].metadata.at("reason") == "no-token");
    CHECK(f.events[2].type == nal::audit_type::auth_refresh);
    for (const auto& e : f.events) CHECK(nal::to_json(e).find("secret-token") == std::string::npos);
}

TEST_CASE("bad options are refused by name") {
    auto o = options();
    o.api_base_url = "not a url";
    CHECK_THROWS_WITH(fixture(o), Catch::Contains("api_base_url"));
}

TEST_CASE("decision: a shared validation is settled into the cache before the waiting requests resume") {
    fixture f;
    const auto& cx = f.c.ctx();
    const std::int64_t now = 1'800'000'000'000;
    const std::string key = std::string(nal::validate_key_prefix) + crypto::sha256_base64url("u-settled");
    nal::settle_validation(&cx, key, {{}, http::response{200, {}, std::string(user_ok)}}, now);
    const auto hit = cx.cache.find("u-settled", now);
    REQUIRE(hit);
    CHECK(hit->token_type == "user");
    // Refusals, outages, other keys and malformed keys leave the cache alone.
    const std::string refused_key = std::string(nal::validate_key_prefix) + crypto::sha256_base64url("u-refused");
    nal::settle_validation(&cx, refused_key, {{}, http::response{401, {}, std::string(refused)}}, now);
    nal::settle_validation(&cx, refused_key, {boost::asio::error::timed_out, {}}, now);
    nal::settle_validation(&cx, "other:" + crypto::sha256_base64url("u-refused"), {{}, http::response{200, {}, std::string(user_ok)}}, now);
    nal::settle_validation(&cx, std::string(nal::validate_key_prefix) + "not-a-digest", {{}, http::response{200, {}, std::string(user_ok)}}, now);
    CHECK_FALSE(cx.cache.find("u-refused", now));
    CHECK(cx.cache.size() == 1);
}
