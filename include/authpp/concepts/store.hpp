// authpp/concepts/store.hpp — shared key/value state with expiry: refresh
// locks and their successor records, database sessions.
//
// | expression                    | type                         | meaning                                          |
// |-------------------------------|------------------------------|--------------------------------------------------|
// | `s.get(key)`                  | `std::optional<std::string>` | the live value, or nullopt                       |
// | `s.set(key, v, ttl)`          | `bool`                       | store `v` for `ttl`; false on failure            |
// | `s.erase(key)`                | `bool`                       | remove; true when something was removed          |
// | `s.add(key, v, ttl)`          | `bool`                       | store only if `key` is absent (a lock); true if stored |
// | `s.expire_if(key, v, ttl)`    | `bool`                       | if `key` holds `v`, live `ttl` more (renew a lease)     |
// | `s.erase_if(key, v)`          | `bool`                       | if `key` holds `v`, remove it (release a lease)          |
//
// `s` is an `S&`, `key` and `v` `std::string_view`, `ttl` a
// `std::chrono::milliseconds`. add, expire_if and erase_if are atomic
// (a Redis model uses SET NX PX and scripts). A store that cannot be reached
// answers as if the key were absent (get: nullopt) or the write failed
// (false). Every member must be safe to call from many threads at once.
// Models shipped: `memory_store` (<authpp/store/memory_store.hpp>).
#pragma once

#include <chrono>
#include <concepts>
#include <optional>
#include <string>
#include <string_view>

namespace authpp {

template <class S>
concept Store = requires(S& s, std::string_view key, std::string_view v, std::chrono::milliseconds ttl) {
    { s.get(key) } -> std::same_as<std::optional<std::string>>;
    { s.set(key, v, ttl) } -> std::same_as<bool>;
    { s.erase(key) } -> std::same_as<bool>;
    { s.add(key, v, ttl) } -> std::same_as<bool>;
    { s.expire_if(key, v, ttl) } -> std::same_as<bool>;
    { s.erase_if(key, v) } -> std::same_as<bool>;
};

} // namespace authpp
