// bench/middleware/bench_middleware.cpp — the middleware decision over 100
// path patterns (target: under 100 ns for prefixes), next to its floor (one
// string compare), the naive loop prefix_matcher replaced, and the RE2
// matcher over 100 regular expressions.
//
// Each case runs on three paths: one the first pattern covers ("hit early"),
// one only the last covers ("hit late"), and one none covers ("miss"). The
// decision cases are run_middleware() on a config with 100 public and 100
// protected prefixes: a hit passes as public, a miss passes as unprotected
// after both lists were searched; neither reads the session cookie, which is
// what the decision costs before any session work. Counter allocs_per_iter:
// heap allocations per decision (expected 0).
#include "support/alloc_count.hpp"
#include "support/bench_main.hpp"
#include "support/scripted_transport.hpp"

#include <authpp/clock/manual_clock.hpp>
#include <authpp/codec/authjs_codec.hpp>
#include <authpp/config.hpp>
#include <authpp/match/prefix_matcher.hpp>
#include <authpp/match/regex_matcher.hpp>
#include <authpp/middleware.hpp>
#include <authpp/store/memory_store.hpp>

#include <benchmark/benchmark.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

using config = authpp::basic_auth_config<authpp::test::scripted_transport, authpp::authjs_codec, authpp::manual_clock,
                                         authpp::memory_store, authpp::prefix_matcher>;
using authpp_bench::alloc_probe;

constexpr int n_patterns = 100;

std::vector<std::string> prefixes(const char* stem) {
    std::vector<std::string> v;
    for (int i = 0; i < n_patterns; ++i) v.push_back(std::string("/") + stem + "-" + std::to_string(i));
    return v;
}

// Paths of a realistic shape: a few segments, ~30 bytes.
const char* const hit_early = "/public-0/assets/app.js";
const char* const hit_late = "/public-99/assets/app.js";
const char* const miss = "/somewhere/else/entirely";

const char* path_for(const benchmark::State& st) {
    switch (st.range(0)) {
    case 0: return hit_early;
    case 1: return hit_late;
    default: return miss;
    }
}

void label(benchmark::State& st) {
    static const char* const names[] = {"hit early", "hit late", "miss"};
    st.SetLabel(names[st.range(0)]);
}

std::unique_ptr<config> cfg;

void bm_floor_string_compare(benchmark::State& st) {
    std::string a = hit_late, b = hit_late;
    for (auto _ : st) {
        benchmark::DoNotOptimize(a.data());
        benchmark::DoNotOptimize(b.data());
        bool eq = std::string_view(a) == std::string_view(b);
        benchmark::DoNotOptimize(eq);
    }
}

void bm_middleware_decision(benchmark::State& st) {
    authpp::http::server_request req;
    req.method = "GET";
    req.target = path_for(st);
    req.cookie = "theme=dark; authjs.session-token=never-read";
    alloc_probe probe;
    for (auto _ : st) {
        auto r = authpp::run_middleware(*cfg, req);
        benchmark::DoNotOptimize(r.allowed);
        if (!r.allowed) st.SkipWithError("a decision redirected");
    }
    probe.report(st);
    label(st);
}

void bm_classify_route(benchmark::State& st) {
    const std::string_view path = path_for(st);
    alloc_probe probe;
    for (auto _ : st) {
        benchmark::DoNotOptimize(path.data());
        auto k = authpp::classify_route(*cfg, path);
        benchmark::DoNotOptimize(k);
    }
    probe.report(st);
    label(st);
}

template <class Matcher>
void run_matcher(benchmark::State& st, const Matcher& m) {
    const std::string_view path = path_for(st);
    alloc_probe probe;
    for (auto _ : st) {
        benchmark::DoNotOptimize(path.data());
        bool hit = m.matches(path);
        benchmark::DoNotOptimize(hit);
    }
    probe.report(st);
    label(st);
}

void bm_prefix_matcher(benchmark::State& st) { run_matcher(st, authpp::prefix_matcher(prefixes("public"))); }

// The loop prefix_matcher replaced: match_path_prefix on every pattern.
void bm_naive_prefix_loop(benchmark::State& st) {
    const auto patterns = prefixes("public");
    const std::string_view path = path_for(st);
    for (auto _ : st) {
        benchmark::DoNotOptimize(path.data());
        bool hit = false;
        for (const auto& p : patterns)
            if (authpp::match_path_prefix(path, p)) {
                hit = true;
                break;
            }
        benchmark::DoNotOptimize(hit);
    }
    label(st);
}

void bm_regex_matcher(benchmark::State& st) {
    std::vector<std::string> patterns;
    for (int i = 0; i < n_patterns; ++i) patterns.push_back("^/public-" + std::to_string(i) + "(/|$)");
    run_matcher(st, authpp::regex_matcher(patterns));
}

} // namespace

BENCHMARK(bm_floor_string_compare);
BENCHMARK(bm_middleware_decision)->DenseRange(0, 2);
BENCHMARK(bm_classify_route)->DenseRange(0, 2);
BENCHMARK(bm_prefix_matcher)->DenseRange(0, 2);
BENCHMARK(bm_naive_prefix_loop)->DenseRange(0, 2);
BENCHMARK(bm_regex_matcher)->DenseRange(0, 2);

int main(int argc, char** argv) {
    return authpp_bench::bench_main(argc, argv, "authpp_bench_middleware", [] {
        auto o = authpp::sandbox_options();
        o.secrets = {"bench-middleware-secret"};
        o.public_paths = prefixes("public");
        o.protected_paths = prefixes("app");
        cfg = std::make_unique<config>(std::move(o), authpp::test::scripted_transport{});
        // The fixture must decide what the cases claim.
        using authpp::route_kind;
        if (authpp::classify_route(*cfg, hit_early) != route_kind::public_route ||
            authpp::classify_route(*cfg, hit_late) != route_kind::public_route ||
            authpp::classify_route(*cfg, miss) != route_kind::unprotected ||
            authpp::classify_route(*cfg, "/app-99/x") != route_kind::protected_route)
            throw std::runtime_error("the fixture's routes are not classified as expected");
        benchmark::AddCustomContext("patterns_per_list", std::to_string(n_patterns));
    });
}
