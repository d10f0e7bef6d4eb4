// authpp/refresh/coordinator.hpp — one redemption per refresh token.
//
// With refresh-token rotation, a refresh token may be redeemed once: a second
// redemption is refused, and providers such as oidc-provider then revoke the
// whole grant, logging the user out. Every request that carries an expired
// session cookie wants to refresh, and a page load sends many at once. The
// coordinator makes sure that, per refresh token, one of them redeems and the
// others receive its answer:
//
//  * In one process, a table keyed by token_key(refresh token) holds the
//    refresh in flight. The first request leads; later ones wait for it —
//    blocking ones on a condition variable, asynchronous ones as completion
//    handlers posted to their own executors (never run under the lock).
//  * Across processes sharing the Store, the leader takes
//    `PREFIX:lock:{KEY}` (add: SET NX PX) with a random owner id and a
//    lease, renewed every lease/3 (expire_if) while the exchange is in
//    flight, so a slow provider does not let a second process in, and which
//    expires by itself if its holder dies. On success it writes the
//    successor record `PREFIX:succ:{KEY}` (<authpp/refresh/
//    successor_record.hpp>) and only then releases the lock (erase_if).
//    The braces are literal: a Redis Cluster hash tag, so the two keys of
//    one refresh share a slot.
//  * Whoever finds the lock held polls (from 20 ms, doubling to 200 ms) for
//    the successor record (adopt it), or for the lock to vanish without one
//    (its holder died or failed: take over), or until wait_timeout (give up
//    with a transient failure: the session is kept, reported TokenExpired,
//    and retried later — never a logout).
//  * A successor record is looked for before the lock is taken, so a request
//    that still carries the old cookie after the refresh adopts the new
//    tokens instead of redeeming the old refresh token again.
//
// Limits: a holder that dies after the provider rotated the token but before
// it wrote the successor record loses that rotation (the next redemption of
// the old token is refused). A store that cannot be reached (add fails and
// the lock cannot be read, three times in a row) leaves only the in-process
// single-flight: processes may then race each other.
//
// The leader's part is sans-I/O (lead::next() says: call the Store, perform
// the exchange, wait, or done) so that the blocking driver
// (basic_auth_config::drive) and the asynchronous one (detail::flow_op, with
// the Store's asynchronous members) run the same steps. Times — the wait
// deadline, the successor records kept in process — come from the config's
// Clock (Unix ms handed in), so tests drive them with manual_clock. The
// lease renewal runs beside the exchange: a thread of this coordinator for
// the blocking driver (it calls the blocking Store), an Asio timer for the
// asynchronous one.
//
// The blocking driver's waits — between polls, a waiter's time-out, the
// renewer's turns — are measured by a wait_clock: the config's Clock when it
// can wait (a WaitingClock, <authpp/concepts/clock.hpp>: manual_clock, so
// tests step them), else std::chrono::steady_clock (system_clock: a
// wall-clock jump neither stretches nor cuts a wait). The asynchronous
// driver's waits are its reactor's timers (Asio's steady_timer): a reactor
// cannot block on a Clock, and a timer on a test clock would have to poll
// real time; their deadline, wait_timeout, is still the Clock's.
#pragma once

#include <authpp/concepts/clock.hpp>
#include <authpp/concepts/store.hpp>
#include <authpp/crypto/base64.hpp>
#include <authpp/crypto/random.hpp>
#include <authpp/detail/time_arith.hpp>
#include <authpp/error.hpp>
#include <authpp/clock/wait_clock.hpp>
#include <authpp/flow/single_flight.hpp>
#include <authpp/flow/step.hpp>
#include <authpp/http/message.hpp>
#include <authpp/oauth/refresh.hpp>
#include <authpp/options.hpp>
#include <authpp/refresh/key.hpp>
#include <authpp/refresh/successor_record.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

