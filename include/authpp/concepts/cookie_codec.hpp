// authpp/concepts/cookie_codec.hpp — how the session token becomes a cookie
// value and back.
//
// CookieCodec:
// | expression                                  | type                  | meaning                              |
// |---------------------------------------------|-----------------------|--------------------------------------|
// | `c.encode(claims, salt, max_age, now)`      | `result<std::string>` | claims + iat/exp/jti → cookie value  |
// | `c.decrypt(token, salt, json)`              | `error_code`          | cookie value → claims JSON text,     |
// |                                             |                       | authenticated but not yet checked    |
// | `C::check_claims(claims, now)`              | `error_code`          | exp / nbf checks on parsed claims    |
//
// basic_auth_config<…, C, …, S, …> builds its codec from the secret list
// (first encodes, all decode): `C(secrets)`, or `C(secrets, store)` for a
// codec that keeps sessions in the config's Store (check_cookie_codec<C, S>
// checks that too).
//
// SessionStoreCodec, the optional capability of a codec whose cookie is an
// id and whose sessions live in the Store (the actions and sign-out
// everywhere use it when present):
// | expression                  | type                 | meaning                                      |
// |-----------------------------|----------------------|----------------------------------------------|
// | `c.jwe()`                   | a `CookieCodec`      | the JWE codec for the short-lived sign-in    |
// |                             |                      | cookies (state, PKCE, nonce)                 |
// | `c.end_session(id)`         | `bool`               | erase the stored session the cookie names    |
// | `c.end_all_sessions(sub)`   | `bool`               | refuse every earlier session of the user     |
// | `typename C::reader(c, id)` | steps → claims JSON  | read a session as Store steps: `next()`      |
// |                             |                      | (a flow::step), `on_store(answer)`, `done()`,|
// |                             |                      | `result(json)` → error_code                  |
// | `typename C::writer(c, claims, max_age, now)` | steps → cookie value | write a session as Store steps:   |
// |                             |                      | `next()`, `on_store()`, `done()`,            |
// |                             |                      | `std::move(w).result()` → result<string>     |
// | `c.end_session_op(id)`      | `std::optional<flow::store_op>` | sign-out as one Store call        |
// The flows yield the reader's and writer's steps (<authpp/flow/step.hpp>),
// so the asynchronous driver performs them on the Store's asynchronous
// members and never blocks on the Store.
//
// `c` is a `const C&`, `secrets` a `std::vector<std::string>`, `claims` a
// `const boost::json::object&`, `salt` the cookie name, `max_age` and `now`
// `std::int64_t` seconds, `token`, `id` and `sub` `std::string_view`s,
// `json` a `std::string&`.
// Models shipped: `authjs_codec` (<authpp/codec/authjs_codec.hpp>), the cookie
// is the session; `database_codec<S>` (<authpp/codec/database_codec.hpp>), the
// cookie is an id and the session lives in the Store (a SessionStoreCodec).
#pragma once

#include <authpp/error.hpp>
#include <authpp/flow/step.hpp>

#include <boost/json/object.hpp>

#include <concepts>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace authpp {

namespace concept_checks {
template <class C>
concept codec_encode = requires(const C& c, const boost::json::object& claims, std::string_view salt, std::int64_t n) {
    { c.encode(claims, salt, n, n) } -> std::same_as<result<std::string>>;
};
template <class C>
concept codec_decrypt = requires(const C& c, std::string_view token, std::string_view salt, std::string& json) {
    { c.decrypt(token, salt, json) } -> std::same_as<error_code>;
};
template <class C>
concept codec_check_claims = requires(const boost::json::object& claims, std::int64_t n) {
    { C::check_claims(claims, n) } -> std::same_as<error_code>;
};
template <class C, class S>
concept codec_from_secrets =
    std::constructible_from<C, std::vector<std::string>> || std::constructible_from<C, std::vector<std::string>, const S&>;
} // namespace concept_checks

template <class C>
concept CookieCodec =
    concept_checks::codec_encode<C> && concept_checks::codec_decrypt<C> && concept_checks::codec_check_claims<C>;

template <class C>
concept SessionStoreCodec =
    CookieCodec<C> &&
    requires(const C& c, std::string_view s, const boost::json::object& claims, std::int64_t n,
             typename C::reader& r, typename C::writer& w, const flow::store_answer& a, std::string& json) {
        requires CookieCodec<std::remove_cvref_t<decltype(c.jwe())>>;
        { c.end_session(s) } -> std::same_as<bool>;
        { c.end_all_sessions(s) } -> std::same_as<bool>;
        { c.end_session_op(s) } -> std::same_as<std::optional<flow::store_op>>;
        requires std::constructible_from<typename C::reader, const C&, std::string_view>;
        requires std::constructible_from<typename C::writer, const C&, const boost::json::object&, std::int64_t,
                                         std::int64_t>;
        { r.next() } -> std::same_as<flow::step>;
        r.on_store(a);
        { r.done() } -> std::same_as<bool>;
        { r.result(json) } -> std::same_as<error_code>;
        { w.next() } -> std::same_as<flow::step>;
        w.on_store(a);
        { w.done() } -> std::same_as<bool>;
        { std::move(w).result() } -> std::same_as<result<std::string>>;
    };

/// The CookieCodec contract for a config whose Store is S, member by member.
template <class C, class S>
consteval bool check_cookie_codec() {
    static_assert(concept_checks::codec_from_secrets<C, S>,
                  "authpp: the CookieCodec policy must be constructible from the secret list "
                  "(std::vector<std::string>), or from the secret list and the Store (a codec that keeps sessions "
                  "in the store)");
    static_assert(concept_checks::codec_encode<C>,
                  "authpp: the CookieCodec policy needs `result<std::string> encode(const json::object&, "
                  "string_view salt, int64 max_age, int64 now) const`");
    static_assert(concept_checks::codec_decrypt<C>,
                  "authpp: the CookieCodec policy needs `error_code decrypt(string_view token, string_view salt, "
                  "std::string& json) const`");
    static_assert(concept_checks::codec_check_claims<C>,
                  "authpp: the CookieCodec policy needs `static error_code check_claims(const json::object&, int64 "
                  "now)`");
    return true;
}

} // namespace authpp
