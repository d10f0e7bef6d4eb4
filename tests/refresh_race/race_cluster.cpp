// The multi-process refresh race over a Redis Cluster (three masters,
// tests/store/redis_cluster.hpp): two race_worker processes with a
// redis-cluster:// URL, 2 × 50 requests carrying one expired cookie → one
// refresh grant, blocking and asynchronous; then the same while the slot of
// the refresh's keys (authpp:refresh:lock:{K} and authpp:refresh:succ:{K},
// K = token_key(refresh token), one slot by the hash tag) migrates between
// two masters and back, over and over, during the race — the migration
// begun before "go", keys moved and the slot handed over in a background
// thread while the requests run, the token endpoint slowed so that the
// lock is held (and renewed) across the moves.
#include "race_workers.hpp"

#include "../store/redis_cluster.hpp"

#include <authpp/store/redis_store.hpp>

#include <atomic>
#include <iostream>
#include <thread>

using namespace authpp;
using namespace std::chrono_literals;
using race::worker;

namespace {

test::redis_cluster& cluster() {
    static test::redis_cluster c([] {
        test::redis_cluster_options o;
        o.server = AUTHPP_REDIS_SERVER;
        o.cli = AUTHPP_REDIS_CLI;
        return o;
    }());
    return c;
}

struct cluster_race_setup {
    test::oidc_provider provider;
    test::redis_cluster& redis = cluster();
    boost::json::object tokens = provider.login("alice");
    std::string at{tokens.at("access_token").as_string()}, rt{tokens.at("refresh_token").as_string()};
    std::string cookie = [&] {
        blocking_auth a(race::provider_options(provider.issuer, 1000ms), blocking_transport());
        return race::expired_cookie(a, at, rt);
    }();
    // The coordinator's keys as the store is given them, and in Redis (under the store's key prefix, "authpp:").
    std::string lock_key = "authpp:refresh:lock:{" + refresh::token_key(rt) + "}";
    std::string successor_key = "authpp:refresh:succ:{" + refresh::token_key(rt) + "}";
    std::string redis_lock_key = "authpp:" + lock_key, redis_successor_key = "authpp:" + successor_key;
    int slot = redis.key_slot(redis_lock_key);
};

/// Both workers' outcome lines.
std::vector<std::string> race_two(cluster_race_setup& s, const std::string& mode, int lease_ms) {
    worker a(s.provider, s.redis.url(), 50, lease_ms, mode, s.cookie),
        b(s.provider, s.redis.url(), 50, lease_ms, mode, s.cookie);
    a.go();
    b.go();
    auto lines = a.results(50);
    const auto lb = b.results(50);
    lines.insert(lines.end(), lb.begin(), lb.end());
    return lines;
}

} // namespace

TEST_CASE("two processes sharing a Redis Cluster: one refresh grant for 2 x 50 requests", "[race]") {
    cluster_race_setup s;
    const auto mode = GENERATE(std::string("blocking"), std::string("async"));
    INFO(mode);
    REQUIRE(s.redis.key_slot(s.redis_successor_key) == s.slot); // one slot for the two keys of a refresh
    const auto lines = race_two(s, mode, 1000);
    race::check_all_same(lines, s.at, 100);
    CHECK(race::refresh_grants(s.provider) == 1);
    // The successor record is on the master of that slot, under the braced key; the lock is released.
    const auto owner = s.redis.owner(s.slot);
    CHECK(s.redis.command(owner, {"EXISTS", s.redis_successor_key}) == "1");
    CHECK(s.redis.command(owner, {"EXISTS", s.redis_lock_key}) == "0");
}

TEST_CASE("two processes sharing a Redis Cluster while the refresh's slot migrates back and forth", "[race]") {
    cluster_race_setup s;
    const auto mode = GENERATE(std::string("blocking"), std::string("async"));
    INFO(mode);
    s.provider.command("mode slow 600"); // the lock held (and renewed) for a while, across the moves
    auto& c = s.redis;
    const auto home = c.owner(s.slot), away = c.other_master(home);
    // Under way before the first request: the lock is taken by ASK on the target.
    c.begin_migration(s.slot, away);
    std::atomic<bool> stop{false};
    // What happened while the race ran (the thread finishes its last handover after).
    int handovers = 0, lock_moves = 0;
    std::size_t keys_moved = 0;
    std::string migration_error;
    std::thread migrate([&] {
        try {
            // There and back until the race is over, ending where it began.
            auto to = away;
            for (bool first = true;; first = false) {
                const auto from = to == away ? home : away;
                if (!first) c.begin_migration(s.slot, to); // the first was begun before the race
                for (int step = 0; step < 2; ++step) {
                    std::this_thread::sleep_for(20ms);
                    bool absent = false; // the source answers ASK for a key it no longer has
                    const bool lock_held = c.command(from, {"EXISTS", s.redis_lock_key}, &absent) == "1" && !absent;
                    const auto moved = c.move_keys(s.slot, to);
                    if (!stop) {
                        keys_moved += moved;
                        if (lock_held && moved > 0) ++lock_moves;
                    }
                }
                c.finish_migration(s.slot, to);
                if (!stop) ++handovers;
                to = from;
                if (stop && to == away) break;
            }
        } catch (const std::exception& e) {
            migration_error = e.what();
        }
    });
    const auto t0 = std::chrono::steady_clock::now();
    std::vector<std::string> lines;
    try {
        lines = race_two(s, mode, 1000);
    } catch (...) {
        stop = true;
        migrate.join();
        throw;
    }
    const auto took = std::chrono::steady_clock::now() - t0;
    stop = true;
    migrate.join();
    std::cout << "cluster race (" << mode
              << ") with the slot migrating: " << std::chrono::duration_cast<std::chrono::milliseconds>(took).count()
              << " ms, " << handovers << " handovers, " << keys_moved << " keys moved by MIGRATE, the lock among them "
              << lock_moves << " times\n";
    INFO(migration_error);
    REQUIRE(migration_error.empty());
    CHECK(handovers >= 2); // there and back at least once during the race
    CHECK(lock_moves > 0); // the lock moved to another node while held (and renewed) by a worker
    race::check_all_same(lines, s.at, 100);
    CHECK(race::refresh_grants(s.provider) == 1);
    CHECK(c.owner(s.slot) == home);
    CHECK(c.command(home, {"EXISTS", s.redis_successor_key}) == "1");
    CHECK(c.command(home, {"EXISTS", s.redis_lock_key}) == "0");
}
