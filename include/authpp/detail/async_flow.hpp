// authpp/detail/async_flow.hpp — the asynchronous driver of the flow
// protocol (<authpp/flow/step.hpp>): runs any flow as one composed
// operation. A Job says how to start the flow and how to complete the
// operation with its result; see resolve_job in <authpp/asio.hpp>.
//
//   exchange → the transport's async_send;
//   store    → in place for an ImmediateStore (memory_store), else the
//              Store's asynchronous member (redis_store, any_store): the
//              thread never blocks on the store;
//   refresh  → the config's refresh coordinator: the operation either leads
//              the refresh for every request that needs this refresh token
//              (async_refresh_lead: the lead's Store calls, waits and lease
//              renewals on the executor), or waits for the one that does — its
//              handler is then posted to the transport's executor with the
//              leader's result.
#pragma once

#include <authpp/concepts/http_transport.hpp>
#include <authpp/concepts/store.hpp>
#include <authpp/detail/post_completion.hpp>
#include <authpp/error.hpp>
#include <authpp/flow/single_flight.hpp>
#include <authpp/flow/step.hpp>
#include <authpp/http/message.hpp>
#include <authpp/oauth/refresh.hpp>
#include <authpp/refresh/coordinator.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/append.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/compose.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/system/errc.hpp>

#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>

namespace authpp::detail {

struct posted_t {};

/// Calls one Store member through its asynchronous form; `h` is called as
/// h(error_code, std::optional<std::string>) for get and h(error_code, bool)
/// for the others. Every argument is copied before the call returns.
template <class S, class Executor, class Handler>
void async_store_call(S& s, const Executor& ex, const flow::store_op& op, Handler&& h) {
    static_assert(check_async_store<S, Executor>());
    using k = flow::store_op::kind;
    switch (op.what) {
    case k::get: s.async_get(ex, op.key, std::forward<Handler>(h)); return;
    case k::set: s.async_set(ex, op.key, op.value, op.ttl, std::forward<Handler>(h)); return;
    case k::erase: s.async_erase(ex, op.key, std::forward<Handler>(h)); return;
    case k::add: s.async_add(ex, op.key, op.value, op.ttl, std::forward<Handler>(h)); return;
    case k::expire_if: s.async_expire_if(ex, op.key, op.value, op.ttl, std::forward<Handler>(h)); return;
    case k::erase_if: s.async_erase_if(ex, op.key, op.value, std::forward<Handler>(h)); return;
    }
}

/// A composed operation waiting for a single-flight's result (a coordinated
/// refresh, a shared exchange): resumed on its executor with the leader's result.
template <class Self, class Executor, class Result = refresh::outcome>
class op_waiter final : public flow::single_flight<Result>::waiter {
public:
    op_waiter(Self&& self, Executor ex) : self_(std::move(self)), ex_(std::move(ex)) {}
    void deliver(const Result& r) override { boost::asio::post(ex_, boost::asio::append(std::move(self_), r)); }

private:
    Self self_;
    Executor ex_;
};

/// The leader of a coordinated refresh, asynchronously: runs refresh::lead's
/// steps with the Store's asynchronous members, async_send and timers, renews
/// the lease while the exchange is in flight, then completes the flight.
template <class Transport, class Config>
class async_refresh_lead : public std::enable_shared_from_this<async_refresh_lead<Transport, Config>> {
    using store_type = std::remove_reference_t<decltype(std::declval<Config&>().store())>;
    using step = refresh::lead::step;

public:
    async_refresh_lead(Transport& t, Config& cfg, refresh::coordinator::joined j, http::request req,
                       std::string refresh_token, flow::refresh_reader read)
        : t_(t), cfg_(cfg), j_(std::move(j)), req_(std::move(req)), refresh_token_(std::move(refresh_token)),
          read_(read),
          lead_(cfg.refresh_coordinator(), j_.key, cfg.now_ms()), timer_(t.get_executor()),
          renew_timer_(t.get_executor()) {}
    async_refresh_lead(const async_refresh_lead&) = delete;
    async_refresh_lead& operator=(const async_refresh_lead&) = delete;

