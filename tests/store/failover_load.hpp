// For the failover tests of redis_store (Sentinel, Cluster): how long a
// load loop's calls kept failing while the servers failed over, and the wait
// for every loop to succeed again.
#pragma once

#include <authpp/error.hpp>
#include <authpp/store/redis_error.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace authpp::test {

/// The longest run of failed calls (first failure to the next success) of one loop.
/// Written by its loop's thread; `successes` and `failing` are also watched from the test's.
struct gap_meter {
    std::optional<std::chrono::steady_clock::time_point> failing_since;
    std::chrono::steady_clock::duration longest{};
    int failures = 0, wrong_values = 0;
    std::map<int, int> errors; ///< redis_error value (0: none given) → count
    std::atomic<int> successes{0};
    std::atomic<bool> failing{false};
    void record(bool ok, const error_code& ec = {}) {
        const auto now = std::chrono::steady_clock::now();
        failing = !ok;
        if (!ok) {
            ++failures;
            ++errors[ec.value()];
            if (!failing_since) failing_since = now;
            return;
        }
        ++successes;
        if (failing_since) longest = std::max(longest, now - *failing_since);
        failing_since.reset();
    }
    std::string error_list() const {
        std::string s;
        for (const auto& [e, n] : errors) s += " " + std::to_string(n) + " x " + name(e) + ",";
        return s;
    }
    /// Whether every failure was one a failover explains: a node gone, or the cluster (or a
    /// demoted master) saying it cannot serve.
    bool only_failover_errors() const {
        for (const auto& [e, n] : errors)
            if (name(e).starts_with("error ")) return false;
        return true;
    }
    static std::string name(int e) {
        switch (static_cast<redis_error>(e)) {
        case redis_error::unreachable:
            return "unreachable";
        case redis_error::connection_lost:
            return "connection_lost";
        case redis_error::timed_out:
            return "timed_out";
        case redis_error::cluster_down:
            return "cluster_down";
        case redis_error::not_master:
            return "not_master";
        default:
            return "error " + std::to_string(e);
        }
    }
};

/// Load threads, stopped and joined however the test ends (a throwing fixture
/// call included: a joinable std::thread destroyed in unwinding would abort).
struct load_threads {
    std::atomic<bool>& stop;
    std::vector<std::thread> threads;
    void join() {
        stop = true;
        for (auto& t : threads)
            if (t.joinable()) t.join();
    }
    ~load_threads() { join(); }
};

/// Until both loops succeed again after the failover (at most 10 s), then 300 ms more.
inline void await_recovery(const gap_meter& blocking, const gap_meter& async) {
    using namespace std::chrono_literals;
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    const int b0 = blocking.successes, a0 = async.successes;
    while ((blocking.failing || async.failing || blocking.successes == b0 || async.successes == a0) &&
           std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(20ms);
    std::this_thread::sleep_for(300ms);
}

} // namespace authpp::test