namespace authpp::refresh {

/// What a coordinated refresh came to, for every request that waited on it.
using outcome = oauth::refresh_result;

/// Gave up waiting for another request's refresh: transient, the session is kept.
inline outcome transient_outcome() {
    outcome o;
    o.error = error::refresh_unavailable;
    o.error_text = make_error_code(error::refresh_unavailable).message();
    return o;
}

/// Someone waiting for a refresh in flight, and one refresh in flight
/// (the in-process single-flight is flow::single_flight).
using flights = flow::single_flight<outcome>;
using waiter = flights::waiter;
using flight = flights::flight;

class coordinator;

/// The leader's part of one refresh, across processes, as steps: look for a
/// successor record, take the lock, perform the exchange, record the
/// successor, release the lock.
class lead {
public:
    struct step {
        enum kind { store, exchange, wait, done } what;
        const flow::store_op* op = nullptr; ///< store: the member to call, then on_store()
        std::chrono::milliseconds delay{};  ///< wait: how long before next()
    };

    lead(coordinator& c, std::string key, std::int64_t now_ms);
    lead(const lead&) = delete;
    lead& operator=(const lead&) = delete;

    step next(std::int64_t now_ms);
    void on_store(const flow::store_answer& a);
    /// The exchange next() asked for came back: record the successor (on
    /// success), then release the lock — further steps follow.
    void on_exchange(outcome r, std::int64_t now_ms);

    /// The result, once next() said done.
    const outcome& result() const noexcept { return result_; }
    /// Whether the lock is ours (renew it every lease/3 while the exchange runs).
    bool holding() const noexcept { return holding_; }
    /// The Store call that renews the lease.
    flow::store_op renewal() const;

private:
    enum class state {
        look, await_successor, take_lock, await_add, await_lock_get, poll, exchange, record, release, await_release,
        finished
    };

    step call(flow::store_op op, state then) {
        op_ = std::move(op);
        st_ = then;
        return {step::store, &op_, {}};
    }
    /// The result is known: release the lock if held, then done.
    void finish(outcome r) {
        result_ = std::move(r);
        st_ = holding_ ? state::release : state::finished;
    }
    /// Another refresh's tokens (a successor record) are the result.
    void adopt(oauth::refreshed_tokens t) {
        outcome o;
        o.tokens = std::move(t);
        finish(std::move(o));
    }
    step next_after_result();

    coordinator& c_;
    std::string key_, owner_;
    state st_ = state::look;
    flow::store_op op_;
    outcome result_;
    bool holding_ = false;
    int misses_ = 0;
    std::chrono::milliseconds poll_{20};
    std::int64_t deadline_ms_;
};

class coordinator {
public:
    using options = auth_options::refresh_coordination_options;

    /// `waits`: what the blocking driver's waits are measured on (the config
    /// passes wait_clock::of(its Clock)).
    explicit coordinator(const auth_options& o, wait_clock waits = {})
        : o_(normalized(o.refresh_coordination)), sealer_(o.secrets), flights_(std::move(waits)) {
        std::array<std::uint8_t, 12> id{};
        if (!crypto::random_bytes(id)) id.fill(0); // owner ids stay unique per process by the counter
        owner_prefix_ = crypto::base64url_encode(std::span<const std::uint8_t>(id));
    }
    coordinator(const coordinator&) = delete;
    coordinator& operator=(const coordinator&) = delete;
    ~coordinator() {
        {
            std::lock_guard l(renew_mutex_);
            stop_ = true;
            renew_wake_.request_stop();
        }
        renew_cv_.notify_all();
        if (renewer_.joinable()) renewer_.join();
    }

    const options& opts() const noexcept { return o_; }
    bool enabled() const noexcept { return o_.enabled; }
    /// The start of every lock owner id this process writes (for tests and operators).
    const std::string& owner_prefix() const noexcept { return owner_prefix_; }
    // The key in braces: a Redis Cluster hash tag, so that one refresh's lock
    // and successor record share a slot (and a node).
    std::string lock_key(std::string_view key) const { return o_.key_prefix + ":lock:{" + std::string(key) + "}"; }
    std::string successor_key(std::string_view key) const { return o_.key_prefix + ":succ:{" + std::string(key) + "}"; }
    const successor_sealer& sealer() const noexcept { return sealer_; }
    const wait_clock& waits() const noexcept { return flights_.waits(); }

