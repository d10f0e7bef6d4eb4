// authpp/error.hpp — the error codes every authpp operation reports.
//
// authpp reports failures as boost::system::error_code values in the `authpp`
// category (no exceptions on the request path). Messages say what was wrong
// and what to do; none of them ever contains a secret, a key or a token.
#pragma once

#include <boost/system/error_code.hpp>
#include <boost/system/result.hpp>

#include <string>
#include <type_traits>

namespace authpp {

template <class T>
using result = boost::system::result<T, boost::system::error_code>;

using error_code = boost::system::error_code;

enum class error {
    // base64url
    bad_base64url = 1,      ///< a character outside [A-Za-z0-9_-], padding, or an impossible length
    // JWE / JWT
    malformed_token,        ///< not five '.'-separated parts, or a part of the wrong size
    malformed_header,       ///< the protected header is not a JSON object of the expected shape
    unsupported_algorithm,  ///< alg is not "dir" or enc not A256CBC-HS512 / A256GCM, or zip/crit present
    unknown_kid,            ///< no configured secret has the key id the token names
    bad_tag,                ///< authentication tag mismatch: tampered token, wrong secret or wrong salt
    malformed_payload,      ///< the decrypted payload is not a JSON object
    bad_claim,              ///< exp / nbf / iat present but not a number
    expired,                ///< exp is in the past beyond the clock tolerance
    not_yet_valid,          ///< nbf is in the future beyond the clock tolerance
    no_secret,              ///< no secret configured (AUTH_SECRET unset)
    crypto_failure,         ///< OpenSSL refused an operation (out of memory, provider missing)
    // cookies
    no_session_cookie,      ///< the Cookie header carries no session cookie of that name
    missing_chunk,          ///< session cookie chunks are not numbered 0..n-1 without gaps
    oversized,              ///< a header, cookie or token is larger than the configured limit
    invalid_cookie,         ///< a cookie name or value contains characters a browser would reject
    // configuration
    missing_client_id,      ///< a configuration was given without clientId
    missing_redirect_uri,   ///< a configuration was given without redirectUri
    invalid_option,         ///< an option has a value authpp cannot use
    // OAuth
    refresh_rejected,       ///< the token endpoint refused the refresh token (definitive: sign in again)
    refresh_unavailable,    ///< the token endpoint could not be reached or failed (transient: retry later)
    bad_token_response,     ///< the token endpoint answered 2xx without a usable JSON token set (transient)
    no_refresh_token,       ///< a refresh was needed but the session holds no refresh token
    invalid_credentials,    ///< client-obtained tokens lack a required field
    userinfo_rejected,      ///< the userinfo endpoint refused the access token
    userinfo_mismatch,      ///< the userinfo sub differs from the claimed sub
    discovery_failed,       ///< the OpenID discovery document was unreachable, malformed or for another issuer
    unauthorized,           ///< no session, or a session whose error needs the user to sign in again
    invalid_path_pattern,   ///< a protected/public path pattern is not a valid regular expression
    // stores and database sessions
    store_unavailable,      ///< the store could not be read or written (unreachable, full)
    session_not_found,      ///< the session id names no stored session (signed out, expired or forged)
    session_revoked,        ///< the stored session belongs to a generation ended by sign-out everywhere
    // limits
    session_too_large,      ///< the session's cookies would exceed the cookie budget (auth_options::max_cookie_bytes)
    time_out_of_range,      ///< a time (now + a max age or lifetime) is outside what can be represented
    invalid_endpoint,       ///< authentication_domain or an endpoint is not an absolute http(s) URL
};

/// The last enumerator: a new error goes after it and moves this (the error
/// test walks every value up to it).
inline constexpr error last_error = error::invalid_endpoint;

namespace detail {

class error_category_impl final : public boost::system::error_category {
public:
    constexpr error_category_impl() noexcept : boost::system::error_category(0x61757468707070ull) {}

    const char* name() const noexcept override { return "authpp"; }

    std::string message(int ev) const override { return message(ev, nullptr, 0); }

