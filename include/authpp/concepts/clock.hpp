// authpp/concepts/clock.hpp — where "now" comes from, and what waits on it.
//
// | expression  | type                                     | meaning        |
// |-------------|------------------------------------------|----------------|
// | `k.now()`   | `std::chrono::system_clock::time_point`  | wall-clock now |
//
// WaitingClock<K>, the optional capability of a Clock that can also wait on
// its own time (a test clock: time moves when the test says so):
// | expression              | type   | meaning                                                        |
// |-------------------------|--------|----------------------------------------------------------------|
// | `k.sleep_until(t, st)`  | `void` | block until `k.now() >= t`, or until `st` has a stop requested |
// `t` is a `std::chrono::system_clock::time_point`, `st` a `std::stop_token`
// (a default-constructed one is never stopped). Safe to call from many
// threads at once. With it, the refresh coordinator's blocking waits — the
// polls for another holder's lock, a waiter's time-out, the lease renewals
// (<authpp/refresh/coordinator.hpp>) — are measured on the Clock; without it
// (system_clock) they are measured on std::chrono::steady_clock, so a
// wall-clock jump neither stretches nor cuts them.
//
// `k` is a `const K&`. Models shipped: `system_clock` and `manual_clock`, a
// WaitingClock (<authpp/clock/system_clock.hpp>, <authpp/clock/manual_clock.hpp>).
//
// `Clock<K>` is the contract; `check_clock<K>()` states it member by member,
// one sentence per missing member, for the templates that take a Clock — and
// one for a `sleep_until` declared in another form, which would otherwise be
// ignored without a word.
#pragma once

#include <chrono>
#include <concepts>
#include <stop_token>

namespace authpp {

namespace concept_checks {
template <class K>
concept clock_now = requires(const K& k) {
    { k.now() } -> std::convertible_to<std::chrono::system_clock::time_point>;
};
template <class K>
concept clock_sleep_until = requires(const K& k, std::chrono::system_clock::time_point t, std::stop_token st) {
    k.sleep_until(t, st);
};
/// Declares a (single, non-template) member named sleep_until, in any form.
template <class K>
concept clock_declares_sleep_until = requires { &K::sleep_until; };
} // namespace concept_checks

template <class K>
concept Clock = concept_checks::clock_now<K>;

template <class K>
concept WaitingClock = Clock<K> && concept_checks::clock_sleep_until<K>;

template <class K>
consteval bool check_clock() {
    static_assert(concept_checks::clock_now<K>,
                  "authpp: the Clock policy needs `std::chrono::system_clock::time_point now() const`");
    static_assert(!concept_checks::clock_declares_sleep_until<K> || concept_checks::clock_sleep_until<K>,
                  "authpp: a Clock's optional sleep_until must be `void sleep_until(std::chrono::system_clock::"
                  "time_point, std::stop_token) const`");
    return true;
}

} // namespace authpp
