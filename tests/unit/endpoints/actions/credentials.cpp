// POST /callback/immutable, the Credentials provider: sign-in (as a 302 and
// as next-auth/react's JSON {url}) and its refusals.
#include "../../../support/action_requests.hpp"

using namespace authpp;
using namespace authpp::test;

TEST_CASE("credentials sign-in, then GET /session re-issues the cookie") {
    test::scripted_transport t;
    config c(test_options(), t);
    jar j;
    auto r = credentials_sign_in(c, t, j);
    CHECK(r.status == 302);
    CHECK(header(r, "Location") == "http://localhost:3000/dashboard");
    auto sc = headers(r, "Set-Cookie");
    REQUIRE(sc.size() == 2); // the callback URL changed; the session is new
    CHECK(sc[0] == "authjs.callback-url=http%3A%2F%2Flocalhost%3A3000%2Fdashboard; Path=/; HttpOnly; SameSite=Lax");
    CHECK(sc[1].starts_with("authjs.session-token=eyJ"));
    CHECK(sc[1].ends_with("; Path=/; Expires=" + cookie::http_date(c.now_ms() / 1000 + 365 * 86400) +
                          "; HttpOnly; SameSite=Lax"));
    REQUIRE(t.sent().size() == 1);
    CHECK(t.sent()[0].url == "https://idp.example.com/userinfo");

    auto s = handle_auth_request(c, get("/session", j.header()).view());
    CHECK(s.status == 200);
    auto v = boost::json::parse(s.body);
    CHECK(v.at("user").at("sub") == "user-1");
    CHECK(v.at("user").at("email") == "ada@example.com");
    CHECK(v.at("accessToken") == "at-1");
    CHECK(v.at("refreshToken") == "rt-1");
    CHECK_FALSE(v.as_object().contains("idToken")); // the cookie leaves it out
    CHECK(v.at("expires") == "2028-01-15T08:00:00.000Z");
    auto ssc = headers(s, "Set-Cookie");
    REQUIRE(ssc.size() == 1); // csrf and callback-url already set: only the rolled session
    CHECK(ssc[0].starts_with("authjs.session-token=eyJ"));
    CHECK(header(s, "Pragma") == "no-cache");
}

TEST_CASE("credentials sign-in for next-auth/react: JSON {url} with the same cookies") {
    test::scripted_transport t;
    config c(test_options(), t);
    jar j;
    auto r = credentials_sign_in(c, t, j, "/after", true);
    CHECK(r.status == 200);
    CHECK(header(r, "Content-Type") == "application/json");
    CHECK(r.body == R"({"url":"http://localhost:3000/after"})");
    CHECK(headers(r, "Set-Cookie").size() == 2);
    CHECK(j.cookies.count("authjs.session-token") == 1);
}

TEST_CASE("credentials sign-in refused: CredentialsSignin or AccessDenied, no cookies") {
    test::scripted_transport t;
    auto o = test_options();
    o.callbacks.sign_in = [](const signed_in_user& u) { return u.sub != "banned"; };
    config c(o, t);
    jar j;
    const auto token = csrf_token(c, j);
    SECTION("malformed tokens") {
        auto r = handle_auth_request(
            c, post_form("/callback/immutable", j.header(), form({{"tokens", "{"}, {"csrfToken", token}})).view());
        CHECK(r.status == 302);
        CHECK(header(r, "Location") == "http://localhost:3000/login?error=CredentialsSignin&code=credentials");
        CHECK(headers(r, "Set-Cookie").empty());
        CHECK(t.sent().empty());
    }
    SECTION("userinfo names another user") {
        t.push(200, R"({"sub":"someone-else"})");
        auto r = handle_auth_request(
            c, post_form("/callback/immutable", j.header(), form({{"tokens", tokens_json(c)}, {"csrfToken", token}}), true)
                   .view());
        CHECK(r.status == 200);
        CHECK(r.body == R"({"url":"http://localhost:3000/login?error=CredentialsSignin&code=credentials"})");
        CHECK(headers(r, "Set-Cookie").empty());
    }
    SECTION("the signIn callback refuses") {
        t.push(200, R"({"sub":"banned"})");
        auto r = handle_auth_request(c, post_form("/callback/immutable", j.header(),
                                                  form({{"tokens", tokens_json(c, "banned")}, {"csrfToken", token}}))
                                            .view());
        CHECK(header(r, "Location") == "http://localhost:3000/api/auth/error?error=AccessDenied");
    }
    SECTION("GET /callback/immutable is not a credentials sign-in") {
        auto r = handle_auth_request(c, get("/callback/immutable", j.header()).view());
        CHECK(r.status == 302);
        CHECK(header(r, "Location") == "http://localhost:3000/api/auth/error?error=Configuration");
    }
}
