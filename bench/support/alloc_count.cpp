// bench/support/alloc_count.cpp — see alloc_count.hpp.
#include "alloc_count.hpp"

#include <openssl/crypto.h>

#include <atomic>
#include <cstdlib>
#include <new>

namespace {

std::atomic<std::uint64_t> g_cxx{0};
std::atomic<std::uint64_t> g_ossl{0};
bool g_ossl_counting = false;

// The trace: only the thread that started it records, into a vector reserved
// beforehand (push_back past capacity would recurse into operator new).
std::vector<std::size_t>* g_trace = nullptr;
thread_local bool t_tracing = false;

void note(std::size_t n) noexcept {
    g_cxx.fetch_add(1, std::memory_order_relaxed);
    if (t_tracing && g_trace && g_trace->size() < g_trace->capacity()) g_trace->push_back(n);
}

void* counted(std::size_t n) noexcept {
    note(n);
    return std::malloc(n ? n : 1);
}

void* counted_aligned(std::size_t n, std::align_val_t al) noexcept {
    note(n);
    const auto a = static_cast<std::size_t>(al);
    const std::size_t rounded = (n + a - 1) / a * a;
    return std::aligned_alloc(a, rounded ? rounded : a);
}

void* ossl_malloc(std::size_t n, const char*, int) {
    g_ossl.fetch_add(1, std::memory_order_relaxed);
    return std::malloc(n);
}
void* ossl_realloc(void* p, std::size_t n, const char*, int) {
    g_ossl.fetch_add(1, std::memory_order_relaxed);
    return std::realloc(p, n);
}
void ossl_free(void* p, const char*, int) { std::free(p); }

} // namespace

namespace authpp_bench {

std::uint64_t cxx_allocations() noexcept { return g_cxx.load(std::memory_order_relaxed); }
std::uint64_t openssl_allocations() noexcept { return g_ossl.load(std::memory_order_relaxed); }

bool install_openssl_counting() noexcept {
    g_ossl_counting = CRYPTO_set_mem_functions(ossl_malloc, ossl_realloc, ossl_free) == 1;
    return g_ossl_counting;
}
bool openssl_counting() noexcept { return g_ossl_counting; }

void start_trace(std::vector<std::size_t>& sizes) noexcept {
    g_trace = &sizes;
    t_tracing = true;
}
void stop_trace() noexcept {
    t_tracing = false;
    g_trace = nullptr;
}

} // namespace authpp_bench

void* operator new(std::size_t n) {
    if (void* p = counted(n)) return p;
    throw std::bad_alloc();
}
void* operator new[](std::size_t n) {
    if (void* p = counted(n)) return p;
    throw std::bad_alloc();
}
void* operator new(std::size_t n, const std::nothrow_t&) noexcept { return counted(n); }
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept { return counted(n); }
void* operator new(std::size_t n, std::align_val_t al) {
    if (void* p = counted_aligned(n, al)) return p;
    throw std::bad_alloc();
}
void* operator new[](std::size_t n, std::align_val_t al) {
    if (void* p = counted_aligned(n, al)) return p;
    throw std::bad_alloc();
}
void* operator new(std::size_t n, std::align_val_t al, const std::nothrow_t&) noexcept {
    return counted_aligned(n, al);
}
void* operator new[](std::size_t n, std::align_val_t al, const std::nothrow_t&) noexcept {
    return counted_aligned(n, al);
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept { std::free(p); }
