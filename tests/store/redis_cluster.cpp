// redis_store over redis-cluster:// against a real Redis Cluster on
// loopback (tests/store/redis_cluster.hpp: three masters, started here).
// First the fixture itself, checked with redis-cli alone: the cluster is up,
// `redis-cli -c` reads and writes keys on all three masters, a slot moves
// with its keys in steps.
#include "redis_cluster.hpp"
#include "../support/test_certs.hpp"

#include <catch2/catch.hpp>

#include <iostream>

using namespace std::chrono_literals;
using authpp::test::redis_cluster;
using authpp::test::redis_cluster_options;
using steady = std::chrono::steady_clock;

namespace {

long long ms(steady::duration d) { return std::chrono::duration_cast<std::chrono::milliseconds>(d).count(); }

/// A cluster made with these options, its start-up time printed.
redis_cluster_options with_server(redis_cluster_options o) {
    o.server = AUTHPP_REDIS_SERVER;
    o.cli = AUTHPP_REDIS_CLI;
    return o;
}

struct timed_cluster {
    steady::time_point t0 = steady::now();
    redis_cluster cluster;
    explicit timed_cluster(redis_cluster_options o, const char* what) : cluster(with_server(std::move(o))) {
        std::cout << "cluster (" << what << ") up in " << ms(steady::now() - t0) << " ms\n";
    }
};

/// Three masters, no password, plain TCP.
redis_cluster& plain() {
    static timed_cluster c({}, "3 masters");
    return c.cluster;
}

/// `redis-cli -c` (following redirections) against node 0.
std::string cli_c(const redis_cluster& c, std::vector<std::string> args) {
    std::vector<std::string> argv{AUTHPP_REDIS_CLI, "-c", "-e", "-p", std::to_string(c.port(0))};
    argv.insert(argv.end(), args.begin(), args.end());
    auto r = authpp::test::run_program(argv);
    if (!r.out.empty() && r.out.back() == '\n') r.out.pop_back();
    return r.out;
}

} // namespace

TEST_CASE("cluster fixture: three masters agree, redis-cli -c reaches all, a slot moves with its keys") {
    auto& c = plain();
    REQUIRE(c.stable());
    const auto masters = c.masters();
    REQUIRE(masters.size() == 3);
    // Keys on every master, written and read through redirections.
    std::set<std::size_t> owners;
    for (int i = 0; i < 30; ++i) {
        const auto k = "fixture:" + std::to_string(i);
        owners.insert(c.owner_of_key(k));
        CHECK(cli_c(c, {"SET", k, "v" + std::to_string(i)}) == "OK");
        CHECK(cli_c(c, {"GET", k}) == "v" + std::to_string(i));
    }
    CHECK(owners.size() == 3);
    // A direct GET on a node that does not own the key is redirected.
    const std::string k = "fixture:0";
    const auto slot = c.key_slot(k);
    const auto from = c.owner(slot), to = c.other_master(from);
    bool error = false;
    CHECK(c.command(to, {"GET", k}, &error) ==
          "MOVED " + std::to_string(slot) + " 127.0.0.1:" + std::to_string(c.port(from)));
    CHECK(error);
    CHECK(c.command(from, {"GET", k}) == "v0");

    // In steps: begin (ASK for keys not there), move the key, finish (MOVED).
    CHECK(cli_c(c, {"SET", "{fixture:0}other", "o"}) == "OK"); // a second key in the slot
    c.begin_migration(slot, to);
    CHECK(c.owner(slot) == from);
    CHECK(c.command(from, {"GET", "{fixture:0}absent"}, &error) ==
          "ASK " + std::to_string(slot) + " 127.0.0.1:" + std::to_string(c.port(to)));
    c.move_these_keys(slot, to, {k});
    CHECK(c.command(from, {"GET", k}, &error).starts_with("ASK "));
    CHECK(c.command(from, {"GET", "{fixture:0}other"}) == "o"); // not moved yet: still served by the source
    CHECK(c.move_keys(slot, to) == 1);
    c.finish_migration(slot, to);
    CHECK(c.owner(slot) == to);
    CHECK(c.stable());
    CHECK(c.command(to, {"GET", k}) == "v0");
    CHECK(c.command(from, {"GET", k}, &error).starts_with("MOVED "));
    CHECK(cli_c(c, {"GET", "{fixture:0}other"}) == "o");
    // And back, in one go.
    c.move_slot(slot, from);
    CHECK(c.owner(slot) == from);
    CHECK(c.command(from, {"GET", k}) == "v0");
}

// The other shapes of the fixture, on clusters of their own (hidden: run
// with `test_store_redis_cluster "[.fixture]"` when changing the fixture;
// the store tests below use these shapes anyway).
TEST_CASE("cluster fixture: replicas, a password, a master killed and its replica promoted", "[.fixture]") {
    redis_cluster_options o;
    o.replicas = 1;
    o.password = "fixture-pw";
    timed_cluster t(o, "3 masters + 3 replicas, password");
    auto& c = t.cluster;
    const auto masters = c.masters();
    REQUIRE(masters.size() == 3);
    for (auto m : masters) CHECK(c.replicas_of(m).size() == 1);
    const auto victim = masters[1];
    const auto replica = c.replicas_of(victim).at(0);
    const auto slot = c.key_slot("x");
    const auto t0 = steady::now();
    const auto promoted = c.kill_master(victim);
    std::cout << "failover: " << ms(steady::now() - t0) << " ms\n";
    CHECK(promoted == replica);
    CHECK_FALSE(c.running(victim));
    CHECK(c.masters().size() == 3);
    const auto owner = c.owner(slot);
    CHECK(c.command(owner, {"SET", "x", "1"}) == "OK");
    c.move_slot(slot, c.other_master(owner));
    CHECK(c.owner(slot) != owner);
}

TEST_CASE("cluster fixture: TLS only, the bus and replication over TLS", "[.fixture]") {
    redis_cluster_options o;
    o.tls_dir = authpp::test::test_cert_dir(AUTHPP_MAKE_CERTS);
    timed_cluster t(o, "3 masters, TLS");
    auto& c = t.cluster;
    REQUIRE(c.masters().size() == 3);
    CHECK(c.url().starts_with("rediss-cluster://127.0.0.1:"));
    const auto slot = c.key_slot("t");
    const auto owner = c.owner(slot);
    CHECK(c.command(owner, {"SET", "t", "1"}) == "OK");
    c.move_slot(slot, c.other_master(owner));
    CHECK(c.command(c.owner(slot), {"GET", "t"}) == "1");
}
