// bench/store/bench_store.cpp — the Store models.
//
// memory_store: get, set and a lease cycle (add + erase_if) on 1 and 2
// threads (items_per_second sums the threads: the contention figure), with 16 shards and with 1 (what sharding saves under contention),
// against the floor of an unordered_map lookup without any lock.
//
// redis_store, against a redis-server the bench starts on loopback (plain
// text and, on the same server's TLS port, rediss://, certificates made at
// start by make_certs.sh) and a Redis Cluster of three masters it starts too
// (redis-cluster://): one round trip per member; one round trip (a get) on
// each of the three, blocking and asynchronous — what TLS and the cluster's
// routing cost a request once the connections are up (handshakes and the
// slot map are not in the loop); and one cross-process refresh on each, as
// the refresh coordinator performs it (refresh::lead, its own steps: look
// for a successor record, take the lock, look again, the exchange — answered
// at once, the provider's time is not the store's — write the successor,
// release the lock), with the round trips counted by the store itself
// (round_trips()), not assumed.
#include <authpp/store/memory_store.hpp>

#ifdef AUTHPP_BENCH_REDIS
#include <authpp/store/redis_store.hpp>

#include <authpp/refresh/coordinator.hpp>

#include "../../tests/store/redis_cluster.hpp"
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

/// One redis-server listening in plain text and with TLS, a cluster of
/// three masters, and a store on each.
struct redis_fixture {
    std::uint16_t tls_port = authpp::test::free_port();
    authpp::test::redis_server server{AUTHPP_REDIS_SERVER,
                                      {"--requirepass", "bench-pw", "--tls-port", std::to_string(tls_port),
                                       "--tls-cert-file", cert("good.pem"), "--tls-key-file", cert("good.key"),
                                       "--tls-ca-cert-file", cert("ca.pem"), "--tls-auth-clients", "no"}};
    authpp::test::redis_cluster cluster{{.masters = 3, .password = "bench-pw", .server = AUTHPP_REDIS_SERVER}};
    authpp::redis_store store{options("redis://:bench-pw@127.0.0.1:" + std::to_string(server.port()) + "/1")};
    authpp::redis_store tls_store{options("rediss://:bench-pw@127.0.0.1:" + std::to_string(tls_port) + "/1")};
    authpp::redis_store cluster_store{options(cluster.url())};

    static authpp::redis_store_options options(std::string url) {
        authpp::redis_store_options o;
        if (url.starts_with("rediss")) o.tls.ca_file = cert("ca.pem");
        o.url = std::move(url);
        o.key_prefix = "bench:";
        return o;
    }

    /// The store a benchmark's `transport` argument names: 0 plain, 1 TLS, 2 cluster.
    authpp::redis_store& by_transport(std::int64_t transport) {
        return transport == 0 ? store : transport == 1 ? tls_store : cluster_store;
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
            else if (auto cluster_ec = f->cluster_store.ping())
                failure = "the Redis Cluster does not answer: " + cluster_ec.message();
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

// One refresh across processes as the coordinator performs it, on the
// store `transport` names; the lease renewal (every lease/3 while the
// exchange runs) does not come up, the exchange being answered at once.
void BM_redis_refresh(benchmark::State& state) {
    auto* r = redis(state);
    if (!r) return;
    auto& s = r->by_transport(state.range(0));
    static const auto coordinator = [] {
        authpp::auth_options o;
        o.secrets = {"bench-successor-secret"};
        return std::make_unique<authpp::refresh::coordinator>(o);
    }();
    const auto t = std::to_string(state.thread_index());
    // Fresh token keys on every run of this function, or the successors a
    // calibration run wrote would be found (and adopted: no lock, no write).
    static std::atomic<std::uint64_t> next{0};
    const std::int64_t now_ms = 1'800'000'000'000;
    authpp::refresh::outcome fresh;
    fresh.tokens = authpp::oauth::refreshed_tokens{"at-new", "rt-new", std::nullopt, now_ms + 3'600'000};
    const auto before = s.round_trips();
    for (auto _ : state) {
        using step = authpp::refresh::lead::step;
        authpp::refresh::lead lead(*coordinator, "rt." + t + "." + std::to_string(next++), now_ms);
        for (auto st = lead.next(now_ms); st.what != step::done; st = lead.next(now_ms)) {
            if (st.what == step::store) {
                lead.on_store(authpp::flow::perform(s, *st.op));
            } else if (st.what == step::exchange) {
                lead.on_exchange(fresh, now_ms);
            } else {
                state.SkipWithError("the lock was held: a refresh waited");
                break;
            }
        }
        if (!lead.result().tokens) state.SkipWithError("the refresh did not complete");
    }
    report_round_trips(state, before, s.round_trips());
}

// One get, the connections already up: plain text (transport:0), rediss://
// (1) or a cluster (2). Blocking, plain text is hiredis and the other two the
// private link; asynchronous, all three are the link, so that set isolates
// what TLS and the cluster's routing themselves add.
void BM_redis_round_trip(benchmark::State& state) {
    auto* r = redis(state);
    if (!r) return;
    auto& s = r->by_transport(state.range(0));
    s.set("k", value, 1h);
    for (auto _ : state)
        if (!s.get("k")) state.SkipWithError("get failed");
}

void BM_redis_async_round_trip(benchmark::State& state) {
    auto* r = redis(state);
    if (!r) return;
    auto& s = r->by_transport(state.range(0));
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
BENCHMARK(BM_redis_round_trip)->ArgName("transport")->DenseRange(0, 2)->UseRealTime();
BENCHMARK(BM_redis_async_round_trip)->ArgName("transport")->DenseRange(0, 2)->UseRealTime();
BENCHMARK(BM_redis_set)->Threads(1)->UseRealTime();
BENCHMARK(BM_redis_expire_if)->Threads(1)->UseRealTime();
BENCHMARK(BM_redis_refresh)->ArgName("transport")->DenseRange(0, 2)->Threads(1)->UseRealTime();
BENCHMARK(BM_redis_refresh)->ArgName("transport")->Arg(0)->Threads(2)->UseRealTime();

#endif

} // namespace

BENCHMARK_MAIN();
