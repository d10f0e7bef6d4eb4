// authpp/concepts/cookie_codec.hpp — how the session token becomes a cookie
// value and back.
//
// | expression                                  | type                  | meaning                              |
// |---------------------------------------------|-----------------------|--------------------------------------|
// | `c.encode(claims, salt, max_age, now)`      | `result<std::string>` | claims + iat/exp/jti → cookie value  |
// | `c.decrypt(token, salt, json)`              | `error_code`          | cookie value → claims JSON text,     |
// |                                             |                       | authenticated but not yet checked    |
// | `C::check_claims(claims, now)`              | `error_code`          | exp / nbf checks on parsed claims    |
//
// `c` is a `const C&`, `secrets` a `std::vector<std::string>`, `claims` a
// `const boost::json::object&`, `salt` the cookie name, `max_age` and `now`
// `std::int64_t` seconds, `token` a `std::string_view`, `json` a `std::string&`.
// basic_auth_config builds its codec from the secret list (first encodes,
// all decode): `C(secrets)`, or `C(secrets, store)` for a codec that keeps
// sessions in the config's Store.
// Models shipped: `authjs_codec` (<authpp/codec/authjs_codec.hpp>), the cookie
// is the session; `database_codec<S>` (<authpp/codec/database_codec.hpp>), the
// cookie is an id and the session lives in the Store.
#pragma once

#include <authpp/error.hpp>

#include <boost/json/object.hpp>

#include <concepts>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace authpp {

template <class C>
concept CookieCodec =
    requires(const C& c, const boost::json::object& claims, std::string_view salt, std::int64_t n,
             std::string_view token, std::string& json) {
        { c.encode(claims, salt, n, n) } -> std::same_as<result<std::string>>;
        { c.decrypt(token, salt, json) } -> std::same_as<error_code>;
        { C::check_claims(claims, n) } -> std::same_as<error_code>;
    };

} // namespace authpp
