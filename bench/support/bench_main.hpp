// bench/support/bench_main.hpp — the main() both benchmark binaries share:
// count OpenSSL's allocations (the swap must precede any OpenSSL call), take
// Google Benchmark's flags, build and check the fixture, run.
#pragma once

#include "alloc_count.hpp"

#include <benchmark/benchmark.h>

#include <cstdio>
#include <exception>

namespace authpp_bench {

/// `setup()` builds the fixture, checks it and adds context; it throws to
/// stop the run (the message goes to stderr, exit status 1).
template <class Setup>
int bench_main(int argc, char** argv, const char* name, Setup setup) {
    const bool ossl_counting = install_openssl_counting();
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    try {
        setup();
    } catch (const std::exception& e) {
        std::fprintf(stderr, "%s: %s\n", name, e.what());
        return 1;
    }
    benchmark::AddCustomContext("ossl_alloc_counting", ossl_counting ? "yes" : "no");
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}

} // namespace authpp_bench
