// authpp/clock/wait_clock.hpp — the time blocking waits are measured on:
// the steady clock, or the config's Clock when it can wait (WaitingClock,
// e.g. manual_clock), so tests step the waits of the refresh coordinator
// and of the single-flights instead of sleeping.
#pragma once

#include <authpp/concepts/clock.hpp>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <stop_token>
#include <thread>
#include <utility>

namespace authpp {

/// The time blocking waits are measured on: the
/// steady clock, or a WaitingClock's own time. Times are durations since
/// that clock's epoch.
class wait_clock {
public:
    using duration = std::chrono::nanoseconds;

    /// std::chrono::steady_clock.
    wait_clock() = default;

    /// The Clock's time when it can wait (WaitingClock), else the steady clock.
    template <Clock K>
    static wait_clock of(const K& k) {
        wait_clock w;
        if constexpr (WaitingClock<K>) {
            w.now_ = [k] {
                return std::chrono::duration_cast<duration>(
                    std::chrono::system_clock::time_point(k.now()).time_since_epoch());
            };
            w.sleep_until_ = [k](duration t, std::stop_token st) {
                k.sleep_until(std::chrono::system_clock::time_point(
                                  std::chrono::duration_cast<std::chrono::system_clock::duration>(t)),
                              std::move(st));
            };
        }
        return w;
    }

    duration now() const {
        if (now_) return now_();
        return std::chrono::steady_clock::now().time_since_epoch();
    }

    /// Blocks until now() >= t, or until `st` has a stop requested.
    void sleep_until(duration t, std::stop_token st = {}) const {
        if (sleep_until_) return sleep_until_(t, std::move(st));
        const std::chrono::steady_clock::time_point until(
            std::chrono::duration_cast<std::chrono::steady_clock::duration>(t));
        if (!st.stop_possible()) return std::this_thread::sleep_until(until);
        std::mutex m;
        std::condition_variable_any cv;
        std::unique_lock l(m);
        cv.wait_until(l, st, until, [] { return false; });
    }
    void sleep_for(duration d, std::stop_token st = {}) const { sleep_until(now() + d, std::move(st)); }

private:
    std::function<duration()> now_;
    std::function<void(duration, std::stop_token)> sleep_until_;
};

} // namespace authpp
