// GET /csrf: the token, the double-submit cookie and the no-cache headers.
#include "../../../support/action_requests.hpp"

#include <regex>

using namespace authpp;
using namespace authpp::test;

namespace {

const std::regex csrf_cookie_re("authjs\\.csrf-token=([0-9a-f]{64})%7C([0-9a-f]{64}); Path=/; HttpOnly; SameSite=Lax");

} // namespace

TEST_CASE("GET /csrf: token, double-submit cookie, no-cache headers") {
    test::scripted_transport t;
    config c(test_options(), t);
    auto r = handle_auth_request(c, get("/csrf").view());
    CHECK(r.status == 200);
    REQUIRE(r.headers.size() == 6);
    CHECK(r.headers[0] == std::pair<std::string, std::string>{"Content-Type", "application/json"});
    CHECK(r.headers[1] == std::pair<std::string, std::string>{"Cache-Control", "private, no-cache, no-store"});
    CHECK(r.headers[2] == std::pair<std::string, std::string>{"Expires", "0"});
    CHECK(r.headers[3] == std::pair<std::string, std::string>{"Pragma", "no-cache"});
    CHECK(r.headers[4].first == "Set-Cookie");
    std::smatch m;
    REQUIRE(std::regex_match(r.headers[4].second, m, csrf_cookie_re));
    CHECK(m[2].str() == endpoints::csrf_hash(m[1].str(), {"endpoints-test-secret"}));
    CHECK(r.headers[5] == std::pair<std::string, std::string>{
                              "Set-Cookie", "authjs.callback-url=http%3A%2F%2Flocalhost%3A3000; Path=/; HttpOnly; SameSite=Lax"});
    CHECK(r.body == "{\"csrfToken\":\"" + m[1].str() + "\"}");

    // The browser sends both back: same token, nothing set again.
    jar j;
    j.apply(r);
    auto again = handle_auth_request(c, get("/csrf", j.header()).view());
    CHECK(headers(again, "Set-Cookie").empty());
    CHECK(again.body == r.body);
}