    // Destroyed without finishing (its executor stopped): the flight must
    // not stay in the table, or every later request for this token would
    // join it and wait forever. A lock it held lapses after the lease.
    ~async_refresh_lead() {
        if (!completed_) cfg_.refresh_coordinator().abandon(j_);
    }

    void run() {
        for (;;) {
            const auto s = lead_.next(cfg_.now_ms());
            switch (s.what) {
            case step::done:
                completed_ = true;
                cfg_.refresh_coordinator().complete(j_, lead_.result());
                return;
            case step::wait:
                timer_.expires_after(s.delay);
                return timer_.async_wait([self = this->shared_from_this()](error_code) { self->run(); });
            case step::store:
                if constexpr (ImmediateStore<store_type>) {
                    lead_.on_store(flow::perform(cfg_.store(), *s.op));
                    continue;
                } else {
                    return async_store_call(cfg_.store(), t_.get_executor(), *s.op,
                                            answer{this->shared_from_this(), false});
                }
            case step::exchange:
                if (lead_.holding()) renew_later();
                return t_.async_send(req_, [self = this->shared_from_this()](error_code ec, http::response resp) {
                    self->renewing_ = false;
                    self->renew_timer_.cancel();
                    const auto now = self->cfg_.now_ms();
                    self->lead_.on_exchange(self->read_(ec, resp, self->refresh_token_, now), now);
                    self->run();
                });
            }
        }
    }

private:
    /// A Store answer, for the lead (or, for a renewal, to re-arm).
    struct answer {
        std::shared_ptr<async_refresh_lead> self;
        bool renewal;
        void operator()(error_code ec, std::optional<std::string> v) { deliver({ec, std::move(v), false}); }
        void operator()(error_code ec, bool ok) { deliver({ec, std::nullopt, ok}); }
        void deliver(flow::store_answer a) {
            if (renewal) {
                if (self->renewing_) self->renew_later();
                return;
            }
            self->lead_.on_store(a);
            self->run();
        }
    };

    /// Every lease/3 while the exchange runs: extend the lock. This timer and
    /// the one between polls are the reactor's time (steady_timer), not the
    /// Clock's: a reactor cannot block on a Clock, and a timer on a test clock
    /// would have to poll real time (<authpp/refresh/coordinator.hpp>). The
    /// renewal itself is lead::renewal(), the Store call the blocking driver's
    /// renewer makes — the one its tests step with manual_clock.
    void renew_later() {
        renewing_ = true;
        renew_timer_.expires_after(cfg_.refresh_coordinator().opts().lease / 3);
        renew_timer_.async_wait([self = this->shared_from_this()](error_code ec) {
            if (ec || !self->renewing_) return;
            self->renew_op_ = self->lead_.renewal();
            if constexpr (ImmediateStore<store_type>) {
                flow::perform(self->cfg_.store(), self->renew_op_);
                self->renew_later();
            } else {
                async_store_call(self->cfg_.store(), self->t_.get_executor(), self->renew_op_, answer{self, true});
            }
        });
    }

    Transport& t_;
    Config& cfg_;
    refresh::coordinator::joined j_;
    http::request req_;
    std::string refresh_token_;
    flow::refresh_reader read_;
    refresh::lead lead_;
    boost::asio::steady_timer timer_, renew_timer_;
    flow::store_op renew_op_;
    bool renewing_ = false;
    bool completed_ = false;
};

/// The leader of a shared exchange, asynchronously: sends the request,
/// settles the answer, and completes the flight with it for every flow that
/// asked.
template <class Transport, class Config>
class async_shared_send : public std::enable_shared_from_this<async_shared_send<Transport, Config>> {
    using table = flow::single_flight<flow::shared_answer>;

public:
    async_shared_send(Transport& t, Config& cfg, table::joined j, http::request req, std::string key,
                      flow::shared_settle settle)
        : t_(t), cfg_(cfg), flights_(cfg.shared_exchanges()), j_(std::move(j)), req_(std::move(req)),
          key_(std::move(key)), settle_(settle) {}
    async_shared_send(const async_shared_send&) = delete;
    async_shared_send& operator=(const async_shared_send&) = delete;

