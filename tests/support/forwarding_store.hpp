// Test Stores built on a memory_store: the six Store members forwarded to
// it, for test stores that add something (counting, slowness, an
// asynchronous form) on top.
#pragma once

#include <authpp/store/memory_store.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace authpp::test {

struct forwarding_store {
    memory_store inner;
    std::optional<std::string> get(std::string_view k) { return inner.get(k); }
    bool set(std::string_view k, std::string_view v, std::chrono::milliseconds t) { return inner.set(k, v, t); }
    bool erase(std::string_view k) { return inner.erase(k); }
    bool add(std::string_view k, std::string_view v, std::chrono::milliseconds t) { return inner.add(k, v, t); }
    bool expire_if(std::string_view k, std::string_view v, std::chrono::milliseconds t) {
        return inner.expire_if(k, v, t);
    }
    bool erase_if(std::string_view k, std::string_view v) { return inner.erase_if(k, v); }
};

} // namespace authpp::test
