// bench/store/bench_store.cpp — the Store models.
//
// memory_store: get, set and a lease cycle (add + erase_if) on 1 and 2
// threads (items_per_second sums the threads: the contention figure), with 16 shards and with 1 (what sharding saves under contention),
// against the floor of an unordered_map lookup without any lock.
//
// redis_store, against a redis-server the bench starts on loopback: one
// round trip per member, and the refresh lock protocol as a cross-process
// refresh performs it — add the lock, get the successor record, set it,
// erase_if the lock — with the round trips counted by the store itself
// (round_trips()), not assumed. And one round trip (a get) in plain text
// and over TLS (rediss://, the same server's TLS port, certificates made at
// start by make_certs.sh), blocking and asynchronous: what TLS costs a
// request once the connection is up (the handshake is not in the loop).
#include <authpp/store/memory_store.hpp>

#ifdef AUTHPP_BENCH_REDIS
#include <authpp/store/redis_store.hpp>

#include "../../tests/store/redis_server.hpp"
#include "../../tests/support/test_certs.hpp"

#include <boost/asio/io_context.hpp>
#endif

#include <benchmark/benchmark.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

using namespace std::chrono_literals;

namespace {

constexpr int key_count = 4096;

const std::vector<std::string>& keys() {
    static const std::vector<std::string> k = [] {
        std::vector<std::string> v;
        for (int i = 0; i < key_count; ++i) v.push_back("authjs.refresh-lock." + std::to_string(i * 7919));
        return v;
    }();
    return k;
}

const std::string value(256, 'v'); // about an encrypted successor record

authpp::memory_store& filled_store(std::size_t shards) {
    static std::unordered_map<std::size_t, std::unique_ptr<authpp::memory_store>> stores;
    auto& s = stores[shards];
    if (!s) {
        authpp::memory_store_options o;
        o.shards = shards;
        s = std::make_unique<authpp::memory_store>(o);
        for (auto& k : keys()) s->set(k, value, 1h);
    }
    return *s;
}

// Thread t walks the keys from its own offset, so threads meet on shards
// (as requests do) without hitting the same key in lockstep.
std::size_t start_of(const benchmark::State& state) {
    return static_cast<std::size_t>(state.thread_index()) * (key_count / 2 + 1);
}

void BM_memory_get(benchmark::State& state) {
    auto& s = filled_store(static_cast<std::size_t>(state.range(0)));
    std::size_t i = start_of(state);
    for (auto _ : state) benchmark::DoNotOptimize(s.get(keys()[i++ % key_count]));
    state.SetItemsProcessed(state.iterations());
}

void BM_memory_set(benchmark::State& state) {
    auto& s = filled_store(static_cast<std::size_t>(state.range(0)));
    std::size_t i = start_of(state);
    for (auto _ : state) benchmark::DoNotOptimize(s.set(keys()[i++ % key_count], value, 1h));
    state.SetItemsProcessed(state.iterations());
}

void BM_memory_lease(benchmark::State& state) {
    // Each thread its own lock keys, as each request its own refresh token.
    auto& s = filled_store(static_cast<std::size_t>(state.range(0)));
    std::vector<std::string> locks;
    for (int i = 0; i < 64; ++i) locks.push_back("lease." + std::to_string(state.thread_index()) + "." + std::to_string(i));
    std::size_t i = 0;
    for (auto _ : state) {
        const auto& k = locks[i++ % locks.size()];
        if (!s.add(k, "owner", 30s) || !s.erase_if(k, "owner")) state.SkipWithError("lease not taken");
    }
    state.SetItemsProcessed(state.iterations());
}

void BM_floor_map_find(benchmark::State& state) {
    // What a lookup costs with no lock, no expiry and no copy of the value.
    static const auto map = [] {
        std::unordered_map<std::string, std::string> m;
        for (auto& k : keys()) m.emplace(k, value);
        return m;
    }();
    std::size_t i = start_of(state);
    for (auto _ : state) benchmark::DoNotOptimize(map.find(keys()[i++ % key_count]));
    state.SetItemsProcessed(state.iterations());
}

BENCHMARK(BM_floor_map_find)->Threads(1)->Threads(2)->UseRealTime();
BENCHMARK(BM_memory_get)->ArgName("shards")->Arg(16)->Arg(1)->Threads(1)->Threads(2)->UseRealTime();
BENCHMARK(BM_memory_set)->ArgName("shards")->Arg(16)->Arg(1)->Threads(1)->Threads(2)->UseRealTime();
BENCHMARK(BM_memory_lease)->ArgName("shards")->Arg(16)->Arg(1)->Threads(1)->Threads(2)->UseRealTime();

#ifdef AUTHPP_BENCH_REDIS

std::string cert(const std::string& name) { return authpp::test::test_cert_dir(AUTHPP_MAKE_CERTS) + "/" + name; }

/// One redis-server listening in plain text and with TLS, and a store on each.
struct redis_fixture {
    std::uint16_t tls_port = authpp::test::free_port();
    authpp::test::redis_server server{AUTHPP_REDIS_SERVER,
                                      {"--requirepass", "bench-pw", "--tls-port", std::to_string(tls_port),
                                       "--tls-cert-file", cert("good.pem"), "--tls-key-file", cert("good.key"),
                                       "--tls-ca-cert-file", cert("ca.pem"), "--tls-auth-clients", "no"}};
    authpp::redis_store store{options("redis", server.port())};
    authpp::redis_store tls_store{options("rediss", tls_port)};

