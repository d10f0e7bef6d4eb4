// authpp/token.hpp — the session token: the JWT claims kept (encrypted) in the
// session cookie, with the reference's field names.
//
// Claims authpp does not know (Auth.js's name/picture/iat/exp/jti, and
// whatever users' jwt callbacks add) live in `extra` and survive every
// decode → encode. Convert with boost::json::value_to / value_from.
#pragma once

#include <boost/json/conversion.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <boost/json/value_from.hpp>
#include <boost/json/value_to.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace authpp {

/// zkEVM wallet addresses (JSON: {"ethAddress", "userAdminAddress"}).
struct zkevm_info {
    std::string eth_address;
    std::string user_admin_address;
    friend bool operator==(const zkevm_info&, const zkevm_info&) = default;
};

/// The error values the session logic writes into a token.
namespace token_error {
inline constexpr std::string_view token_expired = "TokenExpired";
inline constexpr std::string_view refresh_token_error = "RefreshTokenError";
} // namespace token_error

struct session_token {
    std::string sub;
    std::optional<std::string> email;
    std::optional<std::string> nickname;
    std::optional<std::string> access_token;
    std::optional<std::string> refresh_token;
    std::optional<std::string> id_token;             ///< never written to the cookie
    std::optional<std::int64_t> access_token_expires; ///< ms since the epoch
    std::optional<zkevm_info> zkevm;
    std::optional<std::string> error;                 ///< "TokenExpired", "RefreshTokenError", …
    boost::json::object extra;                        ///< every other claim, in order
};

namespace detail {

inline std::optional<std::string> optional_string(const boost::json::value* v) {
    if (v && v->is_string()) return std::string(v->get_string());
    return std::nullopt;
}

// A JavaScript number as whole milliseconds; anything else is "no expiry".
inline std::optional<std::int64_t> optional_millis(const boost::json::value* v) {
    if (!v) return std::nullopt;
    if (v->is_int64()) return v->get_int64();
    if (v->is_uint64() && v->get_uint64() <= static_cast<std::uint64_t>(INT64_MAX))
        return static_cast<std::int64_t>(v->get_uint64());
    if (v->is_double() && std::isfinite(v->get_double()) && std::fabs(v->get_double()) < 9.0e18)
        return static_cast<std::int64_t>(std::floor(v->get_double()));
    return std::nullopt;
}

inline std::optional<zkevm_info> optional_zkevm(const boost::json::value* v) {
    if (!v || !v->is_object()) return std::nullopt;
    const auto& o = v->get_object();
    auto eth = optional_string(o.if_contains("ethAddress"));
    auto admin = optional_string(o.if_contains("userAdminAddress"));
    if (!eth || !admin) return std::nullopt;
    return zkevm_info{std::move(*eth), std::move(*admin)};
}

inline bool is_known_token_claim(std::string_view k) noexcept {
    return k == "sub" || k == "email" || k == "nickname" || k == "accessToken" || k == "refreshToken" ||
           k == "idToken" || k == "accessTokenExpires" || k == "zkEvm" || k == "error";
}

} // namespace detail

inline void tag_invoke(boost::json::value_from_tag, boost::json::value& jv, const zkevm_info& z) {
    jv = {{"ethAddress", z.eth_address}, {"userAdminAddress", z.user_admin_address}};
}

inline zkevm_info tag_invoke(boost::json::value_to_tag<zkevm_info>, const boost::json::value& jv) {
    auto z = detail::optional_zkevm(&jv);
    if (!z) throw std::invalid_argument("zkEvm must be an object with string ethAddress and userAdminAddress");
    return std::move(*z);
}

/// Claims → token. Known claims of the wrong JSON type are kept in `extra`
/// unchanged (so nothing is lost) and read as absent. `extra` uses `sp`
/// (default: the claims' own memory resource).
inline session_token token_from_claims(const boost::json::object& claims, boost::json::storage_ptr sp) {
    session_token t;
    // Auth.js's iat, exp and jti are always there: room for them and a few more.
    boost::json::object extra(std::min<std::size_t>(claims.size(), 8), std::move(sp));
    for (auto& kv : claims) {
        const std::string_view k = kv.key();
        const boost::json::value& v = kv.value();
        bool taken = true;
        if (k == "sub" && v.is_string()) t.sub = std::string(v.get_string());
        else if (k == "email" && v.is_string()) t.email = std::string(v.get_string());
        else if (k == "nickname" && v.is_string()) t.nickname = std::string(v.get_string());
        else if (k == "accessToken" && v.is_string()) t.access_token = std::string(v.get_string());
        else if (k == "refreshToken" && v.is_string()) t.refresh_token = std::string(v.get_string());
        else if (k == "idToken" && v.is_string()) t.id_token = std::string(v.get_string());
        else if (k == "accessTokenExpires" && detail::optional_millis(&v)) t.access_token_expires = detail::optional_millis(&v);
        else if (k == "zkEvm" && v.is_object()) {
            // Parsed once; a malformed zkEvm object stays in `extra` untouched.
            t.zkevm = detail::optional_zkevm(&v);
            taken = t.zkevm.has_value();
        }
        else if (k == "error" && v.is_string()) t.error = std::string(v.get_string());
        else if ((k == "email" || k == "nickname" || k == "refreshToken" || k == "idToken" || k == "zkEvm" ||
                  k == "error") && v.is_null()) {
            // JSON null is how a cleared optional claim may arrive: absent.
        } else taken = false;
        if (!taken) extra.emplace(k, v);
    }
    t.extra = std::move(extra);
    return t;
}

inline session_token token_from_claims(const boost::json::object& claims) {
    return token_from_claims(claims, claims.storage());
}

/// Token → claims, `extra` first (so Auth.js's own claims keep their place),
/// then the known claims that are set. `include_id_token` is false for the
/// cookie: the id token stays out of it (CDN header limits).
inline boost::json::object token_to_claims(const session_token& t, bool include_id_token = true) {
    boost::json::object o = t.extra;
    // An unset claim is left out; a same-named entry in `extra` is a claim
    // whose JSON type authpp could not read, and stays as it came.
    auto put = [&](std::string_view k, const std::optional<std::string>& v) {
        if (v) o.insert_or_assign(k, *v);
    };
    o.insert_or_assign("sub", t.sub);
    put("email", t.email);
    put("nickname", t.nickname);
    put("accessToken", t.access_token);
    put("refreshToken", t.refresh_token);
    if (include_id_token) put("idToken", t.id_token);
    else o.erase("idToken");
    if (t.access_token_expires) o.insert_or_assign("accessTokenExpires", *t.access_token_expires);
    if (t.zkevm) o.insert_or_assign("zkEvm", boost::json::value_from(*t.zkevm));
    put("error", t.error);
    return o;
}

inline void tag_invoke(boost::json::value_from_tag, boost::json::value& jv, const session_token& t) {
    jv = token_to_claims(t);
}

inline session_token tag_invoke(boost::json::value_to_tag<session_token>, const boost::json::value& jv) {
    if (!jv.is_object()) throw std::invalid_argument("a session token must be a JSON object");
    return token_from_claims(jv.get_object());
}

} // namespace authpp
