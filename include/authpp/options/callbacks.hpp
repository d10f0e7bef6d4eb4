// authpp/options/callbacks.hpp — what the user may plug into the built-in
// logic: the jwt, session, signIn, redirect callbacks (as the reference's
// "extending the configuration" composes them) and the warning sink, with
// the types they see.
#pragma once

#include <authpp/error.hpp>
#include <authpp/session.hpp>
#include <authpp/token.hpp>

#include <boost/json/object.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace authpp {

/// The user an identity check produced (the reference's Credentials
/// `authorize()` result, or the profile of an OAuth sign-in).
struct signed_in_user {
    std::string sub;
    std::optional<std::string> email;
    std::optional<std::string> nickname;
    std::optional<std::string> access_token;
    std::optional<std::string> refresh_token;
    std::optional<std::string> id_token;
    std::optional<std::int64_t> access_token_expires; ///< ms since the epoch
    std::optional<zkevm_info> zkevm;
};

enum class jwt_trigger { none, sign_in, update };

/// What the jwt callback was called for.
struct jwt_event {
    jwt_trigger trigger = jwt_trigger::none;
    const signed_in_user* user = nullptr;       ///< set on sign-in
    const boost::json::object* update = nullptr; ///< the body of an update (POST /session)
};

/// What a user jwt callback did to the token.
enum class jwt_verdict {
    unchanged,   ///< nothing to write back
    changed,     ///< re-issue the cookie
    end_session, ///< sign the user out (Auth.js: the jwt callback returned null)
};

/// User callbacks. Each runs after the built-in one and sees its result, as
/// the reference's "extending the configuration" composes them.
struct auth_callbacks {
    /// Adjust the token after the built-in logic (sign-in, update, refresh).
    std::function<jwt_verdict(session_token&, const jwt_event&)> jwt;
    /// Adjust the session before it is returned.
    std::function<void(session&, const session_token&)> session;
    /// Allow or refuse a sign-in.
    std::function<bool(const signed_in_user&)> sign_in;
    /// Return the URL to redirect to, or nullopt to refuse (the built-in one
    /// allows only the same origin).
    std::function<std::optional<std::string>(std::string_view url, std::string_view base_url)> redirect;
    /// Told about what deserves an operator's attention but is no error of
    /// the request (Auth.js's logger.warn): today error::session_too_large,
    /// each time a session is not written for it. May run on any thread;
    /// never given a token or a secret. Rate-limit it yourself.
    std::function<void(error_code what, std::string_view detail)> warning;
};

} // namespace authpp
