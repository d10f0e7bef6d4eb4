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
//    `{prefix}:lock:{key}` (add: SET NX PX) with a random owner id and a
//    lease, renewed every lease/3 (expire_if) while the exchange is in
//    flight, so a slow provider does not let a second process in, and which
//    expires by itself if its holder dies. On success it writes the
//    successor record `{prefix}:succ:{key}` (<authpp/refresh/
//    successor_record.hpp>) and only then releases the lock (erase_if).
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
// The lead() protocol is sans-I/O (next() says adopt / exchange / wait /
// give up) so that the blocking driver (basic_auth_config::drive) and the
// asynchronous one (detail::flow_op) run the same steps.
#pragma once

#include <authpp/concepts/store.hpp>
#include <authpp/error.hpp>
#include <authpp/http/message.hpp>
#include <authpp/jose/base64url.hpp>
#include <authpp/oauth/refresh.hpp>
#include <authpp/options.hpp>
#include <authpp/refresh/key.hpp>
#include <authpp/refresh/successor_record.hpp>

#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

namespace authpp::refresh {

/// What a refresh exchange came to: exactly what a flow's on_response() takes.
struct outcome {
    error_code ec;
    http::response resp;
};

/// Gave up waiting for another request's refresh: transient, the session is kept.
inline outcome transient_outcome() { return {make_error_code(error::refresh_unavailable), {}}; }

/// Someone waiting for a refresh in flight.
class waiter {
public:
    virtual ~waiter() = default;
    virtual void deliver(const outcome& o) = 0;
};

/// One refresh in flight in this process.
struct flight {
    bool done = false;
    outcome result;
    std::vector<std::unique_ptr<waiter>> waiters;
    std::condition_variable cv;
};

class coordinator;

/// The cross-process part of one leader's refresh, as steps.
template <class Store>
class lead {
    static_assert(check_store<Store>());

public:
    struct step {
        enum kind { adopt, exchange, wait, give_up } what;
        http::response adopted;          ///< adopt: the successor record as a token endpoint answer
        std::chrono::milliseconds delay{}; ///< wait: how long before next()
    };

    lead(coordinator& c, Store& store, std::string key);
    lead(const lead&) = delete;
    lead& operator=(const lead&) = delete;
    ~lead() { release(); }

    step next(std::int64_t now_ms);
    /// The exchange this lead was told to perform came back: record the
    /// successor (on success), then release the lock.
    void finish(const outcome& o, std::int64_t now_ms);
    bool holding() const noexcept { return holding_; }

private:
    void release();

    coordinator& c_;
    Store& store_;
    std::string key_, owner_;
    bool holding_ = false;
    int misses_ = 0;
    std::uint64_t renewal_ = 0;
    std::chrono::milliseconds poll_{20};
    std::chrono::steady_clock::time_point deadline_;
};

class coordinator {
public:
    using options = auth_options::refresh_coordination_options;
    using clock = std::chrono::steady_clock;

    explicit coordinator(const auth_options& o) : o_(normalized(o.refresh_coordination)), sealer_(o.secrets) {
        std::array<std::uint8_t, 12> id{};
        if (RAND_bytes(id.data(), static_cast<int>(id.size())) != 1) id.fill(0); // owner ids stay unique per process by the counter
        owner_prefix_ = jose::base64url_encode(std::span<const std::uint8_t>(id));
    }
    coordinator(const coordinator&) = delete;
    coordinator& operator=(const coordinator&) = delete;
    ~coordinator() {
        {
            std::lock_guard l(renew_mutex_);
            stop_ = true;
        }
        renew_cv_.notify_all();
        if (renewer_.joinable()) renewer_.join();
    }

    const options& opts() const noexcept { return o_; }
    bool enabled() const noexcept { return o_.enabled; }
    /// The start of every lock owner id this process writes (for tests and operators).
    const std::string& owner_prefix() const noexcept { return owner_prefix_; }
    std::string lock_key(std::string_view key) const { return o_.key_prefix + ":lock:" + std::string(key); }
    std::string successor_key(std::string_view key) const { return o_.key_prefix + ":succ:" + std::string(key); }
    const successor_sealer& sealer() const noexcept { return sealer_; }

    struct joined {
        std::shared_ptr<flight> f;
        std::string key;
        bool leader = false;
    };

    /// Joins the refresh in flight for this refresh token, or starts one
    /// (leader: run lead<>, then complete()).
    joined join(std::string_view refresh_token) {
        joined j;
        j.key = token_key(refresh_token);
        std::lock_guard l(mutex_);
        auto& slot = flights_[j.key];
        if (!slot) {
            slot = std::make_shared<flight>();
            j.leader = true;
        }
        j.f = slot;
        return j;
    }

