// redis_store over redis-cluster:// against real Redis Clusters on loopback
// (tests/store/redis_cluster.hpp, started here): three masters; three
// masters with a replica each and a password; three masters over TLS only.
// First the fixture itself, checked with redis-cli alone (the cluster is up,
// `redis-cli -c` reaches all three masters, a slot moves with its keys in
// steps) and the key slot against the server's CLUSTER KEYSLOT. Then every
// member, blocking and asynchronous, on keys spread over all masters; ping;
// seeds that are down; a server not in cluster mode; bad URLs; a slot moved
// after the store cached the map (MOVED); keys on both sides of a migration
// under way (ASK), one at a time and under load while the slot moves there
// and back; a node answering CLUSTERDOWN and a redirection loop, each its
// own error; a master restarted under the store (no replica: its calls
// fail, then succeed on the same node); a password; rediss-cluster:// with
// the right CA and a wrong one; and, last, a master killed under load: the
// store follows its replica's promotion, the longest run of failed calls
// printed beside the failover's own time.
#include <authpp/store/detail/redis_cluster.hpp>
#include <authpp/store/redis_store.hpp>

#include "../support/test_certs.hpp"
#include "failover_load.hpp"
#include "redis_cluster.hpp"
#include "running_context.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <catch2/catch.hpp>

#include <atomic>
#include <future>
#include <iostream>
#include <mutex>
#include <thread>

using namespace std::chrono_literals;
using authpp::test::redis_cluster;
using authpp::test::redis_cluster_options;
using steady = std::chrono::steady_clock;
using authpp::error_code;
using authpp::redis_error;
using authpp::test::await;
using authpp::test::await_recovery;
using authpp::test::gap_meter;
using authpp::test::load_threads;
using authpp::test::running_context;
using opt = std::optional<std::string>;

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

const std::string prefix = "cluster:";
const std::string password = "cluster-pw";

/// Three masters with a replica each, every node with --requirepass and --masterauth.
redis_cluster& guarded() {
    static timed_cluster c({.replicas = 1, .password = password}, "3 masters + 3 replicas, password");
    return c.cluster;
}

std::string cert_file(const std::string& name) { return authpp::test::test_cert_dir(AUTHPP_MAKE_CERTS) + "/" + name; }

/// Three masters, TLS only (--port 0), the cluster bus over TLS too.
redis_cluster& tls() {
    static timed_cluster c({.tls_dir = authpp::test::test_cert_dir(AUTHPP_MAKE_CERTS)}, "3 masters, TLS");
    return c.cluster;
}

authpp::redis_store_options options(std::string url) {
    authpp::redis_store_options o;
    o.url = std::move(url);
    o.key_prefix = prefix;
    o.retry_after = 50ms;
    return o;
}

authpp::redis_store make(authpp::redis_store_options o) {
    auto s = authpp::redis_store::create(std::move(o));
    if (!s) FAIL(s.error().message());
    return *s;
}

authpp::redis_store make(std::string url) { return make(options(std::move(url))); }

/// Key names (without the store's prefix), `per_master` of them on each master of `c`.
std::vector<std::string> spread_keys(const redis_cluster& c, const std::string& base, std::size_t per_master) {
    std::map<std::size_t, std::size_t> count;
    std::vector<std::string> keys;
    const auto masters = c.masters();
    for (int i = 0; i < 200; ++i) {
        const auto k = base + std::to_string(i);
        const auto o = c.owner_of_key(prefix + k);
        if (count[o] >= per_master) continue;
        ++count[o];
        keys.push_back(k);
        if (keys.size() == per_master * masters.size()) return keys;
    }
    throw std::runtime_error("spread_keys: the keys do not cover every master");
}

/// The asynchronous members as calls returning (error, answer).
struct async_calls {
    authpp::redis_store& s;
    boost::asio::io_context::executor_type ex;
    std::pair<error_code, opt> get(const std::string& k) {
        return await<opt>([&](auto h) { s.async_get(ex, k, h); });
    }
    std::pair<error_code, bool> set(const std::string& k, const std::string& v, std::chrono::milliseconds ttl = 60s) {
        return await<bool>([&](auto h) { s.async_set(ex, k, v, ttl, h); });
    }
    std::pair<error_code, bool> erase(const std::string& k) {
        return await<bool>([&](auto h) { s.async_erase(ex, k, h); });
    }
    std::pair<error_code, bool> add(const std::string& k, const std::string& v, std::chrono::milliseconds ttl = 60s) {
        return await<bool>([&](auto h) { s.async_add(ex, k, v, ttl, h); });
    }
    std::pair<error_code, bool> expire_if(const std::string& k, const std::string& v,
                                          std::chrono::milliseconds ttl = 60s) {
        return await<bool>([&](auto h) { s.async_expire_if(ex, k, v, ttl, h); });
    }
    std::pair<error_code, bool> erase_if(const std::string& k, const std::string& v) {
        return await<bool>([&](auto h) { s.async_erase_if(ex, k, v, h); });
    }
};

using answer = std::pair<error_code, bool>;
const answer yes{{}, true}, no{{}, false};

/// A loopback port nobody listens on: a dead seed.
std::string dead_seed() { return "127.0.0.1:" + std::to_string(authpp::test::free_port()); }

