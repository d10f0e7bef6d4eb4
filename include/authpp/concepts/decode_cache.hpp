// authpp/concepts/decode_cache.hpp — where the session flow keeps what a
// cookie decoded to, so that the same cookie is not decrypted and parsed on
// every request.
//
// DecodeCache:
// | expression                           | type                                    | meaning                          |
// |--------------------------------------|-----------------------------------------|----------------------------------|
// | `D(o)`                               |                                         | built from the options' limits   |
// | `d.find(key, now_ms)`                | `std::shared_ptr<const cached_session>` | the entry of a byte-identical    |
// |                                      |                                         | key, or null; no allocation      |
// | `d.insert(key, value, now_ms, until)`| (any)                                   | keep `value` at most until       |
// |                                      |                                         | `until` (Unix ms)                |
// | `d.erase(key)`                       | (any)                                   | drop the entry of `key`          |
// | `d.clear()`                          | (any)                                   | drop everything                  |
//
// `d` is a `D&`, `o` a `const decode_cache_options&`, `key` a
// `const decode_key&`, `value` a `cached_session&&`, `now_ms` and `until`
// `std::int64_t`. Every member must be safe to call from many threads at
// once. `key` views bytes that live only for the call (the flow reuses its
// buffers): a cache that keeps a key must copy its bytes. A hit must only
// ever be the value inserted for an equal key
// (decode_key's operator==: the whole token, the cookie name, the secret
// list's fingerprint): the flow trusts it as a decoded, authenticated
// session, then runs the codec's claim check on `value.times` again.
// Model: `decode_cache` (<authpp/core/decode_cache.hpp>), the default of
// basic_auth_config.
#pragma once

#include <authpp/crypto/secure_erase.hpp>
#include <authpp/crypto/sha.hpp>
#include <authpp/options/decode_cache_options.hpp>
#include <authpp/token.hpp>

#include <boost/json/object.hpp>

#include <concepts>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace authpp {

/// What a hit hands back: shared, never modified after insertion.
struct cached_session {
    session_token token;       ///< as the claims decoded to, before any callback
    boost::json::object times; ///< the token's exp, nbf and iat claims, as it carried them
};

/// What identifies a decoded token: the byte-identical token, the cookie name
/// (the salt of its key), the secret list.
struct decode_key {
    std::uint64_t secrets = 0; ///< secrets_fingerprint() of the config's secret list
    std::string_view salt;
    std::string_view token;

    friend bool operator==(const decode_key& a, const decode_key& b) noexcept {
        return a.secrets == b.secrets && a.token.size() == b.token.size() && a.salt == b.salt && a.token == b.token;
    }
};

/// 64 bits of SHA-256 over the length-prefixed secret list, for
/// decode_key::secrets: entries written under other secrets never hit.
inline std::uint64_t secrets_fingerprint(const std::vector<std::string>& secrets) {
    std::string all;
    for (const auto& s : secrets) all.append(std::to_string(s.size())).append(":").append(s);
    const auto d = crypto::sha256(all);
    std::uint64_t h = 0;
    for (int i = 0; i < 8; ++i) h = (h << 8) | d[static_cast<std::size_t>(i)];
    crypto::secure_erase(all);
    return h;
}

namespace concept_checks {
template <class D>
concept cache_from_options = std::constructible_from<D, const decode_cache_options&>;
template <class D>
concept cache_find = requires(D& d, const decode_key& k, std::int64_t n) {
    { d.find(k, n) } -> std::same_as<std::shared_ptr<const cached_session>>;
};
template <class D>
concept cache_insert = requires(D& d, const decode_key& k, cached_session&& v, std::int64_t n) {
    d.insert(k, std::move(v), n, n);
};
template <class D>
concept cache_erase = requires(D& d, const decode_key& k) {
    d.erase(k);
    d.clear();
};
} // namespace concept_checks

template <class D>
concept DecodeCache = concept_checks::cache_from_options<D> && concept_checks::cache_find<D> &&
                      concept_checks::cache_insert<D> && concept_checks::cache_erase<D>;

/// The DecodeCache contract, member by member.
template <class D>
consteval bool check_decode_cache() {
    static_assert(concept_checks::cache_from_options<D>,
                  "authpp: the DecodeCache policy must be constructible from `const decode_cache_options&`");
    static_assert(concept_checks::cache_find<D>,
                  "authpp: the DecodeCache policy needs `std::shared_ptr<const cached_session> find(const "
                  "decode_key&, int64 now_ms)`");
    static_assert(concept_checks::cache_insert<D>,
                  "authpp: the DecodeCache policy needs `insert(const decode_key&, cached_session&&, int64 now_ms, "
                  "int64 until_ms)`");
    static_assert(concept_checks::cache_erase<D>,
                  "authpp: the DecodeCache policy needs `erase(const decode_key&)` and `clear()`");
    return true;
}

/// A DecodeCache as the session flow holds it: the object and three
/// functions, so that the flow's type does not depend on the cache's.
/// Empty (the default): no cache.
struct decode_cache_ref {
    void* self = nullptr;
    std::uint64_t secrets = 0;
    std::shared_ptr<const cached_session> (*find_fn)(void*, const decode_key&, std::int64_t) = nullptr;
    void (*insert_fn)(void*, const decode_key&, cached_session&&, std::int64_t, std::int64_t) = nullptr;
    void (*erase_fn)(void*, const decode_key&) = nullptr;

    template <DecodeCache D>
    static decode_cache_ref of(D& d, std::uint64_t secrets) noexcept {
        decode_cache_ref r;
        r.self = &d;
        r.secrets = secrets;
        r.find_fn = [](void* s, const decode_key& k, std::int64_t now) { return static_cast<D*>(s)->find(k, now); };
        r.insert_fn = [](void* s, const decode_key& k, cached_session&& v, std::int64_t now, std::int64_t until) {
            static_cast<D*>(s)->insert(k, std::move(v), now, until);
        };
        r.erase_fn = [](void* s, const decode_key& k) { static_cast<D*>(s)->erase(k); };
        return r;
    }

    explicit operator bool() const noexcept { return self != nullptr; }
    std::shared_ptr<const cached_session> find(const decode_key& k, std::int64_t now_ms) const {
        return find_fn(self, k, now_ms);
    }
    void insert(const decode_key& k, cached_session&& v, std::int64_t now_ms, std::int64_t until_ms) const {
        insert_fn(self, k, std::move(v), now_ms, until_ms);
    }
    void erase(const decode_key& k) const { erase_fn(self, k); }
};

} // namespace authpp
