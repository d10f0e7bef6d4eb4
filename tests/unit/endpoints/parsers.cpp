// The endpoint building blocks: form/query parsing, CSRF tokens, redirect
// probes, PKCE, action paths and the sealed check cookies.
#include <authpp/crypto/random.hpp>
#include <authpp/endpoints/action.hpp>
#include <authpp/endpoints/cookies.hpp>
#include <authpp/endpoints/csrf.hpp>
#include <authpp/endpoints/form.hpp>
#include <authpp/endpoints/oauth_code.hpp>
#include <authpp/endpoints/pkce.hpp>
#include <authpp/endpoints/redirect.hpp>
#include <authpp/oauth/discovery.hpp>

#include <authpp/codec/authjs_codec.hpp>

#include <catch2/catch.hpp>

#include <set>

using namespace authpp;
using namespace authpp::endpoints;

TEST_CASE("form: URLSearchParams decoding, last value wins") {
    auto f = parse_form("a=1&b=x+y%20z&a=2&empty=&flag&=anon&&c=%E2%9C%93");
    REQUIRE(f.has_value());
    CHECK(f->size() == 7);
    CHECK(f->get("a") == "2");
    CHECK(f->get("b") == "x y z");
    CHECK(f->get("empty") == "");
    CHECK(f->get("flag") == "");
    CHECK(f->get("") == "anon");
    CHECK(f->get("c") == "\xE2\x9C\x93");
    CHECK_FALSE(f->get("missing"));
    auto eq = parse_form("k=a=b");
    REQUIRE(eq.has_value());
    CHECK(eq->get("k") == "a=b");
}

TEST_CASE("form: malformed escapes stay literal, as URLSearchParams keeps them") {
    auto f = parse_form("%=%&x=%G1");
    REQUIRE(f.has_value());
    CHECK(f->get("%") == "%");
    CHECK(f->get("x") == "%G1");
    auto e = parse_form("");
    REQUIRE(e.has_value());
    CHECK(e->size() == 0);
}

TEST_CASE("form: size and field-count limits") {
    form_limits l;
    l.max_size = 16;
    l.max_fields = 3;
    CHECK(parse_form(std::string(17, 'a'), l).error() == error::oversized);
    CHECK(parse_form("a=1&b=2&c=3", l).has_value());
    CHECK(parse_form("a=1&b=2&c=3&d", l).error() == error::oversized);
    CHECK(parse_form("&&&&&&&&a=1", l).has_value()); // empty pieces are free
    CHECK(parse_form(std::string(64 * 1024 + 1, 'x')).error() == error::oversized);
}

TEST_CASE("csrf: hash is SHA-256 hex of token + secrets joined with ','") {
    // echo -n 'abcsecret' | sha256sum
    CHECK(csrf_hash("abc", {"secret"}) == "a42178b773273f5c9f24387fbea546af537d08b8c06b23631e44878b9ce47f49");
    CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(csrf_hash("t", {"s1", "s0"}) == sha256_hex("ts1,s0"));
}

TEST_CASE("csrf: a valid cookie is kept, a POST verifies against it") {
    const std::vector<std::string> secrets{"k"};
    auto fresh = check_csrf(std::nullopt, secrets, false, std::nullopt);
    REQUIRE(fresh.has_value());
    REQUIRE(fresh->cookie);
    CHECK(fresh->token.size() == 64);
    CHECK(*fresh->cookie == fresh->token + "|" + csrf_hash(fresh->token, secrets));
    CHECK_FALSE(fresh->verified);

    auto again = check_csrf(std::string_view(*fresh->cookie), secrets, true, std::string_view(fresh->token));
    REQUIRE(again.has_value());
    CHECK_FALSE(again->cookie);
    CHECK(again->token == fresh->token);
    CHECK(again->verified);

    auto get = check_csrf(std::string_view(*fresh->cookie), secrets, false, std::string_view(fresh->token));
    CHECK_FALSE(get->verified); // only a POST verifies

    auto wrong_body = check_csrf(std::string_view(*fresh->cookie), secrets, true, std::string_view("nope"));
    CHECK_FALSE(wrong_body->verified);
    CHECK_FALSE(wrong_body->cookie);

    auto no_body = check_csrf(std::string_view(*fresh->cookie), secrets, true, std::nullopt);
    CHECK_FALSE(no_body->verified);

    // A forged cookie (hash by another secret, or none) is replaced, never trusted.
    const std::string forged = "aaaa|" + csrf_hash("aaaa", {"other"});
    auto f = check_csrf(std::string_view(forged), secrets, true, std::string_view("aaaa"));
    CHECK_FALSE(f->verified);
    CHECK(f->cookie);
    CHECK(f->token != "aaaa");
    for (const std::string& bad : std::vector<std::string>{"", "|", "aaaa", "aaaa|", "|" + csrf_hash("", secrets)}) {
        auto b = check_csrf(std::string_view(bad), secrets, true, std::string_view("aaaa"));
        CHECK_FALSE(b->verified);
        CHECK(b->cookie);
    }
}

