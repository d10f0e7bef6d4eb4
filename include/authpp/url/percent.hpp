// authpp/url/percent.hpp — percent-encoding (RFC 3986 §2.1), the one
// implementation: reading a %XX escape, decoding strictly (every '%' must
// start an escape) or keeping the input as it is when one does not, and
// encoding with a caller's set of characters that stay as they are.
//
// The application/x-www-form-urlencoded flavour ('+' for space, malformed
// escapes kept one by one) is in <authpp/url/form.hpp>.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace authpp::url {

/// The value of one hex digit, or -1.
constexpr int hex_value(char c) noexcept {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/// The byte the escape "%XX" at s[i] stands for, or -1 when s[i] does not
/// start one (it is not '%', or two hex digits do not follow it).
constexpr int escaped_byte(std::string_view s, std::size_t i) noexcept {
    if (i + 2 >= s.size() || s[i] != '%') return -1;
    const int hi = hex_value(s[i + 1]), lo = hex_value(s[i + 2]);
    if (hi < 0 || lo < 0) return -1;
    return hi << 4 | lo;
}

/// Whether every '%' in `s` starts a %XX escape.
constexpr bool escapes_well_formed(std::string_view s) noexcept {
    for (auto i = s.find('%'); i != std::string_view::npos; i = s.find('%', i + 1))
        if (escaped_byte(s, i) < 0) return false;
    return true;
}

/// Strict percent-decoding: every %XX escape becomes its byte, every other
/// byte stays; nullopt when a '%' does not start an escape ("%", "%4",
/// "%zz"). '+' is not a space here.
inline std::optional<std::string> percent_decode(std::string_view in) {
    std::string out;
    out.reserve(in.size());
    for (std::size_t i = 0; i < in.size(); ++i) {
        if (in[i] != '%') {
            out += in[i];
            continue;
        }
        const int b = escaped_byte(in, i);
        if (b < 0) return std::nullopt;
        out += static_cast<char>(b);
        i += 2;
    }
    return out;
}

/// percent_decode(), or `in` unchanged when any escape in it is malformed:
/// how the `cookie` npm package decodes a cookie value (decodeURIComponent,
/// and the value as sent when that throws).
inline std::string percent_decode_or_keep(std::string_view in) {
    auto out = percent_decode(in);
    return out ? std::move(*out) : std::string(in);
}

constexpr bool is_alnum(unsigned char c) noexcept {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/// RFC 3986 unreserved: ALPHA DIGIT - . _ ~
constexpr bool is_unreserved(unsigned char c) noexcept {
    return is_alnum(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

/// Appends `s` to `out`, each byte `keep(byte)` accepts as itself and every
/// other one as %XX (upper-case hex).
template <class Keep>
void percent_encode(std::string& out, std::string_view s, Keep keep) {
    static constexpr char hex[] = "0123456789ABCDEF";
    for (unsigned char c : s) {
        if (keep(c)) {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
}

/// JavaScript's encodeURIComponent (on bytes: UTF-8 stays UTF-8 escaped).
inline std::string encode_uri_component(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    percent_encode(out, s, [](unsigned char c) {
        return is_unreserved(c) || c == '!' || c == '*' || c == '\'' || c == '(' || c == ')';
    });
    return out;
}

} // namespace authpp::url
