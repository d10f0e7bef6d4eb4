// authpp/concepts/clock.hpp — where "now" comes from.
//
// | expression  | type                                     | meaning        |
// |-------------|------------------------------------------|----------------|
// | `k.now()`   | `std::chrono::system_clock::time_point`  | wall-clock now |
//
// `k` is a `const K&`. Models shipped: `system_clock` and `manual_clock`
// (<authpp/clock/system_clock.hpp>, <authpp/clock/manual_clock.hpp>).
//
// `Clock<K>` is the contract; `check_clock<K>()` states it member by member,
// one sentence per missing member, for the templates that take a Clock.
#pragma once

#include <chrono>
#include <concepts>

namespace authpp {

namespace concept_checks {
template <class K>
concept clock_now = requires(const K& k) {
    { k.now() } -> std::convertible_to<std::chrono::system_clock::time_point>;
};
} // namespace concept_checks

template <class K>
concept Clock = concept_checks::clock_now<K>;

template <class K>
consteval bool check_clock() {
    static_assert(concept_checks::clock_now<K>,
                  "authpp: the Clock policy needs `std::chrono::system_clock::time_point now() const`");
    return true;
}

} // namespace authpp
