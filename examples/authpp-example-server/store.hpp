// store.hpp — authpp-example-server's Store, shared by its modes: Redis
// when AUTHPP_REDIS_URL is set (refresh locks, successor records and
// database sessions shared by every process), else in memory.
#pragma once

#include "redis_env.hpp"

#include <authpp/store/any_store.hpp>

#ifdef AUTHPP_EXAMPLE_HAS_REDIS
#include <authpp/store/redis_store.hpp>
#endif

#include <string>
#include <variant>

namespace example {

/// The store for `redis` (no URL: memory), or the message naming the
/// variable at fault (never the URL: it may hold a password).
inline std::variant<authpp::any_store, std::string> make_store(const redis_env& redis) {
    if (redis.url.empty()) return authpp::any_store{};
#ifdef AUTHPP_EXAMPLE_HAS_REDIS
    authpp::redis_store_options ro;
    ro.url = redis.url;
    ro.tls = {redis.ca_file, redis.cert_file, redis.key_file};
    ro.sentinel_user = redis.sentinel_user;
    ro.sentinel_password = redis.sentinel_password;
    auto store = authpp::redis_store::create(std::move(ro));
    if (!store) {
        const auto e = store.error();
        const char* variable = e == authpp::redis_error::tls_ca_file     ? "AUTHPP_REDIS_CA_FILE"
                               : e == authpp::redis_error::tls_cert_file ? "AUTHPP_REDIS_CERT_FILE"
                               : e == authpp::redis_error::tls_key_file  ? "AUTHPP_REDIS_KEY_FILE"
                               : e == authpp::redis_error::sentinel_auth_without_sentinel
                                   ? "AUTHPP_REDIS_SENTINEL_PASSWORD"
                                   : "AUTHPP_REDIS_URL";
        return std::string(variable) + ": " + e.message();
    }
    return authpp::any_store(std::move(*store));
#else
    return std::string("AUTHPP_REDIS_URL: built without hiredis (install libhiredis-dev and rebuild)");
#endif
}

} // namespace example
