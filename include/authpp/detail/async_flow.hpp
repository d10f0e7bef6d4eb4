// authpp/detail/async_flow.hpp — runs any sans-I/O flow (pending() /
// on_response()) on an asynchronous transport as one composed operation.
// A Job says how to start the flow and how to complete the operation with
// its result; see resolve_job in <authpp/asio.hpp> for the shape.
//
// Refreshes are coordinated: when the flow's pending_refresh_token() is not
// empty and the Job has a `cfg` member (the basic_auth_config), the exchange
// goes through cfg.refresh_coordinator() (<authpp/refresh/coordinator.hpp>):
// the operation either leads the refresh for every request that needs this
// refresh token, or waits for the one that does — its handler is then posted
// to the transport's executor with the leader's answer.
#pragma once

#include <authpp/concepts/http_transport.hpp>
#include <authpp/error.hpp>
#include <authpp/http/message.hpp>
#include <authpp/refresh/coordinator.hpp>

#include <boost/asio/append.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <concepts>
#include <memory>
#include <optional>
#include <string_view>
#include <type_traits>
#include <utility>

namespace authpp::detail {

struct posted_t {};

/// A Job whose flows are refresh-coordinated: it names its config.
template <class Job>
concept CoordinatedJob = requires(Job& j, typename Job::flow_type& f) {
    j.cfg.refresh_coordinator();
    j.cfg.store();
    j.cfg.now_ms();
    { f.pending_refresh_token() } -> std::convertible_to<std::string_view>;
};

/// A composed operation waiting for a coordinated refresh: resumed on its
/// executor with the leader's (error_code, response), as if its own
/// async_send had completed.
template <class Self, class Executor>
class op_waiter final : public refresh::waiter {
public:
    op_waiter(Self&& self, Executor ex) : self_(std::move(self)), ex_(std::move(ex)) {}
    void deliver(const refresh::outcome& o) override {
        boost::asio::post(ex_, boost::asio::append(std::move(self_), o.ec, o.resp));
    }

private:
    Self self_;
    Executor ex_;
};

/// The leader of a coordinated refresh, asynchronously: runs refresh::lead's
/// steps with async_send and a steady_timer, then completes the flight.
template <class Transport, class Config>
class async_refresh_lead : public std::enable_shared_from_this<async_refresh_lead<Transport, Config>> {
    using store_type = std::remove_reference_t<decltype(std::declval<Config&>().store())>;
    using step = typename refresh::lead<store_type>::step;

public:
    async_refresh_lead(Transport& t, Config& cfg, refresh::coordinator::joined j, http::request req)
        : t_(t), cfg_(cfg), j_(std::move(j)), req_(std::move(req)), lead_(cfg.refresh_coordinator(), cfg.store(), j_.key),
          timer_(t.get_executor()) {}
    async_refresh_lead(const async_refresh_lead&) = delete;
    async_refresh_lead& operator=(const async_refresh_lead&) = delete;

    // Destroyed without finishing (its executor stopped): the flight must
    // not stay in the table, or every later request for this token would
    // join it and wait forever.
    ~async_refresh_lead() {
        if (!completed_) cfg_.refresh_coordinator().abandon(j_);
    }

    void run() {
        auto s = lead_.next(cfg_.now_ms());
        switch (s.what) {
        case step::adopt: return done({{}, std::move(s.adopted)});
        case step::give_up: return done(refresh::transient_outcome());
        case step::wait:
            timer_.expires_after(s.delay);
            return timer_.async_wait([self = this->shared_from_this()](error_code) { self->run(); });
        case step::exchange:
            return t_.async_send(req_, [self = this->shared_from_this()](error_code ec, http::response resp) {
                refresh::outcome o{ec, std::move(resp)};
                self->lead_.finish(o, self->cfg_.now_ms());
                self->done(std::move(o));
            });
        }
    }

private:
    void done(refresh::outcome o) {
        completed_ = true;
        cfg_.refresh_coordinator().complete(j_, std::move(o));
    }

    Transport& t_;
    Config& cfg_;
    refresh::coordinator::joined j_;
    http::request req_;
    refresh::lead<store_type> lead_;
    boost::asio::steady_timer timer_;
    bool completed_ = false;
};

/// Runs a flow: each pending() exchange through async_send, then the job
/// completes. A flow that needs no exchange completes through a post, never
/// inside the initiating call.
template <class Transport, class Job>
class flow_op {
public:
    flow_op(Transport& t, Job job) : s_(std::make_unique<state>(t, std::move(job))) {}

    template <class Self>
    void operator()(Self& self) {
        s_->flow.emplace(s_->job.start());
        if (!next(self)) {
            auto ex = s_->transport.get_executor(); // before `self` (and s_) moves
            boost::asio::post(ex, boost::asio::append(std::move(self), posted_t{}));
        }
    }

    template <class Self>
    void operator()(Self& self, error_code ec, http::response resp) {
        s_->flow->on_response(ec, resp);
        if (!next(self)) s_->job.complete(self, std::move(*s_->flow));
    }

    template <class Self>
    void operator()(Self& self, posted_t) {
        s_->job.complete(self, std::move(*s_->flow));
    }

private:
    struct state {
        state(Transport& t, Job j) : transport(t), job(std::move(j)) {}
        Transport& transport;
        Job job;
        std::optional<typename Job::flow_type> flow;
    };

    template <class Self>
    bool next(Self& self) {
        const http::request* req = s_->flow->pending();
        if (!req) return false;
        if constexpr (CoordinatedJob<Job>) {
            auto& cfg = s_->job.cfg;
            const std::string_view rt = s_->flow->pending_refresh_token();
            if (!rt.empty() && cfg.refresh_coordinator().enabled()) {
                coordinated(self, cfg, rt, *req);
                return true;
            }
        }
        s_->transport.async_send(*req, std::move(self));
        return true;
    }

    template <class Self, class Config>
    void coordinated(Self& self, Config& cfg, std::string_view refresh_token, const http::request& req) {
        auto& c = cfg.refresh_coordinator();
        auto j = c.join(refresh_token);
        // Everything needed after `self` (and with it this object) moves.
        Transport& t = s_->transport;
        auto ex = t.get_executor();
        std::optional<http::request> copy;
        if (j.leader) copy = req;
        c.add_waiter(*j.f, std::make_unique<op_waiter<Self, decltype(ex)>>(std::move(self), ex));
        if (j.leader)
            std::make_shared<async_refresh_lead<Transport, Config>>(t, cfg, std::move(j), std::move(*copy))->run();
    }

    std::unique_ptr<state> s_;
};

} // namespace authpp::detail
