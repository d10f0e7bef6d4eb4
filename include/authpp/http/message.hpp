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

/// The value of one hex digit, or -1.
constexpr int hex_value(char c) noexcept {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/// Decodes one application/x-www-form-urlencoded component (the inverse of
/// form_encode): '+' → ' ', %XX → the byte; a '%' not followed by two hex
/// digits is kept literally (the WHATWG rule URLSearchParams follows).
inline std::string form_decode(std::string_view in) {
    std::string out;
    out.reserve(in.size());
    for (std::size_t i = 0; i < in.size(); ++i) {
        const char c = in[i];
        if (c == '+') {
            out += ' ';
        } else if (c == '%' && i + 2 < in.size() && hex_value(in[i + 1]) >= 0 && hex_value(in[i + 2]) >= 0) {
            out += static_cast<char>(hex_value(in[i + 1]) << 4 | hex_value(in[i + 2]));
            i += 2;
        } else {
            out += c;
        }
    }
    return out;
}

/// application/x-www-form-urlencoded encoding of one component (RFC 3986
/// unreserved characters stay, space becomes '+', everything else %XX).
inline void form_encode(std::string& out, std::string_view s) {
    static constexpr char hex[] = "0123456789ABCDEF";
    for (unsigned char c : s) {
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
            c == '_' || c == '*')
            out += static_cast<char>(c);
        else if (c == ' ')
            out += '+';
        else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
}

/// name=value&… form body, as URLSearchParams writes it.
inline std::string form_body(std::initializer_list<std::pair<std::string_view, std::string_view>> fields) {
    std::string out;
    for (const auto& [k, v] : fields) {
        if (!out.empty()) out += '&';
        form_encode(out, k);
        out += '=';
        form_encode(out, v);
    }
    return out;
}

} // namespace authpp::http
