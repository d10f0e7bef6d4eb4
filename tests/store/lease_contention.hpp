// The refresh lock under contention, as processes sharing a Redis take it:
// `threads` threads each take the lease `rounds` times (add, retried while
// held), increment a counter with get + set, and release it (erase_if).
// With a lease that excludes, no increment is lost: the counter ends at
// threads × rounds and the result is 0 failures.
#pragma once

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

namespace authpp::test {

template <class Store>
int lease_contention_failures(Store& s, int threads, int rounds) {
    using namespace std::chrono_literals;
    if (!s.set("counter", "0", 60s)) return 1;
    std::vector<std::thread> pool;
    std::atomic<int> failures{0};
    for (int t = 0; t < threads; ++t) {
        pool.emplace_back([&, t] {
            const std::string me = "owner-" + std::to_string(t);
            for (int r = 0; r < rounds; ++r) {
                while (!s.add("lock", me, 10s)) std::this_thread::yield();
                auto v = s.get("counter");
                if (!v || !s.set("counter", std::to_string(std::stoi(*v) + 1), 60s)) failures++;
                if (!s.erase_if("lock", me)) failures++;
            }
        });
    }
    for (auto& th : pool) th.join();
    if (s.get("counter") != std::to_string(threads * rounds)) failures++;
    return failures;
}

} // namespace authpp::test
