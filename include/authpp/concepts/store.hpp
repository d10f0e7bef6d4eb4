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
// Models shipped: `memory_store` (<authpp/store/memory_store.hpp>),
// `redis_store` (<authpp/store/redis_store.hpp>, link authpp::redis) and
// `any_store` (either, chosen at run time).
//
// AsyncStore<S, Executor> — a Store that waits on the network offers the same
// members as initiating functions (any completion token, as Beast's), so the
// asynchronous drivers never block their thread on it:
// | expression                         | completion signature                       |
// |------------------------------------|--------------------------------------------|
// | `s.async_get(ex, key, h)`          | `void(error_code, std::optional<std::string>)` |
// | `s.async_set(ex, key, v, ttl, h)`  | `void(error_code, bool)`                   |
// | `s.async_erase(ex, key, h)`        | `void(error_code, bool)`                   |
// | `s.async_add(ex, key, v, ttl, h)`  | `void(error_code, bool)`                   |
// | `s.async_expire_if(ex, key, v, ttl, h)` | `void(error_code, bool)`              |
// | `s.async_erase_if(ex, key, v, h)`  | `void(error_code, bool)`                   |
// `ex` (an `Executor`) is where the store does its I/O; the handler runs on
// its associated executor (default `ex`), never inside the initiating call;
// `error_code` tells "unreachable" from an answer, the value is what the
// blocking member returns. Model: `redis_store`, and `any_store` (always).
//
// ReportingStore<S> — a Store whose six members also come with a trailing
// `error_code& ec`, set when the store could not be asked and cleared on an
// answer (even "absent"): the blocking driver then tells the two apart as the
// asynchronous one does (a database session the store could not read keeps
// its cookie). Models: `redis_store`, `any_store`.
//
// ImmediateStore<S> — a Store whose members never wait on I/O says so with
// `static constexpr bool completes_immediately = true;` and the asynchronous
// drivers call its blocking members in place (no round trip through the
// executor). Model: `memory_store`.
//
// The concepts are the contract; `check_store<S>()` and
// `check_async_store<S, Executor>()` state them member by member, one
// sentence per missing member.
#pragma once

#include <boost/system/error_code.hpp>

#include <chrono>
#include <concepts>
#include <optional>
#include <string>
#include <string_view>