TEST_CASE("csrf: constant-time equality") {
    CHECK(constant_time_equals("abc", "abc"));
    CHECK_FALSE(constant_time_equals("abc", "abd"));
    CHECK_FALSE(constant_time_equals("abc", "ab"));
    CHECK(constant_time_equals("", ""));
}

TEST_CASE("pkce: RFC 7636 appendix B known answer") {
    CHECK(code_challenge_s256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk") ==
          "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
    auto v = make_code_verifier();
    REQUIRE(v);
    CHECK(v->size() == 43);
    std::set<std::string> seen;
    for (int i = 0; i < 50; ++i) seen.insert(*crypto::random_base64url(32));
    CHECK(seen.size() == 50);
}

TEST_CASE("redirect: same-origin paths and URLs pass") {
    const std::string base = "https://app.example.com";
    CHECK(same_origin_redirect("/", base) == "https://app.example.com/");
    CHECK(same_origin_redirect("/dashboard?tab=1#x", base) == "https://app.example.com/dashboard?tab=1#x");
    CHECK(same_origin_redirect("https://app.example.com/a", base) == "https://app.example.com/a");
    CHECK(same_origin_redirect("HTTPS://APP.example.com:443/a", base) == "HTTPS://APP.example.com:443/a");
    CHECK(same_origin_redirect("https://app.example.com", base) == "https://app.example.com");
    CHECK(same_origin_redirect("/a%20b", base) == "https://app.example.com/a%20b");
    CHECK(same_origin_redirect("/x", "https://app.example.com/") == "https://app.example.com/x");
}

TEST_CASE("redirect: open-redirect probes are refused") {
    const std::string base = "https://app.example.com";
    for (std::string_view probe : {
             "//evil.com", "///evil.com", "/\\evil.com", "\\\\evil.com", "https://evil.com", "http://evil.com/",
             "https://app.example.com.evil.com/", "https://app.example.com@evil.com/", "https://evil.com\\@app.example.com",
             "http://app.example.com/",  // other scheme, other origin
             "https://app.example.com:8443/", "%2F%2Fevil.com", "/%2F%2Fevil.com", "/%2f%2Fevil.com",
             "%252F%252Fevil.com", "/%252F%252Fevil.com", "/%5Cevil.com", "/%09/evil.com", "/\t/evil.com",
             "/\n/evil.com", "/\r\n/evil.com", " /evil", "javascript:alert(1)", "JaVaScRiPt:alert(1)",
             "data:text/html,x", "evil.com", "", "https:evil.com", "https:///evil.com", "/ /evil.com"}) {
        INFO(probe);
        CHECK_FALSE(same_origin_redirect(probe, base));
    }
}

TEST_CASE("redirect: refusal falls back to the base URL; a user callback may allow more") {
    auth_options o;
    CHECK(resolve_redirect(o, "https://evil.com", "https://app.example.com") == "https://app.example.com");
    CHECK(resolve_redirect(o, "/ok", "https://app.example.com") == "https://app.example.com/ok");
    o.callbacks.redirect = [](std::string_view url, std::string_view base) -> std::optional<std::string> {
        if (url.starts_with("https://docs.example.com/")) return std::string(url);
        return same_origin_redirect(url, base);
    };
    CHECK(resolve_redirect(o, "https://docs.example.com/x", "https://app.example.com") == "https://docs.example.com/x");
    CHECK(resolve_redirect(o, "//evil.com", "https://app.example.com") == "https://app.example.com");
}

TEST_CASE("action: Auth.js's parseActionAndProviderId") {
    auto p = parse_action("/api/auth/session", "/api/auth");
    REQUIRE(p);
    CHECK(p->action == action::session);
    CHECK(p->provider.empty());
    auto cb = parse_action("/api/auth/callback/immutable?code=1", "/api/auth");
    REQUIRE(cb);
    CHECK(cb->action == action::callback);
    CHECK(cb->provider == "immutable");
    CHECK(parse_action("/api/auth//signin//x/", "/api/auth")->provider == "x");
    CHECK(parse_action("/api/auth/signin/undefined", "/api/auth")->provider.empty());
    CHECK(parse_action("/api/auth/session", "/api/auth/")->action == action::session);
    CHECK_FALSE(parse_action("/api/auth", "/api/auth"));
    CHECK_FALSE(parse_action("/api/auth/", "/api/auth"));
    CHECK_FALSE(parse_action("/api/auth/nope", "/api/auth"));
    CHECK_FALSE(parse_action("/api/auth/session/x", "/api/auth"));
    CHECK_FALSE(parse_action("/api/auth/callback/a/b", "/api/auth"));
    CHECK_FALSE(parse_action("/api/authsession", "/api/auth"));
    CHECK_FALSE(parse_action("/other/session", "/api/auth"));
    CHECK(is_under_base_path("/api/auth", "/api/auth"));
    CHECK(is_under_base_path("/api/auth/x?y", "/api/auth"));
    CHECK_FALSE(is_under_base_path("/api/authx", "/api/auth"));
    CHECK_FALSE(is_under_base_path("/api", "/api/auth"));
}

TEST_CASE("cookies: names, sealed checks") {
    auto plain = cookie_names(false);
    CHECK(plain.csrf == "authjs.csrf-token");
    CHECK(plain.callback_url == "authjs.callback-url");
    CHECK(plain.pkce == "authjs.pkce.code_verifier");
    CHECK(plain.state == "authjs.state");
    CHECK(plain.nonce == "authjs.nonce");
    auto sec = cookie_names(true);
    CHECK(sec.csrf == "__Host-authjs.csrf-token");
    CHECK(sec.callback_url == "__Secure-authjs.callback-url");
    CHECK(sec.pkce == "__Secure-authjs.pkce.code_verifier");

    authjs_codec codec({"seal-secret"});
    const std::int64_t now = 1'800'000'000;
    auto sealed = seal_check(codec, "authjs.state", "the-value", "oidc", now);
    REQUIRE(sealed);
    CHECK(open_check(codec, "authjs.state", *sealed, "oidc", now + 60).value() == "the-value");
    CHECK_FALSE(open_check(codec, "authjs.nonce", *sealed, "oidc", now).has_value());           // other cookie's salt
    CHECK_FALSE(open_check(codec, "authjs.state", *sealed, "other", now).has_value());          // other provider
    CHECK_FALSE(open_check(codec, "authjs.state", *sealed, "oidc", now + 15 * 60 + 16).has_value()); // expired
    CHECK_FALSE(open_check(codec, "authjs.state", "", "oidc", now).has_value());
    CHECK_FALSE(open_check(codec, "authjs.state", "garbage", "oidc", now).has_value());
    auto claims = codec.decode(*sealed, "authjs.state", now);
    REQUIRE(claims);
    CHECK(claims->at("exp").as_int64() == now + 15 * 60);
}

TEST_CASE("oauth_code: authorization URL in Auth.js's parameter order") {
    auth_options o;
    o.client_id = "cid";
    o.authentication_domain = "https://auth.example.com/";
    authorization_params p{"https://app/api/auth/callback/oidc", "ST", "CH", "NO"};
    form_fields extra;
    extra.set("prompt", "login");
    extra.set("client_id", "attacker");
    extra.set("redirect_uri", "https://evil.com");
    CHECK(authorization_url(o, p, extra) ==
          "https://auth.example.com/authorize?response_type=code&client_id=cid&redirect_uri=https%3A%2F%2Fapp%2Fapi%"
          "2Fauth%2Fcallback%2Foidc&scope=openid+profile+email+offline_access+transact&audience=platform_api&prompt="
          "login&state=ST&code_challenge=CH&code_challenge_method=S256&nonce=NO");
    o.authorization_endpoint = "https://idp/auth?x=1";
    CHECK(authorization_url(o, p).starts_with("https://idp/auth?x=1&response_type=code&"));
}

TEST_CASE("discovery fills the authorization endpoint, keeps an explicit one, refuses a non-http one") {
    auth_options o;
    o.authentication_domain = "https://idp.example.com";
    http::response doc{200, {}, R"({"issuer":"https://idp.example.com","token_endpoint":"https://idp.example.com/token",)"
                                R"("authorization_endpoint":"https://idp.example.com/auth"})"};
    REQUIRE_FALSE(oauth::apply_discovery(o, {}, doc));
    CHECK(o.authorization_endpoint == "https://idp.example.com/auth");
    CHECK(authorization_endpoint(o) == "https://idp.example.com/auth");
    auth_options kept;
    kept.authentication_domain = o.authentication_domain;
    kept.authorization_endpoint = "https://other/authorize";
    REQUIRE_FALSE(oauth::apply_discovery(kept, {}, doc));
    CHECK(kept.authorization_endpoint == "https://other/authorize");
    auth_options bad;
    bad.authentication_domain = o.authentication_domain;
    http::response evil{200, {}, R"({"issuer":"https://idp.example.com","token_endpoint":"https://idp.example.com/token",)"
                                 R"("authorization_endpoint":"ftp://idp.example.com/auth"})"};
    CHECK(oauth::apply_discovery(bad, {}, evil) == error::discovery_failed);
    CHECK(bad.authorization_endpoint.empty());
}
