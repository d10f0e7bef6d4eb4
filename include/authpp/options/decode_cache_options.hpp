// authpp/options/decode_cache_options.hpp — the limits of the decode cache
// (auth_options::decode_cache; the cache itself: <authpp/core/decode_cache.hpp>).
#pragma once

#include <chrono>
#include <cstddef>

namespace authpp {

struct decode_cache_options {
    bool enabled = true;               ///< false: every request decrypts and parses its cookie
    std::size_t max_entries = 10'000;  ///< across all shards; 0 keeps nothing
    std::size_t max_bytes = 32u << 20; ///< upper estimate of the memory held, across all shards
    std::chrono::seconds max_age{300}; ///< an entry's longest life, whatever its token's exp
    std::size_t shards = 16;           ///< one mutex each; rounded up to a power of two, at most 1024

    /// Refused by auth_options::validate(): a max_age negative or over a
    /// year, shards outside 1..1024.
    bool valid() const noexcept {
        return max_age.count() >= 0 && max_age <= std::chrono::hours(24 * 366) && shards >= 1 && shards <= 1024;
    }
};

} // namespace authpp
