// GET /providers: the Credentials provider, the OAuth one when enabled, no cookies.
#include "../../../support/action_requests.hpp"

using namespace authpp;
using namespace authpp::test;

TEST_CASE("GET /providers: the Credentials provider (and the OAuth one when enabled), no cookies") {
    auto o = test_options();
    config c(o);
    auto r = handle_auth_request(c, get("/providers").view());
    CHECK(r.status == 200);
    REQUIRE(r.headers.size() == 1);
    CHECK(header(r, "Content-Type") == "application/json");
    CHECK(r.body == R"({"immutable":{"id":"immutable","name":"Immutable","type":"credentials",)"
                    R"("signinUrl":"http://localhost:3000/api/auth/signin/immutable",)"
                    R"("callbackUrl":"http://localhost:3000/api/auth/callback/immutable"}})");
    o.oauth_provider_id = "oidc";
    config c2(o);
    auto v = boost::json::parse(handle_auth_request(c2, get("/providers").view()).body);
    CHECK(v.at("oidc").at("type") == "oidc");
    CHECK(v.at("oidc").at("callbackUrl") == "http://localhost:3000/api/auth/callback/oidc");
    // One id for both: listed once, as credentials (next-auth/react posts tokens to it).
    o.oauth_provider_id = o.provider_id;
    config c3(o);
    CHECK(handle_auth_request(c3, get("/providers").view()).body == r.body);
}
