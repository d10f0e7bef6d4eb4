// bench/support/codec_loops.hpp — the decode and decrypt loops both benchmark
// binaries time on their own tokens (with allocation counters).
#pragma once

#include "alloc_count.hpp"

#include <benchmark/benchmark.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace authpp_bench {

/// codec.decode(): authenticate, decrypt, parse the claims, check exp / nbf.
template <class Codec>
void decode_loop(benchmark::State& st, const Codec& codec, std::string_view token, std::string_view salt,
                 std::int64_t now) {
    alloc_probe probe;
    for (auto _ : st) {
        auto r = codec.decode(token, salt, now);
        if (!r) {
            st.SkipWithError("decode failed");
            break;
        }
        benchmark::DoNotOptimize(r);
    }
    probe.report(st);
}

/// codec.decrypt() into a reused string: the crypto and base64url, no JSON.
template <class Codec>
void decrypt_loop(benchmark::State& st, const Codec& codec, std::string_view token, std::string_view salt) {
    std::string plaintext;
    plaintext.reserve(token.size());
    alloc_probe probe;
    for (auto _ : st) {
        if (codec.decrypt(token, salt, plaintext)) {
            st.SkipWithError("decrypt failed");
            break;
        }
        benchmark::DoNotOptimize(plaintext.data());
        benchmark::ClobberMemory();
    }
    probe.report(st);
}

} // namespace authpp_bench