    authpp::redis_store_options options(const std::string& scheme, std::uint16_t port) const {
        authpp::redis_store_options o;
        o.url = scheme + "://:bench-pw@127.0.0.1:" + std::to_string(port) + "/1";
        o.key_prefix = "bench:";
        if (scheme == "rediss") o.tls.ca_file = cert("ca.pem");
        return o;
    }
};

/// The fixture, or null (and the benchmark skipped) without redis-server.
redis_fixture* redis(benchmark::State& state) {
    static std::unique_ptr<redis_fixture> f;
    static std::string failure;
    static std::once_flag once;
    std::call_once(once, [] {
        if (std::string_view(AUTHPP_REDIS_SERVER).empty()) {
            failure = "redis-server not found when configuring: install redis-server";
            return;
        }
        try {
            f = std::make_unique<redis_fixture>();
            if (auto ec = f->store.ping()) failure = "redis-server does not answer: " + ec.message();
            else if (auto tls_ec = f->tls_store.ping())
                failure = "redis-server does not answer over TLS: " + tls_ec.message();
        } catch (const std::exception& e) {
            failure = std::string("cannot start redis-server: ") + e.what();
        }
    });
    if (!failure.empty()) {
        state.SkipWithError(failure.c_str());
        return nullptr;
    }
    return f.get();
}

// Per iteration; with one thread only, since the counter is the store's and
// another thread's round trips would land in this one's window.
void report_round_trips(benchmark::State& state, std::uint64_t before, std::uint64_t after) {
    if (state.threads() != 1) return;
    state.counters["round_trips"] = benchmark::Counter(static_cast<double>(after - before),
                                                       benchmark::Counter::kAvgIterations);
}

void BM_redis_get(benchmark::State& state) {
    auto* r = redis(state);
    if (!r) return;
    r->store.set("k", value, 1h);
    const auto before = r->store.round_trips();
    for (auto _ : state)
        if (!r->store.get("k")) state.SkipWithError("get failed");
    report_round_trips(state, before, r->store.round_trips());
}

void BM_redis_set(benchmark::State& state) {
    auto* r = redis(state);
    if (!r) return;
    const auto before = r->store.round_trips();
    for (auto _ : state)
        if (!r->store.set("k", value, 1h)) state.SkipWithError("set failed");
    report_round_trips(state, before, r->store.round_trips());
}

void BM_redis_expire_if(benchmark::State& state) {
    auto* r = redis(state);
    if (!r) return;
    const auto lock = "lease." + std::to_string(state.thread_index());
    r->store.set(lock, "owner", 1h);
    const auto before = r->store.round_trips();
    for (auto _ : state)
        if (!r->store.expire_if(lock, "owner", 30s)) state.SkipWithError("expire_if failed");
    report_round_trips(state, before, r->store.round_trips());
}

// One refresh as the cross-process protocol does it: take the lock, look for
// a successor record (none: this process refreshes), write the successor,
// release the lock. The token endpoint's own round trip is not included.
void BM_redis_refresh_protocol(benchmark::State& state) {
    auto* r = redis(state);
    if (!r) return;
    const auto t = std::to_string(state.thread_index());
    // Fresh token hashes on every run of this function, or the successors
    // a calibration run wrote would be found.
    static std::atomic<std::uint64_t> next{0};
    const auto before = r->store.round_trips();
    for (auto _ : state) {
        const auto token_hash = "rt." + t + "." + std::to_string(next++);
        const auto lock = "lock:{" + token_hash + "}";
        const auto successor = "succ:{" + token_hash + "}";
        if (!r->store.add(lock, "owner-" + t, 30s)) state.SkipWithError("lock not taken");
        if (r->store.get(successor)) state.SkipWithError("successor already there");
        if (!r->store.set(successor, value, 30s)) state.SkipWithError("successor not written");
        if (!r->store.erase_if(lock, "owner-" + t)) state.SkipWithError("lock not released");
    }
    report_round_trips(state, before, r->store.round_trips());
}

// One get, the connection already up: plain text (tls:0) or rediss:// (tls:1).
// Blocking, plain text is hiredis and TLS the private link; asynchronous,
// both are the link, so that pair isolates what TLS itself adds.
void BM_redis_round_trip(benchmark::State& state) {
    auto* r = redis(state);
    if (!r) return;
    auto& s = state.range(0) ? r->tls_store : r->store;
    s.set("k", value, 1h);
    for (auto _ : state)
        if (!s.get("k")) state.SkipWithError("get failed");
}

void BM_redis_async_round_trip(benchmark::State& state) {
    auto* r = redis(state);
    if (!r) return;
    auto& s = state.range(0) ? r->tls_store : r->store;
    s.set("k", value, 1h);
    boost::asio::io_context io; // its link stays connected across iterations
    bool ok = false;
    for (auto _ : state) {
        s.async_get(io.get_executor(), "k",
                    [&](authpp::error_code ec, std::optional<std::string> v) { ok = !ec && v; });
        io.restart();
        io.run();
        if (!ok) state.SkipWithError("async get failed");
    }
}

BENCHMARK(BM_redis_get)->Threads(1)->Threads(2)->UseRealTime();
BENCHMARK(BM_redis_round_trip)->ArgName("tls")->Arg(0)->Arg(1)->UseRealTime();
BENCHMARK(BM_redis_async_round_trip)->ArgName("tls")->Arg(0)->Arg(1)->UseRealTime();
BENCHMARK(BM_redis_set)->Threads(1)->UseRealTime();
BENCHMARK(BM_redis_expire_if)->Threads(1)->UseRealTime();
BENCHMARK(BM_redis_refresh_protocol)->Threads(1)->Threads(2)->UseRealTime();

#endif

} // namespace

BENCHMARK_MAIN();
