// Shared by the libFuzzer targets: the fixed secrets and keys every target
// and the seed generator agree on, and a check that stops the run.
#pragma once

#include <array>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

/// A property the target asserts: on failure, say which and trap, so
/// libFuzzer records the input as a crash.
#define FUZZ_CHECK(cond)                                                                           \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            std::fprintf(stderr, "%s:%d: fuzz check failed: %s\n", __FILE__, __LINE__, #cond);     \
            __builtin_trap();                                                                      \
        }                                                                                          \
    } while (0)

namespace authpp_fuzz {

/// Secrets of the codec target, new first (it encodes), old second.
inline constexpr std::string_view secret_new = "fuzz-secret-new-0123456789abcdef";
inline constexpr std::string_view secret_old = "fuzz-secret-old-0123456789abcdef";

/// "now" of the codec target, and of the seed tokens (seconds).
inline constexpr std::int64_t now = 1'800'000'000;
inline constexpr std::int64_t max_age = 30 * 24 * 60 * 60;

/// The fixed JWE keys of the jwe target: bytes 0, 1, 2, … (64 for
/// A256CBC-HS512, the first 32 for A256GCM).
inline const std::array<std::uint8_t, 64>& jwe_key() {
    static const std::array<std::uint8_t, 64> k = [] {
        std::array<std::uint8_t, 64> a{};
        for (std::size_t i = 0; i < a.size(); ++i) a[i] = static_cast<std::uint8_t>(i);
        return a;
    }();
    return k;
}

inline std::string_view as_view(const std::uint8_t* data, std::size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

} // namespace authpp_fuzz
