// authpp/http/message.hpp — the HTTP exchange the sans-I/O core hands to a
// transport, and the answer it expects back. Plain values: no Beast, no Asio.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace authpp::http {

using header_list = std::vector<std::pair<std::string, std::string>>;

/// Case-insensitive ASCII comparison, for header names.
constexpr bool iequals(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        char x = a[i], y = b[i];
        if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
        if (x != y) return false;
    }
    return true;
}

/// The first header named `name` (case-insensitive), or empty.
inline std::string_view find_header(const header_list& headers, std::string_view name) noexcept {
    for (const auto& [k, v] : headers)
        if (iequals(k, name)) return v;
    return {};
}

/// An outgoing request to the identity provider (token or userinfo endpoint).
struct request {
    std::string method = "GET";
    std::string url;            ///< absolute: scheme://host[:port]/path[?query]
    header_list headers;
    std::string body;
};

/// What came back. A transport reports a network failure or time-out as an
/// error_code instead; any status, 5xx included, is a response.
struct response {
    int status = 0;
    header_list headers;
    std::string body;
};

} // namespace authpp::http