    /// An asynchronous waiter: delivered when the flight completes (at once
    /// if it already has). Delivery happens outside the table lock.
    void add_waiter(flight& f, std::unique_ptr<waiter> w) {
        std::unique_lock l(mutex_);
        if (!f.done) {
            f.waiters.push_back(std::move(w));
            return;
        }
        const outcome o = f.result;
        l.unlock();
        w->deliver(o);
    }

    /// Blocks until the flight completes or `timeout` passes (transient).
    outcome wait(flight& f, std::chrono::milliseconds timeout) {
        std::unique_lock l(mutex_);
        if (!f.cv.wait_for(l, timeout, [&] { return f.done; })) return transient_outcome();
        return f.result;
    }

    /// The leader's result: every waiter gets it, and the next request for
    /// this key starts afresh (finding the successor record, if any).
    void complete(const joined& j, outcome o) {
        for (auto& w : finish_flight(j, std::move(o))) w->deliver(j.f->result);
    }

    /// A leader that cannot finish (its executor is gone): blocking waiters
    /// get a transient failure, asynchronous ones are dropped undelivered
    /// (there is nowhere left to run them), and the key is free again.
    void abandon(const joined& j) { finish_flight(j, transient_outcome()); }

    /// Refreshes in flight in this process (for tests and metrics).
    std::size_t in_flight() const {
        std::lock_guard l(mutex_);
        return flights_.size();
    }

    /// The whole protocol on the calling thread: `send(req, ec)` performs the
    /// exchange, `now_ms()` is the config's clock.
    template <class Store, class Send, class Now>
    outcome run_blocking(Store& store, std::string_view refresh_token, Send&& send, Now&& now_ms) {
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
        outcome out = [&] {
            lead<Store> l(*this, store, j.key);
            for (;;) {
                auto s = l.next(now_ms());
                switch (s.what) {
                case lead<Store>::step::adopt: return outcome{{}, std::move(s.adopted)};
                case lead<Store>::step::exchange: {
                    outcome o;
                    o.resp = send(o.ec);
                    l.finish(o, now_ms());
                    return o;
                }
                case lead<Store>::step::wait: std::this_thread::sleep_for(s.delay); break;
                case lead<Store>::step::give_up: return transient_outcome();
                }
            }
        }();
        guard.armed = false;
        complete(j, out);
        return out;
    }

    // --- successor records -------------------------------------------------

    template <class Store>
    std::optional<http::response> find_successor(Store& store, const std::string& key, std::int64_t now_ms) {
        if (auto local = local_successor(key)) {
            if (auto r = sealer_.open(key, *local, now_ms)) return r;
        }
        if (!o_.use_store) return std::nullopt;
        auto rec = store.get(successor_key(key));
        if (!rec) return std::nullopt;
        return sealer_.open(key, *rec, now_ms); // unreadable (tampered, other secret): as if absent
    }

    template <class Store>
    void record_successor(Store& store, const std::string& key, const outcome& o, std::int64_t now_ms) {
        if (o.ec || o.resp.status < 200 || o.resp.status >= 300) return;
        auto sealed = sealer_.seal(key, o.resp, now_ms);
        if (!sealed) return;
        if (o_.use_store) store.set(successor_key(key), *sealed, o_.successor_ttl);
        // Also kept here: late requests in this process adopt even when the
        // store is unreachable or not used.
        std::lock_guard l(mutex_);
        const auto now = clock::now();
        std::erase_if(local_, [&](const auto& e) { return e.second.expires <= now; });
        local_[key] = {std::move(*sealed), now + o_.successor_ttl};
    }

    // --- lease renewal -----------------------------------------------------

    /// Calls `renew()` every lease/3 until stop_renewing(id).
    std::uint64_t start_renewing(std::function<bool()> renew) {
        std::lock_guard l(renew_mutex_);
        const auto id = ++renew_seq_;
        renewals_.emplace(id, renewal{std::make_shared<std::function<bool()>>(std::move(renew)),
                                      clock::now() + o_.lease / 3});
        if (!renewer_.joinable()) renewer_ = std::thread([this] { renew_loop(); });
        renew_cv_.notify_all();
        return id;
    }
    void stop_renewing(std::uint64_t id) {
        std::lock_guard l(renew_mutex_);
        renewals_.erase(id);
    }

