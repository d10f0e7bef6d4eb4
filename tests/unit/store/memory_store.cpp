// memory_store: expiry (on a manual_clock the tests move), the lease
// operations on live and expired keys, the bounds and what they evict, and
// many threads on one store losing no update.
#include <authpp/store/memory_store.hpp>
#include <authpp/store/memory_store.hpp> // self-contained and guarded

#include <authpp/clock/manual_clock.hpp>
#include <authpp/concepts/store.hpp>

#include <catch2/catch.hpp>

#include <atomic>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

static_assert(authpp::Store<authpp::memory_store>);
static_assert(std::is_same_v<authpp::memory_store::clock, std::chrono::steady_clock>);
static_assert(authpp::Store<authpp::basic_memory_store<authpp::manual_clock>>);

using namespace std::chrono_literals;
using opt = std::optional<std::string>;

namespace {

/// A memory_store whose entries expire when the test moves its clock.
struct timed_store : authpp::basic_memory_store<authpp::manual_clock> {
    explicit timed_store(const authpp::memory_store_options& o = {}, authpp::manual_clock k = {})
        : basic_memory_store(o, k), clock(k) {}
    authpp::manual_clock clock;
    void elapse(std::chrono::milliseconds d) const { clock.advance(d); }
};

} // namespace

TEST_CASE("memory_store: values live for their ttl, then are gone to every member") {
    timed_store s;
    CHECK(s.set("a", "1", 150ms));
    CHECK(s.set("b", "2", 150ms));
    CHECK(s.set("c", "3", 150ms));
    CHECK(s.set("long", "x", 60s));
    CHECK(s.get("a") == opt("1"));
    s.elapse(149ms);
    CHECK(s.get("a") == opt("1")); // 1 ms to live
    s.elapse(1ms);
    CHECK_FALSE(s.get("a"));
    CHECK_FALSE(s.erase("b"));                   // expired: nothing to remove
    CHECK_FALSE(s.expire_if("c", "3", 60s));     // a lapsed lease cannot be renewed
    CHECK(s.get("long") == opt("x"));
    CHECK_FALSE(s.get("c"));
    CHECK(s.size() == 1);                        // touched expired keys are reclaimed
}

TEST_CASE("memory_store: the default store expires on the steady clock") {
    authpp::memory_store s;
    CHECK(s.set("k", "v", 60s));
    CHECK(s.set("gone", "v", 0ms));
    CHECK(s.get("k") == opt("v"));
    CHECK_FALSE(s.get("gone"));
    CHECK(authpp::memory_store::expiry(std::chrono::steady_clock::time_point{}, 1s) ==
          std::chrono::steady_clock::time_point{} + 1s);
}

TEST_CASE("memory_store: set replaces value and ttl") {
    timed_store s;
    CHECK(s.set("k", "old", 150ms));
    CHECK(s.set("k", "new", 60s));
    s.elapse(150ms);
    CHECK(s.get("k") == opt("new"));
    CHECK(s.set("k", "short", 150ms));
    s.elapse(150ms);
    CHECK_FALSE(s.get("k"));
    CHECK(s.set("k", "now", 0ms));               // zero ttl: stored already expired
    CHECK_FALSE(s.get("k"));
}

TEST_CASE("memory_store: add is a lock that an expired holder no longer blocks") {
    timed_store s;
    CHECK(s.add("lock", "owner-1", 150ms));
    CHECK_FALSE(s.add("lock", "owner-2", 60s));
    CHECK(s.get("lock") == opt("owner-1"));
    s.elapse(150ms);
    CHECK(s.add("lock", "owner-2", 60s));
    CHECK(s.get("lock") == opt("owner-2"));
    CHECK_FALSE(s.add("lock", "owner-2", 60s)); // even the holder cannot add twice
}

TEST_CASE("memory_store: expire_if renews only the holder's live lease") {
    timed_store s;
    CHECK(s.add("lock", "me", 150ms));
    CHECK_FALSE(s.expire_if("lock", "someone-else", 60s));
    CHECK_FALSE(s.expire_if("lock", "m", 60s));      // no prefix match
    CHECK_FALSE(s.expire_if("lock", "me-too", 60s)); // no prefix match the other way
    CHECK(s.expire_if("lock", "me", 600ms));
    s.elapse(150ms);
    CHECK(s.get("lock") == opt("me")); // renewed past the first ttl
    CHECK(s.expire_if("lock", "me", 150ms)); // may also shorten
    s.elapse(150ms);
    CHECK_FALSE(s.get("lock"));
    CHECK_FALSE(s.expire_if("absent", "me", 60s));
    CHECK_FALSE(s.get("absent")); // expire_if never creates
}

TEST_CASE("memory_store: erase_if releases only the holder's live lease") {
    timed_store s;
    CHECK(s.add("lock", "me", 60s));
    CHECK_FALSE(s.erase_if("lock", "other"));
    CHECK(s.get("lock") == opt("me"));
    CHECK(s.erase_if("lock", "me"));
    CHECK_FALSE(s.get("lock"));
    CHECK_FALSE(s.erase_if("lock", "me"));
    CHECK(s.add("lock", "me", 150ms));
    s.elapse(150ms);
    CHECK_FALSE(s.erase_if("lock", "me")); // expired: there was nothing to release
    CHECK(s.add("lock", "next", 60s));
}

TEST_CASE("memory_store: empty keys and values and binary bytes are ordinary") {
    authpp::memory_store s;
    const std::string bin("a\0b\xff", 4);
    CHECK(s.set("", "", 60s));
    CHECK(s.get("") == opt(""));
    CHECK(s.set(bin, bin, 60s));
    CHECK(s.get(bin) == opt(bin));
    CHECK_FALSE(s.get(std::string("a\0b", 3)));
    CHECK(s.erase_if(bin, bin));
}

