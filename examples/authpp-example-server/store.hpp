// store.hpp — authpp-example-server's Store, shared by its modes: Redis
// when AUTHPP_REDIS_URL is set (refresh locks, successor records and
// database sessions shared by every process), else in memory.
#pragma once

#include <authpp/store/any_store.hpp>

#ifdef AUTHPP_EXAMPLE_HAS_REDIS
#include <authpp/store/redis_store.hpp>
#endif

#include <string>
#include <variant>

namespace example {

/// The store for `redis_url` (empty: memory), or the message naming the
/// fault (never the URL: it may hold a password).
inline std::variant<authpp::any_store, std::string> make_store(const std::string& redis_url) {
    if (redis_url.empty()) return authpp::any_store{};
#ifdef AUTHPP_EXAMPLE_HAS_REDIS
    authpp::redis_store_options ro;
    ro.url = redis_url;
    auto redis = authpp::redis_store::create(std::move(ro));
    if (!redis) return "AUTHPP_REDIS_URL: " + redis.error().message();
    return authpp::any_store(std::move(*redis));
#else
    return std::string("AUTHPP_REDIS_URL: built without hiredis (install libhiredis-dev and rebuild)");
#endif
}

} // namespace example
