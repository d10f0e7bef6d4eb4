// authpp/store/any_store.hpp — a Store chosen at run time: wraps any Store
// model behind one type, so a server picks memory_store or redis_store from
// its configuration without instantiating its config twice.
//
// Copies share the wrapped store (as copies of the shipped models do). The
// cost is one indirect call per operation, small next to a store round trip.
//
// It is always an AsyncStore (on any Asio executor): it forwards to the
// wrapped store's asynchronous members (redis_store), or, for a store whose
// members complete immediately (memory_store), calls the blocking member
// and posts the answer. A store that is neither does not compile here (its
// blocking calls would stall the asynchronous drivers' threads). Including
// this header includes Asio's executor and handler types.
#pragma once

#include <authpp/concepts/store.hpp>
#include <authpp/detail/post_completion.hpp>
#include <authpp/error.hpp>
#include <authpp/flow/step.hpp>
#include <authpp/store/memory_store.hpp>

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/async_result.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

namespace authpp {

class any_store {
public:
    /// An in-process memory_store.
    any_store() : any_store(memory_store{}) {}

    /// `S` must complete immediately (ImmediateStore) or be asynchronous
    /// (AsyncStore); otherwise check_async_store names what it lacks.
    template <Store S>
        requires(!std::is_same_v<std::decay_t<S>, any_store>)
    any_store(S store) : p_(std::make_shared<model<S>>(std::move(store))) {
        if constexpr (!ImmediateStore<S>) static_assert(check_async_store<S, boost::asio::any_io_executor>());
    }

    std::optional<std::string> get(std::string_view key) { return p_->perform(flow::get(std::string(key))).value; }
    bool set(std::string_view key, std::string_view v, std::chrono::milliseconds ttl) {
        return p_->perform(flow::set(std::string(key), std::string(v), ttl)).ok;
    }
    bool erase(std::string_view key) { return p_->perform(flow::erase(std::string(key))).ok; }
    bool add(std::string_view key, std::string_view v, std::chrono::milliseconds ttl) {
        return p_->perform(flow::add(std::string(key), std::string(v), ttl)).ok;
    }
    bool expire_if(std::string_view key, std::string_view v, std::chrono::milliseconds ttl) {
        return p_->perform(flow::expire_if(std::string(key), std::string(v), ttl)).ok;
    }
    bool erase_if(std::string_view key, std::string_view v) {
        return p_->perform(flow::erase_if(std::string(key), std::string(v))).ok;
    }

    // The same, telling "could not ask" (`ec` set: the wrapped store is a
    // ReportingStore that could not be reached) from an answer (a
    // ReportingStore itself; <authpp/concepts/store.hpp>).
    std::optional<std::string> get(std::string_view key, error_code& ec) {
        return perform(flow::get(std::string(key)), ec).value;
    }
    bool set(std::string_view key, std::string_view v, std::chrono::milliseconds ttl, error_code& ec) {
        return perform(flow::set(std::string(key), std::string(v), ttl), ec).ok;
    }
    bool erase(std::string_view key, error_code& ec) { return perform(flow::erase(std::string(key)), ec).ok; }
    bool add(std::string_view key, std::string_view v, std::chrono::milliseconds ttl, error_code& ec) {
        return perform(flow::add(std::string(key), std::string(v), ttl), ec).ok;
    }
    bool expire_if(std::string_view key, std::string_view v, std::chrono::milliseconds ttl, error_code& ec) {
        return perform(flow::expire_if(std::string(key), std::string(v), ttl), ec).ok;
    }
    bool erase_if(std::string_view key, std::string_view v, error_code& ec) {
        return perform(flow::erase_if(std::string(key), std::string(v)), ec).ok;
    }

