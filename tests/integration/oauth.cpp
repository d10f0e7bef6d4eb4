// Both aliases against a real OpenID provider (oidc-provider on loopback,
// refresh-token rotation on, 2 s access tokens): discovery, sign-in checked
// at userinfo, refresh after expiry, a reused refresh token refused, and
// the provider failing or stopped mid-session without logging anyone out.
#include "fixtures.hpp"

#include <boost/json/serialize.hpp>

#include <chrono>
#include <thread>

using namespace authpp;
using namespace std::chrono_literals;

namespace {

std::int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

/// The reference's client-side token payload for the Credentials sign-in.
std::string credentials_json(const boost::json::object& tokens, const std::string& claimed_sub) {
    boost::json::object o;
    o["accessToken"] = tokens.at("access_token");
    o["refreshToken"] = tokens.at("refresh_token");
    o["idToken"] = tokens.at("id_token");
    o["accessTokenExpires"] = now_ms() + tokens.at("expires_in").to_number<std::int64_t>() * 1000;
    o["profile"] = boost::json::object{{"sub", claimed_sub}, {"email", "claimed@example.com"}, {"nickname", "claimed"}};
    return boost::json::serialize(o);
}

auth_options provider_options(const test::oidc_provider& p, const std::string& client = "authpp-confidential") {
    auto o = sandbox_options();
    o.client_id = client;
    if (client == "authpp-confidential") o.client_secret = "authpp-confidential-secret";
    if (client == "authpp-post") {
        o.client_secret = "authpp-post-secret";
        o.client_auth = client_auth_method::post;
    }
    o.authentication_domain = p.issuer;
    o.token_endpoint = p.issuer + "/token";
    o.userinfo_endpoint = p.issuer + "/me";
    o.secrets = {"integration-test-secret-of-enough-length"};
    o.refresh_buffer = 0s; // the provider's 2 s access tokens are fresh until they expire
    o.refresh_retry_initial = 300ms;
    o.refresh_retry_max = 300ms;
    return o;
}

// The Cookie header a browser sends after receiving these Set-Cookie values.
std::string browser_cookies(const std::vector<std::string>& set_cookies) {
    std::string h = "theme=dark";
    for (const auto& sc : set_cookies) {
        if (sc.find("Max-Age=0") != std::string::npos) continue;
        h += "; " + sc.substr(0, sc.find(';'));
    }
    return h;
}

boost::json::object cookie_claims(const auth_options& o, const std::vector<std::string>& set_cookies) {
    std::string token;
    REQUIRE_FALSE(cookie::read_session_cookie(browser_cookies(set_cookies), o.session_cookie(), token));
    authjs_codec codec(o.secrets);
    auto claims = codec.decode(token, o.session_cookie(), now_ms() / 1000);
    REQUIRE(claims.has_value());
    return *claims;
}

void wait_for_expiry(const std::optional<std::int64_t>& expires_ms) {
    REQUIRE(expires_ms.has_value());
    const auto left = *expires_ms - now_ms();
    if (left > -50) std::this_thread::sleep_for(std::chrono::milliseconds(left + 100));
}

/// A provider, a config for its confidential client, and alice's tokens
/// from the authorization-code flow.
template <class Kind>
struct alice_session {
    Kind kind;
    test::oidc_provider provider;
    auth_options o = provider_options(provider);
    typename Kind::auth auth = kind.make_auth(o);
    boost::json::object tokens = provider.login("alice");
};

} // namespace

TEST_CASE("OpenID discovery finds the provider's endpoints", "[oauth]") {
    test::oidc_provider provider;
    blocking_transport t;
    auto o = sandbox_options();
    o.authentication_domain = provider.issuer;
    REQUIRE_FALSE(oauth::discover(t, o));
    CHECK(o.token_endpoint == provider.issuer + "/token");
    CHECK(o.userinfo_endpoint == provider.issuer + "/me");

    // Endpoints set explicitly win; a document for another issuer is refused.
    auto explicit_o = sandbox_options();
    explicit_o.authentication_domain = provider.issuer;
    explicit_o.token_endpoint = "https://tokens.example/t";
    REQUIRE_FALSE(oauth::discover(t, explicit_o));
    CHECK(explicit_o.token_endpoint == "https://tokens.example/t");
    auto wrong = sandbox_options();
    wrong.authentication_domain = provider.issuer + "/other";
    CHECK(oauth::discover(t, wrong) == error::discovery_failed);
    CHECK(wrong.token_endpoint.empty());

    boost::asio::io_context ioc;
    asio_transport at(ioc.get_executor());
    auto ao = sandbox_options();
    ao.authentication_domain = provider.issuer;
    error_code result = error::invalid_option;
    async_discover(at, ao, [&](error_code ec) { result = ec; });
    ioc.run();
    CHECK_FALSE(result);
    CHECK(ao.userinfo_endpoint == provider.issuer + "/me");
}

