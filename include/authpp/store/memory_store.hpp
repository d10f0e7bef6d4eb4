// authpp/store/memory_store.hpp — the default Store: an in-process map with
// per-entry expiry, split into shards so threads working on different keys
// do not wait for each other, and bounded so a flood of sessions or refresh
// records cannot take the process's memory.
//
// Copies share one map (the config holds its store by value, and its users
// may hold another handle). Every member is thread-safe.
//
// Expiry uses std::chrono::steady_clock: wall-clock jumps neither revive nor
// kill entries. An expired entry is never returned; it is removed when a
// call touches its key, and writes also sweep a few expired entries of their
// shard, so memory held by keys nobody asks for again is reclaimed without a
// background thread.
//
// memory_store is basic_memory_store<std::chrono::steady_clock>; the template
// takes its time from another clock — anything whose `now() const` gives a
// std::chrono::time_point, held by value and shared by copies of the store —
// e.g. basic_memory_store<manual_clock>, whose entries expire when a test
// moves the time.
//
// When a shard is full, a write evicts the entries of that shard that expire
// soonest — the expired ones first, since they expire "sooner" than any live
// one. Closest-to-expiry rather than LRU: for leases and successor records
// it is the entry with the least life left to lose, and it needs no
// bookkeeping on reads (an LRU would turn every get into a write).
#pragma once

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace authpp {

/// Sizes of a memory_store. Each limit is split evenly between the shards,
/// so one shard may be full while others have room.
struct memory_store_options {
    /// Independent parts, each with its own mutex (at least 1).
    std::size_t shards = 16;
    /// At most this many entries in all (0: no count limit).
    std::size_t max_entries = 0;
    /// At most about this many bytes in all (0: no byte limit); an entry is
    /// counted as key + value + `entry_overhead`. A value larger than a
    /// shard's share is refused (set/add answer false).
    std::size_t max_bytes = std::size_t{64} << 20;
    /// What one entry costs beyond its key and value: the map and index
    /// nodes, the strings' headers.
    static constexpr std::size_t entry_overhead = 160;
};

template <class Clock = std::chrono::steady_clock>
class basic_memory_store {
public:
    using clock = Clock;
    using time_point = decltype(std::declval<const Clock&>().now());
    /// Its members never wait on I/O: the asynchronous drivers call them in
    /// place (ImmediateStore, <authpp/concepts/store.hpp>).
    static constexpr bool completes_immediately = true;

    basic_memory_store() : basic_memory_store(memory_store_options{}) {}

    explicit basic_memory_store(const memory_store_options& options, Clock clock = Clock{})
        : state_(std::make_shared<state>(options, std::move(clock))) {}

    /// now + ttl without overflowing the clock's representation: a ttl of
    /// milliseconds::max() means "for a century", not undefined behaviour.
    static time_point expiry(time_point now, std::chrono::milliseconds ttl) {
        constexpr std::chrono::milliseconds longest = std::chrono::hours(24 * 365 * 100);
        return now + std::clamp(ttl, std::chrono::milliseconds::zero(), longest);
    }

    std::optional<std::string> get(std::string_view key) {
        auto& sh = state_->shard_for(key);
        std::lock_guard lock(sh.mutex);
        auto it = sh.find_live(key, state_->now());
        if (it == sh.entries.end()) return std::nullopt;
        return it->second.value;
    }

    bool set(std::string_view key, std::string_view value, std::chrono::milliseconds ttl) {
        auto& sh = state_->shard_for(key);
        std::lock_guard lock(sh.mutex);
        if (!sh.fits(key, value)) return false; // and the old value stays
        const auto now = state_->now();
        auto it = sh.entries.find(key);
        if (it != sh.entries.end()) sh.remove(it);
        sh.insert(key, value, expiry(now, ttl), now);
        return true;
    }

    bool erase(std::string_view key) {
        auto& sh = state_->shard_for(key);
        std::lock_guard lock(sh.mutex);
        // An expired entry is already gone as far as callers can tell.
        auto it = sh.find_live(key, state_->now());
        if (it == sh.entries.end()) return false;
        sh.remove(it);
        return true;
    }

    bool add(std::string_view key, std::string_view value, std::chrono::milliseconds ttl) {
        auto& sh = state_->shard_for(key);
        std::lock_guard lock(sh.mutex);
        const auto now = state_->now();
        if (!sh.fits(key, value) || sh.find_live(key, now) != sh.entries.end()) return false;
        sh.insert(key, value, expiry(now, ttl), now);
        return true;
    }

    bool expire_if(std::string_view key, std::string_view value, std::chrono::milliseconds ttl) {
        auto& sh = state_->shard_for(key);
        std::lock_guard lock(sh.mutex);
        const auto now = state_->now();
        auto it = sh.find_live(key, now);
        if (it == sh.entries.end() || it->second.value != value) return false;
        sh.reindex(it, expiry(now, ttl));
        return true;
    }

    bool erase_if(std::string_view key, std::string_view value) {
        auto& sh = state_->shard_for(key);
        std::lock_guard lock(sh.mutex);
        auto it = sh.find_live(key, state_->now());
        if (it == sh.entries.end() || it->second.value != value) return false;
        sh.remove(it);
        return true;
    }

    /// Entries held, expired ones not yet reclaimed included (a snapshot:
    /// other threads may change it at once).
    std::size_t size() const {
        std::size_t n = 0;
        for (std::size_t i = 0; i < state_->shard_count; ++i) {
            std::lock_guard lock(state_->shards[i].mutex);
            n += state_->shards[i].entries.size();
        }
        return n;
    }

    /// Bytes held as counted against `max_bytes` (a snapshot).
    std::size_t bytes() const {
        std::size_t n = 0;
        for (std::size_t i = 0; i < state_->shard_count; ++i) {
            std::lock_guard lock(state_->shards[i].mutex);
            n += state_->shards[i].bytes;
        }
        return n;
    }

private:
    struct string_hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
    };

    // Expiry index: the front is what expires first, so the sweep and the
    // eviction are both "pop the front". Values point at the map's keys,
    // which stay put while the node lives (node-based container).
    using expiry_index = std::multimap<time_point, const std::string*>;

    struct entry {
        std::string value;
        expiry_index::iterator expiry;
    };

    // Own cache lines, so two threads on two shards do not share one.
    struct alignas(64) shard {
        using map = std::unordered_map<std::string, entry, string_hash, std::equal_to<>>;

        mutable std::mutex mutex;
        map entries;
        expiry_index by_expiry;
        std::size_t bytes = 0;
        std::size_t max_entries = 0; // 0: unlimited
        std::size_t max_bytes = 0;   // 0: unlimited

        // How many expired entries a write reclaims besides its own key:
        // more than one, so the sweep outpaces the inserts that create work.
        static constexpr int sweep_per_write = 4;

        static std::size_t cost(std::size_t key, std::size_t value) noexcept {
            return key + value + memory_store_options::entry_overhead;
        }

        map::iterator find_live(std::string_view key, time_point now) {
            auto it = entries.find(key);
            if (it != entries.end() && it->second.expiry->first <= now) {
                remove(it);
                return entries.end();
            }
            return it;
        }

        void remove(map::iterator it) {
            bytes -= cost(it->first.size(), it->second.value.size());
            by_expiry.erase(it->second.expiry);
            entries.erase(it);
        }

        void reindex(map::iterator it, time_point expires) {
            by_expiry.erase(it->second.expiry);
            it->second.expiry = by_expiry.emplace(expires, &it->first);
        }

        void pop_front() { remove(entries.find(*by_expiry.begin()->second)); }

        void sweep(time_point now) {
            for (int i = 0; i < sweep_per_write && !by_expiry.empty() && by_expiry.begin()->first <= now; ++i)
                pop_front();
        }

        bool fits(std::string_view key, std::string_view value) const noexcept {
            return max_bytes == 0 || cost(key.size(), value.size()) <= max_bytes;
        }

        // `key` must be absent and fit.
        void insert(std::string_view key, std::string_view value, time_point expires, time_point now) {
            sweep(now);
            const auto need = cost(key.size(), value.size());
            while (!by_expiry.empty() && ((max_entries != 0 && entries.size() >= max_entries) ||
                                          (max_bytes != 0 && bytes + need > max_bytes)))
                pop_front();
            auto it = entries.emplace(std::string(key), entry{std::string(value), {}}).first;
            it->second.expiry = by_expiry.emplace(expires, &it->first);
            bytes += need;
        }
    };

    struct state {
        std::size_t shard_count;
        std::unique_ptr<shard[]> shards;
        Clock clock;

        state(const memory_store_options& o, Clock k)
            : shard_count(std::max<std::size_t>(o.shards, 1)), shards(new shard[shard_count]), clock(std::move(k)) {
            // Round up, so the shards together hold at least what was asked.
            const auto share = [&](std::size_t total) { return total == 0 ? 0 : (total + shard_count - 1) / shard_count; };
            for (std::size_t i = 0; i < shard_count; ++i) {
                shards[i].max_entries = share(o.max_entries);
                shards[i].max_bytes = share(o.max_bytes);
            }
        }

        shard& shard_for(std::string_view key) noexcept {
            // The map hashes the key again with the same function; its bucket
            // index is taken modulo a prime, so using the hash here as well
            // does not crowd a shard's keys into few buckets.
            return shards[string_hash{}(key) % shard_count];
        }

        time_point now() const { return clock.now(); }
    };

    std::shared_ptr<state> state_;
};

/// The default Store: expiry on std::chrono::steady_clock.
using memory_store = basic_memory_store<>;

} // namespace authpp
