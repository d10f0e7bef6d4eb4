// authpp/core/decode_cache.hpp — the session a cookie decoded to, kept so
// that the next request with the same cookie skips the decryption and the
// JSON parse.
//
// The session flow (<authpp/core/session_flow.hpp>) asks the cache before it
// decrypts a cookie-held session and fills it after a decode that passed
// every check. What is kept is the token before any callback ran (the jwt
// callback, a refresh, the session callback all run again per request), so
// a hit changes nothing but the time: the same bytes decode to the same
// claims under the same secrets.
//
// Safety of a hit:
//   - only a byte-identical token hits: the key is the whole token, the
//     cookie name (the key's salt) and a fingerprint of the secret list; the
//     hash picks a bucket, the full bytes are compared;
//   - nothing is inserted that did not authenticate, decrypt and pass the
//     claim checks, so a tampered token can never hit;
//   - an entry lives no longer than its token's `exp` (plus the decoder's
//     tolerance) and `max_age`, and the flow runs the codec's claim check
//     again on the token's exp / nbf / iat at every hit;
//   - another secret list is another fingerprint: entries written under the
//     old secrets never hit (clear() also empties the cache).
//
// decode_cache is the model the ready-made configs use: sharded (one mutex
// per shard), least-recently-used eviction bounded by entries and by bytes,
// no heap allocation on a hit. The bounds are per shard (the totals divided
// by the shard count, rounded up, so the totals may be passed by up to one
// entry per shard), and the bytes are an estimate per entry (the key, twice
// the token for the decoded session, the entry): a session whose claims
// decode to much more than its token (deep JSON in `extra`) is under-counted,
// and the hash index's nodes are not counted. The DecodeCache concept
// (<authpp/concepts/decode_cache.hpp>) is the seam for your own.
#pragma once

#include <authpp/concepts/decode_cache.hpp>
#include <authpp/detail/time_arith.hpp>
#include <authpp/options/decode_cache_options.hpp>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>

namespace authpp {

namespace detail {
// The token's last bytes are its authentication tag (random-looking, 16 or
// 32 bytes base64url): hashing them spreads tokens without reading 2 KB.
struct decode_key_hash {
    std::size_t operator()(const decode_key& k) const noexcept {
        const auto tail = k.token.substr(k.token.size() - std::min<std::size_t>(k.token.size(), 32));
        return std::hash<std::string_view>{}(tail) ^ (k.secrets * 0x9e3779b97f4a7c15ull) ^ k.token.size();
    }
};
} // namespace detail

class decode_cache {
public:
    explicit decode_cache(const decode_cache_options& o = {})
        : max_age_ms_(o.max_age.count() <= 0                   ? 0
                      : o.max_age.count() > INT64_MAX / 1000 ? INT64_MAX
                                                             : o.max_age.count() * 1000) {
        std::size_t n = 1;
        while (n < std::max<std::size_t>(o.shards, 1) && n < 1024) n <<= 1;
        shards_ = std::make_unique<shard[]>(n);
        count_ = n;
        mask_ = n - 1;
        // Per-shard limits, rounded up: a small limit still admits an entry per shard.
        entries_per_shard_ = o.max_entries == 0 ? 0 : (o.max_entries + n - 1) / n;
        bytes_per_shard_ = o.max_bytes == 0 ? 0 : (o.max_bytes + n - 1) / n;
    }
    decode_cache(const decode_cache&) = delete;
    decode_cache& operator=(const decode_cache&) = delete;

    /// The session `key` decoded to, or null. An entry past its deadline
    /// is dropped and misses. No heap allocation.
    std::shared_ptr<const cached_session> find(const decode_key& key, std::int64_t now_ms) {
        const auto h = detail::decode_key_hash{}(key);
        auto& s = shards_[h & mask_];
        std::lock_guard lock(s.mutex);
        auto it = s.index.find(key);
        if (it == s.index.end()) return nullptr;
        auto node = it->second;
        if (now_ms >= node->deadline_ms) { // past its time
            s.remove(it);
            return nullptr;
        }
        // An earlier `now_ms` than the insertion's (requests running in
        // parallel read the clock a little apart, or the clock went back) is
        // no reason to drop it: the caller checks the claims, nbf included,
        // against its own time at every hit.
        s.lru.splice(s.lru.begin(), s.lru, node); // most recently used first; no allocation
        return node->value;
    }

