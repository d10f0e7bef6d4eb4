// bench/bench_nal.cpp — mode nal's decision when the validation cache answers
// (the common case: a user's burst of requests), and how many backend calls
// one user's requests cost with the default 2 s TTL.
//
//   BM_nal_cached_decision  a browser's Cookie header (6 cookies, a 600-byte
//                           user token) on a protected path → decision, the
//                           token's validation in the cache; the backend must
//                           not be called (the transport aborts if it is)
//   BM_nal_floor_sha256     SHA-256 of the token: the cache key, the floor
//   BM_nal_backend_calls    1,000 requests from one user, 10 ms apart (10 s of
//                           manual time), through the decision with a backend
//                           that answers at once: counter calls_per_1000
//
// Counters: allocs_per_iter (C++ heap) and ossl_allocs_per_iter (OpenSSL's).
#include <authpp/clock/manual_clock.hpp>
#include <authpp/crypto/sha.hpp>
#include <authpp/nal/config.hpp>

#include <benchmark/benchmark.h>

#include "support/alloc_count.hpp"
#include "support/bench_main.hpp"

#include <atomic>
#include <cstdlib>
#include <string>

namespace {

using namespace authpp;
using namespace std::chrono_literals;

const std::string user_answer = R"({"success":true,"data":{"id":"u-123456","type":"user","name":"Ada Lovelace",)"
                                R"("email":"ada@example.com","roles":["reader","writer"]}})";

/// Answers every validation with `user_answer`, counting; or aborts when
/// `forbidden` (a cached decision must not reach the backend).
struct backend {
    std::atomic<long>* calls;
    bool forbidden = false;
    http::response send(const http::request&, error_code&) {
        if (forbidden) std::abort();
        ++*calls;
        return {200, {}, user_answer};
    }
};

using config = nal::basic_nal_config<backend, manual_clock, memory_store>;

std::atomic<long> calls{0};
const std::string token(600, 'T');
const std::string cookie = "_ga=GA1.1.1234567890.1700000000; locale=en-GB; theme=dark; consent=analytics%3Dfalse; "
                           "guestToken=; userToken=" + token;

nal::nal_options options() {
    nal::nal_options o;
    o.api_base_url = "http://backend.test/";
    o.protected_routes = {"/dashboard", "/settings", "/api/admin"};
    o.public_routes = {"/about", "/pricing"};
    o.excluded_paths = {"/_next", "/favicon.ico"};
    o.secrets = {"bench-nal-secret"};
    return o;
}

nal::request_view view(std::string_view path) {
    nal::request_view v;
    v.path = path;
    v.cookie = cookie;
    v.ip = "203.0.113.7";
    return v;
}

void BM_nal_cached_decision(benchmark::State& st) {
    manual_clock clock;
    config c(options(), {}, {}, backend{&calls}, clock);
    if (!c.decide(view("/dashboard")).pass) st.SkipWithError("the first decision did not pass");
    c.transport().forbidden = true; // from now on the cache must answer
    authpp_bench::alloc_probe probe;
    for (auto _ : st) {
        auto d = c.decide(view("/dashboard"));
        benchmark::DoNotOptimize(d);
    }
    probe.report(st);
}
BENCHMARK(BM_nal_cached_decision);

void BM_nal_floor_sha256(benchmark::State& st) {
    for (auto _ : st) {
        auto d = crypto::sha256(token);
        benchmark::DoNotOptimize(d);
    }
}
BENCHMARK(BM_nal_floor_sha256);

void BM_nal_backend_calls(benchmark::State& st) {
    long per_1000 = 0;
    for (auto _ : st) {
        manual_clock clock;
        std::atomic<long> n{0};
        config c(options(), {}, {}, backend{&n}, clock);
        for (int i = 0; i < 1000; ++i) {
            auto d = c.decide(view("/dashboard"));
            benchmark::DoNotOptimize(d);
            clock.advance(10ms);
        }
        per_1000 = n;
    }
    st.counters["calls_per_1000"] = static_cast<double>(per_1000);
}
BENCHMARK(BM_nal_backend_calls)->Unit(benchmark::kMillisecond);

} // namespace

int main(int argc, char** argv) {
    return authpp_bench::bench_main(argc, argv, "bench_nal", [] {});
}
