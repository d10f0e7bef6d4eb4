// authpp/flow/step.hpp — the one protocol every sans-I/O flow speaks.
//
// A flow never performs I/O. Its next() says what it waits for — a typed
// step — and its driver performs that and hands the answer back:
//
// | next().what | the driver performs                         | and calls            |
// |-------------|---------------------------------------------|----------------------|
// | `done`      | nothing: the flow has its result            | —                    |
// | `exchange`  | `*request` on the HttpTransport             | `on_response(ec, r)` |
// | `store`     | `*store` on the Store                       | `on_store(answer)`   |
// | `refresh`   | the refresh `*request` for `refresh_token`,  | `on_refresh(result)` |
// |             | coordinated per token (<authpp/refresh/      |                      |
// |             | coordinator.hpp>): this request redeems it   |                      |
// |             | for all, or receives the result of the one   |                      |
// |             | that does; the answer read by `reader` (the  |                      |
// |             | OAuth token response unless a mode says)     |                      |
// | `shared`    | `*request` once per `key` in this process    | `on_response(ec, r)` |
// |             | (<authpp/flow/single_flight.hpp>): flows     |                      |
// |             | asking at the same time get the same answer; |                      |
// |             | the performer runs `settle` with it first    |                      |
//
// The drivers: basic_auth_config::drive() (blocking) and detail::flow_op
// (<authpp/detail/async_flow.hpp>, any completion token). Flows that wrap
// flows (the middleware's, the actions') forward next() and the answers, so
// every flow is driven the same way and nothing is found by duck typing.
#pragma once

#include <authpp/concepts/store.hpp>
#include <authpp/error.hpp>
#include <authpp/http/message.hpp>
#include <authpp/oauth/refresh.hpp>

#include <chrono>
#include <concepts>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace authpp::flow {

/// One Store member to call.
struct store_op {
    enum class kind : std::uint8_t { get, set, erase, add, expire_if, erase_if };
    kind what = kind::get;
    std::string key;
    std::string value;               ///< set, add, expire_if, erase_if
    std::chrono::milliseconds ttl{}; ///< set, add, expire_if
};

/// What a Store member answered.
struct store_answer {
    error_code ec;                    ///< no answer (an asynchronous store's unreachable / timed out)
    std::optional<std::string> value; ///< get
    bool ok = false;                  ///< the other members' bool
};

/// How a refresh step's answer becomes a refresh result: the OAuth token
/// response (oauth::parse_refresh_response) unless a mode gives its own
/// reading (`read(ctx, …)`; `ctx` outlives the step).
struct refresh_reader {
    using read_fn = oauth::refresh_result (*)(const void* ctx, const error_code& ec, const http::response& r,
                                              std::string_view redeemed, std::int64_t now_ms);
    read_fn read = nullptr;
    const void* ctx = nullptr;

    oauth::refresh_result operator()(const error_code& ec, const http::response& r, std::string_view redeemed,
                                     std::int64_t now_ms) const {
        return read ? read(ctx, ec, r, redeemed, now_ms) : oauth::parse_refresh_response(ec, r, redeemed, now_ms);
    }
};

/// What a shared exchange came to, for every flow that asked.
struct shared_answer {
    error_code ec;
    http::response response;
};

/// What the flow performing a shared exchange does with its answer before
/// the flows waiting on it resume and before the key is free again: so that
/// a flow arriving just after the exchange (which no longer finds it in
/// flight) finds its effect — a cache entry — instead of asking again.
/// `fn(ctx, key, answer, now_ms)`; `ctx` outlives the step.
struct shared_settle {
    using settle_fn = void (*)(const void* ctx, std::string_view key, const shared_answer& a, std::int64_t now_ms);
    settle_fn fn = nullptr;
    const void* ctx = nullptr;

    void operator()(std::string_view key, const shared_answer& a, std::int64_t now_ms) const {
        if (fn) fn(ctx, key, a, now_ms);
    }
};

struct step {
    enum class kind : std::uint8_t { done, exchange, store, refresh, shared };
    kind what = kind::done;
    const http::request* request = nullptr; ///< exchange, refresh, shared
    const store_op* store = nullptr;        ///< store
    std::string_view refresh_token;         ///< refresh: the token the request redeems
    refresh_reader reader;                  ///< refresh: how its answer is read
    std::string_view key;                   ///< shared: flows with the same key share one exchange
    shared_settle settle;                   ///< shared: run by the one that performs it

    static step finished() noexcept { return {}; }
    static step send(const http::request& r) noexcept { return {kind::exchange, &r, nullptr, {}, {}, {}, {}}; }
    static step call(const store_op& op) noexcept { return {kind::store, nullptr, &op, {}, {}, {}, {}}; }
    static step redeem(const http::request& r, std::string_view refresh_token,
                       refresh_reader reader = {}) noexcept {
        return {kind::refresh, &r, nullptr, refresh_token, reader, {}, {}};
    }
    /// `r` performed once for every flow asking with `key` at the same time
    /// (`key` must not be a secret: hash a token first); the one that
    /// performs it runs `settle` with the answer before the others resume.
    static step share(const http::request& r, std::string_view key, shared_settle settle = {}) noexcept {
        return {kind::shared, &r, nullptr, {}, {}, key, settle};
    }
};

/// A flow of this protocol.
template <class F>
concept Flow = requires(F& f, const F& cf, const error_code& ec, const http::response& resp, store_answer a,
                        const oauth::refresh_result& rr) {
    { cf.next() } -> std::same_as<step>;
    f.on_response(ec, resp);
    f.on_store(std::move(a));
    f.on_refresh(rr);
};

/// A Store member called with blocking semantics (the blocking driver, an
/// ImmediateStore under the asynchronous one). A ReportingStore is called
/// through its `error_code&` members, so that "could not ask" (`a.ec`) is
/// told from "absent" as under the asynchronous driver.
template <Store S>
store_answer perform(S& s, const store_op& op) {
    store_answer a;
    const auto run = [&](auto&... ec) { // a.ec, or nothing
        switch (op.what) {
        case store_op::kind::get: a.value = s.get(op.key, ec...); break;
        case store_op::kind::set: a.ok = s.set(op.key, op.value, op.ttl, ec...); break;
        case store_op::kind::erase: a.ok = s.erase(op.key, ec...); break;
        case store_op::kind::add: a.ok = s.add(op.key, op.value, op.ttl, ec...); break;
        case store_op::kind::expire_if: a.ok = s.expire_if(op.key, op.value, op.ttl, ec...); break;
        case store_op::kind::erase_if: a.ok = s.erase_if(op.key, op.value, ec...); break;
        }
    };
    if constexpr (ReportingStore<S>) run(a.ec);
    else run();
    return a;
}

inline store_op get(std::string key) { return {store_op::kind::get, std::move(key), {}, {}}; }
inline store_op set(std::string key, std::string value, std::chrono::milliseconds ttl) {
    return {store_op::kind::set, std::move(key), std::move(value), ttl};
}
inline store_op erase(std::string key) { return {store_op::kind::erase, std::move(key), {}, {}}; }
inline store_op add(std::string key, std::string value, std::chrono::milliseconds ttl) {
    return {store_op::kind::add, std::move(key), std::move(value), ttl};
}
inline store_op expire_if(std::string key, std::string value, std::chrono::milliseconds ttl) {
    return {store_op::kind::expire_if, std::move(key), std::move(value), ttl};
}
inline store_op erase_if(std::string key, std::string value) {
    return {store_op::kind::erase_if, std::move(key), std::move(value), {}};
}

} // namespace authpp::flow
