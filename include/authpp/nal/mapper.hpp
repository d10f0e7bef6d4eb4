// authpp/nal/mapper.hpp — response mappers: what a backend's JSON answer
// says about a token (valid? which type? until when? which user?) and where
// it puts a refreshed or guest token.
//
// The token is opaque to authpp; the backend decides. Backends shape their
// answers differently, so the reading is a policy: `standard` (the shape of
// next-api-layer's defaults), three presets for common backends, or the
// user's own functions. Every preset follows JavaScript's truthiness where
// the original tests `if (res.success)`, but stricter where a lenient
// reading would let a malformed answer sign someone in:
//   standard  valid iff `success` is truthy and `data` is a non-empty object;
//             type `data.type` (a non-empty string) or "user"; exp `data.exp`
//             when a positive number (Unix seconds); user `data`;
//             refresh: `data.accessToken` (with `success`); guest: `data.accessToken`
//   django    `{user, is_guest, exp}`: valid iff `user` is a non-empty object;
//             type "guest" when `is_guest` is truthy; refresh `access`; guest `token`
//   dotnet    `{isSuccess, result: {role, expiresAt}}`: valid iff `isSuccess` is
//             truthy and `result` an object; type "guest" when role is "Guest";
//             `expiresAt` in Unix seconds or ISO 8601; refresh and guest `token`
//   express   `{ok, payload: {isGuest, exp}}`: valid iff `ok` is truthy and
//             `payload` an object; refresh `newToken` or `accessToken`; guest
//             `guestToken` or `token`
// Tokens must be non-empty strings. A mapper never throws for any JSON.
#pragma once

#include <authpp/detail/civil_time.hpp>
#include <authpp/detail/json_truthy.hpp>

#include <boost/json/value.hpp>

#include <cmath>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

