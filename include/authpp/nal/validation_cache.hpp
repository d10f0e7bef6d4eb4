// authpp/nal/validation_cache.hpp — recent valid validations, so one user's
// burst of requests costs one backend call per TTL (2 s by default).
//
// Keyed by SHA-256 of the token: the token itself is never kept. Only valid
// results are cached, each until min(now + TTL, the token's exp). Expired
// entries are reclaimed on insert; past the bound the entry closest to its
// expiry goes. A TTL of 0 turns the cache off. Per process, thread-safe.
#pragma once

#include <authpp/crypto/sha.hpp>
#include <authpp/detail/time_arith.hpp>
#include <authpp/nal/mapper.hpp>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <map>
#include <mutex>
#include <optional>
#include <string_view>

namespace authpp::nal {

class validation_cache {
public:
    validation_cache(std::chrono::milliseconds ttl, std::size_t max_entries) : ttl_(ttl), max_(max_entries) {}

    bool enabled() const noexcept { return ttl_.count() > 0 && max_ > 0; }

    /// The cached info of `token`, if a live entry holds it.
    std::optional<token_info> find(std::string_view token, std::int64_t now_ms) const {
        if (!enabled()) return std::nullopt;
        const auto key = crypto::sha256(token);
        std::lock_guard l(m_);
        const auto it = entries_.find(key);
        if (it == entries_.end() || it->second.until_ms <= now_ms) return std::nullopt;
        return it->second.info;
    }

    /// Remembers a valid validation of `token` made at `now_ms`.
    void insert(std::string_view token, const token_info& info, std::int64_t now_ms) {
        if (enabled()) insert_digest(crypto::sha256(token), info, now_ms);
    }

    /// The same, for the token whose SHA-256 is `key`.
    void insert_digest(const crypto::sha256_digest& key, const token_info& info, std::int64_t now_ms) {
        if (!enabled()) return;
        std::int64_t until = authpp::detail::saturating_add(now_ms, ttl_.count());
        if (info.exp) { // Unix seconds → ms, clamped
            const std::int64_t e = *info.exp;
            until = std::min(until, e > INT64_MAX / 1000 ? INT64_MAX : e < INT64_MIN / 1000 ? INT64_MIN : e * 1000);
        }
        if (until <= now_ms) return; // already expired: nothing to remember
        std::lock_guard l(m_);
        reclaim(now_ms);
        if (entries_.size() >= max_ && !entries_.contains(key)) {
            auto soonest = entries_.begin();
            for (auto it = entries_.begin(); it != entries_.end(); ++it)
                if (it->second.until_ms < soonest->second.until_ms) soonest = it;
            entries_.erase(soonest);
        }
        entries_.insert_or_assign(key, entry{until, info});
    }

    /// Forgets `token` (it was refused, or refreshed away).
    void erase(std::string_view token) {
        const auto key = crypto::sha256(token);
        std::lock_guard l(m_);
        entries_.erase(key);
    }

    std::size_t size() const {
        std::lock_guard l(m_);
        return entries_.size();
    }

private:
    struct entry {
        std::int64_t until_ms;
        token_info info;
    };

    void reclaim(std::int64_t now_ms) {
        for (auto it = entries_.begin(); it != entries_.end();)
            it = it->second.until_ms <= now_ms ? entries_.erase(it) : std::next(it);
    }

    std::chrono::milliseconds ttl_;
    std::size_t max_;
    mutable std::mutex m_;
    std::map<crypto::sha256_digest, entry> entries_;
};

} // namespace authpp::nal
