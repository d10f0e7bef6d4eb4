// authpp/concepts/clock.hpp — where "now" comes from.
//
// | expression  | type                                     | meaning        |
// |-------------|------------------------------------------|----------------|
// | `k.now()`   | `std::chrono::system_clock::time_point`  | wall-clock now |
//
// `k` is a `const K&`. Models shipped: `system_clock` and `manual_clock`
// (<authpp/clock/system_clock.hpp>, <authpp/clock/manual_clock.hpp>).
#pragma once

#include <chrono>
#include <concepts>

namespace authpp {

template <class K>
concept Clock = requires(const K& k) {
    { k.now() } -> std::convertible_to<std::chrono::system_clock::time_point>;
};

} // namespace authpp
