// authpp/core/refresh_backoff.hpp — when to try the token endpoint again
// after it failed transiently.
//
// One per config, shared by every request: while the identity provider is
// down, requests keep their sessions (reported as TokenExpired) without each
// one waiting for its own time-out, and the provider is not hammered when it
// comes back. The wait doubles per failure in a row, from `initial` up to
// `max`; any answer that is not transient (success, or a definitive refusal)
// resets it.
#pragma once

#include <authpp/detail/time_arith.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>

namespace authpp::core {

class refresh_backoff {
public:
    /// Unix ms before which no refresh should be attempted (0: none).
    std::int64_t not_before() const noexcept { return not_before_.load(std::memory_order_relaxed); }
    unsigned failures() const noexcept { return failures_.load(std::memory_order_relaxed); }

    void failed(std::int64_t now_ms, std::chrono::milliseconds initial, std::chrono::milliseconds max) noexcept {
        const unsigned n = failures_.fetch_add(1, std::memory_order_relaxed) + 1;
        std::int64_t wait = initial.count();
        for (unsigned i = 1; i < n && wait < max.count(); ++i) wait *= 2;
        wait = std::min<std::int64_t>(wait, max.count());
        not_before_.store(authpp::detail::saturating_add(now_ms, wait), std::memory_order_relaxed);
    }

    /// failed(), unless a failure already set a wait that has not passed:
    /// the waiters of one coordinated refresh all report its failure, and it
    /// counts once. The check and the update are one step (several threads
    /// report at once).
    bool failed_if_due(std::int64_t now_ms, std::chrono::milliseconds initial, std::chrono::milliseconds max) noexcept {
        std::int64_t nb = not_before_.load(std::memory_order_relaxed);
        do {
            if (now_ms < nb) return false;
        } while (!not_before_.compare_exchange_weak(nb, authpp::detail::saturating_add(now_ms, initial.count()), std::memory_order_relaxed));
        // This thread claimed the failure: the provisional wait above keeps
        // the others out while the real (doubled) one is set.
        failed(now_ms, initial, max);
        return true;
    }

    void succeeded() noexcept {
        failures_.store(0, std::memory_order_relaxed);
        not_before_.store(0, std::memory_order_relaxed);
    }

private:
    std::atomic<std::int64_t> not_before_{0};
    std::atomic<unsigned> failures_{0};
};

} // namespace authpp::core