/// Every blocking member on `k` (absent at first), each answer checked.
void every_member(authpp::redis_store& s, const std::string& k) {
    INFO("key " << k);
    error_code ec;
    CHECK_FALSE(s.get(k, ec));
    CHECK_FALSE(ec);
    CHECK(s.set(k, "v1", 60s, ec));
    CHECK_FALSE(ec);
    CHECK(s.get(k) == opt("v1"));
    CHECK_FALSE(s.add(k, "v2", 60s, ec)); // held: an answer, not a failure
    CHECK_FALSE(ec);
    CHECK(s.get(k) == opt("v1"));
    CHECK_FALSE(s.expire_if(k, "other", 60s, ec));
    CHECK_FALSE(ec);
    CHECK(s.expire_if(k, "v1", 60s, ec));
    CHECK_FALSE(ec);
    CHECK_FALSE(s.erase_if(k, "other"));
    CHECK(s.erase_if(k, "v1", ec));
    CHECK_FALSE(ec);
    CHECK_FALSE(s.get(k));
    CHECK(s.add(k, "owner", 60s));
    CHECK(s.erase(k, ec));
    CHECK_FALSE(ec);
    CHECK_FALSE(s.erase(k, ec));
    CHECK_FALSE(ec);
    CHECK_FALSE(s.expire_if(k, "owner", 60s)); // never creates
    CHECK_FALSE(s.get(k));
    CHECK(s.set(k, "last", 60s));
}

