// authpp/store/memory_store.hpp — the default Store: an in-process map with
// per-entry expiry. Copies share one map (the config holds its store by
// value, and its users may hold another handle). Thread-safe.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace authpp {

class memory_store {
public:
    using clock = std::chrono::steady_clock;

    std::optional<std::string> get(std::string_view key) {
        std::lock_guard lock(state_->mutex);
        auto it = state_->entries.find(std::string(key));
        if (it == state_->entries.end()) return std::nullopt;
        if (it->second.expires <= clock::now()) {
            state_->entries.erase(it);
            return std::nullopt;
        }
        return it->second.value;
    }

    bool set(std::string_view key, std::string_view value, std::chrono::milliseconds ttl) {
        std::lock_guard lock(state_->mutex);
        state_->entries.insert_or_assign(std::string(key), entry{std::string(value), clock::now() + ttl});
        return true;
    }

    bool erase(std::string_view key) {
        std::lock_guard lock(state_->mutex);
        return state_->entries.erase(std::string(key)) > 0;
    }

    bool add(std::string_view key, std::string_view value, std::chrono::milliseconds ttl) {
        std::lock_guard lock(state_->mutex);
        const auto now = clock::now();
        auto [it, inserted] = state_->entries.try_emplace(std::string(key), entry{std::string(value), now + ttl});
        if (inserted) return true;
        if (it->second.expires > now) return false;
        it->second = entry{std::string(value), now + ttl};
        return true;
    }

    bool expire_if(std::string_view key, std::string_view value, std::chrono::milliseconds ttl) {
        std::lock_guard lock(state_->mutex);
        auto it = state_->entries.find(std::string(key));
        if (it == state_->entries.end() || it->second.expires <= clock::now() || it->second.value != value)
            return false;
        it->second.expires = clock::now() + ttl;
        return true;
    }

    bool erase_if(std::string_view key, std::string_view value) {
        std::lock_guard lock(state_->mutex);
        auto it = state_->entries.find(std::string(key));
        if (it == state_->entries.end() || it->second.expires <= clock::now() || it->second.value != value)
            return false;
        state_->entries.erase(it);
        return true;
    }

private:
    struct entry {
        std::string value;
        clock::time_point expires;
    };
    struct state {
        std::mutex mutex;
        std::unordered_map<std::string, entry> entries;
    };
    std::shared_ptr<state> state_ = std::make_shared<state>();
};

} // namespace authpp
