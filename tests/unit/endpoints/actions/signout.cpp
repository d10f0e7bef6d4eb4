// POST /signout: every session chunk cleared, to the callback URL; with
// database sessions the stored session ends.
#include "../../../support/action_requests.hpp"

#include <authpp/codec/database_codec.hpp>

using namespace authpp;
using namespace authpp::test;

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
