// authpp/clock/manual_clock.hpp — a Clock that moves only when told to, for
// tests of expiry and refresh. Copies share one time, so a clock held by value
// inside a config is still driven from the test; safe across threads.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>

namespace authpp {

class manual_clock {
public:
    using time_point = std::chrono::system_clock::time_point;

    manual_clock() : manual_clock(time_point{std::chrono::seconds{1'800'000'000}}) {}
    explicit manual_clock(time_point start)
        : ticks_(std::make_shared<std::atomic<std::int64_t>>(start.time_since_epoch().count())) {}

    time_point now() const noexcept { return time_point{time_point::duration{ticks_->load()}}; }
    void set(time_point t) const noexcept { ticks_->store(t.time_since_epoch().count()); }
    template <class Rep, class Period>
    void advance(std::chrono::duration<Rep, Period> d) const noexcept {
        ticks_->fetch_add(std::chrono::duration_cast<time_point::duration>(d).count());
    }

private:
    std::shared_ptr<std::atomic<std::int64_t>> ticks_;
};

} // namespace authpp
