// authpp/nal/classify.hpp — what a backend's answer means for the request:
//
//   2xx and the mapper reads a valid token (or a token)  → valid
//   2xx the mapper rejects (or that is not JSON), 4xx    → invalid: definitive
//     other than 408 and 429
//   network error, time-out, 5xx, 408, 429, anything else → unavailable: transient;
//                                                           never clears a cookie,
//                                                           never logs anyone out
//
// (next-api-layer reads every non-2xx and every network failure as an
// invalid token, and so logs users out whenever its backend hiccups.)
#pragma once

#include <authpp/error.hpp>
#include <authpp/http/message.hpp>
#include <authpp/nal/mapper.hpp>

#include <boost/json/parse.hpp>

#include <optional>
#include <string>
#include <utility>

namespace authpp::nal {

enum class validity { valid, invalid, unavailable };

constexpr std::string_view to_string(validity v) noexcept {
    return v == validity::valid ? "valid" : v == validity::invalid ? "invalid" : "unavailable";
}

/// The class of an answer before its body is read: nullopt for a 2xx (the
/// mapper decides), else invalid or unavailable.
inline std::optional<validity> classify_status(const error_code& ec, int status) noexcept {
    if (ec) return validity::unavailable;
    if (status >= 200 && status < 300) return std::nullopt;
    if (status >= 400 && status < 500 && status != 408 && status != 429) return validity::invalid;
    return validity::unavailable;
}

/// The validation of a token: its class, and its info when valid.
struct validation {
    validity what = validity::unavailable;
    token_info info; ///< when valid
};

/// The answer to a token a backend issued (refresh, guest): its class, and the token when valid.
struct issued_token {
    validity what = validity::unavailable;
    std::string token; ///< when valid
};

namespace detail {

// Applies `read` to a 2xx body; a body that is not JSON is invalid.
template <class Read>
auto read_body(const http::response& r, Read read) -> decltype(read(std::declval<const boost::json::value&>())) {
    error_code ec;
    boost::json::parse_options opt;
    opt.max_depth = 32;
    const auto v = boost::json::parse(r.body, ec, {}, opt);
    if (ec) return std::nullopt;
    return read(v);
}

} // namespace detail

/// Classifies the answer to `GET {base}auth/me`.
inline validation classify_validation(const error_code& ec, const http::response& r, const response_mapper& m) {
    if (auto c = classify_status(ec, r.status)) return {*c, {}};
    auto info = detail::read_body(r, [&](const boost::json::value& v) { return m.validate(v); });
    if (!info) return {validity::invalid, {}};
    return {validity::valid, std::move(*info)};
}

/// Classifies the answer to `POST {base}auth/refresh` or `POST {base}auth/guest`
/// with the mapper member `read` (refreshed_token or guest_token).
template <class Read>
issued_token classify_issued(const error_code& ec, const http::response& r, const Read& read) {
    if (auto c = classify_status(ec, r.status)) return {*c, {}};
    auto token = detail::read_body(r, [&](const boost::json::value& v) { return read(v); });
    if (!token) return {validity::invalid, {}};
    return {validity::valid, std::move(*token)};
}

} // namespace authpp::nal
