// authpp/endpoints/csrf.hpp — Auth.js's double-submit CSRF token.
//
// The cookie holds `token|hash` with hash = hex SHA-256 of token + secret
// (the secret list joined with ',', which is what JavaScript makes of
// Auth.js's array of secrets). A cookie whose hash checks out was made by
// us; a POST is verified when its body's csrfToken equals that cookie's
// token. Both comparisons take constant time.
#pragma once

#include <authpp/crypto/constant_time.hpp>
#include <authpp/crypto/random.hpp>
#include <authpp/crypto/secure_erase.hpp>
#include <authpp/crypto/sha.hpp>
#include <authpp/error.hpp>


#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace authpp::endpoints {

using crypto::constant_time_equals;

using crypto::sha256_hex;

/// hex SHA-256 of token + the secrets as JavaScript stringifies the array.
inline std::string csrf_hash(std::string_view token, const std::vector<std::string>& secrets) {
    std::string in(token);
    for (std::size_t i = 0; i < secrets.size(); ++i) {
        if (i) in += ',';
        in += secrets[i];
    }
    auto h = sha256_hex(in);
    crypto::secure_erase(in);
    return h;
}

struct csrf_state {
    std::string token;                  ///< what GET /csrf hands out
    std::optional<std::string> cookie;  ///< a new `token|hash` to set, when the request had no valid one
    bool verified = false;              ///< a POST whose body token matches a valid cookie
};

/// Auth.js's createCSRFToken. `cookie_value` is the decoded cookie, if any;
/// `body_token` the POST body's csrfToken, if any.
inline result<csrf_state> check_csrf(std::optional<std::string_view> cookie_value,
                                     const std::vector<std::string>& secrets, bool is_post,
                                     std::optional<std::string_view> body_token) {
    csrf_state s;
    if (cookie_value) {
        const auto bar = cookie_value->find('|');
        const auto token = cookie_value->substr(0, bar);
        const auto hash = bar == std::string_view::npos ? std::string_view{} : cookie_value->substr(bar + 1);
        if (!token.empty() && constant_time_equals(hash, csrf_hash(token, secrets))) {
            s.token = std::string(token);
            s.verified = is_post && body_token && constant_time_equals(*body_token, token);
            return s;
        }
    }
    auto token = crypto::random_hex(32);
    if (!token) return token.error();
    s.token = std::move(*token);
    s.cookie = s.token + "|" + csrf_hash(s.token, secrets);
    return s;
}

} // namespace authpp::endpoints
