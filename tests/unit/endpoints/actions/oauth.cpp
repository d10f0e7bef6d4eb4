// The OAuth code flow with a scripted provider: POST /signin/oidc (the
// authorization URL, the check cookies) and GET /callback/oidc (the code
// exchange, userinfo, the refusals).
#include "../../../support/action_requests.hpp"

#include <authpp/endpoints/pkce.hpp>

#include <regex>

using namespace authpp;
using namespace authpp::test;

TEST_CASE("OAuth: POST /signin/oidc sets state, PKCE and nonce cookies and redirects to the provider") {
    oauth_fixture f;
    auto r = f.sign_in();
    CHECK(r.status == 302);
    const auto loc = header(r, "Location");
    CHECK(loc.starts_with("https://idp.example.com/authorize?response_type=code&client_id=cid&redirect_uri=http%3A%2F%"
                          "2Flocalhost%3A3000%2Fapi%2Fauth%2Fcallback%2Foidc&scope=openid+profile+email+offline_access+"
                          "transact&audience=platform_api&prompt=login&state="));
    CHECK(loc.find("&code_challenge_method=S256&nonce=") != std::string::npos);
    auto sc = headers(r, "Set-Cookie");
    REQUIRE(sc.size() == 4);
    CHECK(sc[0].starts_with("authjs.callback-url=http%3A%2F%2Flocalhost%3A3000%2Fhome;"));
    CHECK(std::regex_match(sc[1], std::regex("authjs\\.state=eyJ[^;]+; Max-Age=900; Path=/; Expires=[^;]+ GMT; HttpOnly; SameSite=Lax")));
    CHECK(std::regex_match(sc[2], std::regex("authjs\\.pkce\\.code_verifier=eyJ[^;]+; Max-Age=900; Path=/; Expires=[^;]+ GMT; HttpOnly; SameSite=Lax")));
    CHECK(std::regex_match(sc[3], std::regex("authjs\\.nonce=eyJ[^;]+; Path=/; Expires=[^;]+ GMT; HttpOnly; SameSite=Lax")));
    // The state sent is itself an Auth.js JWE (salt "encodedState").
    CHECK(f.c.codec().decode(f.state, "encodedState", f.c.now_ms() / 1000).has_value());
}

TEST_CASE("OAuth: a successful code exchange signs in and clears the checks") {
    oauth_fixture f;
    f.sign_in();
    f.t.push(200, boost::json::serialize(boost::json::object{
                      {"access_token", "oat"}, {"refresh_token", "ort"}, {"id_token", f.id_token(f.nonce)}, {"expires_in", 300}}));
    auto r = f.callback("code=the-code&state=" + url::encode_uri_component(f.state));
    CHECK(r.status == 302);
    CHECK(header(r, "Location") == "http://localhost:3000/home");
    auto sc = headers(r, "Set-Cookie");
    REQUIRE(sc.size() == 4);
    CHECK(sc[0] == "authjs.state=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax");
    CHECK(sc[1] == "authjs.pkce.code_verifier=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax");
    CHECK(sc[2] == "authjs.nonce=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax");
    CHECK(sc[3].starts_with("authjs.session-token=eyJ"));
    // The exchange proved possession of the verifier behind the challenge.
    const auto sent = f.t.sent();
    REQUIRE(sent.size() == 1);
    const auto& ex = sent[0];
    CHECK(ex.method == "POST");
    CHECK(ex.url == "https://idp.example.com/oauth/token");
    auto body = endpoints::parse_form(ex.body);
    REQUIRE(body.has_value());
    CHECK(body->get("grant_type") == "authorization_code");
    CHECK(body->get("code") == "the-code");
    CHECK(body->get("redirect_uri") == "http://localhost:3000/api/auth/callback/oidc");
    CHECK(endpoints::code_challenge_s256(*body->get("code_verifier")) == f.challenge);
    f.j.apply(r);
    auto s = boost::json::parse(handle_auth_request(f.c, get("/session", f.j.header()).view()).body);
    CHECK(s.at("user").at("sub") == "user-9");
    CHECK(s.at("user").at("email") == "eve@example.com");
    CHECK(s.at("accessToken") == "oat");
    CHECK(s.at("refreshToken") == "ort");
}