namespace authpp::nal {

/// What the backend said about a valid token.
struct token_info {
    std::string token_type = "user";  ///< "guest" for guest tokens
    std::optional<std::int64_t> exp;  ///< the token's expiry in Unix seconds, when the backend says
    boost::json::value user;          ///< the user the handler sees (x-auth-user); null when none
};

/// Reads backend answers. An empty member falls back to the standard
/// mapper's (users replace only what differs).
struct response_mapper {
    /// The validation answer (`GET auth/me`, 2xx): the token's info, or nullopt when it is not valid.
    std::function<std::optional<token_info>(const boost::json::value&)> validate;
    /// The refresh answer (`POST auth/refresh`, 2xx): the new token, or nullopt.
    std::function<std::optional<std::string>(const boost::json::value&)> refreshed_token;
    /// The guest answer (`POST auth/guest`, 2xx): the guest token, or nullopt.
    std::function<std::optional<std::string>(const boost::json::value&)> guest_token;
};

namespace mappers {

/// `v[key]` when `v` is an object holding it, else nullptr.
inline const boost::json::value* member(const boost::json::value* v, std::string_view key) noexcept {
    if (!v || !v->is_object()) return nullptr;
    return v->get_object().if_contains(key);
}

/// The value when it is a non-empty string.
inline std::optional<std::string> text(const boost::json::value* v) {
    if (!v || !v->is_string() || v->get_string().empty()) return std::nullopt;
    return std::string(v->get_string());
}

/// The first of `keys` in `v` holding a non-empty string.
inline std::optional<std::string> first_text(const boost::json::value* v,
                                             std::initializer_list<std::string_view> keys) {
    for (const auto k : keys)
        if (auto t = text(member(v, k))) return t;
    return std::nullopt;
}

/// A positive expiry in Unix seconds: a number (a fraction is dropped), or
/// when `iso` an ISO 8601 date-time string.
inline std::optional<std::int64_t> expiry(const boost::json::value* v, bool iso = false) noexcept {
    if (!v) return std::nullopt;
    if (v->is_int64() && v->get_int64() > 0) return v->get_int64();
    if (v->is_uint64() && v->get_uint64() > 0 && v->get_uint64() <= static_cast<std::uint64_t>(INT64_MAX))
        return static_cast<std::int64_t>(v->get_uint64());
    if (v->is_double() && v->get_double() >= 1 && v->get_double() < 9.2e18)
        return static_cast<std::int64_t>(std::floor(v->get_double()));
    if (iso && v->is_string()) {
        auto t = authpp::detail::parse_iso8601(v->get_string());
        if (t && *t > 0) return t;
    }
    return std::nullopt;
}

inline bool non_empty_object(const boost::json::value* v) noexcept {
    return v && v->is_object() && !v->get_object().empty();
}

inline token_info info(std::string type, std::optional<std::int64_t> exp, const boost::json::value* user) {
    token_info t;
    t.token_type = std::move(type);
    t.exp = exp;
    if (user) t.user = *user;
    return t;
}

} // namespace mappers

inline response_mapper standard_mapper() {
    using namespace mappers;
    return {
        [](const boost::json::value& r) -> std::optional<token_info> {
            const auto* data = member(&r, "data");
            if (!authpp::detail::truthy(member(&r, "success")) || !non_empty_object(data)) return std::nullopt;
            return info(text(member(data, "type")).value_or("user"), expiry(member(data, "exp")), data);
        },
        [](const boost::json::value& r) -> std::optional<std::string> {
            if (!authpp::detail::truthy(member(&r, "success"))) return std::nullopt;
            return text(member(member(&r, "data"), "accessToken"));
        },
        [](const boost::json::value& r) { return text(member(member(&r, "data"), "accessToken")); },
    };
}

inline response_mapper django_mapper() {
    using namespace mappers;
    return {
        [](const boost::json::value& r) -> std::optional<token_info> {
            const auto* user = member(&r, "user");
            if (!non_empty_object(user)) return std::nullopt;
            return info(authpp::detail::truthy(member(&r, "is_guest")) ? "guest" : "user", expiry(member(&r, "exp")),
                        user);
        },
        [](const boost::json::value& r) { return text(member(&r, "access")); },
        [](const boost::json::value& r) { return text(member(&r, "token")); },
    };
}

inline response_mapper dotnet_mapper() {
    using namespace mappers;
    return {
        [](const boost::json::value& r) -> std::optional<token_info> {
            const auto* result = member(&r, "result");
            if (!authpp::detail::truthy(member(&r, "isSuccess")) || !result || !result->is_object())
                return std::nullopt;
            const auto role = text(member(result, "role"));
            return info(role == "Guest" ? "guest" : "user", expiry(member(result, "expiresAt"), true), result);
        },
        [](const boost::json::value& r) { return text(member(&r, "token")); },
        [](const boost::json::value& r) { return text(member(&r, "token")); },
    };
}

inline response_mapper express_mapper() {
    using namespace mappers;
    return {
        [](const boost::json::value& r) -> std::optional<token_info> {
            const auto* payload = member(&r, "payload");
            if (!authpp::detail::truthy(member(&r, "ok")) || !payload || !payload->is_object()) return std::nullopt;
            return info(authpp::detail::truthy(member(payload, "isGuest")) ? "guest" : "user",
                        expiry(member(payload, "exp")), payload);
        },
        [](const boost::json::value& r) { return first_text(&r, {"newToken", "accessToken"}); },
        [](const boost::json::value& r) { return first_text(&r, {"guestToken", "token"}); },
    };
}

/// The preset called `name` (standard, django, dotnet, express), or nullopt.
inline std::optional<response_mapper> mapper_named(std::string_view name) {
    if (name == "standard") return standard_mapper();
    if (name == "django") return django_mapper();
    if (name == "dotnet") return dotnet_mapper();
    if (name == "express") return express_mapper();
    return std::nullopt;
}

/// `m` with every empty member filled from the standard mapper.
inline response_mapper complete(response_mapper m) {
    auto s = standard_mapper();
    if (!m.validate) m.validate = std::move(s.validate);
    if (!m.refreshed_token) m.refreshed_token = std::move(s.refreshed_token);
    if (!m.guest_token) m.guest_token = std::move(s.guest_token);
    return m;
}

} // namespace authpp::nal
