// manual_clock as a WaitingClock: sleep_until returns when the time is moved
// past its deadline or a stop is requested, never on its own; await_sleepers
// counts the threads whose deadline is still to come.
#include <authpp/clock/manual_clock.hpp>
#include <authpp/clock/manual_clock.hpp> // self-contained and guarded

#include <authpp/concepts/clock.hpp>

#include <catch2/catch.hpp>

#include <atomic>
#include <future>
#include <stop_token>

static_assert(authpp::WaitingClock<authpp::manual_clock>);
static_assert(authpp::check_clock<authpp::manual_clock>());

using namespace std::chrono_literals;

TEST_CASE("manual_clock: sleep_until returns once the time reaches its deadline") {
    authpp::manual_clock clock;
    const auto t0 = clock.now();
    std::atomic<bool> woke{false};
    auto f = std::async(std::launch::async, [&, copy = clock] {
        copy.sleep_until(t0 + 100ms, {}); // a copy: the same time
        woke = true;
    });
    REQUIRE(clock.await_sleepers(1));
    CHECK(clock.sleepers() == 1);
    clock.advance(99ms);
    REQUIRE(clock.await_sleepers(1)); // still asleep: 1 ms to go
    CHECK_FALSE(woke);
    clock.advance(1ms);
    f.get();
    CHECK(woke);
    CHECK(clock.sleepers() == 0);
}

TEST_CASE("manual_clock: set() wakes as advance() does, and a past deadline does not sleep") {
    authpp::manual_clock clock;
    const auto t0 = clock.now();
    clock.sleep_until(t0, {});       // now: returns at once
    clock.sleep_until(t0 - 1s, {});  // past: returns at once
    auto f = std::async(std::launch::async, [&] { clock.sleep_until(t0 + 1h, {}); });
    REQUIRE(clock.await_sleepers(1));
    clock.set(t0 + 2h);
    f.get();
    CHECK(clock.sleepers() == 0);
}

TEST_CASE("manual_clock: a stop request ends the sleep, the time unmoved") {
    authpp::manual_clock clock;
    const auto t0 = clock.now();
    std::stop_source stop;
    auto f = std::async(std::launch::async, [&] { clock.sleep_until(t0 + 1h, stop.get_token()); });
    REQUIRE(clock.await_sleepers(1));
    stop.request_stop();
    f.get();
    CHECK(clock.now() == t0);
    clock.sleep_until(t0 + 1h, stop.get_token()); // already stopped: returns at once
}

TEST_CASE("manual_clock: await_sleepers counts deadlines still to come") {
    authpp::manual_clock clock;
    const auto t0 = clock.now();
    auto soon = std::async(std::launch::async, [&] { clock.sleep_until(t0 + 10ms, {}); });
    auto late = std::async(std::launch::async, [&] { clock.sleep_until(t0 + 1s, {}); });
    REQUIRE(clock.await_sleepers(2));
    clock.advance(10ms);
    soon.get();
    CHECK(clock.sleepers() == 1);
    // None comes: false after the real-time limit, rather than a hang.
    CHECK_FALSE(clock.await_sleepers(2, 1ms));
    clock.advance(1s);
    late.get();
}
