// authpp/flow/single_flight.hpp — one operation per key in flight in this
// process; every other request for that key waits for its result.
//
// The refresh coordinator runs one refresh per refresh token through it, and
// mode nal one backend validation per token. The first to join a key leads
// (performs the operation, then complete()); later ones wait — blocking
// threads on the wait_clock (with a time-out), asynchronous operations as
// waiters delivered outside the table lock. A completed key is free again:
// the next request leads anew.
#pragma once

#include <authpp/clock/wait_clock.hpp>

#include <chrono>
#include <cstddef>
#include <memory>
#include <mutex>
#include <stop_token>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace authpp::flow {

template <class Result>
class single_flight {
public:
    /// Someone (an asynchronous operation) waiting for a result.
    class waiter {
    public:
        virtual ~waiter() = default;
        virtual void deliver(const Result& r) = 0;
    };

    /// One operation in flight.
    struct flight {
        bool done = false;
        Result result{};
        std::vector<std::unique_ptr<waiter>> waiters;
        std::size_t blocked = 0;   ///< threads in wait()
        std::stop_source finished; ///< stopped when done: wakes them
    };

    struct joined {
        std::shared_ptr<flight> f;
        std::string key;
        bool leader = false;
    };

    explicit single_flight(wait_clock waits = {}) : waits_(std::move(waits)) {}
    single_flight(const single_flight&) = delete;
    single_flight& operator=(const single_flight&) = delete;

    const wait_clock& waits() const noexcept { return waits_; }

    /// Joins the operation in flight for `key`, or starts one (leader).
    joined join(std::string key) {
        joined j;
        j.key = std::move(key);
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
        const Result r = f.result;
        l.unlock();
        w->deliver(r);
    }

    /// Blocks until the flight completes, or `timeout` passes on waits()
    /// (then `on_timeout`).
    Result wait(flight& f, std::chrono::milliseconds timeout, Result on_timeout) {
        const auto deadline = waits_.now() + timeout;
        std::unique_lock l(mutex_);
        ++f.blocked;
        while (!f.done && waits_.now() < deadline) {
            l.unlock();
            waits_.sleep_until(deadline, f.finished.get_token());
            l.lock();
        }
        --f.blocked;
        return f.done ? f.result : std::move(on_timeout);
    }

    /// The leader's result: every waiter gets it, and the key is free again.
    void complete(const joined& j, Result r) {
        for (auto& w : finish(j, std::move(r))) w->deliver(j.f->result);
    }

    /// A leader that cannot finish (its executor is gone): blocking waiters
    /// get `r`, asynchronous ones are dropped undelivered (there is nowhere
    /// left to run them), and the key is free again.
    void abandon(const joined& j, Result r) { finish(j, std::move(r)); }

    /// Operations in flight (for tests and metrics).
    std::size_t in_flight() const {
        std::lock_guard l(mutex_);
        return flights_.size();
    }

    /// Requests waiting for a result: blocking ones, and asynchronous
    /// waiters (for tests and metrics).
    std::size_t waiting() const {
        std::lock_guard l(mutex_);
        std::size_t n = 0;
        for (const auto& [key, f] : flights_) n += f->blocked + f->waiters.size();
        return n;
    }

private:
    std::vector<std::unique_ptr<waiter>> finish(const joined& j, Result r) {
        std::vector<std::unique_ptr<waiter>> ws;
        {
            std::lock_guard l(mutex_);
            j.f->done = true;
            j.f->result = std::move(r);
            ws.swap(j.f->waiters);
            if (auto it = flights_.find(j.key); it != flights_.end() && it->second == j.f) flights_.erase(it);
        }
        j.f->finished.request_stop();
        return ws;
    }

    wait_clock waits_;
    mutable std::mutex mutex_;
    std::unordered_map<std::string, std::shared_ptr<flight>> flights_;
};

} // namespace authpp::flow
