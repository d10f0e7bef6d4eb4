// 100 concurrent requests carrying one expired session cookie, inside one
// process, against the real OpenID provider (refresh-token rotation on, no
// reuse grace: a second redemption is refused and revokes the grant):
// exactly one refresh grant reaches the provider, and all 100 requests get a
// signed-in session with the same new access token. Blocking threads and
// asynchronous operations; a normal provider and one slower than the lease.
#include "race_checks.hpp"

using namespace authpp;
using namespace std::chrono_literals;

namespace {
constexpr int requests = 100;
} // namespace

TEST_CASE("one process, blocking threads: one refresh grant for 100 requests", "[race]") {
    test::oidc_provider provider;
    const auto tokens = provider.login("alice");
    const std::string at(tokens.at("access_token").as_string()), rt(tokens.at("refresh_token").as_string());
    const auto slow = GENERATE(0, 1);
    if (slow) provider.command("mode slow 1500"); // beyond the 500 ms lease
    INFO("slow: " << slow);

    blocking_auth auth(race::provider_options(provider.issuer, 500ms), blocking_transport());
    const auto cookie = race::expired_cookie(auth, at, rt);
    const auto lines = race::resolve_on_threads(auth, cookie, requests);
    race::check_all_same(lines, at, requests);
    CHECK(race::refresh_grants(provider) == 1);

    // The old cookie still works afterwards: it adopts, it does not redeem.
    CHECK(race::outcome_line(auth.resolve(cookie)) == lines.front());
    CHECK(race::refresh_grants(provider) == 1);
}

TEST_CASE("one process, async on a two-thread io_context: one refresh grant for 100 requests", "[race]") {
    test::oidc_provider provider;
    const auto tokens = provider.login("alice");
    const std::string at(tokens.at("access_token").as_string()), rt(tokens.at("refresh_token").as_string());
    const auto slow = GENERATE(0, 1);
    if (slow) provider.command("mode slow 1500");
    INFO("slow: " << slow);

    boost::asio::io_context ioc;
    asio_auth auth(race::provider_options(provider.issuer, 500ms), asio_transport(ioc.get_executor()));
    const auto cookie = race::expired_cookie(auth, at, rt);
    race::check_all_same(race::resolve_async(auth, ioc, cookie, requests), at, requests);
    CHECK(race::refresh_grants(provider) == 1);
}

TEST_CASE("one process, no coordination: the race the coordinator prevents", "[race]") {
    test::oidc_provider provider;
    const auto tokens = provider.login("alice");
    const std::string at(tokens.at("access_token").as_string()), rt(tokens.at("refresh_token").as_string());
    provider.command("mode slow 300"); // all requests reach the provider before the first answer
    auto o = race::provider_options(provider.issuer, 500ms);
    o.refresh_coordination.enabled = false;
    blocking_auth auth(o, blocking_transport());
    const auto cookie = race::expired_cookie(auth, at, rt);
    int bad = 0;
    for (const auto& line : race::resolve_on_threads(auth, cookie, 10)) bad += line.starts_with("BAD ") ? 1 : 0;
    CHECK(race::refresh_grants(provider) == 10);
    CHECK(bad >= 9); // one redemption at most wins; oidc-provider answers the rest invalid_grant
}