TEMPLATE_TEST_CASE("sign-in with client-obtained tokens is checked at userinfo", "[oauth]", test::blocking_kind,
                   test::asio_kind) {
    alice_session<TestType> f;
    auto& [kind, provider, o, auth, tokens] = f;

    auto r = kind.sign_in(auth, credentials_json(tokens, "alice"), "theme=dark");
    REQUIRE(r.has_value());
    REQUIRE(r->session.has_value());
    const auto& s = *r->session;
    CHECK(s.user.sub == "alice");
    CHECK(s.user.email == "alice@example.com"); // userinfo's word, not the claimed one
    CHECK(s.user.nickname == "alice");
    CHECK(s.access_token == std::string(tokens.at("access_token").as_string()));
    CHECK(s.id_token == std::string(tokens.at("id_token").as_string())); // right after sign-in only
    CHECK_FALSE(s.error.has_value());
    auto claims = cookie_claims(o, r->set_cookies);
    CHECK(claims.at("sub") == "alice");
    CHECK(claims.at("refreshToken") == tokens.at("refresh_token"));
    CHECK_FALSE(claims.contains("idToken"));

    // A valid access token cannot sign in somebody else.
    auto other = kind.sign_in(auth, credentials_json(tokens, "mallory"));
    REQUIRE_FALSE(other.has_value());
    CHECK(other.error() == error::userinfo_mismatch);
    // A made-up access token is refused by the provider.
    auto forged = tokens;
    forged["access_token"] = "not-a-token-the-provider-issued";
    auto bad = kind.sign_in(auth, credentials_json(forged, "alice"));
    REQUIRE_FALSE(bad.has_value());
    CHECK(bad.error() == error::userinfo_rejected);
    // Missing fields never reach the network.
    auto incomplete = kind.sign_in(auth, R"({"accessToken":"x","profile":{}})");
    REQUIRE_FALSE(incomplete.has_value());
    CHECK(incomplete.error() == error::invalid_credentials);
}

TEMPLATE_TEST_CASE("an expired access token is refreshed and the rotated refresh token stored", "[oauth]",
                   test::blocking_kind, test::asio_kind) {
    alice_session<TestType> f;
    auto& [kind, provider, o, auth, tokens] = f;
    auto signed_in = kind.sign_in(auth, credentials_json(tokens, "alice"));
    REQUIRE(signed_in.has_value());
    const auto first_cookie = browser_cookies(signed_in->set_cookies);

    // Fresh: no exchange, no new cookie.
    auto fresh = kind.resolve(auth, first_cookie);
    REQUIRE(fresh.session.has_value());
    CHECK_FALSE(fresh.refreshed);
    CHECK(fresh.set_cookies.empty());

    wait_for_expiry(fresh.session->access_token_expires);
    auto refreshed = kind.resolve(auth, first_cookie);
    INFO(refreshed.refresh_error_text);
    REQUIRE(refreshed.refreshed);
    CHECK_FALSE(refreshed.refresh_error);
    REQUIRE(refreshed.session.has_value());
    const auto& s = *refreshed.session;
    CHECK_FALSE(s.error.has_value());
    CHECK(s.user.sub == "alice");
    CHECK(s.access_token != std::string(tokens.at("access_token").as_string()));
    CHECK(s.refresh_token != std::string(tokens.at("refresh_token").as_string())); // rotated
    CHECK(s.id_token.has_value());
    CHECK(*s.access_token_expires > now_ms());
    auto claims = cookie_claims(o, refreshed.set_cookies);
    CHECK(claims.at("refreshToken").as_string() == *s.refresh_token);
    CHECK(claims.at("accessToken").as_string() == *s.access_token);

    // The new cookie works as is; the new access token is accepted by the provider.
    auto next = kind.resolve(auth, browser_cookies(refreshed.set_cookies));
    REQUIRE(next.session.has_value());
    CHECK_FALSE(next.refreshed);
    CHECK(next.session->access_token == s.access_token);

    // Confidential client with client_secret_post works the same.
    test::oidc_provider p2;
    const auto po = provider_options(p2, "authpp-post");
    auto post_auth = kind.make_auth(po);
    const auto post_tokens = p2.login("bob", "authpp-post");
    auto bob = kind.sign_in(post_auth, credentials_json(post_tokens, "bob"));
    REQUIRE(bob.has_value());
    wait_for_expiry(bob->session->access_token_expires);
    auto bob_refreshed = kind.resolve(post_auth, browser_cookies(bob->set_cookies));
    INFO(bob_refreshed.refresh_error_text);
    CHECK(bob_refreshed.refreshed);
    CHECK_FALSE(bob_refreshed.refresh_error);
    REQUIRE(bob_refreshed.session.has_value());
    CHECK_FALSE(bob_refreshed.session->error.has_value());
}

