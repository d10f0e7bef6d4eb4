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
#include <authpp/error.hpp>
#include <authpp/store/memory_store.hpp>

#include <authpp/detail/post_completion.hpp>

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

    std::optional<std::string> get(std::string_view key) { return p_->get(key); }
    bool set(std::string_view key, std::string_view v, std::chrono::milliseconds ttl) { return p_->set(key, v, ttl); }
    bool erase(std::string_view key) { return p_->erase(key); }
    bool add(std::string_view key, std::string_view v, std::chrono::milliseconds ttl) { return p_->add(key, v, ttl); }
    bool expire_if(std::string_view key, std::string_view v, std::chrono::milliseconds ttl) {
        return p_->expire_if(key, v, ttl);
    }
    bool erase_if(std::string_view key, std::string_view v) { return p_->erase_if(key, v); }

    // The AsyncStore members (see <authpp/concepts/store.hpp>).
    template <class Executor, class Token>
    auto async_get(const Executor& ex, std::string_view key, Token&& token) {
        return initiate<value_handler>(std::forward<Token>(token), [k = std::string(key)](auto& p, auto io, value_handler h) {
            p.async_get(io, k, std::move(h));
        }, ex);
    }
    template <class Executor, class Token>
    auto async_set(const Executor& ex, std::string_view key, std::string_view v, std::chrono::milliseconds ttl,
                   Token&& token) {
        return initiate<bool_handler>(std::forward<Token>(token), [k = std::string(key), v = std::string(v), ttl](auto& p, auto io, bool_handler h) {
            p.async_set(io, k, v, ttl, std::move(h));
        }, ex);
    }
    template <class Executor, class Token>
    auto async_erase(const Executor& ex, std::string_view key, Token&& token) {
        return initiate<bool_handler>(std::forward<Token>(token), [k = std::string(key)](auto& p, auto io, bool_handler h) {
            p.async_erase(io, k, std::move(h));
        }, ex);
    }
    template <class Executor, class Token>
    auto async_add(const Executor& ex, std::string_view key, std::string_view v, std::chrono::milliseconds ttl,
                   Token&& token) {
        return initiate<bool_handler>(std::forward<Token>(token), [k = std::string(key), v = std::string(v), ttl](auto& p, auto io, bool_handler h) {
            p.async_add(io, k, v, ttl, std::move(h));
        }, ex);
    }
    template <class Executor, class Token>
    auto async_expire_if(const Executor& ex, std::string_view key, std::string_view v, std::chrono::milliseconds ttl,
                         Token&& token) {
        return initiate<bool_handler>(std::forward<Token>(token), [k = std::string(key), v = std::string(v), ttl](auto& p, auto io, bool_handler h) {
            p.async_expire_if(io, k, v, ttl, std::move(h));
        }, ex);
    }
    template <class Executor, class Token>
    auto async_erase_if(const Executor& ex, std::string_view key, std::string_view v, Token&& token) {
        return initiate<bool_handler>(std::forward<Token>(token), [k = std::string(key), v = std::string(v)](auto& p, auto io, bool_handler h) {
            p.async_erase_if(io, k, v, std::move(h));
        }, ex);
    }