namespace authpp {

namespace concept_checks {
template <class S>
concept store_get = requires(S& s, std::string_view key) {
    { s.get(key) } -> std::same_as<std::optional<std::string>>;
};
template <class S>
concept store_set = requires(S& s, std::string_view key, std::string_view v, std::chrono::milliseconds ttl) {
    { s.set(key, v, ttl) } -> std::same_as<bool>;
};
template <class S>
concept store_erase = requires(S& s, std::string_view key) {
    { s.erase(key) } -> std::same_as<bool>;
};
template <class S>
concept store_add = requires(S& s, std::string_view key, std::string_view v, std::chrono::milliseconds ttl) {
    { s.add(key, v, ttl) } -> std::same_as<bool>;
};
template <class S>
concept store_expire_if = requires(S& s, std::string_view key, std::string_view v, std::chrono::milliseconds ttl) {
    { s.expire_if(key, v, ttl) } -> std::same_as<bool>;
};
template <class S>
concept store_erase_if = requires(S& s, std::string_view key, std::string_view v) {
    { s.erase_if(key, v) } -> std::same_as<bool>;
};

template <class S, class Ex>
concept store_async_get = requires(S& s, const Ex& ex, std::string_view key) {
    s.async_get(ex, key, [](boost::system::error_code, std::optional<std::string>) {});
};
template <class S, class Ex>
concept store_async_set =
    requires(S& s, const Ex& ex, std::string_view key, std::string_view v, std::chrono::milliseconds ttl) {
        s.async_set(ex, key, v, ttl, [](boost::system::error_code, bool) {});
    };
template <class S, class Ex>
concept store_async_erase = requires(S& s, const Ex& ex, std::string_view key) {
    s.async_erase(ex, key, [](boost::system::error_code, bool) {});
};
template <class S, class Ex>
concept store_async_add =
    requires(S& s, const Ex& ex, std::string_view key, std::string_view v, std::chrono::milliseconds ttl) {
        s.async_add(ex, key, v, ttl, [](boost::system::error_code, bool) {});
    };
template <class S, class Ex>
concept store_async_expire_if =
    requires(S& s, const Ex& ex, std::string_view key, std::string_view v, std::chrono::milliseconds ttl) {
        s.async_expire_if(ex, key, v, ttl, [](boost::system::error_code, bool) {});
    };
template <class S, class Ex>
concept store_async_erase_if = requires(S& s, const Ex& ex, std::string_view key, std::string_view v) {
    s.async_erase_if(ex, key, v, [](boost::system::error_code, bool) {});
};
} // namespace concept_checks

template <class S>
concept Store = concept_checks::store_get<S> && concept_checks::store_set<S> && concept_checks::store_erase<S> &&
                concept_checks::store_add<S> && concept_checks::store_expire_if<S> &&
                concept_checks::store_erase_if<S>;

template <class S, class Executor>
concept AsyncStore = Store<S> && concept_checks::store_async_get<S, Executor> &&
                     concept_checks::store_async_set<S, Executor> && concept_checks::store_async_erase<S, Executor> &&
                     concept_checks::store_async_add<S, Executor> &&
                     concept_checks::store_async_expire_if<S, Executor> &&
                     concept_checks::store_async_erase_if<S, Executor>;

template <class S>
concept ReportingStore =
    Store<S> && requires(S& s, std::string_view key, std::string_view v, std::chrono::milliseconds ttl,
                         boost::system::error_code& ec) {
        { s.get(key, ec) } -> std::same_as<std::optional<std::string>>;
        { s.set(key, v, ttl, ec) } -> std::same_as<bool>;
        { s.erase(key, ec) } -> std::same_as<bool>;
        { s.add(key, v, ttl, ec) } -> std::same_as<bool>;
        { s.expire_if(key, v, ttl, ec) } -> std::same_as<bool>;
        { s.erase_if(key, v, ec) } -> std::same_as<bool>;
    };

template <class S>
concept ImmediateStore = Store<S> && requires {
    requires static_cast<bool>(S::completes_immediately);
};

template <class S>
consteval bool check_store() {
    static_assert(concept_checks::store_get<S>,
                  "authpp: the Store policy needs `std::optional<std::string> get(std::string_view key)`");
    static_assert(concept_checks::store_set<S>, "authpp: the Store policy needs `bool set(std::string_view key, "
                                                "std::string_view value, std::chrono::milliseconds ttl)`");
    static_assert(concept_checks::store_erase<S>, "authpp: the Store policy needs `bool erase(std::string_view key)`");
    static_assert(concept_checks::store_add<S>, "authpp: the Store policy needs `bool add(std::string_view key, "
                                                "std::string_view value, std::chrono::milliseconds ttl)` (set if absent)");
    static_assert(concept_checks::store_expire_if<S>,
                  "authpp: the Store policy needs `bool expire_if(std::string_view key, std::string_view value, "
                  "std::chrono::milliseconds ttl)` (renew if it holds value)");
    static_assert(concept_checks::store_erase_if<S>, "authpp: the Store policy needs `bool erase_if(std::string_view "
                                                     "key, std::string_view value)` (erase if it holds value)");
    return true;
}

template <class S, class Executor>
consteval bool check_async_store() {
    check_store<S>();
    static_assert(concept_checks::store_async_get<S, Executor>,
                  "authpp: an asynchronous Store needs `async_get(executor, key, token)` completing with "
                  "void(error_code, std::optional<std::string>)");
    static_assert(concept_checks::store_async_set<S, Executor>,
                  "authpp: an asynchronous Store needs `async_set(executor, key, value, ttl, token)` completing "
                  "with void(error_code, bool)");
    static_assert(concept_checks::store_async_erase<S, Executor>,
                  "authpp: an asynchronous Store needs `async_erase(executor, key, token)` completing with "
                  "void(error_code, bool)");
    static_assert(concept_checks::store_async_add<S, Executor>,
                  "authpp: an asynchronous Store needs `async_add(executor, key, value, ttl, token)` completing "
                  "with void(error_code, bool)");
    static_assert(concept_checks::store_async_expire_if<S, Executor>,
                  "authpp: an asynchronous Store needs `async_expire_if(executor, key, value, ttl, token)` "
                  "completing with void(error_code, bool)");
    static_assert(concept_checks::store_async_erase_if<S, Executor>,
                  "authpp: an asynchronous Store needs `async_erase_if(executor, key, value, token)` completing "
                  "with void(error_code, bool)");
    return true;
}

} // namespace authpp