    using joined = flights::joined;

    /// Joins the refresh in flight for this refresh token, or starts one
    /// (leader: run a lead, then complete()).
    joined join(std::string_view refresh_token) { return flights_.join(token_key(refresh_token)); }

    /// An asynchronous waiter: delivered when the flight completes (at once
    /// if it already has), outside the table lock.
    void add_waiter(flight& f, std::unique_ptr<waiter> w) { flights_.add_waiter(f, std::move(w)); }

    /// Blocks until the flight completes or `timeout` passes on waits()
    /// (transient): a safety net behind the leader's own wait_timeout.
    outcome wait(flight& f, std::chrono::milliseconds timeout) {
        return flights_.wait(f, timeout, transient_outcome());
    }

    /// The leader's result: every waiter gets it, and the next request for
    /// this key starts afresh (finding the successor record, if any).
    void complete(const joined& j, outcome o) { flights_.complete(j, std::move(o)); }

    /// A leader that cannot finish (its executor is gone): blocking waiters
    /// get a transient failure, asynchronous ones are dropped undelivered
    /// (there is nowhere left to run them), and the key is free again.
    void abandon(const joined& j) { flights_.abandon(j, transient_outcome()); }

    /// Refreshes in flight in this process (for tests and metrics).
    std::size_t in_flight() const { return flights_.in_flight(); }

    /// Requests of this process waiting for the result of a refresh in
    /// flight (for tests and metrics): blocking ones that another thread
    /// leads, and asynchronous ones — the leading operation included, which
    /// waits for its lead as the others do.
    std::size_t waiting() const { return flights_.waiting(); }

    /// The whole protocol on the calling thread. `send(ec)` performs the
    /// refresh request and returns the answer, `now_ms()` is the config's
    /// clock; the waits between polls are on waits(); `read` turns the
    /// answer into the outcome (the OAuth token response by default).
    template <class Store, class Send, class Now>
    outcome run_blocking(Store& store, std::string_view refresh_token, Send&& send, Now&& now_ms,
                         const flow::refresh_reader& read = {}) {
        auto j = join(refresh_token);
        if (!j.leader) return wait(*j.f, o_.wait_timeout);
        struct completer { // waiters are released even if the transport throws
            coordinator& c;
            const joined& j;
            bool armed = true;
            ~completer() {
                if (armed) c.complete(j, transient_outcome());
            }
        } guard{*this, j};
        lead l(*this, j.key, now_ms());
        for (;;) {
            const auto s = l.next(now_ms());
            if (s.what == lead::step::done) break;
            switch (s.what) {
            case lead::step::store: l.on_store(flow::perform(store, *s.op)); break;
            case lead::step::wait: waits().sleep_for(s.delay); break;
            case lead::step::exchange: {
                std::uint64_t renewal = 0;
                if (l.holding())
                    renewal = start_renewing([&store, op = l.renewal()] { return flow::perform(store, op).ok; });
                error_code ec;
                http::response resp = send(ec);
                if (renewal) stop_renewing(renewal);
                l.on_exchange(read(ec, resp, refresh_token, now_ms()), now_ms());
                break;
            }
            case lead::step::done: break;
            }
        }
        guard.armed = false;
        complete(j, l.result());
        return l.result();
    }

    // --- successor records -------------------------------------------------

    /// The successor this process recorded for `key`, if still fresh.
    std::optional<oauth::refreshed_tokens> local_successor(const std::string& key, std::int64_t now_ms) {
        std::optional<std::string> sealed;
        {
            std::lock_guard l(mutex_);
            auto it = local_.find(key);
            if (it == local_.end() || it->second.expires_ms <= now_ms) return std::nullopt;
            sealed = it->second.sealed;
        }
        return sealer_.open(key, *sealed);
    }