    std::string new_owner() { return owner_prefix_ + "." + std::to_string(++owner_seq_); }

private:
    std::vector<std::unique_ptr<waiter>> finish_flight(const joined& j, outcome o) {
        std::vector<std::unique_ptr<waiter>> ws;
        {
            std::lock_guard l(mutex_);
            j.f->done = true;
            j.f->result = std::move(o);
            ws.swap(j.f->waiters);
            if (auto it = flights_.find(j.key); it != flights_.end() && it->second == j.f) flights_.erase(it);
        }
        j.f->cv.notify_all();
        return ws;
    }

    static options normalized(options o) {
        const options d;
        if (o.lease.count() <= 0) o.lease = d.lease;
        if (o.wait_timeout.count() <= 0) o.wait_timeout = d.wait_timeout;
        if (o.successor_ttl.count() <= 0) o.successor_ttl = d.successor_ttl;
        if (o.key_prefix.empty()) o.key_prefix = d.key_prefix;
        return o;
    }

    std::optional<std::string> local_successor(const std::string& key) {
        std::lock_guard l(mutex_);
        auto it = local_.find(key);
        if (it == local_.end() || it->second.expires <= clock::now()) return std::nullopt;
        return it->second.sealed;
    }

    void renew_loop() {
        std::unique_lock l(renew_mutex_);
        while (!stop_) {
            auto next = clock::now() + std::chrono::hours(1);
            for (auto& [id, r] : renewals_) next = std::min(next, r.due);
            renew_cv_.wait_until(l, next);
            if (stop_) break;
            const auto now = clock::now();
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
        clock::time_point expires;
    };
    struct renewal {
        std::shared_ptr<std::function<bool()>> fn;
        clock::time_point due;
    };

    options o_;
    successor_sealer sealer_;
    std::string owner_prefix_;
    std::atomic<std::uint64_t> owner_seq_{0};

    mutable std::mutex mutex_;
    std::unordered_map<std::string, std::shared_ptr<flight>> flights_;
    std::unordered_map<std::string, successor_entry> local_;

    std::mutex renew_mutex_;
    std::condition_variable renew_cv_;
    std::map<std::uint64_t, renewal> renewals_;
    std::uint64_t renew_seq_ = 0;
    bool stop_ = false;
    std::thread renewer_;
};

// --- lead<> ----------------------------------------------------------------

template <class Store>
lead<Store>::lead(coordinator& c, Store& store, std::string key)
    : c_(c), store_(store), key_(std::move(key)), deadline_(coordinator::clock::now() + c.opts().wait_timeout) {}

template <class Store>
typename lead<Store>::step lead<Store>::next(std::int64_t now_ms) {
    if (auto r = c_.find_successor(store_, key_, now_ms)) {
        release();
        return {step::adopt, std::move(*r), {}};
    }
    if (holding_ || !c_.opts().use_store) return {step::exchange, {}, {}};
    const auto lock = c_.lock_key(key_);
    owner_ = c_.new_owner();
    if (store_.add(lock, owner_, c_.opts().lease)) {
        holding_ = true;
        // The previous holder may have written its record and released
        // between our look and our add.
        if (auto r = c_.find_successor(store_, key_, now_ms)) {
            release();
            return {step::adopt, std::move(*r), {}};
        }
        renewal_ = c_.start_renewing(
            [&store = store_, lock, owner = owner_, lease = c_.opts().lease] { return store.expire_if(lock, owner, lease); });
        return {step::exchange, {}, {}};
    }
    if (!store_.get(lock)) {
        // Released (or expired) between add and get — or the store is
        // unreachable, which answers the same. Three times in a row: the
        // latter; go on with the in-process single-flight alone.
        if (++misses_ >= 3) return {step::exchange, {}, {}};
        return {step::wait, {}, std::chrono::milliseconds(0)};
    }
    misses_ = 0;
    const auto now = coordinator::clock::now();
    if (now >= deadline_) return {step::give_up, {}, {}};
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline_ - now);
    const auto delay = std::min(poll_, left + std::chrono::milliseconds(1));
    poll_ = std::min(poll_ * 2, std::chrono::milliseconds(200));
    return {step::wait, {}, delay};
}

template <class Store>
void lead<Store>::finish(const outcome& o, std::int64_t now_ms) {
    c_.record_successor(store_, key_, o, now_ms);
    release();
}

template <class Store>
void lead<Store>::release() {
    if (!holding_) return;
    holding_ = false;
    c_.stop_renewing(renewal_);
    store_.erase_if(c_.lock_key(key_), owner_);
}

} // namespace authpp::refresh
