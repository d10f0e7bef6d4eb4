// split/session.hpp (driven by split/config.hpp, blocking): when a session
// refreshes first, what each refresh outcome leaves, and the restrictions'
// redirects (returnTo encoded).
#include <authpp/clock/manual_clock.hpp>
#include <authpp/split/config.hpp>

#include "../../support/scripted_transport.hpp"

#include <boost/asio/error.hpp>

#include <catch2/catch.hpp>

#include <string>

using namespace authpp;
using namespace std::chrono_literals;

namespace {

using config = split::basic_split_config<test::scripted_transport, manual_clock, memory_store>;

constexpr std::int64_t t0 = 1'800'000'000'000; // the manual clock's start, Unix ms

std::string tokens(std::string_view access, std::string_view refresh) {
    return R"({"data":{"access_token":")" + std::string(access) +
           R"(","expires":900000,"refresh_token":")" + std::string(refresh) + R"("}})";
}

struct fixture {
    test::scripted_transport t;
    manual_clock clock;
    config c{[] {
                 split::split_options o;
                 o.secrets = {"split-session-test-secret"};
                 return o;
             }(),
             split::directus_handlers("http://directus.test"), t, clock};
};

/// A Cookie header of a session expiring `in` from t0.
std::string session_cookie(std::chrono::milliseconds in, std::string_view refresh = "ref-1") {
    return "access_token=acc-1; refresh_token=" + std::string(refresh) + "; session=" +
           split::indicator_value(t0 + in.count());
}

} // namespace

TEST_CASE("split session: a fresh session needs no backend call") {
    fixture f;
    const auto s = f.c.session(session_cookie(60s));
    CHECK(s.has_session);
    CHECK(s.access_token == "acc-1");
    CHECK(s.expires_ms == t0 + 60'000);
    CHECK(s.set_cookies.empty());
    CHECK_FALSE(s.refreshed);
    CHECK(f.t.sent().empty());
}

TEST_CASE("split session: no refresh cookie, no session and no call") {
    fixture f;
    const auto s = f.c.session("access_token=acc-1; session=" + split::indicator_value(t0 + 600'000));
    CHECK_FALSE(s.has_session);
    CHECK(s.set_cookies.empty());
    CHECK(f.t.sent().empty());
}

TEST_CASE("split session: due by the margin, a missing access cookie or an unreadable indicator refreshes") {
    for (const auto& cookie : {session_cookie(30s), session_cookie(10s), session_cookie(-5s),
                               std::string("refresh_token=ref-1; session=") + split::indicator_value(t0 + 600'000),
                               std::string("access_token=acc-1; refresh_token=ref-1; session=soon"),
                               std::string("access_token=acc-1; refresh_token=ref-1")}) {
        INFO(cookie);
        fixture f;
        f.t.push(200, tokens("acc-2", "ref-2"));
        const auto s = f.c.session(cookie);
        CHECK(s.has_session);
        CHECK(s.refreshed);
        CHECK(s.access_token == "acc-2");
        CHECK(s.expires_ms == t0 + 900'000);
        REQUIRE(s.set_cookies.size() == 3);
        CHECK(s.set_cookies[1].starts_with("refresh_token=ref-2;"));
        CHECK(f.t.sent().size() == 1);
    }
    fixture f;
    CHECK(f.c.session(session_cookie(31s)).has_session); // just outside the margin
    CHECK(f.t.sent().empty());
}

TEST_CASE("split session: a refused refresh ends the session; a failed one keeps it while the access cookie lasts") {
    fixture f;
    f.t.push(401, "{}");
    auto s = f.c.session(session_cookie(5s, "ref-burnt"));
    CHECK_FALSE(s.has_session);
    CHECK(s.ended);
    REQUIRE(s.set_cookies.size() == 3);
    CHECK(s.set_cookies[0].starts_with("access_token=; Max-Age=0"));

    f.t.push(503, "down");
    s = f.c.session(session_cookie(5s));
    CHECK(s.has_session);
    CHECK(s.unavailable);
    CHECK(s.access_token == "acc-1");
    CHECK(s.set_cookies.empty());

    f.t.push_error(boost::asio::error::connection_refused);
    s = f.c.session("refresh_token=ref-1");
    CHECK_FALSE(s.has_session);
    CHECK(s.unavailable);
    CHECK(s.set_cookies.empty());
    CHECK_FALSE(s.ended);
}

TEST_CASE("split restrictions: auth and guest, returnTo form-encoded only without a session") {
    const auto auth = split::auth_restriction("/login");
    const auto guest = split::guest_restriction("/app");
    CHECK(split::redirect_for(auth, false, "/app?a=1&b=2") == "/login?returnTo=%2Fapp%3Fa%3D1%26b%3D2");
    CHECK(split::redirect_for(auth, true, "/app") == std::nullopt);
    CHECK(split::redirect_for(guest, true, "/login?returnTo=x") == "/app");
    CHECK(split::redirect_for(guest, false, "/login") == std::nullopt);
    CHECK(split::redirect_for(split::auth_restriction("/login?from=app"), false, "/a b") ==
          "/login?from=app&returnTo=%2Fa+b");
    CHECK(split::redirect_for({}, false, "/x") == std::nullopt);
    const split::restriction custom = [](bool has) -> std::optional<std::string> {
        return has ? std::optional<std::string>("/welcome-back") : std::nullopt;
    };
    CHECK(split::redirect_for(custom, true, "/") == "/welcome-back");
}

TEST_CASE("split config: check refreshes first, then decides") {
    fixture f;
    f.t.push(200, tokens("acc-2", "ref-2"));
    const auto r = f.c.check(session_cookie(1s), "/app", f.c.auth_restriction());
    CHECK_FALSE(r.redirect);
    CHECK(r.session.refreshed);
    f.t.push(401, "{}");
    // (ref-1 again would be served by the successor record the first refresh left)
    const auto refused = f.c.check(session_cookie(1s, "ref-9"), "/app?x=1", split::auth_restriction("/login"));
    CHECK(refused.redirect == "/login?returnTo=%2Fapp%3Fx%3D1");
    CHECK(refused.session.ended);
}
