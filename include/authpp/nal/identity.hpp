// authpp/nal/identity.hpp — the request headers mode nal hands the
// application's handler:
//   x-auth-user        base64 (standard, padded) of the user object's JSON
//   x-auth-token-type  the token's type as the mapper read it ("guest" for guests)
//   x-refreshed-token  the new token, after a refresh on this request
// Whatever copies of them the client sent are removed first: only the
// decision writes them.
#pragma once

#include <authpp/crypto/base64.hpp>
#include <authpp/http/message.hpp>

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <algorithm>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace authpp::nal {

inline constexpr std::string_view user_header = "x-auth-user";
inline constexpr std::string_view token_type_header = "x-auth-token-type";
inline constexpr std::string_view refreshed_token_header = "x-refreshed-token";

/// Largest x-auth-user value decode_user reads.
inline constexpr std::size_t max_user_header = 16 * 1024;

/// The x-auth-user value for `user`.
inline std::string encode_user(const boost::json::value& user) {
    return crypto::base64_encode(boost::json::serialize(user));
}

/// The user object an x-auth-user value carries; nullopt for anything but
/// base64 of a JSON object (at most max_user_header characters, 32 levels).
inline std::optional<boost::json::object> decode_user(std::string_view header) {
    if (header.empty() || header.size() > max_user_header) return std::nullopt;
    auto json = crypto::base64_decode(header);
    if (!json) return std::nullopt;
    error_code ec;
    boost::json::parse_options opt;
    opt.max_depth = 32;
    auto v = boost::json::parse(*json, ec, {}, opt);
    if (ec || !v.is_object()) return std::nullopt;
    return std::move(v.get_object());
}

/// Whether `name` is one of the three headers only the decision may write.
inline bool is_identity_header(std::string_view name) noexcept {
    return http::iequals(name, user_header) || http::iequals(name, token_type_header) ||
           http::iequals(name, refreshed_token_header);
}

/// Removes every copy of the three headers (any case) from `headers`.
inline void strip_identity_headers(http::header_list& headers) {
    std::erase_if(headers, [](const auto& h) { return is_identity_header(h.first); });
}

} // namespace authpp::nal