private:
    using io_executor = boost::asio::any_io_executor;
    using value_handler = boost::asio::any_completion_handler<void(error_code, std::optional<std::string>)>;
    using bool_handler = boost::asio::any_completion_handler<void(error_code, bool)>;
    template <class H>
    struct signature_of;
    template <class Sig>
    struct signature_of<boost::asio::any_completion_handler<Sig>> {
        using type = Sig;
    };

    /// Runs `start(model, executor, handler)` when the operation is
    /// initiated; `start` owns copies of the arguments (a deferred token may
    /// initiate after the caller's strings are gone).
    template <class Handler, class Token, class Start, class Executor>
    auto initiate(Token&& token, Start start, const Executor& ex) {
        using sig = typename signature_of<Handler>::type;
        return boost::asio::async_initiate<Token, sig>(
            [](auto h, std::shared_ptr<concept_t> p, io_executor io, Start s) { s(*p, io, Handler(std::move(h))); },
            token, p_, io_executor(ex), std::move(start));
    }

    /// The answer of an immediate store, delivered as asynchronous ones are.
    template <class Handler, class Value>
    static void post_answer(const io_executor& io, Handler h, Value v) {
        auto work = detail::handler_work(io, h);
        detail::post_completion(io, std::move(h), std::move(work), error_code{}, std::move(v));
    }

    struct concept_t {
        virtual ~concept_t() = default;
        virtual std::optional<std::string> get(std::string_view) = 0;
        virtual bool set(std::string_view, std::string_view, std::chrono::milliseconds) = 0;
        virtual bool erase(std::string_view) = 0;
        virtual bool add(std::string_view, std::string_view, std::chrono::milliseconds) = 0;
        virtual bool expire_if(std::string_view, std::string_view, std::chrono::milliseconds) = 0;
        virtual bool erase_if(std::string_view, std::string_view) = 0;
        virtual void async_get(const io_executor&, std::string_view, value_handler) = 0;
        virtual void async_set(const io_executor&, std::string_view, std::string_view, std::chrono::milliseconds,
                               bool_handler) = 0;
        virtual void async_erase(const io_executor&, std::string_view, bool_handler) = 0;
        virtual void async_add(const io_executor&, std::string_view, std::string_view, std::chrono::milliseconds,
                               bool_handler) = 0;
        virtual void async_expire_if(const io_executor&, std::string_view, std::string_view,
                                     std::chrono::milliseconds, bool_handler) = 0;
        virtual void async_erase_if(const io_executor&, std::string_view, std::string_view, bool_handler) = 0;
    };
    template <class S>
    struct model final : concept_t {
        explicit model(S st) : s(std::move(st)) {}
        std::optional<std::string> get(std::string_view k) override { return s.get(k); }
        bool set(std::string_view k, std::string_view v, std::chrono::milliseconds t) override { return s.set(k, v, t); }
        bool erase(std::string_view k) override { return s.erase(k); }
        bool add(std::string_view k, std::string_view v, std::chrono::milliseconds t) override { return s.add(k, v, t); }
        bool expire_if(std::string_view k, std::string_view v, std::chrono::milliseconds t) override {
            return s.expire_if(k, v, t);
        }
        bool erase_if(std::string_view k, std::string_view v) override { return s.erase_if(k, v); }

        static constexpr bool async = AsyncStore<S, io_executor>;
        void async_get(const io_executor& io, std::string_view k, value_handler h) override {
            if constexpr (async) s.async_get(io, k, std::move(h));
            else post_answer(io, std::move(h), s.get(k));
        }
        void async_set(const io_executor& io, std::string_view k, std::string_view v, std::chrono::milliseconds t,
                       bool_handler h) override {
            if constexpr (async) s.async_set(io, k, v, t, std::move(h));
            else post_answer(io, std::move(h), s.set(k, v, t));
        }
        void async_erase(const io_executor& io, std::string_view k, bool_handler h) override {
            if constexpr (async) s.async_erase(io, k, std::move(h));
            else post_answer(io, std::move(h), s.erase(k));
        }
        void async_add(const io_executor& io, std::string_view k, std::string_view v, std::chrono::milliseconds t,
                       bool_handler h) override {
            if constexpr (async) s.async_add(io, k, v, t, std::move(h));
            else post_answer(io, std::move(h), s.add(k, v, t));
        }
        void async_expire_if(const io_executor& io, std::string_view k, std::string_view v,
                             std::chrono::milliseconds t, bool_handler h) override {
            if constexpr (async) s.async_expire_if(io, k, v, t, std::move(h));
            else post_answer(io, std::move(h), s.expire_if(k, v, t));
        }
        void async_erase_if(const io_executor& io, std::string_view k, std::string_view v,
                            bool_handler h) override {
            if constexpr (async) s.async_erase_if(io, k, v, std::move(h));
            else post_answer(io, std::move(h), s.erase_if(k, v));
        }
        S s;
    };
    std::shared_ptr<concept_t> p_;
};

static_assert(Store<any_store>);
static_assert(AsyncStore<any_store, boost::asio::any_io_executor>);

} // namespace authpp
