// authpp/clock/manual_clock.hpp — a Clock that moves only when told to, for
// tests of expiry and refresh. Copies share one time, so a clock held by value
// inside a config is still driven from the test; safe across threads.
//
// It is a WaitingClock (<authpp/concepts/clock.hpp>): sleep_until blocks until
// the test moves the time past its deadline, so what waits on the clock (the
// refresh coordinator's polls and lease renewals, a basic_memory_store's
// expiry) runs on the test's time, with no real sleeps. A test that needs to
// know when a thread has got as far as sleeping asks await_sleepers().
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <memory>
#include <mutex>
#include <set>
#include <stop_token>

namespace authpp {

class manual_clock {
public:
    using time_point = std::chrono::system_clock::time_point;

    manual_clock() : manual_clock(time_point{std::chrono::seconds{1'800'000'000}}) {}
    explicit manual_clock(time_point start) : s_(std::make_shared<state>(start.time_since_epoch().count())) {}

    time_point now() const noexcept { return time_point{time_point::duration{s_->ticks.load()}}; }
    void set(time_point t) const noexcept {
        {
            std::lock_guard l(s_->m);
            s_->ticks.store(t.time_since_epoch().count());
        }
        s_->moved.notify_all();
    }
    template <class Rep, class Period>
    void advance(std::chrono::duration<Rep, Period> d) const noexcept {
        {
            std::lock_guard l(s_->m);
            s_->ticks.fetch_add(std::chrono::duration_cast<time_point::duration>(d).count());
        }
        s_->moved.notify_all();
    }

    /// Blocks until the time reaches `t` (set() or advance() from another
    /// thread), or until `st` has a stop requested.
    void sleep_until(time_point t, std::stop_token st) const {
        std::unique_lock l(s_->m);
        if (now() >= t) return;
        const auto it = s_->sleepers.insert(t);
        s_->asleep.notify_all();
        s_->moved.wait(l, st, [&] { return now() >= t; });
        s_->sleepers.erase(it);
    }

    /// Threads in sleep_until whose deadline is still to come.
    std::size_t sleepers() const {
        std::lock_guard l(s_->m);
        return s_->future_sleepers(now());
    }

    /// Blocks until at least `n` threads sleep until a time still to come —
    /// e.g. a lease renewer that has renewed and waits for its next turn —
    /// so the test moves the time only once they have. `limit` (real time)
    /// is a safety net: false when they did not come, rather than a test that
    /// hangs.
    bool await_sleepers(std::size_t n, std::chrono::steady_clock::duration limit = std::chrono::seconds(10)) const {
        std::unique_lock l(s_->m);
        return s_->asleep.wait_for(l, limit, [&] { return s_->future_sleepers(now()) >= n; });
    }

private:
    struct state {
        explicit state(std::int64_t t) : ticks(t) {}
        std::atomic<std::int64_t> ticks; // written under m, read without it
        std::mutex m;
        std::condition_variable_any moved;  // the time moved: sleepers look at their deadline
        std::condition_variable asleep;     // someone went to sleep: await_sleepers looks
        std::multiset<time_point> sleepers; // their deadlines

        std::size_t future_sleepers(time_point now) const {
            return static_cast<std::size_t>(std::distance(sleepers.upper_bound(now), sleepers.end()));
        }
    };
    std::shared_ptr<state> s_;
};

} // namespace authpp
