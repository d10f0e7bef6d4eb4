// Two worker processes (race_worker) sharing refresh coordination through a
// real redis-server, against the real OpenID provider with rotation on:
// 2 × 50 requests carrying one expired cookie → one refresh grant, 100
// signed-in sessions with the same new access token; the same with the
// token endpoint slower than the lease; and a lock holder killed mid-refresh
// → the other worker takes over after the lease, nobody is logged out.
#include "race_workers.hpp"

#include <authpp/store/redis_store.hpp>

#include <signal.h>

using namespace authpp;
using namespace std::chrono_literals;

namespace {

using race::worker;

struct race_setup {
    test::oidc_provider provider;
    race::redis redis;
    boost::json::object tokens = provider.login("alice");
    std::string at{tokens.at("access_token").as_string()}, rt{tokens.at("refresh_token").as_string()};
    std::string cookie = [&] {
        blocking_auth a(race::provider_options(provider.issuer, 1000ms), blocking_transport());
        return race::expired_cookie(a, at, rt);
    }();
    redis_store store = redis_store::create({.url = redis.url()}).value();
    std::string lock_key = "authpp:refresh:lock:{" + refresh::token_key(rt) + "}";
};

} // namespace

TEST_CASE("two processes sharing Redis: one refresh grant for 2 x 50 requests", "[race]") {
    race_setup s;
    const auto slow = GENERATE(0, 1);
    const auto mode = GENERATE(std::string("blocking"), std::string("async"));
    INFO("slow: " << slow << ", " << mode);
    if (slow) s.provider.command("mode slow 2500"); // beyond the 1000 ms lease
    worker a(s.provider, s.redis.url(), 50, 1000, mode, s.cookie),
        b(s.provider, s.redis.url(), 50, 1000, mode, s.cookie);
    a.go();
    b.go();
    auto lines = a.results(50);
    const auto lb = b.results(50);
    lines.insert(lines.end(), lb.begin(), lb.end());
    race::check_all_same(lines, s.at, 100);
    CHECK(race::refresh_grants(s.provider) == 1);
}

TEST_CASE("a lock holder killed mid-refresh: the other process takes over after the lease", "[race]") {
    race_setup s;
    s.provider.command("mode slow 5000");
    worker a(s.provider, s.redis.url(), 20, 1000, "blocking", s.cookie),
        b(s.provider, s.redis.url(), 20, 1000, "blocking", s.cookie);
    a.go();
    std::optional<std::string> owner;
    for (int i = 0; i < 500 && !owner; ++i) {
        owner = s.store.get(s.lock_key);
        if (!owner) std::this_thread::sleep_for(10ms);
    }
    REQUIRE(owner);
    CHECK(owner->starts_with(a.owner_prefix));
    b.go();
    std::this_thread::sleep_for(300ms); // b is polling the lock now
    REQUIRE(::kill(a.pid, SIGKILL) == 0);
    const auto killed = std::chrono::steady_clock::now();
    s.provider.command("mode normal"); // a's slowed request died with it: never processed

    const auto lines = b.results(20);
    race::check_all_same(lines, s.at, 20);
    // Taken over once the unrenewed lease ran out, not before.
    CHECK(std::chrono::steady_clock::now() - killed >= 400ms);
    CHECK(race::refresh_grants(s.provider) == 1);
    CHECK_FALSE(s.store.get(s.lock_key));
}