/// The same through the asynchronous members.
void every_async_member(async_calls a, const std::string& k) {
    INFO("key " << k);
    CHECK(a.get(k) == std::pair<error_code, opt>{{}, std::nullopt});
    CHECK(a.set(k, "v1") == yes);
    CHECK(a.get(k) == std::pair<error_code, opt>{{}, "v1"});
    CHECK(a.add(k, "v2") == no);
    CHECK(a.expire_if(k, "other") == no);
    CHECK(a.expire_if(k, "v1") == yes);
    CHECK(a.erase_if(k, "other") == no);
    CHECK(a.erase_if(k, "v1") == yes);
    CHECK(a.get(k) == std::pair<error_code, opt>{{}, std::nullopt});
    CHECK(a.add(k, "owner") == yes);
    CHECK(a.erase(k) == yes);
    CHECK(a.erase(k) == no);
    CHECK(a.expire_if(k, "owner") == no);
    CHECK(a.set(k, "last") == yes);
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

TEST_CASE("cluster: redis_key_slot is the server's CLUSTER KEYSLOT, hash tags included") {
    auto& c = plain();
    std::vector<std::string> keys{"",
                                  "foo",
                                  "123456789",
                                  "{user1000}.following",
                                  "{user1000}.followers",
                                  "user1000",
                                  "foo{}{bar}",
                                  "foo{{bar}}zap",
                                  "foo{bar}{zap}",
                                  "{}",
                                  "{",
                                  "}",
                                  "}{",
                                  "a{b",
                                  "a}b{c}",
                                  "{a}",
                                  "\xff\xfe{\x80}",
                                  "authpp:refresh:lock:{AbC-123_x}",
                                  "authpp:refresh:succ:{AbC-123_x}",
                                  "AbC-123_x"};
    for (int i = 0; i < 20; ++i) keys.push_back(prefix + "k" + std::to_string(i * 7919));
    for (const auto& k : keys) {
        INFO("key \"" << k << '"');
        CHECK(authpp::detail::redis_key_slot(k) == c.key_slot(k));
    }
    CHECK(authpp::detail::redis_key_slot("foo") == 12182);
    CHECK(authpp::detail::redis_key_slot("123456789") == 0x31C3); // CRC16-XMODEM's check value
    // The refresh coordinator's two keys of one token share the token key's slot.
    CHECK(authpp::detail::redis_key_slot("authpp:refresh:lock:{AbC-123_x}") ==
          authpp::detail::redis_key_slot("AbC-123_x"));
}

TEST_CASE("cluster: every member on keys spread over all three masters") {
    auto& c = plain();
    auto s = make(c.url());
    CHECK_FALSE(s.ping());
    const auto keys = spread_keys(c, "member-", 2);
    for (const auto& k : keys) every_member(s, k);
    // Each is where the cluster has it: on its slot's master, under the prefix.
    for (const auto& k : keys) CHECK(c.get(prefix + k) == "last");
    // Binary-safe keys and values, and a large value.
    const std::string bin("\0\r\n$*\xff", 6);
    CHECK(s.set(bin, bin, 60s));
    CHECK(s.get(bin) == opt(bin));
    CHECK(s.erase_if(bin, bin));
    const std::string big(1 << 20, 'b');
    CHECK(s.set(keys[0], big, 60s));
    CHECK(s.get(keys[0]) == opt(big));
    // ttl: a non-positive one deletes; a short one lapses.
    CHECK(s.set(keys[1], "gone", 0ms));
    CHECK_FALSE(s.get(keys[1]));
    CHECK(s.erase(keys[2]));
    CHECK(s.add(keys[2], "lease", 150ms));
    std::this_thread::sleep_for(250ms);
    CHECK_FALSE(s.get(keys[2]));
    // Once the map is loaded and a connection to each master is open, one request per call.
    for (const auto& k : keys) s.get(k);
    const auto before = s.round_trips();
    for (const auto& k : keys) CHECK(s.set(k, "again", 60s));
    CHECK(s.round_trips() - before == keys.size());
    // A second store (another process) sees the first one's writes and leases.
    auto other = make(c.url(c.seeds({2})));
    for (const auto& k : keys) CHECK(other.get(k) == opt("again"));
    CHECK(s.add("lease", "a", 10s));
    CHECK_FALSE(other.add("lease", "b", 10s));
    CHECK(s.erase_if("lease", "a"));
    for (const auto& k : keys) CHECK(other.erase(k));
}

TEST_CASE("cluster: every asynchronous member on keys spread over all three masters") {
    auto& c = plain();
    running_context ctx;
    auto s = make(c.url());
    async_calls a{s, ctx.io.get_executor()};
    const auto keys = spread_keys(c, "async-", 2);
    for (const auto& k : keys) every_async_member(a, k);
    for (const auto& k : keys) CHECK(c.get(prefix + k) == "last");
    // What the blocking side wrote, the asynchronous side reads, and back.
    CHECK(s.set(keys[0], "blocking", 60s));
    CHECK(a.get(keys[0]).second == opt("blocking"));
    CHECK(a.set(keys[1], "async") == yes);
    CHECK(s.get(keys[1]) == opt("async"));
    // Many at once on one context, every master at once.
    std::vector<std::string> many;
    for (int i = 0; i < 60; ++i) many.push_back("many-" + std::to_string(i));
    std::mutex m;
    std::vector<answer> answers;
    std::promise<void> done;
    std::atomic<int> left{static_cast<int>(many.size())};
    for (const auto& k : many)
        s.async_set(a.ex, k, k, 60s, [&](error_code ec, bool ok) {
            std::lock_guard l(m);
            answers.push_back({ec, ok});
            if (--left == 0) done.set_value();
        });
    done.get_future().wait();
    CHECK(std::count(answers.begin(), answers.end(), yes) == static_cast<long>(many.size()));
    for (const auto& k : many) CHECK(s.get(k) == opt(k));
    for (const auto& k : keys) CHECK(a.erase(k) == yes);
}

TEST_CASE("cluster: ping, a dead first seed skipped, all seeds dead unreachable, a server not in cluster mode") {
    auto& c = plain();
    running_context ctx;
    // One live seed behind a dead one: the rest of the cluster is learnt from it.
    auto s = make(c.url(dead_seed() + "," + c.seeds({1})));
    CHECK_FALSE(s.ping());
    for (const auto& k : spread_keys(c, "seed-", 1)) {
        CHECK(s.set(k, "v", 60s));
        CHECK(s.get(k) == opt("v"));
        CHECK(async_calls{s, ctx.io.get_executor()}.get(k).second == opt("v"));
        CHECK(s.erase(k));
    }
    // The port default (6379) and /0 are accepted.
    CHECK(authpp::redis_store::create(options("redis-cluster://127.0.0.1/0")).has_value());

    auto dead = make("redis-cluster://" + dead_seed() + "," + dead_seed());
    CHECK(dead.ping() == redis_error::unreachable);
    error_code ec;
    CHECK_FALSE(dead.get("k", ec));
    CHECK(ec == redis_error::unreachable);
    CHECK_FALSE(dead.set("k", "v", 60s, ec));
    CHECK(ec == redis_error::unreachable);
    CHECK_FALSE(dead.add("k", "v", 60s, ec));
    CHECK(ec == redis_error::unreachable);
    const auto got = async_calls{dead, ctx.io.get_executor()}.get("k");
    CHECK(got.first == redis_error::unreachable);
    CHECK_FALSE(got.second);
    CHECK(async_calls{dead, ctx.io.get_executor()}.erase_if("k", "v").first == redis_error::unreachable);

    // A server with cluster support disabled, named by a cluster URL: told apart.
    authpp::test::redis_server single(AUTHPP_REDIS_SERVER);
    auto not_cluster = make("redis-cluster://127.0.0.1:" + std::to_string(single.port()));
    CHECK(not_cluster.ping() == redis_error::not_cluster);
    CHECK_FALSE(not_cluster.set("k", "v", 60s, ec));
    CHECK(ec == redis_error::not_cluster);
    CHECK(async_calls{not_cluster, ctx.io.get_executor()}.get("k").first == redis_error::not_cluster);
}

TEST_CASE("cluster: URLs") {
    auto u = authpp::parse_redis_url("redis-cluster://:p%40ss@10.0.0.1,10.0.0.2:7001,[::1]:7002/0");
    REQUIRE(u.has_value());
    CHECK(u->cluster());
    CHECK_FALSE(u->tls);
    CHECK(u->password == "p@ss");
    REQUIRE(u->cluster_nodes.size() == 3);
    CHECK(u->cluster_nodes[0].host == "10.0.0.1");
    CHECK(u->cluster_nodes[0].port == 6379);
    CHECK(u->cluster_nodes[1].port == 7001);
    CHECK(u->cluster_nodes[2].host == "::1");
    CHECK(u->redacted().find("p@ss") == std::string::npos);
    CHECK(u->redacted().find("p%40ss") == std::string::npos);
    auto t = authpp::parse_redis_url("rediss-cluster://h");
    REQUIRE(t.has_value());
    CHECK(t->cluster());
    CHECK(t->tls);
    REQUIRE(t->cluster_nodes.size() == 1);
    CHECK(t->cluster_nodes[0].port == 6379);
    CHECK_FALSE(authpp::parse_redis_url("redis://h")->cluster());

    auto fails = [](std::string url) {
        auto s = authpp::redis_store::create(options(std::move(url)));
        return s ? error_code{} : s.error();
    };
    CHECK(fails("redis-cluster://h:1/3") == redis_error::bad_database);
    CHECK(fails("redis-cluster://h/1") == redis_error::bad_database);
    CHECK(fails("rediss-cluster://h1,h2/15") == redis_error::bad_database);
    CHECK(fails("redis-cluster://h/x") == redis_error::bad_database);
    CHECK(fails("redis-cluster://") == redis_error::bad_host);
    CHECK(fails("redis-cluster:///0") == redis_error::bad_host);
    CHECK(fails("redis-cluster://h1,") == redis_error::bad_host);
    CHECK(fails("redis-cluster://,h1") == redis_error::bad_host);
    CHECK(fails("redis-cluster://h1,,h2") == redis_error::bad_host);
    CHECK(fails("redis-cluster://h:0") == redis_error::bad_port);
    CHECK(fails("redis-cluster://h1,h2:65536") == redis_error::bad_port);
    CHECK(fails("redis-cluster://pw@h") == redis_error::bad_userinfo);
    CHECK(fails("redis-clusters://h") == redis_error::bad_scheme);
    // TLS files are for rediss-cluster:// (as for rediss://), not redis-cluster://.
    auto o = options("redis-cluster://127.0.0.1:7000");
    o.tls.ca_file = cert_file("ca.pem");
    CHECK(authpp::redis_store::create(o).error() == redis_error::tls_without_rediss);
    o.url = "rediss-cluster://127.0.0.1:7000";
    CHECK(authpp::redis_store::create(o).has_value());
    // url() leaves the password out.
    auto s = make("redis-cluster://:secret-pw@127.0.0.1:7000,127.0.0.1:7001");
    CHECK(s.url().find("secret-pw") == std::string::npos);
    CHECK(s.url().find("127.0.0.1:7001") != std::string::npos);
}

TEST_CASE("cluster: MOVED - a slot moved to another master after the store cached the map") {
    auto& c = plain();
    running_context ctx;
    auto s = make(c.url());
    async_calls a{s, ctx.io.get_executor()};
    // Two keys in one slot (a hash tag), the map cached and connections open.
    const std::string k1 = "{moved}1", k2 = "{moved}2";
    const auto slot = c.key_slot(prefix + k1);
    REQUIRE(c.key_slot(prefix + k2) == slot);
    REQUIRE(s.set(k1, "before", 60s));
    REQUIRE(s.add(k2, "lease", 60s));
    const auto from = c.owner(slot), to = c.other_master(from);
    c.move_slot(slot, to);
    REQUIRE(c.owner(slot) == to);
    REQUIRE(c.command(to, {"GET", prefix + k1}) == "before");

    // The first call meets MOVED, follows it and updates the map.
    auto before = s.round_trips();
    error_code ec;
    CHECK(s.get(k1, ec) == opt("before"));
    CHECK_FALSE(ec);
    CHECK(s.round_trips() - before >= 2);
    before = s.round_trips();
    CHECK(s.get(k1) == opt("before"));
    CHECK(s.round_trips() - before == 1); // straight to the new owner now
    CHECK(s.expire_if(k2, "lease", 60s));
    CHECK_FALSE(s.add(k2, "other", 60s));
    CHECK(s.erase_if(k2, "lease"));
    CHECK(s.set(k1, "after", 60s));
    CHECK(c.command(to, {"GET", prefix + k1}) == "after");

    // The asynchronous side has its own connections: still on the old owner, it follows MOVED as well.
    c.move_slot(slot, from);
    CHECK(a.get(k1) == std::pair<error_code, opt>{{}, "after"});
    CHECK(a.add(k2, "async") == yes);
    CHECK(a.expire_if(k2, "async") == yes);
    CHECK(a.erase_if(k2, "async") == yes);
    // … and the blocking side follows it back.
    CHECK(s.get(k1) == opt("after"));
    CHECK(s.erase(k1));
    CHECK(c.command(from, {"EXISTS", prefix + k1}) == "0");
}

TEST_CASE("cluster: ASK - keys on both sides of a migration under way, each member atomic") {
    auto& c = plain();
    auto s = make(c.url());
    // Keys of one slot: some will have moved to the target, some not, some are new.
    const std::string moved = "{ask}moved", stays = "{ask}stays", lock_moved = "{ask}lock-moved",
                      lock_stays = "{ask}lock-stays", fresh = "{ask}fresh", fresh_lock = "{ask}fresh-lock";
    const auto slot = c.key_slot(prefix + moved);
    REQUIRE(s.set(moved, "m", 60s));
    REQUIRE(s.set(stays, "s", 60s));
    REQUIRE(s.add(lock_moved, "me", 60s));
    REQUIRE(s.add(lock_stays, "me", 60s));
    const auto from = c.owner(slot), to = c.other_master(from);
    c.begin_migration(slot, to);
    c.move_these_keys(slot, to, {prefix + moved, prefix + lock_moved});
    bool error = false; // the source asks for the moved key elsewhere, and has the other
    REQUIRE(c.command(from, {"EXISTS", prefix + moved}, &error).starts_with("ASK "));
    REQUIRE(error);
    REQUIRE(c.command(from, {"EXISTS", prefix + stays}) == "1");

    error_code ec;
    CHECK(s.get(moved, ec) == opt("m")); // ASK: ASKING + GET on the target
    CHECK_FALSE(ec);
    auto before = s.round_trips();
    CHECK(s.get(stays, ec) == opt("s")); // still on the source; the map unchanged by the ASK
    CHECK_FALSE(ec);
    CHECK(s.round_trips() - before == 1);
    CHECK(s.get(fresh, ec) == std::nullopt); // on neither side: absent, no error
    CHECK_FALSE(ec);

    CHECK_FALSE(s.add(moved, "x", 60s, ec)); // held on the target
    CHECK_FALSE(ec);
    CHECK_FALSE(s.add(stays, "x", 60s, ec)); // held on the source
    CHECK_FALSE(ec);
    CHECK(s.add(fresh_lock, "me", 60s, ec)); // new keys go to the target
    CHECK_FALSE(ec);
    CHECK_FALSE(s.add(fresh_lock, "you", 60s, ec));
    CHECK_FALSE(ec);
    CHECK(s.get(fresh_lock) == opt("me"));

    CHECK_FALSE(s.expire_if(lock_moved, "other", 60s, ec));
    CHECK_FALSE(ec);
    CHECK(s.expire_if(lock_moved, "me", 60s, ec));
    CHECK_FALSE(ec);
    CHECK(s.expire_if(lock_stays, "me", 60s, ec));
    CHECK_FALSE(ec);
    CHECK_FALSE(s.expire_if(fresh, "me", 60s)); // never creates, on either side
    CHECK_FALSE(s.erase_if(lock_moved, "other"));
    CHECK(s.erase_if(lock_moved, "me", ec));
    CHECK_FALSE(ec);
    CHECK_FALSE(s.get(lock_moved));
    CHECK(s.add(lock_moved, "again", 60s)); // released: free to take again (on the target)
    CHECK(s.erase_if(lock_stays, "me"));
    CHECK_FALSE(s.erase_if(lock_stays, "me"));

    CHECK(s.set(moved, "m2", 60s));
    CHECK(s.set(stays, "s2", 60s));
    CHECK(s.set(fresh, "f", 60s));
    CHECK(s.get(moved) == opt("m2"));
    CHECK(s.get(stays) == opt("s2"));
    CHECK(s.get(fresh) == opt("f"));

    // The rest of the keys move, the migration ends: everything on the target, as last written.
    c.move_keys(slot, to);
    c.finish_migration(slot, to);
    CHECK(c.command(to, {"GET", prefix + moved}) == "m2");
    CHECK(c.command(to, {"GET", prefix + stays}) == "s2");
    CHECK(c.command(to, {"GET", prefix + fresh}) == "f");
    CHECK(c.command(to, {"GET", prefix + fresh_lock}) == "me");
    CHECK(c.command(to, {"GET", prefix + lock_moved}) == "again");
    CHECK(c.command(to, {"EXISTS", prefix + lock_stays}) == "0");
    CHECK(c.command(from, {"CLUSTER", "COUNTKEYSINSLOT", std::to_string(slot)}) == "0");
    CHECK(s.get(stays) == opt("s2"));
    CHECK(s.erase(moved));
    CHECK(s.erase(stays));
}

TEST_CASE("cluster: ASK - the asynchronous members during a migration") {
    auto& c = plain();
    running_context ctx;
    auto s = make(c.url());
    async_calls a{s, ctx.io.get_executor()};
    const std::string moved = "{async-ask}moved", stays = "{async-ask}stays", fresh = "{async-ask}fresh";
    const auto slot = c.key_slot(prefix + moved);
    REQUIRE(a.set(moved, "m") == yes);
    REQUIRE(a.add(stays, "me") == yes);
    const auto from = c.owner(slot), to = c.other_master(from);
    c.begin_migration(slot, to);
    c.move_these_keys(slot, to, {prefix + moved});

    CHECK(a.get(moved) == std::pair<error_code, opt>{{}, "m"});
    CHECK(a.get(stays) == std::pair<error_code, opt>{{}, "me"});
    CHECK(a.get(fresh) == std::pair<error_code, opt>{{}, std::nullopt});
    CHECK(a.add(moved, "x") == no);
    CHECK(a.add(stays, "x") == no);
    CHECK(a.add(fresh, "me") == yes);
    CHECK(a.add(fresh, "you") == no);
    CHECK(a.expire_if(moved, "other") == no);
    CHECK(a.expire_if(moved, "m") == yes);
    CHECK(a.expire_if(stays, "me") == yes);
    CHECK(a.erase_if(fresh, "you") == no);
    CHECK(a.erase_if(fresh, "me") == yes);
    CHECK(a.erase_if(stays, "me") == yes);
    CHECK(a.get(stays) == std::pair<error_code, opt>{{}, std::nullopt});
    CHECK(a.set(moved, "m2") == yes);
    CHECK(a.erase(fresh) == no);
    CHECK(a.set(fresh, "f") == yes);

    c.move_keys(slot, to);
    c.finish_migration(slot, to);
    CHECK(a.get(moved) == std::pair<error_code, opt>{{}, "m2"});
    CHECK(a.get(fresh) == std::pair<error_code, opt>{{}, "f"});
    CHECK(c.command(to, {"GET", prefix + fresh}) == "f");
    CHECK(a.erase(moved) == yes);
    CHECK(a.erase(fresh) == yes);
}

TEST_CASE("cluster: a slot resharded there and back under load, blocking and asynchronous") {
    auto& c = plain();
    running_context ctx;
    auto s = make(c.url());
    async_calls a{s, ctx.io.get_executor()};
    const auto slot = c.key_slot(prefix + "{load}");
    const auto home = c.owner(slot), away = c.other_master(home);
    std::atomic<bool> stop{false};
    std::atomic<int> failures{0}, wrong{0}, calls{0};
    std::mutex m;
    std::string first_failure;
    auto fail = [&](const std::string& what) {
        ++failures;
        std::lock_guard l(m);
        if (first_failure.empty()) first_failure = what;
    };
    // Each loop: its own keys in the slot, set / get / a lease taken, renewed and released.
    auto blocking_loop = [&] {
        for (int i = 0; !stop; ++i) {
            const auto k = "{load}b" + std::to_string(i % 20), v = std::to_string(i);
            error_code ec;
            if (!s.set(k, v, 60s, ec) || ec) fail("set " + k + ": " + ec.message());
            const auto got = s.get(k, ec);
            if (ec)
                fail("get " + k + ": " + ec.message());
            else if (got != opt(v))
                ++wrong;
            const auto lock = "{load}lock-b" + std::to_string(i % 5);
            if (!s.add(lock, v, 60s, ec) || ec) fail("add " + lock + ": " + ec.message());
            if (!s.expire_if(lock, v, 60s, ec) || ec) fail("expire_if " + lock + ": " + ec.message());
            if (!s.erase_if(lock, v, ec) || ec) fail("erase_if " + lock + ": " + ec.message());
            calls += 5;
        }
    };
    auto async_loop = [&] {
        for (int i = 0; !stop; ++i) {
            const auto k = "{load}a" + std::to_string(i % 20), v = std::to_string(i);
            if (a.set(k, v) != yes) fail("async set " + k);
            const auto got = a.get(k);
            if (got.first)
                fail("async get " + k + ": " + got.first.message());
            else if (got.second != opt(v))
                ++wrong;
            const auto lock = "{load}lock-a" + std::to_string(i % 5);
            if (a.add(lock, v) != yes) fail("async add " + lock);
            if (a.expire_if(lock, v) != yes) fail("async expire_if " + lock);
            if (a.erase_if(lock, v) != yes) fail("async erase_if " + lock);
            calls += 5;
        }
    };
    for (int i = 0; i < 20; ++i) {
        REQUIRE(s.set("{load}b" + std::to_string(i), "-", 60s));
        REQUIRE(a.set("{load}a" + std::to_string(i), "-") == yes);
    }
    load_threads load{stop, {}};
    load.threads.emplace_back(blocking_loop);
    load.threads.emplace_back(async_loop);
    const auto t0 = steady::now();
    // There and back, two keys at a time.
    for (auto to : {away, home}) {
        c.begin_migration(slot, to);
        while (c.move_keys(slot, to, 2) > 0) std::this_thread::sleep_for(10ms);
        std::this_thread::sleep_for(20ms);
        c.finish_migration(slot, to);
        CHECK(c.owner(slot) == to);
    }
    const auto took = steady::now() - t0;
    std::this_thread::sleep_for(100ms);
    load.join();
    std::cout << "resharding under load: " << calls << " calls in " << ms(took) << " ms of migration there and back, "
              << failures << " failed, " << wrong << " wrong values\n";
    INFO(first_failure);
    CHECK(failures == 0);
    CHECK(wrong == 0);
    CHECK(calls > 50);
}

TEST_CASE("cluster: CLUSTERDOWN and a redirection loop are errors of their own") {
    auto& c = plain();
    running_context ctx;
    auto s = make(c.url());
    async_calls a{s, ctx.io.get_executor()};
    // A node that lost a slot of its own says CLUSTERDOWN to everything.
    const std::string k = "{down}k";
    const auto slot = c.key_slot(prefix + k);
    const auto owner = c.owner(slot);
    REQUIRE(s.set(k, "v", 60s));
    // Another slot of the same node, with no keys: the one deleted.
    int victim = -1;
    for (const auto& n : c.nodes_seen_by(owner))
        if (n.id == c.id(owner))
            for (auto [first, last] : n.slots)
                for (int x = first; x <= last && victim < 0; ++x)
                    if (x != slot && c.command(owner, {"CLUSTER", "COUNTKEYSINSLOT", std::to_string(x)}) == "0")
                        victim = x;
    REQUIRE(victim >= 0);
    REQUIRE(c.command(owner, {"CLUSTER", "DELSLOTS", std::to_string(victim)}) == "OK");
    for (int i = 0; i < 100 && c.command(owner, {"CLUSTER", "INFO"}).find("cluster_state:fail") == std::string::npos;
         ++i)
        std::this_thread::sleep_for(10ms);
    error_code ec;
    CHECK_FALSE(s.get(k, ec));
    CHECK(ec == redis_error::cluster_down);
    CHECK_FALSE(s.set(k, "w", 60s, ec));
    CHECK(ec == redis_error::cluster_down);
    CHECK(a.get(k).first == redis_error::cluster_down);
    CHECK(a.add(k, "w").first == redis_error::cluster_down);
    REQUIRE(c.command(owner, {"CLUSTER", "ADDSLOTS", std::to_string(victim)}) == "OK");
    c.wait_until_stable(10s);
    std::this_thread::sleep_for(100ms); // retry_after, if the store held off the node
    CHECK(s.get(k, ec) == opt("v"));
    CHECK_FALSE(ec);
    CHECK(a.get(k).second == opt("v"));

    // Two nodes each naming the other as the slot's owner: MOVED back and forth, never an answer.
    const std::string looped = "{loop}k";
    const auto loop_slot = c.key_slot(prefix + looped);
    const auto a_node = c.owner(loop_slot), b_node = c.other_master(a_node);
    REQUIRE(c.command(a_node, {"CLUSTER", "COUNTKEYSINSLOT", std::to_string(loop_slot)}) == "0");
    REQUIRE(c.command(a_node, {"CLUSTER", "SETSLOT", std::to_string(loop_slot), "NODE", c.id(b_node)}) == "OK");
    const auto t0 = steady::now();
    CHECK_FALSE(s.get(looped, ec));
    CHECK(ec == redis_error::too_many_redirections);
    CHECK_FALSE(s.add(looped, "x", 60s, ec));
    CHECK(ec == redis_error::too_many_redirections);
    CHECK(a.set(looped, "x").first == redis_error::too_many_redirections);
    CHECK(steady::now() - t0 < 5s); // it gives up, it does not spin
    REQUIRE(c.command(a_node, {"CLUSTER", "SETSLOT", std::to_string(loop_slot), "NODE", c.id(a_node)}) == "OK");
    c.wait_until_stable(10s);
    std::this_thread::sleep_for(100ms);
    CHECK(s.set(looped, "x", 60s));
    CHECK(a.get(looped).second == opt("x"));
    CHECK(s.erase(looped));
    CHECK(s.erase(k));
}

TEST_CASE("cluster: a master restarted under the store: its calls fail, then succeed on the same node") {
    auto& c = plain();
    running_context ctx;
    auto s = make(c.url());
    async_calls a{s, ctx.io.get_executor()};
    const auto keys = spread_keys(c, "restart-", 1);
    for (const auto& k : keys) REQUIRE(s.set(k, "v", 60s)); // a pooled connection to every master
    const auto& k = keys[1];
    const auto m = c.owner_of_key(prefix + k);
    const auto other = keys[0] == k ? keys[2] : keys[0];
    c.kill(m);
    error_code ec;
    CHECK_FALSE(s.get(k, ec));
    CHECK((ec == redis_error::unreachable || ec == redis_error::connection_lost));
    CHECK(a.get(k).first);
    CHECK(s.get(other, ec) == opt("v")); // the other masters still serve theirs
    CHECK_FALSE(ec);

    const auto t0 = steady::now();
    c.restart(m);
    std::map<std::string, int> seen;
    bool ok = false;
    while (!ok && steady::now() - t0 < 10s) {
        ok = s.set(k, "again", 60s, ec) && !ec;
        if (!ok) {
            ++seen[ec ? ec.message().substr(0, 40) : "false"];
            std::this_thread::sleep_for(20ms);
        }
    }
    std::cout << "master restarted: its key written again after " << ms(steady::now() - t0) << " ms; failed meanwhile:";
    for (const auto& [what, n] : seen) std::cout << " " << n << " x " << what << ",";
    std::cout << "\n";
    REQUIRE(ok);
    CHECK(s.get(k) == opt("again"));
    CHECK(a.get(k) == std::pair<error_code, opt>{{}, "again"});
    CHECK(c.command(m, {"GET", prefix + k}) == "again"); // the same node, back on its port
    c.wait_until_stable(10s);
    for (const auto& key : keys) CHECK(s.erase(key) == (key == k || c.owner_of_key(prefix + key) != m));
}

TEST_CASE("cluster: a password in the URL, for every node") {
    auto& c = guarded();
    running_context ctx;
    auto s = make(c.url());
    CHECK_FALSE(s.ping());
    async_calls a{s, ctx.io.get_executor()};
    for (const auto& k : spread_keys(c, "pw-", 1)) {
        every_member(s, k);
        CHECK(a.get(k).second == opt("last"));
        CHECK(a.erase(k) == yes);
    }
    CHECK(s.url().find(password) == std::string::npos);

    auto wrong = make("redis-cluster://:wrong@" + c.seeds());
    CHECK(wrong.ping() == redis_error::auth_failed);
    error_code ec;
    CHECK_FALSE(wrong.get("k", ec));
    CHECK(ec == redis_error::auth_failed);
    auto none = make("redis-cluster://" + c.seeds());
    CHECK(none.ping() == redis_error::auth_failed);
    CHECK(async_calls{none, ctx.io.get_executor()}.get("k").first == redis_error::auth_failed);
}

TEST_CASE("cluster: rediss-cluster:// to every node, verified; a wrong CA refused") {
    auto& c = tls();
    running_context ctx;
    auto o = options(c.url());
    o.tls.ca_file = cert_file("ca.pem");
    auto s = make(o);
    CHECK_FALSE(s.ping());
    async_calls a{s, ctx.io.get_executor()};
    const auto keys = spread_keys(c, "tls-", 1);
    for (const auto& k : keys) {
        every_member(s, k);
        CHECK(s.erase(k));
        every_async_member(a, k);
        CHECK(c.get(prefix + k) == "last");
    }
    // A slot moved under it (MOVED, over TLS).
    const auto slot = c.key_slot(prefix + keys[0]);
    c.move_slot(slot, c.other_master(c.owner(slot)));
    CHECK(s.get(keys[0]) == opt("last"));
    CHECK(a.get(keys[0]).second == opt("last"));

    // A seed by name: its certificate checked against "localhost", the nodes then against the addresses
    // the cluster announces (127.0.0.1); good.pem names both.
    auto by_name = o;
    by_name.url = c.url("localhost:" + std::to_string(c.port(1)));
    auto n = make(by_name);
    CHECK_FALSE(n.ping());
    for (const auto& k : keys) CHECK(n.get(k) == opt("last"));

    auto untrusted = o;
    untrusted.tls.ca_file = cert_file("other-ca.pem");
    auto u = make(untrusted);
    CHECK(u.ping() == redis_error::tls_certificate_untrusted);
    error_code ec;
    CHECK_FALSE(u.get(keys[0], ec));
    CHECK(ec == redis_error::tls_certificate_untrusted);
    CHECK(async_calls{u, ctx.io.get_executor()}.get(keys[0]).first == redis_error::tls_certificate_untrusted);
    // Plain text to TLS-only nodes gets nothing either.
    auto plain_text = make(options("redis-cluster://" + c.seeds()));
    CHECK(plain_text.ping());
}

TEST_CASE("cluster: a master killed under load; the store follows its replica's promotion") {
    auto& c = guarded();
    running_context ctx;
    auto s = make(c.url());
    async_calls a{s, ctx.io.get_executor()};
    // Keys on every master: written before the kill; and each loop's own.
    const auto keys = spread_keys(c, "failover-", 1), b_keys = spread_keys(c, "fo-b-", 2),
               a_keys = spread_keys(c, "fo-a-", 2);
    for (const auto& k : keys) REQUIRE(s.set(k, "before", 60s));
    const auto victim = c.owner_of_key(prefix + keys[0]);
    c.wait_replicated(victim);

    std::atomic<bool> stop{false};
    gap_meter blocking, async;
    load_threads load{stop, {}};
    load.threads.emplace_back([&] {
        for (int i = 0; !stop; ++i) {
            const auto& k = b_keys[static_cast<std::size_t>(i) % b_keys.size()];
            const auto v = "b" + std::to_string(i);
            error_code ec;
            bool ok = s.set(k, v, 60s, ec) && !ec;
            if (ok) {
                const auto got = s.get(k, ec);
                ok = !ec;
                if (ok && got != opt(v)) ++blocking.wrong_values;
            }
            blocking.record(ok, ec);
            std::this_thread::sleep_for(2ms);
        }
    });
    load.threads.emplace_back([&] {
        for (int i = 0; !stop; ++i) {
            const auto& k = a_keys[static_cast<std::size_t>(i) % a_keys.size()];
            const auto v = "a" + std::to_string(i);
            auto set = a.set(k, v);
            bool ok = !set.first && set.second;
            error_code ec = set.first;
            if (ok) {
                auto got = a.get(k);
                ok = !got.first;
                ec = got.first;
                if (ok && got.second != opt(v)) ++async.wrong_values;
            }
            async.record(ok, ec);
            std::this_thread::sleep_for(2ms);
        }
    });
    std::this_thread::sleep_for(300ms);
    const auto killed = steady::now();
    const auto promoted = c.kill_master(victim);
    const auto failover = steady::now() - killed;
    await_recovery(blocking, async);
    load.join();

    std::cout << "cluster failover: master killed -> replica promoted, cluster stable " << ms(failover)
              << " ms; longest run of failed calls: blocking " << ms(blocking.longest) << " ms (" << blocking.failures
              << " failed, " << blocking.successes << " ok), asynchronous " << ms(async.longest) << " ms ("
              << async.failures << " failed, " << async.successes << " ok); errors: blocking" << blocking.error_list()
              << " asynchronous" << async.error_list() << "\n";
    CHECK_FALSE(blocking.failing);
    CHECK_FALSE(async.failing);
    CHECK(blocking.failures > 0); // the kill was seen (else the figures say nothing)
    CHECK(blocking.wrong_values == 0);
    CHECK(async.wrong_values == 0);
    CHECK(blocking.errors.count(static_cast<int>(redis_error::unreachable)) == 1); // the dead node's slots
    CHECK(blocking.only_failover_errors());
    CHECK(async.only_failover_errors());
    // A failed call lasts no longer than the failover, give or take a retry_after and a reload.
    CHECK(blocking.longest <= failover + 1s);
    CHECK(async.longest <= failover + 1s);
    CHECK(c.owner_of_key(prefix + keys[0]) == promoted);
    // What was replicated before the kill is still there.
    for (const auto& k : keys) CHECK(s.get(k) == opt("before"));
    CHECK(a.get(keys[0]).second == opt("before"));
}
