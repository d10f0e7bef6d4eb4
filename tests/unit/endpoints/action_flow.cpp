// Every Auth.js action through handle_auth_request: status, exact headers,
// cookies and bodies, CSRF refusals, open-redirect refusals, the chunked
// session cookie, the OAuth code flow with a scripted provider, and the
// async driver.
#include <authpp/async/endpoints.hpp>
#include <authpp/endpoints.hpp>

#include <authpp/clock/manual_clock.hpp>
#include <authpp/codec/authjs_codec.hpp>
#include <authpp/codec/database_codec.hpp>
#include <authpp/config.hpp>
#include <authpp/endpoints/pkce.hpp>
#include <authpp/crypto/base64.hpp>
#include <authpp/match/prefix_matcher.hpp>
#include <authpp/store/memory_store.hpp>
#include <authpp/url/form.hpp>
#include <authpp/url/percent.hpp>

#include "../../support/scripted_transport.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <catch2/catch.hpp>

#include <map>
#include <regex>

using namespace authpp;
using config = basic_auth_config<test::scripted_transport, authjs_codec, manual_clock, memory_store, prefix_matcher>;

namespace {

constexpr std::string_view base = "http://localhost:3000";

auth_options test_options() {
    auto o = sandbox_options();
    o.secrets = {"endpoints-test-secret"};
    o.base_url = std::string(base);
    o.authentication_domain = "https://idp.example.com";
    return o;
}

// A request whose views point into strings it owns.
struct req : authpp::detail::owned_server_request {
    req() {
        method = "GET";
        host = "localhost:3000";
    }
};

req get(std::string target, std::string cookie = {}) {
    req r;
    r.target = "/api/auth" + target;
    r.cookie = std::move(cookie);
    return r;
}

req post_form(std::string target, std::string cookie, std::string body, bool return_redirect = false) {
    req r;
    r.method = "POST";
    r.target = "/api/auth" + target;
    r.cookie = std::move(cookie);
    r.content_type = "application/x-www-form-urlencoded";
    r.body = std::move(body);
    if (return_redirect) r.x_auth_return_redirect = "1";
    return r;
}

std::vector<std::string> headers(const http::server_response& r, std::string_view name) {
    std::vector<std::string> out;
    for (const auto& [k, v] : r.headers)
        if (http::iequals(k, name)) out.push_back(v);
    return out;
}

std::string header(const http::server_response& r, std::string_view name) {
    auto h = headers(r, name);
    REQUIRE(h.size() == 1);
    return h[0];
}

// What a browser keeps of the Set-Cookie headers it was sent.
struct jar {
    std::map<std::string, std::string> cookies;
    void apply(const http::server_response& r) {
        for (const auto& sc : headers(r, "Set-Cookie")) {
            const auto eq = sc.find('='), semi = sc.find(';');
            const auto name = sc.substr(0, eq);
            if (sc.find("; Max-Age=0") != std::string::npos)
                cookies.erase(name);
            else
                cookies[name] = sc.substr(eq + 1, semi - eq - 1);
        }
    }
    std::string header() const {
        std::string h;
        for (const auto& [k, v] : cookies) h += (h.empty() ? "" : "; ") + k + "=" + v;
        return h;
    }
};

template <class Cfg>
std::string csrf_token(Cfg& c, jar& j) {
    auto r = handle_auth_request(c, get("/csrf", j.header()).view());
    j.apply(r);
    return std::string(boost::json::parse(r.body).at("csrfToken").as_string());
}

std::string form(std::initializer_list<std::pair<std::string_view, std::string_view>> f) { return url::form_body(f); }

std::string unsigned_jwt(const boost::json::object& claims) {
    return crypto::base64url_encode(std::string_view(R"({"alg":"RS256"})")) + "." +
           crypto::base64url_encode(boost::json::serialize(claims)) + ".sig";
}

template <class C>
std::string tokens_json(const C& c, std::string sub = "user-1") {
    boost::json::object t;
    t["accessToken"] = "at-1";
    t["refreshToken"] = "rt-1";
    t["idToken"] = "id-1";
    t["accessTokenExpires"] = c.now_ms() + 3'600'000;
    t["profile"] = {{"sub", sub}, {"email", "ada@example.com"}, {"nickname", "ada"}};
    return boost::json::serialize(t);
}

// Signs in through POST /callback/immutable; the jar then holds the session.
template <class Cfg>
http::server_response credentials_sign_in(Cfg& c, test::scripted_transport& t, jar& j,
                                          std::string_view callback_url = "/dashboard", bool json = false) {
    const auto token = csrf_token(c, j);
    t.push(200, R"({"sub":"user-1","email":"ada@example.com","nickname":"ada"})");
    auto r = handle_auth_request(c, post_form("/callback/immutable", j.header(),
                                              form({{"tokens", tokens_json(c)},
                                                    {"csrfToken", token},
                                                    {"callbackUrl", callback_url}}),
                                              json)
                                         .view());
    j.apply(r);
    return r;
}

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

TEST_CASE("secure cookies: __Host- CSRF cookie, __Secure- callback URL") {
    auto o = test_options();
    o.base_url = "https://app.example.com";
    config c(o);
    auto r = handle_auth_request(c, get("/csrf").view());
    auto sc = headers(r, "Set-Cookie");
    REQUIRE(sc.size() == 2);
    CHECK(sc[0].starts_with("__Host-authjs.csrf-token="));
    CHECK(sc[0].ends_with("; Path=/; HttpOnly; Secure; SameSite=Lax"));
    CHECK(sc[1] == "__Secure-authjs.callback-url=https%3A%2F%2Fapp.example.com; Path=/; HttpOnly; Secure; SameSite=Lax");
}

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

TEST_CASE("CSRF refusal on every POST") {
    test::scripted_transport t;
    config c(test_options(), t);
    jar j;
    const auto token = csrf_token(c, j);
    const std::string good_cookie = j.header();
    const std::string forged = "authjs.csrf-token=" + std::string(64, 'a') + "%7C" +
                               endpoints::csrf_hash(std::string(64, 'a'), {"another-secret"});
    struct probe {
        std::string name, cookie, body_token;
    };
    const std::vector<probe> probes{
        {"no token in the body", good_cookie, ""},
        {"wrong token in the body", good_cookie, std::string(64, '0')},
        {"no cookie", "", token},
        {"cookie hashed with another secret", forged, std::string(64, 'a')},
        {"cookie token differs from the body's", "authjs.csrf-token=" + std::string(64, 'b') + "%7C" +
                                                     endpoints::csrf_hash(std::string(64, 'b'), {"endpoints-test-secret"}),
         token},
    };
    for (const auto& p : probes) {
        INFO(p.name);
        const std::string body = p.body_token.empty() ? form({{"tokens", tokens_json(c)}})
                                                      : form({{"tokens", tokens_json(c)}, {"csrfToken", p.body_token}});
        for (std::string target : {"/signin/immutable", "/signout", "/callback/immutable"}) {
            INFO(target);
            auto r = handle_auth_request(c, post_form(target, p.cookie, body).view());
            CHECK(r.status == 302);
            CHECK(header(r, "Location") == "http://localhost:3000/login?error=MissingCSRF");
            CHECK(headers(r, "Set-Cookie").empty());
            auto rj = handle_auth_request(c, post_form(target, p.cookie, body, true).view());
            CHECK(rj.status == 200);
            CHECK(rj.body == R"({"url":"http://localhost:3000/login?error=MissingCSRF"})");
        }
        req s;
        s.method = "POST";
        s.target = "/api/auth/session";
        s.cookie = p.cookie;
        s.content_type = "application/json";
        s.body = p.body_token.empty() ? R"({"data":{}})" : R"({"csrfToken":")" + p.body_token + R"(","data":{}})";
        auto r = handle_auth_request(c, s.view());
        CHECK(r.status == 400);
        CHECK(r.body == "null");
        CHECK(headers(r, "Set-Cookie").empty());
    }
    CHECK(t.sent().empty()); // no refused POST reached the provider
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

TEST_CASE("POST /signout clears every session chunk, also when the cookie cannot be read") {
    test::scripted_transport t;
    config c(test_options(), t);
    jar j;
    const auto token = csrf_token(c, j);
    // A gap (no .1) and a chunk beyond what is ever read: unreadable, still cleared.
    const std::string header = j.header() + "; authjs.session-token.0=aaa; authjs.session-token.2=bbb; "
                                            "authjs.session-token.99=ccc; authjs.session-token=ddd";
    auto out = handle_auth_request(c, post_form("/signout", header, form({{"csrfToken", token}})).view());
    CHECK(out.status == 302);
    std::vector<std::string> cleared;
    for (const auto& h : headers(out, "Set-Cookie"))
        if (h.starts_with("authjs.session-token")) cleared.push_back(h);
    CHECK(cleared == std::vector<std::string>{"authjs.session-token.0=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax",
                                              "authjs.session-token.2=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax",
                                              "authjs.session-token.99=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax",
                                              "authjs.session-token=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax"});
}

TEST_CASE("POST /signout clears the session and redirects to the callback URL") {
    test::scripted_transport t;
    config c(test_options(), t);
    jar j;
    credentials_sign_in(c, t, j);
    const auto token = csrf_token(c, j);
    auto r = handle_auth_request(c, post_form("/signout", j.header(), form({{"csrfToken", token}, {"callbackUrl", "/bye"}}), true).view());
    CHECK(r.status == 200);
    CHECK(r.body == R"({"url":"http://localhost:3000/bye"})");
    auto sc = headers(r, "Set-Cookie");
    REQUIRE(sc.size() == 2);
    CHECK(sc[0] == "authjs.callback-url=http%3A%2F%2Flocalhost%3A3000%2Fbye; Path=/; HttpOnly; SameSite=Lax");
    CHECK(sc[1] == "authjs.session-token=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax");
    j.apply(r);
    CHECK(j.cookies.count("authjs.session-token") == 0);
    CHECK(handle_auth_request(c, get("/session", j.header()).view()).body == "null");
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

TEST_CASE("open-redirect probes fall back to the base URL") {
    test::scripted_transport t;
    config c(test_options(), t);
    for (std::string probe : {"//evil.com", "https://evil.com", "/\\evil.com", "%2F%2Fevil.com", "/%2F%2Fevil.com",
                              "/%5Cevil.com", "/\t/evil.com", "javascript:alert(1)", "https://localhost:3000@evil.com",
                              "http://localhost:3000.evil.com/"}) {
        INFO(probe);
        jar j;
        const auto token = csrf_token(c, j);
        auto r = handle_auth_request(c, post_form("/signout", j.header(), form({{"csrfToken", token}, {"callbackUrl", probe}})).view());
        CHECK(header(r, "Location") == "http://localhost:3000");
        // Also as a query parameter, and from a planted callback-url cookie.
        auto q = handle_auth_request(c, get("/signin?callbackUrl=" + url::encode_uri_component(probe)).view());
        CHECK(header(q, "Location") == "/login?callbackUrl=http%3A%2F%2Flocalhost%3A3000");
        auto planted = handle_auth_request(
            c, post_form("/signout", j.header() + "; authjs.callback-url=" + url::encode_uri_component(probe),
                         form({{"csrfToken", token}}))
                   .view());
        CHECK(header(planted, "Location") == "http://localhost:3000");
    }
}

TEST_CASE("pages, errors and unknown actions") {
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
    SECTION("not an action, or not GET/POST: 400 \"Bad request.\"") {
        for (std::string target : {"/nope", "/session/x", "/callback/a/b", ""}) {
            auto r = handle_auth_request(c, get(target).view());
            CHECK(r.status == 400);
            CHECK(r.body == "\"Bad request.\"");
            CHECK(headers(r, "Set-Cookie").empty());
        }
        auto put = get("/session");
        put.method = "PUT";
        CHECK(handle_auth_request(c, put.view()).status == 400);
        auto big = post_form("/signout", "", std::string(70 * 1024, 'a'));
        CHECK(handle_auth_request(c, big.view()).status == 400);
        auto bad_json = post_form("/session", "", "{");
        bad_json.content_type = "application/json";
        CHECK(handle_auth_request(c, bad_json.view()).status == 400);
    }
    SECTION("an action without that method: Configuration error") {
        auto r = handle_auth_request(c, post_form("/csrf", "", "").view());
        CHECK(r.status == 302);
        CHECK(header(r, "Location") == "http://localhost:3000/api/auth/error?error=Configuration");
        CHECK(headers(r, "Set-Cookie").empty());
    }
    SECTION("no secret: 500 as Auth.js's config assertion") {
        o.secrets.clear();
        config c3(o);
        CHECK(handle_auth_request(c3, get("/session").view()).status == 500);
    }
    SECTION("base URL from the Host header when none is configured; a hostile Host is refused") {
        o.base_url.clear();
        config c4(o);
        auto r = get("/providers");
        r.host = "app.local:8080";
        CHECK(boost::json::parse(handle_auth_request(c4, r.view()).body).at("immutable").at("signinUrl") ==
              "http://app.local:8080/api/auth/signin/immutable");
        r.host = "evil.com/x";
        CHECK(handle_auth_request(c4, r.view()).status == 400);
    }
    CHECK(is_auth_request(o, "/api/auth/session"));
    CHECK(is_auth_request(o, "/api/auth/x?y=1"));
    CHECK_FALSE(is_auth_request(o, "/api/authx"));
    CHECK_FALSE(is_auth_request(o, "/dashboard"));
}

namespace {

template <class Cfg>
struct basic_oauth_fixture {
    test::scripted_transport t;
    Cfg c;
    jar j;
    std::string state, nonce, challenge;

    static auth_options options() {
        auto o = test_options();
        o.oauth_provider_id = "oidc";
        o.client_id = "cid";
        return o;
    }
    basic_oauth_fixture() : c(options(), t) {}
    explicit basic_oauth_fixture(auth_options o) : c(std::move(o), t) {}

    // POST /signin/oidc: the authorization URL and the three check cookies.
    http::server_response sign_in() {
        const auto token = csrf_token(c, j);
        auto r = handle_auth_request(
            c, post_form("/signin/oidc?prompt=login", j.header(), form({{"csrfToken", token}, {"callbackUrl", "/home"}}))
                   .view());
        j.apply(r);
        const auto loc = header(r, "Location");
        auto q = endpoints::parse_form(loc.substr(loc.find('?') + 1));
        REQUIRE(q.has_value());
        state = std::string(*q->get("state"));
        nonce = std::string(*q->get("nonce"));
        challenge = std::string(*q->get("code_challenge"));
        return r;
    }

    std::string id_token(std::string_view n, std::string iss = "https://idp.example.com") const {
        boost::json::object claims{{"sub", "user-9"}, {"email", "eve@example.com"}, {"nickname", "eve"},
                                   {"nonce", n},      {"iss", iss},               {"aud", "cid"}};
        return unsigned_jwt(claims);
    }

    http::server_response callback(std::string query) {
        return handle_auth_request(c, get("/callback/oidc?" + query, j.header()).view());
    }
};
using oauth_fixture = basic_oauth_fixture<config>;

} // namespace

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

namespace {

// scripted_transport with an executor: answers through a post, as a real
// asynchronous transport would.
struct async_scripted {
    test::scripted_transport script;
    boost::asio::any_io_executor ex;
    http::response send(const http::request& r, error_code& ec) { return script.send(r, ec); }
    boost::asio::any_io_executor get_executor() const { return ex; }
    template <class Handler>
    void async_send(const http::request& r, Handler&& h) {
        error_code ec;
        auto resp = script.send(r, ec);
        boost::asio::post(ex, [h = std::forward<Handler>(h), ec, resp = std::move(resp)]() mutable {
            h(ec, std::move(resp));
        });
    }
};
using async_config = basic_auth_config<async_scripted, authjs_codec, manual_clock, memory_store, prefix_matcher>;

} // namespace

TEST_CASE("async_handle_auth_request: callback and use_future, the request copied first") {
    boost::asio::io_context ioc;
    async_scripted t{{}, ioc.get_executor()};
    async_config c(test_options(), t);
    jar j;
    {
        std::optional<http::server_response> got;
        {
            auto r = get("/csrf");
            async_handle_auth_request(c, r.view(), [&](http::server_response resp) { got = std::move(resp); });
            r.target = "/api/auth/overwritten"; // the operation kept its own copy
        }
        CHECK_FALSE(got); // never completes inside the initiating call
        ioc.run();
        REQUIRE(got);
        j.apply(*got);
    }
    const auto token = std::string(boost::json::parse(handle_auth_request(c, get("/csrf", j.header()).view()).body)
                                       .at("csrfToken")
                                       .as_string());
    t.script.push(200, R"({"sub":"user-1"})");
    auto sign_in = post_form("/callback/immutable", j.header(), form({{"tokens", tokens_json(c)}, {"csrfToken", token}}));
    ioc.restart();
    auto fut = async_handle_auth_request(c, sign_in.view(), boost::asio::use_future);
    ioc.run();
    auto r = fut.get();
    CHECK(r.status == 302);
    CHECK(header(r, "Location") == "http://localhost:3000");
    CHECK(t.script.sent().size() == 1);
}

// The database session strategy through the same actions: the check cookies
// stay JWEs, the session cookie is an id, and sign-out ends the stored session.
using db_config =
    basic_auth_config<test::scripted_transport, database_codec<memory_store>, manual_clock, memory_store, prefix_matcher>;

TEST_CASE("database sessions: OAuth sign-in, GET /session, sign-out ends the stored session") {
    basic_oauth_fixture<db_config> f;
    f.sign_in();
    f.t.push(200, boost::json::serialize(boost::json::object{
                      {"access_token", "oat"}, {"refresh_token", "ort"}, {"id_token", f.id_token(f.nonce)}, {"expires_in", 300}}));
    auto r = f.callback("code=the-code&state=" + url::encode_uri_component(f.state));
    REQUIRE(r.status == 302);
    f.j.apply(r);
    const auto id = f.j.cookies.at("authjs.session-token");
    CHECK(id.size() == database_codec<memory_store>::id_size);
    const auto before = f.j.header();

    auto s = handle_auth_request(f.c, get("/session", before).view());
    auto body = boost::json::parse(s.body).as_object();
    CHECK(body.at("user").at("sub") == "user-9");
    CHECK(body.at("accessToken") == "oat");
    f.j.apply(s);
    CHECK(f.j.cookies.at("authjs.session-token") == id); // rolling expiry keeps the id

    const auto token = csrf_token(f.c, f.j);
    auto out = handle_auth_request(f.c, post_form("/signout", f.j.header(), form({{"csrfToken", token}})).view());
    CHECK(out.status == 302);
    // The old cookie, replayed after sign-out, names no session any more.
    CHECK(handle_auth_request(f.c, get("/session", before).view()).body == "null");
    CHECK(f.c.resolve(before).cookie_error == error::session_not_found);
}