    /// Keeps a successful refresh in this process (late requests here adopt it
    /// even when the store is unreachable or not used) and returns the sealed
    /// record for the store, or nullopt when there is nothing to record.
    std::optional<std::string> keep_successor(const std::string& key, const outcome& o, std::int64_t now_ms) {
        if (!o.ok()) return std::nullopt;
        auto sealed = sealer_.seal(key, *o.tokens);
        if (!sealed) return std::nullopt;
        const auto expires = authpp::detail::saturating_add(now_ms, o_.successor_ttl.count());
        std::lock_guard l(mutex_);
        // The oldest first, each once: a refresh costs O(1) however many are
        // kept (a scan of them all made it O(refreshes in successor_ttl)).
        while (!expiry_.empty() && expiry_.front().first <= now_ms) {
            const auto it = local_.find(expiry_.front().second);
            if (it != local_.end() && it->second.expires_ms <= now_ms) local_.erase(it); // not kept again since
            expiry_.pop_front();
        }
        local_[key] = {*sealed, expires};
        expiry_.emplace_back(expires, key);
        return sealed;
    }

    // --- lease renewal (the blocking driver) --------------------------------

    /// Calls `renew()` every lease/3 (on waits()) until stop_renewing(id).
    std::uint64_t start_renewing(std::function<bool()> renew) {
        std::lock_guard l(renew_mutex_);
        const auto id = ++renew_seq_;
        renewals_.emplace(id, renewal{std::make_shared<std::function<bool()>>(std::move(renew)),
                                      waits().now() + o_.lease / 3});
        if (!renewer_.joinable()) renewer_ = std::thread([this] { renew_loop(); });
        renew_wake_.request_stop(); // a sleeping renewer looks at the new due time
        renew_cv_.notify_all();     // an idle one wakes
        return id;
    }
    void stop_renewing(std::uint64_t id) {
        std::lock_guard l(renew_mutex_);
        renewals_.erase(id);
    }

    std::string new_owner() { return owner_prefix_ + "." + std::to_string(++owner_seq_); }

private:
    static options normalized(options o) {
        const options d;
        if (o.lease.count() <= 0) o.lease = d.lease;
        if (o.wait_timeout.count() <= 0) o.wait_timeout = d.wait_timeout;
        if (o.successor_ttl.count() <= 0) o.successor_ttl = d.successor_ttl;
        if (o.key_prefix.empty()) o.key_prefix = d.key_prefix;
        return o;
    }

    void renew_loop() {
        std::unique_lock l(renew_mutex_);
        while (!stop_) {
            if (renewals_.empty()) {
                renew_cv_.wait(l, [&] { return stop_ || !renewals_.empty(); });
                continue;
            }
            auto next = renewals_.begin()->second.due;
            for (auto& [id, r] : renewals_) next = std::min(next, r.due);
            // A new renewal or the destructor requests a stop: woken early.
            const auto wake = renew_wake_.get_token();
            l.unlock();
            waits().sleep_until(next, wake);
            l.lock();
            if (renew_wake_.stop_requested()) renew_wake_ = std::stop_source();
            if (stop_) break;
            const auto now = waits().now();
            std::vector<std::shared_ptr<std::function<bool()>>> due;
            for (auto& [id, r] : renewals_)
                if (r.due <= now) {
                    due.push_back(r.fn);
                    r.due = now + o_.lease / 3;
                }
            // The store call may block on the network: not under the lock.
            l.unlock();
            for (auto& fn : due) (*fn)();
            l.lock();
        }
    }

    struct successor_entry {
        std::string sealed;
        std::int64_t expires_ms;
    };
    struct renewal {
        std::shared_ptr<std::function<bool()>> fn;
        wait_clock::duration due;
    };

    options o_;
    successor_sealer sealer_;
    flights flights_;
    std::string owner_prefix_;
    std::atomic<std::uint64_t> owner_seq_{0};

    mutable std::mutex mutex_;
    std::unordered_map<std::string, successor_entry> local_;
    std::deque<std::pair<std::int64_t, std::string>> expiry_; // (expires_ms, key) in the order kept