    const char* message(int ev, char*, std::size_t) const noexcept override {
        switch (static_cast<error>(ev)) {
        case error::bad_base64url:
            return "invalid base64url: only A-Z a-z 0-9 - _ without padding are allowed";
        case error::malformed_token:
            return "malformed token: expected a JWE in compact form (five base64url parts separated by '.')";
        case error::malformed_header:
            return "malformed JWE protected header: it must be a JSON object with string alg and enc";
        case error::unsupported_algorithm:
            return "unsupported JWE algorithm: only alg \"dir\" with enc A256CBC-HS512 or A256GCM is accepted";
        case error::unknown_kid:
            return "no configured secret matches the token's key id (kid): the cookie was made with another secret";
        case error::bad_tag:
            return "authentication failed: the token was tampered with, or made with another secret or cookie name";
        case error::malformed_payload:
            return "malformed token payload: the decrypted claims are not valid JSON (a lone UTF-16 surrogate escape counts) or not an object";
        case error::bad_claim:
            return "invalid claim: exp, nbf and iat must be numbers";
        case error::expired:
            return "the session token has expired";
        case error::not_yet_valid:
            return "the session token is not valid yet (nbf is in the future)";
        case error::no_secret:
            return "no secret configured: set AUTH_SECRET (and optionally AUTH_SECRET_1..3 for rotation)";
        case error::crypto_failure:
            return "a cryptographic operation failed inside OpenSSL";
        case error::no_session_cookie:
            return "the request carries no session cookie";
        case error::missing_chunk:
            return "the session cookie is chunked but a chunk is missing";
        case error::oversized:
            return "input exceeds the configured size limit";
        case error::invalid_cookie:
            return "invalid cookie: name or value contains characters not allowed in a cookie";
        case error::missing_client_id:
            return "configuration given without clientId: pass no configuration for the sandbox defaults, "
                   "or give both clientId and redirectUri";
        case error::missing_redirect_uri:
            return "configuration given without redirectUri: pass no configuration for the sandbox defaults, "
                   "or give both clientId and redirectUri";
        case error::invalid_option:
            return "invalid option value (see the option's documentation)";
        case error::refresh_rejected:
            return "the identity provider rejected the refresh token: the user must sign in again";
        case error::refresh_unavailable:
            return "the identity provider could not refresh the token right now (network, time-out, 5xx or 429); "
                   "the session is kept and the refresh retried later";
        case error::bad_token_response:
            return "the token endpoint answered 2xx without a usable token set (not JSON, or no access_token); "
                   "treated as transient: the session is kept and the refresh retried later";
        case error::no_refresh_token:
            return "the access token expired and the session holds no refresh token";
        case error::invalid_credentials:
            return "invalid sign-in tokens: accessToken, profile.sub and a numeric accessTokenExpires are required";
        case error::userinfo_rejected:
            return "the userinfo endpoint did not accept the access token";
        case error::discovery_failed:
            return "OpenID discovery failed: the document was unreachable, not JSON, for another issuer, "
                   "or without a usable token endpoint";
        case error::userinfo_mismatch:
            return "the access token belongs to another user than the one claimed";
        case error::unauthorized:
            return "unauthorized: no active session, or the session needs a new sign-in";
        case error::invalid_path_pattern:
            return "invalid path pattern: a protectedPaths/publicPaths regular expression does not compile "
                   "(RE2 syntax: no backreferences or lookaround)";
        case error::store_unavailable:
            return "the session store could not be reached or written: check that it is running and reachable";
        case error::session_not_found:
            return "no stored session has this id: it was signed out, expired, or never existed";
        case error::session_revoked:
            return "the stored session was ended by a sign-out everywhere: sign in again";
        case error::session_too_large:
            return "the session is too large for its cookies (over auth_options::max_cookie_bytes): the previous "
                   "session cookie was kept; keep fewer or shorter tokens and claims in the session";
        case error::time_out_of_range:
            return "a time is out of range: now plus the max age (or lifetime) cannot be represented";
        case error::invalid_endpoint:
            return "authentication_domain, token_endpoint, userinfo_endpoint and authorization_endpoint must be "
                   "absolute http:// or https:// URLs (authentication_domain must not be empty)";
        }
        return "unknown authpp error";
    }
};

inline constexpr error_category_impl error_category_instance{};

} // namespace detail

inline const boost::system::error_category& error_category() noexcept {
    return detail::error_category_instance;
}

inline error_code make_error_code(error e) noexcept {
    return {static_cast<int>(e), error_category()};
}

} // namespace authpp

template <>
struct boost::system::is_error_code_enum<authpp::error> : std::true_type {};
