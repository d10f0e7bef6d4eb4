// refresh_backoff: the wait doubles per failure in a row, and the failure of
// one coordinated refresh, reported by all its waiters at once, counts once.
#include <authpp/core/refresh_backoff.hpp>

#include <catch2/catch.hpp>

#include <atomic>
#include <thread>
#include <vector>

using authpp::core::refresh_backoff;
using namespace std::chrono_literals;

TEST_CASE("refresh_backoff doubles up to its maximum and resets on success") {
    refresh_backoff b;
    CHECK(b.not_before() == 0);
    b.failed(1'000, 1s, 5s);
    CHECK(b.failures() == 1);
    CHECK(b.not_before() == 2'000);
    b.failed(3'000, 1s, 5s);
    CHECK(b.not_before() == 5'000);
    b.failed(6'000, 1s, 5s);
    b.failed(7'000, 1s, 5s);
    CHECK(b.failures() == 4);
    CHECK(b.not_before() == 12'000); // 8 s capped at 5 s
    b.succeeded();
    CHECK(b.failures() == 0);
    CHECK(b.not_before() == 0);
}

TEST_CASE("failed_if_due: many threads reporting one failure count it once") {
    for (int round = 0; round < 200; ++round) {
        refresh_backoff b;
        std::atomic<int> claimed{0};
        std::atomic<bool> go{false};
        std::vector<std::thread> threads;
        for (int i = 0; i < 8; ++i)
            threads.emplace_back([&] {
                while (!go.load()) std::this_thread::yield();
                if (b.failed_if_due(10'000, 1s, 60s)) ++claimed;
            });
        go = true;
        for (auto& t : threads) t.join();
        REQUIRE(claimed == 1);
        REQUIRE(b.failures() == 1);
        REQUIRE(b.not_before() == 11'000);
    }
    // Once the wait has passed, the next failure counts again (and doubles).
    refresh_backoff b;
    CHECK(b.failed_if_due(0, 1s, 60s));
    CHECK_FALSE(b.failed_if_due(999, 1s, 60s));
    CHECK(b.failed_if_due(1'000, 1s, 60s));
    CHECK(b.failures() == 2);
    CHECK(b.not_before() == 3'000);
}
