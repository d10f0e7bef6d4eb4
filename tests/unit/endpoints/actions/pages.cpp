// GET /signin, /error (with Auth.js's status, a configured page) and /signout.
#include "../../../support/action_requests.hpp"

using namespace authpp;
using namespace authpp::test;

TEST_CASE("pages: GET /signin, /error and /signout") {
    auto o = test_options();
    config c(o);
    SECTION("GET /signin redirects to the sign-in page with the callback URL") {
        auto r = handle_auth_request(c, get("/signin?callbackUrl=%2Fx&error=SessionRequired").view());
        CHECK(r.status == 302);
        CHECK(header(r, "Location") == "/login?callbackUrl=http%3A%2F%2Flocalhost%3A3000%2Fx&error=SessionRequired");
        CHECK(headers(r, "Set-Cookie").size() == 2);
    }
    SECTION("GET /error renders with Auth.js's status, never echoing the type") {
        CHECK(handle_auth_request(c, get("/error").view()).status == 200);
        CHECK(handle_auth_request(c, get("/error?error=AccessDenied").view()).status == 403);
        CHECK(handle_auth_request(c, get("/error?error=Verification").view()).status == 403);
        auto r = handle_auth_request(c, get("/error?error=Configuration").view());
        CHECK(r.status == 500);
        CHECK(header(r, "Content-Type") == "text/html");
        auto x = handle_auth_request(c, get("/error?error=%3Cscript%3E").view());
        CHECK(x.body.find("<script>") == std::string::npos);
    }
    SECTION("a configured error page gets a redirect") {
        o.error_page = "/oops";
        config c2(o);
        auto r = handle_auth_request(c2, get("/error?error=AccessDenied").view());
        CHECK(header(r, "Location") == "/oops?error=AccessDenied");
    }
    SECTION("GET /signout renders a form carrying the CSRF token") {
        auto r = handle_auth_request(c, get("/signout").view());
        CHECK(r.status == 200);
        CHECK(r.body.find("name=\"csrfToken\" value=\"") != std::string::npos);
    }
}