TEST_CASE("memory_store: the entry count bound evicts the soonest to expire, expired first") {
    authpp::memory_store_options o;
    o.shards = 1;
    o.max_entries = 3;
    timed_store s(o);
    CHECK(s.set("late", "v", 60s));
    CHECK(s.set("soon", "v", 10s));
    CHECK(s.set("gone", "v", 1ms));
    s.elapse(1ms);
    CHECK(s.set("new1", "v", 30s)); // reclaims "gone", evicts nothing live
    CHECK(s.get("late"));
    CHECK(s.get("soon"));
    CHECK(s.set("new2", "v", 30s)); // full of live entries: "soon" has least life left
    CHECK_FALSE(s.get("soon"));
    CHECK(s.get("late"));
    CHECK(s.get("new1"));
    CHECK(s.get("new2"));
    CHECK(s.size() == 3);
    CHECK(s.add("new3", "v", 90s)); // add evicts the same way
    CHECK(s.size() == 3);
    CHECK_FALSE(s.get("new1")); // new1 and new2 tie on 30 s; the first inserted goes first
    CHECK(s.get("new3"));
    CHECK(s.get("late"));
}

TEST_CASE("memory_store: the byte bound holds and an oversized value is refused") {
    authpp::memory_store_options o;
    o.shards = 4;
    o.max_bytes = 4 * 2048;
    authpp::memory_store s(o);
    const std::string value(400, 'v');
    for (int i = 0; i < 1000; ++i) REQUIRE(s.set("key-" + std::to_string(i), value, 60s));
    CHECK(s.bytes() <= o.max_bytes);
    CHECK(s.size() < 1000);
    CHECK(s.size() >= 4); // each shard still holds what fits
    CHECK(s.get("key-999") == opt(value)); // the newest write is kept

    CHECK(s.set("big", "small", 60s));
    const std::string too_big(3000, 'x'); // larger than a shard's 2048 bytes
    CHECK_FALSE(s.set("big", too_big, 60s));
    CHECK(s.get("big") == opt("small")); // a refused set leaves the old value
    CHECK_FALSE(s.add("other-big", too_big, 60s));
    CHECK_FALSE(s.get("other-big"));
}

TEST_CASE("memory_store: writes sweep expired entries nobody asks for again") {
    authpp::memory_store_options o;
    o.shards = 2;
    timed_store s(o);
    for (int i = 0; i < 200; ++i) s.set("old-" + std::to_string(i), "v", 150ms);
    s.elapse(150ms);
    CHECK(s.size() == 200);
    std::size_t expected_bytes = 0;
    for (int i = 0; i < 150; ++i) {
        const auto key = "new-" + std::to_string(i);
        s.set(key, "v", 60s);
        expected_bytes += key.size() + 1 + authpp::memory_store_options::entry_overhead;
    }
    CHECK(s.size() == 150); // each write reclaims several: the backlog is gone
    CHECK(s.bytes() == expected_bytes);
}

TEST_CASE("memory_store: copies share entries; distinct stores do not") {
    authpp::memory_store a;
    auto b = a;
    authpp::memory_store c;
    CHECK(a.add("k", "v", 60s));
    CHECK_FALSE(b.add("k", "w", 60s));
    CHECK(c.add("k", "w", 60s));
    CHECK(b.erase_if("k", "v"));
    CHECK_FALSE(a.get("k"));
}

TEST_CASE("memory_store: a shard count of zero means one") {
    authpp::memory_store_options o;
    o.shards = 0;
    authpp::memory_store s(o);
    CHECK(s.set("k", "v", 60s));
    CHECK(s.get("k") == opt("v"));
}

TEST_CASE("memory_store: threads taking one lock lose no update") {
    // The refresh protocol in miniature: take the lease with add, read the
    // record, write it back incremented, release with erase_if. Lost updates
    // would show as a final count below threads × rounds.
    authpp::memory_store_options o;
    o.shards = 4;
    authpp::memory_store s(o);
    constexpr int threads = 8, rounds = 400;
    REQUIRE(s.set("counter", "0", 60s));
    std::atomic<int> contended{0};
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) {
        pool.emplace_back([&, t] {
            const std::string me = "owner-" + std::to_string(t);
            for (int r = 0; r < rounds; ++r) {
                while (!s.add("lock", me, 10s)) {
                    contended.fetch_add(1, std::memory_order_relaxed);
                    std::this_thread::yield();
                }
                const int n = std::stoi(*s.get("counter"));
                s.set("counter", std::to_string(n + 1), 60s);
                s.expire_if("lock", me, 10s);
                if (!s.erase_if("lock", me)) std::abort(); // only the holder releases
                // Unrelated keys on other shards, concurrently.
                s.set(me + "-" + std::to_string(r % 16), "x", 60s);
            }
        });
    }
    for (auto& th : pool) th.join();
    CHECK(s.get("counter") == opt(std::to_string(threads * rounds)));
    CHECK_FALSE(s.get("lock"));
    CHECK(s.size() == 1 + threads * 16);
    INFO("add attempts that found the lock taken: " << contended.load());
}

TEST_CASE("memory_store: concurrent add of one key has exactly one winner per round") {
    authpp::memory_store s;
    constexpr int threads = 6, rounds = 300;
    std::vector<std::atomic<int>> winners(rounds);
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) {
        pool.emplace_back([&, t] {
            for (int r = 0; r < rounds; ++r)
                if (s.add("round-" + std::to_string(r), std::to_string(t), 60s)) winners[static_cast<std::size_t>(r)]++;
        });
    }
    for (auto& th : pool) th.join();
    for (int r = 0; r < rounds; ++r) CHECK(winners[static_cast<std::size_t>(r)].load() == 1);
}
