// authpp/store/any_store.hpp — a Store chosen at run time: wraps any Store
// model behind one type, so a server picks memory_store or redis_store from
// its configuration without instantiating its config twice.
//
// Copies share the wrapped store (as copies of the shipped models do). The
// cost is one indirect call per operation, small next to a store round trip.
#pragma once

#include <authpp/concepts/store.hpp>
#include <authpp/store/memory_store.hpp>

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

    template <Store S>
        requires(!std::is_same_v<std::decay_t<S>, any_store>)
    any_store(S store) : p_(std::make_shared<model<S>>(std::move(store))) {}

    std::optional<std::string> get(std::string_view key) { return p_->get(key); }
    bool set(std::string_view key, std::string_view v, std::chrono::milliseconds ttl) { return p_->set(key, v, ttl); }
    bool erase(std::string_view key) { return p_->erase(key); }
    bool add(std::string_view key, std::string_view v, std::chrono::milliseconds ttl) { return p_->add(key, v, ttl); }
    bool expire_if(std::string_view key, std::string_view v, std::chrono::milliseconds ttl) {
        return p_->expire_if(key, v, ttl);
    }
    bool erase_if(std::string_view key, std::string_view v) { return p_->erase_if(key, v); }

private:
    struct concept_t {
        virtual ~concept_t() = default;
        virtual std::optional<std::string> get(std::string_view) = 0;
        virtual bool set(std::string_view, std::string_view, std::chrono::milliseconds) = 0;
        virtual bool erase(std::string_view) = 0;
        virtual bool add(std::string_view, std::string_view, std::chrono::milliseconds) = 0;
        virtual bool expire_if(std::string_view, std::string_view, std::chrono::milliseconds) = 0;
        virtual bool erase_if(std::string_view, std::string_view) = 0;
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
        S s;
    };
    std::shared_ptr<concept_t> p_;
};

static_assert(Store<any_store>);

} // namespace authpp
