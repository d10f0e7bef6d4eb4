// authpp/session.hpp — the session a server hands to its pages and to
// `GET /api/auth/session`: Auth.js's default session ({user, expires})
// extended by the reference's session callback.
#pragma once

#include <authpp/token.hpp>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <optional>
#include <string>

namespace authpp {

struct session_user {
    std::string sub;
    std::optional<std::string> email;
    std::optional<std::string> nickname;
    std::optional<std::string> name;   ///< Auth.js's default user.name (token `name`)
    std::optional<std::string> image;  ///< Auth.js's default user.image (token `picture`)
};

struct session {
    session_user user;
    std::string expires;               ///< ISO 8601 end of the session, as Auth.js writes it
    std::optional<std::string> access_token;
    std::optional<std::string> refresh_token;
    std::optional<std::string> id_token;  ///< only right after sign-in or a refresh
    std::optional<std::int64_t> access_token_expires;  ///< ms since the epoch
    std::optional<zkevm_info> zkevm;
    std::optional<std::string> error;  ///< set only when the token carries one
    boost::json::object extra;         ///< fields added by users' session callbacks

    bool has_error() const noexcept { return error.has_value(); }
    bool token_expired() const noexcept { return error && *error == token_error::token_expired; }
};

inline void tag_invoke(boost::json::value_from_tag, boost::json::value& jv, const session& s) {
    boost::json::object user;
    if (s.user.name) user["name"] = *s.user.name;
    if (s.user.email) user["email"] = *s.user.email;
    if (s.user.image) user["image"] = *s.user.image;
    user["sub"] = s.user.sub;
    if (s.user.nickname) user["nickname"] = *s.user.nickname;
    boost::json::object o;
    o["user"] = std::move(user);
    o["expires"] = s.expires;
    if (s.access_token) o["accessToken"] = *s.access_token;
    if (s.refresh_token) o["refreshToken"] = *s.refresh_token;
    if (s.id_token) o["idToken"] = *s.id_token;
    if (s.access_token_expires) o["accessTokenExpires"] = *s.access_token_expires;
    if (s.zkevm) o["zkEvm"] = boost::json::value_from(*s.zkevm);
    if (s.error) o["error"] = *s.error;
    for (const auto& kv : s.extra) o.insert_or_assign(kv.key(), kv.value());
    jv = std::move(o);
}

inline session tag_invoke(boost::json::value_to_tag<session>, const boost::json::value& jv) {
    if (!jv.is_object()) throw std::invalid_argument("a session must be a JSON object");
    const auto& o = jv.get_object();
    session s;
    if (const auto* u = o.if_contains("user"); u && u->is_object()) {
        const auto& uo = u->get_object();
        if (auto sub = detail::optional_string(uo.if_contains("sub"))) s.user.sub = std::move(*sub);
        s.user.email = detail::optional_string(uo.if_contains("email"));
        s.user.nickname = detail::optional_string(uo.if_contains("nickname"));
        s.user.name = detail::optional_string(uo.if_contains("name"));
        s.user.image = detail::optional_string(uo.if_contains("image"));
    }
    if (auto e = detail::optional_string(o.if_contains("expires"))) s.expires = std::move(*e);
    s.access_token = detail::optional_string(o.if_contains("accessToken"));
    s.refresh_token = detail::optional_string(o.if_contains("refreshToken"));
    s.id_token = detail::optional_string(o.if_contains("idToken"));
    s.access_token_expires = detail::optional_millis(o.if_contains("accessTokenExpires"));
    s.zkevm = detail::optional_zkevm(o.if_contains("zkEvm"));
    s.error = detail::optional_string(o.if_contains("error"));
    for (const auto& kv : o) {
        const std::string_view k = kv.key();
        if (k != "user" && k != "expires" && k != "accessToken" && k != "refreshToken" && k != "idToken" &&
            k != "accessTokenExpires" && k != "zkEvm" && k != "error")
            s.extra.emplace(k, kv.value());
    }
    return s;
}

} // namespace authpp