TEMPLATE_TEST_CASE("a reused refresh token: adopted from the successor record, refused by the provider without it",
                   "[oauth]", test::blocking_kind, test::asio_kind) {
    alice_session<TestType> f;
    auto& [kind, provider, o, auth, tokens] = f;
    auto signed_in = kind.sign_in(auth, credentials_json(tokens, "alice"));
    REQUIRE(signed_in.has_value());
    const auto old_cookie = browser_cookies(signed_in->set_cookies);
    wait_for_expiry(signed_in->session->access_token_expires);

    auto first = kind.resolve(auth, old_cookie); // redeems (and rotates) the refresh token
    REQUIRE(first.refreshed);
    REQUIRE_FALSE(first.refresh_error);
    REQUIRE(first.session.has_value());

    // A stale tab sends the old cookie: the coordinator's successor record
    // hands it the new tokens, and the provider never sees the old token again.
    auto adopted = kind.resolve(auth, old_cookie);
    CHECK_FALSE(adopted.refresh_error);
    REQUIRE(adopted.session.has_value());
    CHECK_FALSE(adopted.session->error.has_value());
    CHECK(adopted.session->access_token == first.session->access_token);
    CHECK(adopted.session->refresh_token == first.session->refresh_token);

    // Without coordination (another deployment, or after successor_ttl) the
    // provider refuses the reused token, and the session says so.
    auto uncoordinated = o;
    uncoordinated.refresh_coordination.enabled = false;
    auto other = kind.make_auth(uncoordinated);
    auto replay = kind.resolve(other, old_cookie);
    CHECK(replay.refreshed);
    CHECK(replay.refresh_error == error::refresh_rejected);
    CHECK_FALSE(replay.refresh_error_text.empty());
    REQUIRE(replay.session.has_value());
    CHECK(replay.session->error == std::string(token_error::refresh_token_error));
    auto claims = cookie_claims(o, replay.set_cookies);
    CHECK(claims.at("error") == "RefreshTokenError");
    // A definitive answer does not make the config back off.
    CHECK(other.refresh_backoff().failures() == 0);
}

TEMPLATE_TEST_CASE("the provider failing mid-session does not sign the user out", "[oauth]", test::blocking_kind,
                   test::asio_kind) {
    alice_session<TestType> f;
    auto& [kind, provider, o, auth, tokens] = f;
    auto signed_in = kind.sign_in(auth, credentials_json(tokens, "alice"));
    REQUIRE(signed_in.has_value());
    auto cookie = browser_cookies(signed_in->set_cookies);
    const std::string original_rt(tokens.at("refresh_token").as_string());
    wait_for_expiry(signed_in->session->access_token_expires);

    auto expect_kept = [&](const core::session_result& r) {
        INFO(r.refresh_error_text);
        CHECK(r.refresh_error == error::refresh_unavailable);
        REQUIRE(r.session.has_value());
        CHECK(r.session->user.sub == "alice");
        CHECK(r.session->error == std::string(token_error::token_expired));
        CHECK(r.session->refresh_token == original_rt);
    };

    SECTION("503 from the token endpoint") {
        provider.command("mode 503");
        auto r = kind.resolve(auth, cookie);
        CHECK(r.refreshed);
        expect_kept(r);
        CHECK(r.refresh_error_text == "provider overloaded");
    }
    SECTION("the connection dropped without an answer") {
        provider.command("mode drop");
        auto r = kind.resolve(auth, cookie);
        CHECK(r.refreshed);
        expect_kept(r);
    }
    SECTION("the provider stopped") {
        provider.command("stop");
        auto r = kind.resolve(auth, cookie);
        CHECK(r.refreshed);
        expect_kept(r);
        // Within the back-off the endpoint is left alone.
        auto again = kind.resolve(auth, cookie);
        CHECK_FALSE(again.refreshed);
        expect_kept(again);
        CHECK(auth.refresh_backoff().failures() == 1);
        provider.command("start");
    }
    // The cookie written meanwhile still holds the refresh token.
    provider.command("mode normal");
    std::this_thread::sleep_for(400ms); // past the back-off
    auto back = kind.resolve(auth, cookie);
    INFO(back.refresh_error_text);
    CHECK(back.refreshed);
    CHECK_FALSE(back.refresh_error);
    REQUIRE(back.session.has_value());
    CHECK_FALSE(back.session->error.has_value());
    CHECK(back.session->refresh_token != original_rt);
    CHECK(auth.refresh_backoff().failures() == 0);
}
