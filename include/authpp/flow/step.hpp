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
// | `refresh`   | the refresh-token grant `*request` for       | `on_refresh(result)` |
// |             | `refresh_token`, coordinated per token       |                      |
// |             | (<authpp/refresh/coordinator.hpp>): this     |                      |
// |             | request redeems it for all, or receives      |                      |
// |             | the result of the one that does              |                      |
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

struct step {
    enum class kind : std::uint8_t { done, exchange, store, refresh };
    kind what = kind::done;
    const http::request* request = nullptr; ///< exchange, refresh
    const store_op* store = nullptr;        ///< store
    std::string_view refresh_token;         ///< refresh: the token the request redeems

    static step finished() noexcept { return {}; }
    static step send(const http::request& r) noexcept { return {kind::exchange, &r, nullptr, {}}; }
    static step call(const store_op& op) noexcept { return {kind::store, nullptr, &op, {}}; }
    static step redeem(const http::request& r, std::string_view refresh_token) noexcept {
        return {kind::refresh, &r, nullptr, refresh_token};
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
/// ImmediateStore under the asynchronous one).
template <Store S>
store_answer perform(S& s, const store_op& op) {
    store_answer a;
    switch (op.what) {
    case store_op::kind::get: a.value = s.get(op.key); break;
    case store_op::kind::set: a.ok = s.set(op.key, op.value, op.ttl); break;
    case store_op::kind::erase: a.ok = s.erase(op.key); break;
    case store_op::kind::add: a.ok = s.add(op.key, op.value, op.ttl); break;
    case store_op::kind::expire_if: a.ok = s.expire_if(op.key, op.value, op.ttl); break;
    case store_op::kind::erase_if: a.ok = s.erase_if(op.key, op.value); break;
    }
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
