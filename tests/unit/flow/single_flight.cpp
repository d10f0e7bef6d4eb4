// flow/single_flight.hpp: one leader per key, blocking and asynchronous
// waiters get its result, a time-out gives the fallback, and the key is
// free again afterwards. Time is a manual_clock's: nothing sleeps.
#include <authpp/clock/manual_clock.hpp>
#include <authpp/flow/single_flight.hpp>

#include <catch2/catch.hpp>

#include <future>
#include <string>
#include <vector>

using namespace authpp;
using namespace std::chrono_literals;

namespace {
using flights = flow::single_flight<std::string>;

struct recorder final : flights::waiter {
    std::vector<std::string>* got;
    explicit recorder(std::vector<std::string>* g) : got(g) {}
    void deliver(const std::string& r) override { got->push_back(r); }
};
} // namespace

TEST_CASE("the first to join leads; the others get its result") {
    manual_clock clock;
    flights f(wait_clock::of(clock));
    auto lead = f.join("k");
    CHECK(lead.leader);
    auto other = f.join("k");
    CHECK_FALSE(other.leader);
    CHECK(other.f == lead.f);
    CHECK(f.join("k2").leader); // another key, another flight
    CHECK(f.in_flight() == 2);

    std::vector<std::string> got;
    f.add_waiter(*other.f, std::make_unique<recorder>(&got));
    auto blocked = std::async(std::launch::async, [&] { return f.wait(*other.f, 10s, "timed out"); });
    REQUIRE(clock.await_sleepers(1));
    CHECK(f.waiting() == 2);
    f.complete(lead, "answer");
    CHECK(blocked.get() == "answer");
    CHECK(got == std::vector<std::string>{"answer"});
    CHECK(f.in_flight() == 1); // k is free again, k2 still flies

    auto again = f.join("k");
    CHECK(again.leader); // the next request leads anew
    // A waiter added after completion is delivered at once.
    f.add_waiter(*lead.f, std::make_unique<recorder>(&got));
    CHECK(got.size() == 2);
}

TEST_CASE("a blocking waiter gives up after its time-out on the clock") {
    manual_clock clock;
    flights f(wait_clock::of(clock));
    auto lead = f.join("k");
    auto other = f.join("k");
    auto blocked = std::async(std::launch::async, [&] { return f.wait(*other.f, 5s, "timed out"); });
    REQUIRE(clock.await_sleepers(1));
    clock.advance(5s);
    CHECK(blocked.get() == "timed out");
    CHECK(f.waiting() == 0);
    f.complete(lead, "late");
}

TEST_CASE("abandon: blocking waiters get the fallback, asynchronous ones are dropped") {
    flights f;
    auto lead = f.join("k");
    std::vector<std::string> got;
    f.add_waiter(*lead.f, std::make_unique<recorder>(&got));
    f.abandon(lead, "gone");
    CHECK(got.empty());
    CHECK(f.wait(*lead.f, 1s, "timed out") == "gone");
    CHECK(f.in_flight() == 0);
}