    // Destroyed without an answer (its executor stopped): free the key.
    ~async_shared_send() {
        using boost::system::errc::make_error_code;
        if (!completed_) flights_.abandon(j_, {make_error_code(boost::system::errc::operation_canceled), {}});
    }

    void run() {
        t_.async_send(req_, [self = this->shared_from_this()](error_code ec, http::response resp) {
            flow::shared_answer a{ec, std::move(resp)};
            self->settle_(self->key_, a, self->cfg_.now_ms()); // before anyone can ask again
            self->completed_ = true;
            self->flights_.complete(self->j_, std::move(a));
        });
    }

private:
    Transport& t_;
    Config& cfg_;
    table& flights_;
    table::joined j_;
    http::request req_;
    std::string key_;
    flow::shared_settle settle_;
    bool completed_ = false;
};

/// Runs a flow to its end, then the job completes. A flow that finishes
/// without waiting for anything completes through a post, never inside the
/// initiating call. Needs the Job's `cfg` (the basic_auth_config: transport,
/// store, clock, refresh coordinator).
template <class Transport, class Job>
class flow_op {
public:
    flow_op(Transport& t, Job job) : s_(std::make_unique<state>(t, std::move(job))) {}

    template <class Self>
    void operator()(Self& self) {
        s_->flow.emplace(s_->job.start());
        advance(self, true);
    }

    // An exchange came back (a refresh's, when not coordinated).
    template <class Self>
    void operator()(Self& self, error_code ec, http::response resp) {
        if (s_->refresh_exchange) {
            s_->refresh_exchange = false;
            s_->flow->on_refresh(s_->reader(ec, resp, s_->refresh_token, s_->job.cfg.now_ms()));
        } else
            s_->flow->on_response(ec, resp);
        advance(self, false);
    }

    // A shared exchange's answer.
    template <class Self>
    void operator()(Self& self, flow::shared_answer a) {
        s_->flow->on_response(a.ec, a.response);
        advance(self, false);
    }

    // A coordinated refresh's result.
    template <class Self>
    void operator()(Self& self, refresh::outcome o) {
        s_->flow->on_refresh(o);
        advance(self, false);
    }

    // A Store answer.
    template <class Self>
    void operator()(Self& self, error_code ec, std::optional<std::string> v) {
        s_->flow->on_store({ec, std::move(v), false});
        advance(self, false);
    }
    template <class Self>
    void operator()(Self& self, error_code ec, bool ok) {
        s_->flow->on_store({ec, std::nullopt, ok});
        advance(self, false);
    }

    template <class Self>
    void operator()(Self& self, posted_t) {
        s_->job.complete(self, std::move(*s_->flow));
    }

private:
    using flow_type = typename Job::flow_type;
    using config_type = std::remove_reference_t<decltype(std::declval<Job&>().cfg)>;
    using store_type = std::remove_reference_t<decltype(std::declval<config_type&>().store())>;

    struct state {
        state(Transport& t, Job j) : transport(t), job(std::move(j)) {}
        Transport& transport;
        Job job;
        std::optional<flow_type> flow;
        bool refresh_exchange = false;
        std::string refresh_token;
        flow::refresh_reader reader;
    };

