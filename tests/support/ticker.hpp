// A timer that ticks on an io_context every `period`, `count` times, and
// records the worst gap between two ticks: a thread that never blocks keeps
// it near the period, one that waits on I/O shows the wait.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <algorithm>
#include <chrono>

namespace authpp::test {

class ticker {
public:
    using clock = std::chrono::steady_clock;
    ticker(boost::asio::io_context& io, std::chrono::milliseconds period, int count)
        : timer_(io), period_(period), count_(count) {}
    void start() {
        last_ = clock::now();
        arm();
    }
    int ticks() const noexcept { return ticks_; }
    clock::duration worst_gap() const noexcept { return worst_; }

private:
    void arm() {
        timer_.expires_after(period_);
        timer_.async_wait([this](boost::system::error_code) {
            const auto now = clock::now();
            worst_ = std::max(worst_, now - last_);
            last_ = now;
            if (++ticks_ < count_) arm();
        });
    }
    boost::asio::steady_timer timer_;
    std::chrono::milliseconds period_;
    int count_, ticks_ = 0;
    clock::time_point last_;
    clock::duration worst_{};
};

} // namespace authpp::test