    // The AsyncStore members (see <authpp/concepts/store.hpp>).
    template <class Executor, class Token>
    auto async_get(const Executor& ex, std::string_view key, Token&& token) {
        return initiate<value_handler>(std::forward<Token>(token), ex, flow::get(std::string(key)));
    }
    template <class Executor, class Token>
    auto async_set(const Executor& ex, std::string_view key, std::string_view v, std::chrono::milliseconds ttl,
                   Token&& token) {
        return initiate<bool_handler>(std::forward<Token>(token), ex, flow::set(std::string(key), std::string(v), ttl));
    }
    template <class Executor, class Token>
    auto async_erase(const Executor& ex, std::string_view key, Token&& token) {
        return initiate<bool_handler>(std::forward<Token>(token), ex, flow::erase(std::string(key)));
    }
    template <class Executor, class Token>
    auto async_add(const Executor& ex, std::string_view key, std::string_view v, std::chrono::milliseconds ttl,
                   Token&& token) {
        return initiate<bool_handler>(std::forward<Token>(token), ex, flow::add(std::string(key), std::string(v), ttl));
    }
    template <class Executor, class Token>
    auto async_expire_if(const Executor& ex, std::string_view key, std::string_view v, std::chrono::milliseconds ttl,
                         Token&& token) {
        return initiate<bool_handler>(std::forward<Token>(token), ex,
                                      flow::expire_if(std::string(key), std::string(v), ttl));
    }
    template <class Executor, class Token>
    auto async_erase_if(const Executor& ex, std::string_view key, std::string_view v, Token&& token) {
        return initiate<bool_handler>(std::forward<Token>(token), ex, flow::erase_if(std::string(key), std::string(v)));
    }

private:
    flow::store_answer perform(const flow::store_op& op, error_code& ec) {
        auto a = p_->perform(op);
        ec = a.ec;
        return a;
    }

    using io_executor = boost::asio::any_io_executor;
    using value_handler = boost::asio::any_completion_handler<void(error_code, std::optional<std::string>)>;
    using bool_handler = boost::asio::any_completion_handler<void(error_code, bool)>;
    template <class H>
    struct signature_of;
    template <class Sig>
    struct signature_of<boost::asio::any_completion_handler<Sig>> {
        using type = Sig;
    };

    /// Starts `op` on the wrapped store when the operation is initiated; the
    /// op owns copies of the arguments (a deferred token may initiate after
    /// the caller's strings are gone).
    template <class Handler, class Token, class Executor>
    auto initiate(Token&& token, const Executor& ex, flow::store_op op) {
        using sig = typename signature_of<Handler>::type;
        return boost::asio::async_initiate<Token, sig>(
            [](auto h, std::shared_ptr<concept_t> p, io_executor io, flow::store_op op) {
                p->async_perform(io, op, Handler(std::move(h)));
            },
            token, p_, io_executor(ex), std::move(op));
    }

    /// The answer of an immediate store, delivered as asynchronous ones are.
    template <class Handler, class Value>
    static void post_answer(const io_executor& io, Handler h, Value v) {
        auto work = detail::handler_work(io, h);
        detail::post_completion(io, std::move(h), std::move(work), error_code{}, std::move(v));
    }

    struct concept_t {
        virtual ~concept_t() = default;
        virtual flow::store_answer perform(const flow::store_op&) = 0;
        virtual void async_perform(const io_executor&, const flow::store_op&, value_handler) = 0; // get
        virtual void async_perform(const io_executor&, const flow::store_op&, bool_handler) = 0;  // the others
    };
    template <class S>
    struct model final : concept_t {
        explicit model(S st) : s(std::move(st)) {}
        flow::store_answer perform(const flow::store_op& op) override { return flow::perform(s, op); }

        static constexpr bool async = AsyncStore<S, io_executor>;
        void async_perform(const io_executor& io, const flow::store_op& op, value_handler h) override {
            if constexpr (async) s.async_get(io, op.key, std::move(h));
            else post_answer(io, std::move(h), s.get(op.key));
        }
        void async_perform(const io_executor& io, const flow::store_op& op, bool_handler h) override {
            if constexpr (!async) {
                post_answer(io, std::move(h), flow::perform(s, op).ok);
            } else {
                using k = flow::store_op::kind;
                switch (op.what) {
                case k::set: s.async_set(io, op.key, op.value, op.ttl, std::move(h)); break;
                case k::erase: s.async_erase(io, op.key, std::move(h)); break;
                case k::add: s.async_add(io, op.key, op.value, op.ttl, std::move(h)); break;
                case k::expire_if: s.async_expire_if(io, op.key, op.value, op.ttl, std::move(h)); break;
                case k::erase_if: s.async_erase_if(io, op.key, op.value, std::move(h)); break;
                case k::get: break; // the value_handler overload
                }
            }
        }
        S s;
    };
    std::shared_ptr<concept_t> p_;
};

static_assert(ReportingStore<any_store>);
static_assert(AsyncStore<any_store, boost::asio::any_io_executor>);

} // namespace authpp
