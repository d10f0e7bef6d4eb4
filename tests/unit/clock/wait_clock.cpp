// clock/wait_clock.hpp: the steady clock unless the Clock can wait, and
// sleeps that a stop request or the test's clock ends.
#include <authpp/clock/manual_clock.hpp>
#include <authpp/clock/system_clock.hpp>
#include <authpp/clock/wait_clock.hpp>

#include <catch2/catch.hpp>

#include <future>
#include <stop_token>

using namespace authpp;
using namespace std::chrono_literals;

TEST_CASE("wait_clock: the steady clock unless the Clock can wait") {
    // The steady clock (system_clock cannot wait): a stop request ends a sleep early.
    const auto steady = wait_clock::of(system_clock{});
    const auto s0 = std::chrono::steady_clock::now().time_since_epoch();
    CHECK(steady.now() >= s0);
    std::stop_source stop;
    auto f = std::async(std::launch::async, [&] { steady.sleep_for(1h, stop.get_token()); });
    stop.request_stop();
    f.get();
    steady.sleep_until(s0); // past: returns at once

    // A WaitingClock's own time: its sleeps end when the test moves it.
    manual_clock clock;
    const auto manual = wait_clock::of(clock);
    CHECK(manual.now() == clock.now().time_since_epoch());
    auto g = std::async(std::launch::async, [&] { manual.sleep_for(100ms); });
    REQUIRE(clock.await_sleepers(1));
    clock.advance(100ms);
    g.get();
}
