// split/handlers.hpp: the Directus preset's requests, the URL joiner, the
// token reader (malformed answers included), JSON-pointer handlers, and the
// class of an answer.
#include <authpp/split/handlers.hpp>

#include <boost/asio/error.hpp>
#include <boost/json/parse.hpp>

#include <catch2/catch.hpp>

using namespace authpp;
using split::read_tokens;

namespace {
std::optional<split::session_tokens> directus(std::string_view body) {
    return read_tokens(body, "/data/access_token", "/data/refresh_token", "/data/expires");
}
} // namespace

TEST_CASE("split handlers: join_url keeps scheme:// and puts one '/' between") {
    CHECK(split::join_url("http://h", "/auth/login") == "http://h/auth/login");
    CHECK(split::join_url("http://h/", "auth/login") == "http://h/auth/login");
    CHECK(split::join_url("https://h:8055/base//", "//auth/refresh") == "https://h:8055/base/auth/refresh");
}

TEST_CASE("split handlers: the Directus preset's three requests") {
    const auto h = split::directus_handlers("http://directus.test:8055/");
    REQUIRE(h.complete());
    const auto login = h.login.request("ada@example.com", "p\"w");
    CHECK(login.method == "POST");
    CHECK(login.url == "http://directus.test:8055/auth/login");
    CHECK(http::find_header(login.headers, "content-type") == "application/json");
    CHECK(boost::json::parse(login.body) == boost::json::parse(R"({"email":"ada@example.com","password":"p\"w"})"));
    const auto refresh = h.refresh.request("r1");
    CHECK(refresh.url == "http://directus.test:8055/auth/refresh");
    CHECK(boost::json::parse(refresh.body) == boost::json::parse(R"({"refresh_token":"r1"})"));
    const auto logout = h.logout.request("r1");
    CHECK(logout.method == "POST");
    CHECK(logout.url == "http://directus.test:8055/auth/logout");
    CHECK(boost::json::parse(logout.body) == boost::json::parse(R"({"refresh_token":"r1"})"));
    const auto t = h.login.parse(R"({"data":{"access_token":"a","expires":900000,"refresh_token":"r"}})");
    REQUIRE(t);
    CHECK(t->access_token == "a");
    CHECK(t->refresh_token == "r");
    CHECK(t->lifetime_ms == 900000);
}

TEST_CASE("split handlers: read_tokens refuses every malformed answer") {
    CHECK(directus(R"({"data":{"access_token":"a","expires":1.5e3,"refresh_token":"r"}})")->lifetime_ms == 1500);
    for (const char* bad : {
             "", "not json", "[]", "{}", R"({"data":null})", R"({"data":{}})",
             R"({"data":{"access_token":"","expires":1000,"refresh_token":"r"}})",
             R"({"data":{"access_token":"a","expires":1000,"refresh_token":""}})",
             R"({"data":{"access_token":7,"expires":1000,"refresh_token":"r"}})",
             R"({"data":{"access_token":"a","expires":"1000","refresh_token":"r"}})",
             R"({"data":{"access_token":"a","expires":0,"refresh_token":"r"}})",
             R"({"data":{"access_token":"a","expires":-5,"refresh_token":"r"}})",
             R"({"data":{"access_token":"a","expires":1e300,"refresh_token":"r"}})",
             R"({"data":{"access_token":"a","expires":18446744073709551615,"refresh_token":"r"}})",
             R"({"data":{"access_token":"a","expires":null,"refresh_token":"r"}})",
             R"({"data":{"access_token":"a","refresh_token":"r"}})",
             R"({"data":{"access_token":"a","expires":1000,"refresh_token":"r"})",
             R"([[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]])",
         }) {
        INFO(bad);
        CHECK_FALSE(directus(bad));
    }
}

TEST_CASE("split handlers: json_handlers reads other shapes at JSON pointers") {
    split::json_handler_options o;
    o.url = "http://api.test";
    o.login_path = "/v2/login";
    o.refresh_path = "/v2/refresh";
    o.logout_path = "/v2/logout";
    o.access_pointer = "/tokens/a";
    o.refresh_pointer = "/tokens/r";
    o.expires_pointer = "/tokens/ttl~1ms";
    const auto h = split::json_handlers(o);
    CHECK(h.login.request("e", "p").url == "http://api.test/v2/login");
    CHECK(h.refresh.request("r").url == "http://api.test/v2/refresh");
    CHECK(h.logout.request("r").url == "http://api.test/v2/logout");
    const auto t = h.refresh.parse(R"({"tokens":{"a":"A","r":"R","ttl/ms":60000}})");
    REQUIRE(t);
    CHECK(t->access_token == "A");
    CHECK(t->lifetime_ms == 60000);
    CHECK_FALSE(h.refresh.parse(R"({"data":{"access_token":"a","expires":1000,"refresh_token":"r"}})"));
}

TEST_CASE("split handlers: json_handler_options::validate names the wrong option") {
    const auto problem = [](auto change) {
        split::json_handler_options o;
        o.url = "http://api.test";
        change(o);
        const auto p = o.validate();
        return p ? p->option : std::string("(none)");
    };
    CHECK(problem([](auto&) {}) == "(none)");
    CHECK(problem([](auto& o) { o.url.clear(); }) == "url");
    CHECK(problem([](auto& o) { o.url = "api.test"; }) == "url");
    CHECK(problem([](auto& o) { o.url = "ftp://api.test"; }) == "url");
    CHECK(problem([](auto& o) { o.url = "http://api.test/?x"; }) == "url");
    CHECK(problem([](auto& o) { o.login_path.clear(); }) == "login_path");
    CHECK(problem([](auto& o) { o.refresh_path = "/r?x=1"; }) == "refresh_path");
    CHECK(problem([](auto& o) { o.access_pointer = "data/access_token"; }) == "access_pointer");
    CHECK(problem([](auto& o) { o.refresh_pointer = "/data/~2"; }) == "refresh_pointer");
    CHECK(problem([](auto& o) { o.expires_pointer = "/data/~"; }) == "expires_pointer");
    CHECK_THROWS_AS(split::json_handlers({}), std::invalid_argument);
}

TEST_CASE("split handlers: classify tells refused from unavailable") {
    using split::answer;
    const error_code none;
    CHECK(split::classify(none, 200) == answer::ok);
    CHECK(split::classify(none, 204) == answer::ok);
    CHECK(split::classify(none, 400) == answer::refused);
    CHECK(split::classify(none, 401) == answer::refused);
    CHECK(split::classify(none, 403) == answer::refused);
    CHECK(split::classify(none, 408) == answer::unavailable);
    CHECK(split::classify(none, 429) == answer::unavailable);
    CHECK(split::classify(none, 302) == answer::unavailable);
    CHECK(split::classify(none, 500) == answer::unavailable);
    CHECK(split::classify(none, 503) == answer::unavailable);
    CHECK(split::classify(boost::asio::error::connection_refused, 0) == answer::unavailable);
}