TEST_CASE("OAuth: an absolute redirect_uri is the code flow's redirect URI, at the provider and at the token endpoint") {
    // Before: redirect_uri was validated and documented but never used.
    auto o = oauth_fixture::options();
    o.redirect_uri = "https://public.example.com/auth/cb/oidc";
    oauth_fixture f(o);
    auto r = f.sign_in();
    const auto loc = header(r, "Location");
    CHECK(loc.find("&redirect_uri=https%3A%2F%2Fpublic.example.com%2Fauth%2Fcb%2Foidc&") != std::string::npos);
    f.t.push(200, boost::json::serialize(boost::json::object{
                      {"access_token", "oat"}, {"refresh_token", "ort"}, {"id_token", f.id_token(f.nonce)}, {"expires_in", 300}}));
    r = f.callback("code=the-code&state=" + url::encode_uri_component(f.state));
    CHECK(r.status == 302);
    REQUIRE(f.t.sent().size() == 1);
    auto body = endpoints::parse_form(f.t.sent()[0].body);
    REQUIRE(body.has_value());
    CHECK(body->get("redirect_uri") == "https://public.example.com/auth/cb/oidc");
    // A relative one (the reference's "/callback", its browser SDK's page) is not the action's.
    CHECK(endpoints::oauth_redirect_uri(oauth_fixture::options(), "http://localhost:3000") ==
          "http://localhost:3000/api/auth/callback/oidc");
}

TEST_CASE("OAuth: no id token → the user comes from userinfo") {
    oauth_fixture f;
    f.sign_in();
    f.t.push(200, R"({"access_token":"oat","expires_in":300})");
    f.t.push(200, R"({"sub":"user-u","email":"u@example.com"})");
    auto r = f.callback("code=c&state=" + url::encode_uri_component(f.state));
    CHECK(header(r, "Location") == "http://localhost:3000/home");
    REQUIRE(f.t.sent().size() == 2);
    CHECK(f.t.sent()[1].url == "https://idp.example.com/userinfo");
    CHECK(http::find_header(f.t.sent()[1].headers, "Authorization") == "Bearer oat");
}

TEST_CASE("OAuth: refusals") {
    oauth_fixture f;
    f.sign_in();
    const std::string cfg_error = "http://localhost:3000/api/auth/error?error=Configuration";
    SECTION("state mismatch") {
        auto r = f.callback("code=c&state=forged");
        CHECK(header(r, "Location") == cfg_error);
        CHECK(headers(r, "Set-Cookie").empty());
    }
    SECTION("no state cookie") {
        f.j.cookies.erase("authjs.state");
        CHECK(header(f.callback("code=c&state=" + url::encode_uri_component(f.state)), "Location") == cfg_error);
    }
    SECTION("missing verifier cookie") {
        f.j.cookies.erase("authjs.pkce.code_verifier");
        CHECK(header(f.callback("code=c&state=" + url::encode_uri_component(f.state)), "Location") == cfg_error);
    }
    SECTION("a check cookie sealed under another name") {
        f.j.cookies["authjs.pkce.code_verifier"] = f.j.cookies["authjs.nonce"];
        CHECK(header(f.callback("code=c&state=" + url::encode_uri_component(f.state)), "Location") == cfg_error);
    }
    SECTION("the provider's error=access_denied") {
        auto r = f.callback("error=access_denied&state=" + url::encode_uri_component(f.state));
        CHECK(header(r, "Location") == "http://localhost:3000/login?error=OAuthCallbackError");
    }
    SECTION("expired checks (15 minutes)") {
        f.c.clock().advance(std::chrono::minutes(16));
        CHECK(header(f.callback("code=c&state=" + url::encode_uri_component(f.state)), "Location") == cfg_error);
    }
    SECTION("nonce mismatch, wrong issuer, token endpoint refusal") {
        for (auto body : {boost::json::serialize(boost::json::object{{"access_token", "a"}, {"id_token", f.id_token("other")}}),
                          boost::json::serialize(boost::json::object{{"access_token", "a"}, {"id_token", f.id_token(f.nonce, "https://evil")}})}) {
            f.t.push(200, body);
            CHECK(header(f.callback("code=c&state=" + url::encode_uri_component(f.state)), "Location") == cfg_error);
        }
        f.t.push(400, R"({"error":"invalid_grant"})");
        CHECK(header(f.callback("code=c&state=" + url::encode_uri_component(f.state)), "Location") == cfg_error);
    }
    CHECK(f.t.remaining() == 0);
}
