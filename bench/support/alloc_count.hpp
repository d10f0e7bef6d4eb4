// bench/support/alloc_count.hpp — heap allocation counters for the benchmarks.
//
// alloc_count.cpp replaces the global operator new family (every C++
// allocation, Boost.JSON's default resource included) and, through
// install_openssl_counting(), OpenSSL's allocator. It lives in its own
// translation unit so the compiler never sees the replacement inlined next to
// a std::free (GCC's -Wmismatched-new-delete).
#pragma once

#include <benchmark/benchmark.h>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace authpp_bench {

std::uint64_t cxx_allocations() noexcept;
std::uint64_t openssl_allocations() noexcept;

/// Routes OpenSSL's allocations through a counter. Call it before anything
/// touches OpenSSL (OpenSSL refuses the swap afterwards); false if refused.
bool install_openssl_counting() noexcept;
bool openssl_counting() noexcept;

/// Records the size of every C++ allocation between start and stop (one
/// thread at a time; for the AUTHPP_BENCH_ALLOC_TRACE print-out).
void start_trace(std::vector<std::size_t>& sizes) noexcept;
void stop_trace() noexcept;

/// Counts the allocations of a benchmark loop: construct it just before the
/// loop, call report() after it. Counters: allocs_per_iter (C++) and
/// ossl_allocs_per_iter (OpenSSL; -1 when it could not be counted).
struct alloc_probe {
    std::uint64_t cxx0 = cxx_allocations();
    std::uint64_t ossl0 = openssl_allocations();

    void report(benchmark::State& st) const {
        const auto cxx = cxx_allocations() - cxx0;
        const auto ossl = openssl_allocations() - ossl0;
        st.counters["allocs_per_iter"] =
            benchmark::Counter(static_cast<double>(cxx), benchmark::Counter::kAvgIterations);
        if (openssl_counting())
            st.counters["ossl_allocs_per_iter"] =
                benchmark::Counter(static_cast<double>(ossl), benchmark::Counter::kAvgIterations);
        else
            st.counters["ossl_allocs_per_iter"] = -1.0;
    }
};

} // namespace authpp_bench