    std::mutex renew_mutex_;
    std::condition_variable renew_cv_;
    std::map<std::uint64_t, renewal> renewals_;
    std::uint64_t renew_seq_ = 0;
    std::stop_source renew_wake_;
    bool stop_ = false;
    std::thread renewer_;
};

// --- lead ------------------------------------------------------------------

inline lead::lead(coordinator& c, std::string key, std::int64_t now_ms)
    : c_(c), key_(std::move(key)),
      deadline_ms_(authpp::detail::saturating_add(now_ms, c.opts().wait_timeout.count())) {}

inline lead::step lead::next(std::int64_t now_ms) {
    switch (st_) {
    case state::look:
        // A successor record is looked for first, in this process, then in
        // the store: a request that still carries the old cookie adopts.
        if (auto t = c_.local_successor(key_, now_ms)) {
            adopt(std::move(*t));
            return next_after_result();
        }
        if (!c_.opts().use_store) {
            st_ = state::exchange;
            return {step::exchange, nullptr, {}};
        }
        return call(flow::get(c_.successor_key(key_)), state::await_successor);
    case state::take_lock:
        owner_ = c_.new_owner();
        return call(flow::add(c_.lock_key(key_), owner_, c_.opts().lease), state::await_add);
    case state::exchange: return {step::exchange, nullptr, {}};
    case state::poll: {
        // The lock is held by another: poll until its successor appears, it
        // vanishes (take over), or the wait times out (transient).
        if (now_ms >= deadline_ms_) {
            finish(transient_outcome());
            return next_after_result();
        }
        const auto left = std::chrono::milliseconds(deadline_ms_ - now_ms);
        const auto delay = std::min(poll_, left + std::chrono::milliseconds(1));
        poll_ = std::min(poll_ * 2, std::chrono::milliseconds(200));
        st_ = state::look;
        return {step::wait, nullptr, delay};
    }
    case state::record:
    case state::release:
    case state::finished: return next_after_result();
    case state::await_successor:
    case state::await_add:
    case state::await_lock_get:
    case state::await_release: return {step::store, &op_, {}}; // still waiting for on_store()
    }
    return {step::done, nullptr, {}};
}

inline void lead::on_store(const flow::store_answer& a) {
    switch (st_) {
    case state::await_successor:
        if (a.value) {
            if (auto t = c_.sealer().open(key_, *a.value)) // unreadable (tampered, other secret): as if absent
                return adopt(std::move(*t));
        }
        st_ = holding_ ? state::exchange : state::take_lock;
        return;
    case state::await_add:
        if (a.ok) {
            holding_ = true;
            // The previous holder may have written its record and released
            // between our look and our add.
            op_ = flow::get(c_.successor_key(key_));
            st_ = state::await_successor;
            return;
        }
        op_ = flow::get(c_.lock_key(key_));
        st_ = state::await_lock_get;
        return;
    case state::await_lock_get:
        if (!a.value) {
            // Released (or expired) between add and get — or the store is
            // unreachable, which answers the same. Three times in a row: the
            // latter; go on with the in-process single-flight alone.
            st_ = ++misses_ >= 3 ? state::exchange : state::look;
            return;
        }
        misses_ = 0;
        st_ = state::poll;
        return;
    case state::await_release: st_ = state::finished; return;
    default: return;
    }
}

inline void lead::on_exchange(outcome r, std::int64_t now_ms) {
    if (st_ != state::exchange) return;
    auto sealed = c_.keep_successor(key_, r, now_ms);
    finish(std::move(r));
    if (sealed && c_.opts().use_store) {
        op_ = flow::set(c_.successor_key(key_), std::move(*sealed), c_.opts().successor_ttl);
        st_ = state::record; // written before the lock is released
    }
}

inline lead::step lead::next_after_result() {
    switch (st_) {
    case state::record:
        st_ = holding_ ? state::release : state::finished;
        return {step::store, &op_, {}}; // the successor record; its answer changes nothing
    case state::release:
        holding_ = false;
        op_ = flow::erase_if(c_.lock_key(key_), owner_);
        st_ = state::await_release;
        return {step::store, &op_, {}};
    default: return {step::done, nullptr, {}};
    }
}

inline flow::store_op lead::renewal() const { return flow::expire_if(c_.lock_key(key_), owner_, c_.opts().lease); }

} // namespace authpp::refresh