    /// Performs steps until one must wait, or the flow is done.
    template <class Self>
    void advance(Self& self, bool initiating) {
        auto& cfg = s_->job.cfg;
        for (;;) {
            const flow::step s = s_->flow->next();
            switch (s.what) {
            case flow::step::kind::done:
                if (initiating) {
                    // Done without waiting (a cached session): completed from
                    // outside this call, as Asio's own operations are.
                    auto ex = s_->transport.get_executor(); // before `self` (and s_) moves
                    // One hop or two, as post_completion() decides.
                    using handler_executor = boost::asio::associated_executor_t<Self, decltype(ex)>;
                    if constexpr (posts_directly<handler_executor, decltype(ex)>)
                        boost::asio::post(boost::asio::append(std::move(self), posted_t{}));
                    else
                        boost::asio::post(ex, boost::asio::append(std::move(self), posted_t{}));
                } else
                    s_->job.complete(self, std::move(*s_->flow));
                return;
            case flow::step::kind::exchange: return s_->transport.async_send(*s.request, std::move(self));
            case flow::step::kind::store:
                if constexpr (ImmediateStore<store_type>) {
                    s_->flow->on_store(flow::perform(cfg.store(), *s.store));
                    continue;
                } else {
                    auto ex = s_->transport.get_executor();
                    return async_store_call(cfg.store(), ex, *s.store, std::move(self));
                }
            case flow::step::kind::refresh:
                if (cfg.refresh_coordinator().enabled())
                    return coordinated(self, cfg, s.refresh_token, *s.request, s.reader);
                s_->refresh_exchange = true;
                s_->refresh_token = std::string(s.refresh_token);
                s_->reader = s.reader;
                return s_->transport.async_send(*s.request, std::move(self));
            case flow::step::kind::shared: return shared(self, cfg, s.key, *s.request, s.settle);
            }
        }
    }

    template <class Self, class Config>
    void coordinated(Self& self, Config& cfg, std::string_view refresh_token, const http::request& req,
                     flow::refresh_reader read) {
        auto& c = cfg.refresh_coordinator();
        auto j = c.join(refresh_token);
        // Everything needed after `self` (and with it this object) moves.
        Transport& t = s_->transport;
        auto ex = t.get_executor();
        std::optional<http::request> copy;
        std::string token;
        if (j.leader) copy = req, token = std::string(refresh_token);
        c.add_waiter(*j.f, std::make_unique<op_waiter<Self, decltype(ex)>>(std::move(self), ex));
        if (j.leader)
            std::make_shared<async_refresh_lead<Transport, Config>>(t, cfg, std::move(j), std::move(*copy),
                                                                    std::move(token), read)
                ->run();
    }

    // Joins the shared exchange for `key` (leading it when first), and
    // resumes with its answer.
    template <class Self, class Config>
    void shared(Self& self, Config& cfg, std::string_view key, const http::request& req, flow::shared_settle settle) {
        auto& flights = cfg.shared_exchanges();
        auto j = flights.join(std::string(key));
        // Everything needed after `self` (and with it this object) moves.
        Transport& t = s_->transport;
        auto ex = t.get_executor();
        std::optional<http::request> copy;
        std::string key_copy;
        if (j.leader) copy = req, key_copy = std::string(key);
        using waiter = op_waiter<Self, decltype(ex), flow::shared_answer>;
        flights.add_waiter(*j.f, std::make_unique<waiter>(std::move(self), ex));
        if (j.leader)
            std::make_shared<async_shared_send<Transport, Config>>(t, cfg, std::move(j), std::move(*copy),
                                                                   std::move(key_copy), settle)
                ->run();
    }

    std::unique_ptr<state> s_;
};

/// The usual job: the flow `Start{}(cfg, input)` makes, completed with its
/// result(). `input` lives in the operation's state, so the flow may view it.
template <class Config, class Flow, class Input, class Start>
struct result_job {
    using flow_type = Flow;
    Config& cfg;
    Input input;

    flow_type start() { return Start{}(cfg, input); }
    template <class Self>
    void complete(Self& self, flow_type&& flow) {
        self.complete(std::move(flow).result());
    }
};

/// Runs the flow `Start{}(cfg, input)` on cfg's transport as one composed
/// operation completing with void(Result).
template <class Result, class Flow, class Start, class Config, class Input, class CompletionToken>
auto async_run_flow(Config& cfg, Input input, CompletionToken&& token) {
    using job = result_job<Config, Flow, Input, Start>;
    using transport = std::remove_reference_t<decltype(cfg.transport())>;
    return boost::asio::async_compose<CompletionToken, void(Result)>(
        flow_op<transport, job>(cfg.transport(), job{cfg, std::move(input)}), token, cfg.transport().get_executor());
}

} // namespace authpp::detail