    /// Keeps `value` for `key` until min(deadline_ms, now + max_age).
    /// Replaces an entry of the same key; evicts the least recently used
    /// while the shard is over its limits. A token larger than a shard's
    /// byte budget is not kept.
    void insert(const decode_key& key, cached_session value, std::int64_t now_ms, std::int64_t deadline_ms) {
        if (entries_per_shard_ == 0) return;
        const std::size_t charge = sizeof(entry) + sizeof(cached_session) + key.salt.size() + 2 * key.token.size();
        if (charge > bytes_per_shard_) return;
        const std::int64_t cap = authpp::detail::saturating_add(now_ms, max_age_ms_);
        const std::int64_t deadline = std::min(deadline_ms, cap);
        if (deadline <= now_ms) return;
        // Allocate outside the lock.
        entry e;
        e.secrets = key.secrets;
        e.salt.assign(key.salt);
        e.token.assign(key.token);
        e.deadline_ms = deadline;
        e.charge = charge;
        e.value = std::make_shared<const cached_session>(std::move(value));

        const auto h = detail::decode_key_hash{}(key);
        auto& s = shards_[h & mask_];
        std::lock_guard lock(s.mutex);
        if (auto it = s.index.find(key); it != s.index.end()) s.remove(it);
        s.lru.push_front(std::move(e));
        auto node = s.lru.begin();
        try {
            s.index.emplace(node->key(), node);
        } catch (...) { // out of memory: the list and the index must stay in step
            s.lru.pop_front();
            throw;
        }
        s.bytes += charge;
        while (s.lru.size() > entries_per_shard_ || s.bytes > bytes_per_shard_) s.remove(s.index.find(s.lru.back().key()));
    }

    /// Drops the entry of `key`, if any.
    void erase(const decode_key& key) {
        auto& s = shards_[detail::decode_key_hash{}(key) & mask_];
        std::lock_guard lock(s.mutex);
        if (auto it = s.index.find(key); it != s.index.end()) s.remove(it);
    }

    /// Empties the cache.
    void clear() {
        for (auto& s : all()) {
            std::lock_guard lock(s.mutex);
            s.index.clear();
            s.lru.clear();
            s.bytes = 0;
        }
    }

    /// Entries and charged bytes now held (a snapshot; for tests and metrics).
    std::size_t size() const {
        std::size_t n = 0;
        for (auto& s : all()) {
            std::lock_guard lock(s.mutex);
            n += s.lru.size();
        }
        return n;
    }
    std::size_t bytes() const {
        std::size_t n = 0;
        for (auto& s : all()) {
            std::lock_guard lock(s.mutex);
            n += s.bytes;
        }
        return n;
    }

private:
    struct entry {
        std::uint64_t secrets = 0;
        std::string salt;
        std::string token;
        std::int64_t deadline_ms = 0;
        std::size_t charge = 0;
        std::shared_ptr<const cached_session> value;
        decode_key key() const noexcept { return {secrets, salt, token}; }
    };
    using list_type = std::list<entry>;
    struct shard {
        mutable std::mutex mutex;
        list_type lru; // front: most recently used
        // Keys view the strings of their own entry (list nodes never move).
        std::unordered_map<decode_key, list_type::iterator, detail::decode_key_hash> index;
        std::size_t bytes = 0;

        void remove(typename decltype(index)::iterator it) {
            auto node = it->second;
            bytes -= node->charge;
            index.erase(it);
            lru.erase(node);
        }
    };

    std::span<shard> all() const noexcept { return {shards_.get(), count_}; }

    std::unique_ptr<shard[]> shards_;
    std::size_t count_ = 0;
    std::size_t mask_ = 0;
    std::size_t entries_per_shard_ = 0;
    std::size_t bytes_per_shard_ = 0;
    std::int64_t max_age_ms_ = 0;
};

} // namespace authpp
