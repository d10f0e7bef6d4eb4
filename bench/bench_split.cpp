// bench/bench_split.cpp — mode split's restriction check for a session that
// needs no refresh (the common case: every page load between refreshes).
//
//   BM_split_restriction_fresh  a browser's Cookie header (7 cookies: an
//                               800-byte access token, the refresh token, the
//                               indicator) → the auth restriction's answer,
//                               through basic_split_config::check(); the
//                               backend must not be called (aborts if it is)
//   BM_split_session_fresh      the same without the restriction: session()
//   BM_split_floor_read         the floor: one pass over the Cookie header
//                               and the indicator's date read
//
// Counter: allocs_per_iter (C++ heap).
#include <authpp/clock/manual_clock.hpp>
#include <authpp/split/config.hpp>

#include <benchmark/benchmark.h>

#include "support/alloc_count.hpp"
#include "support/bench_main.hpp"

#include <cstdlib>
#include <string>

namespace {

using namespace authpp;

/// A backend that must not be asked: a fresh session needs no refresh.
struct no_backend {
    http::response send(const http::request&, error_code&) { std::abort(); }
};

using config = split::basic_split_config<no_backend, manual_clock, memory_store>;

config make(manual_clock clock) {
    split::split_options o;
    o.secrets = {"bench-split-secret"};
    return config(o, split::directus_handlers("http://directus.test"), no_backend{}, clock);
}

std::string cookie_header(const manual_clock& clock) {
    const auto now_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(clock.now().time_since_epoch()).count();
    return "_ga=GA1.1.1234567890.1700000000; locale=en-GB; theme=dark; consent=analytics%3Dfalse; access_token=" +
           std::string(800, 'A') + "; refresh_token=" + std::string(64, 'R') +
           "; session=" + split::indicator_value(now_ms + 10 * 60 * 1000);
}

void BM_split_restriction_fresh(benchmark::State& st) {
    manual_clock clock;
    auto c = make(clock);
    const auto cookie = cookie_header(clock);
    const auto restriction = split::auth_restriction("/login");
    if (!c.session(cookie).has_session) st.SkipWithError("no session");
    authpp_bench::alloc_probe probe;
    for (auto _ : st) {
        auto r = c.check(cookie, "/app", restriction);
        benchmark::DoNotOptimize(r);
    }
    probe.report(st);
}
BENCHMARK(BM_split_restriction_fresh);

void BM_split_session_fresh(benchmark::State& st) {
    manual_clock clock;
    auto c = make(clock);
    const auto cookie = cookie_header(clock);
    authpp_bench::alloc_probe probe;
    for (auto _ : st) {
        auto s = c.session(cookie);
        benchmark::DoNotOptimize(s);
    }
    probe.report(st);
}
BENCHMARK(BM_split_session_fresh);

void BM_split_floor_read(benchmark::State& st) {
    manual_clock clock;
    const split::split_options o;
    const auto cookie = cookie_header(clock);
    for (auto _ : st) {
        const auto c = split::read_cookies(o, cookie);
        auto e = split::read_indicator(*c.indicator);
        benchmark::DoNotOptimize(e);
    }
}
BENCHMARK(BM_split_floor_read);

} // namespace

int main(int argc, char** argv) {
    return authpp_bench::bench_main(argc, argv, "bench_split", [] {});
}
