// authpp/jose/base64url.hpp — strict base64url (RFC 4648 §5) without padding.
//
// Strict means: only [A-Za-z0-9_-], no '=' padding, no whitespace, no length
// that leaves a lone 6-bit group, and the unused low bits of the last group
// must be zero (so every byte string has exactly one encoding).
#pragma once

#include <authpp/error.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace authpp::jose {

namespace detail {

inline constexpr char b64url_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

// 0..63 for alphabet characters, 0x80 for everything else: one OR over a
// group tells whether any of its characters was invalid.
inline constexpr std::array<std::uint8_t, 256> b64url_table = [] {
    std::array<std::uint8_t, 256> t{};
    for (auto& v : t) v = 0x80;
    for (std::uint8_t i = 0; i < 64; ++i) t[static_cast<unsigned char>(b64url_alphabet[i])] = i;
    return t;
}();

} // namespace detail

/// Number of characters base64url_encode produces for `n` bytes.
constexpr std::size_t base64url_encoded_size(std::size_t n) noexcept {
    return n / 3 * 4 + (n % 3 == 0 ? 0 : n % 3 + 1);
}

/// Upper bound of the bytes decoded from `n` characters (exact for valid input).
constexpr std::size_t base64url_decoded_size(std::size_t n) noexcept {
    return n / 4 * 3 + (n % 4 == 0 ? 0 : n % 4 - 1);
}

/// Encodes `in` into `out`, which must hold base64url_encoded_size(in.size()) chars.
inline void base64url_encode(std::span<const std::uint8_t> in, char* out) noexcept {
    const auto* a = detail::b64url_alphabet;
    std::size_t i = 0;
    const std::size_t n = in.size();
    for (; i + 3 <= n; i += 3) {
        const std::uint32_t v = std::uint32_t(in[i]) << 16 | std::uint32_t(in[i + 1]) << 8 | in[i + 2];
        *out++ = a[v >> 18];
        *out++ = a[(v >> 12) & 63];
        *out++ = a[(v >> 6) & 63];
        *out++ = a[v & 63];
    }
    if (n - i == 1) {
        const std::uint32_t v = std::uint32_t(in[i]) << 16;
        *out++ = a[v >> 18];
        *out++ = a[(v >> 12) & 63];
    } else if (n - i == 2) {
        const std::uint32_t v = std::uint32_t(in[i]) << 16 | std::uint32_t(in[i + 1]) << 8;
        *out++ = a[v >> 18];
        *out++ = a[(v >> 12) & 63];
        *out++ = a[(v >> 6) & 63];
    }
}

/// Appends the encoding of `in` to `out`.
inline void base64url_encode(std::span<const std::uint8_t> in, std::string& out) {
    const std::size_t old = out.size();
    out.resize(old + base64url_encoded_size(in.size()));
    base64url_encode(in, out.data() + old);
}

inline std::string base64url_encode(std::span<const std::uint8_t> in) {
    std::string s;
    base64url_encode(in, s);
    return s;
}

inline std::string base64url_encode(std::string_view in) {
    return base64url_encode(std::span(reinterpret_cast<const std::uint8_t*>(in.data()), in.size()));
}

/// Decodes `in` into `out` (room for base64url_decoded_size(in.size()) bytes).
/// Returns the number of bytes written, or error::bad_base64url. On error the
/// contents of `out` are unspecified.
inline result<std::size_t> base64url_decode(std::string_view in, std::uint8_t* out) noexcept {
    const auto& t = detail::b64url_table;
    const auto* p = reinterpret_cast<const unsigned char*>(in.data());
    const std::size_t n = in.size();
    if (n % 4 == 1) return error::bad_base64url;
    std::uint8_t bad = 0;
    std::size_t i = 0;
    std::uint8_t* o = out;
    for (; i + 4 <= n; i += 4) {
        const std::uint8_t c0 = t[p[i]], c1 = t[p[i + 1]], c2 = t[p[i + 2]], c3 = t[p[i + 3]];
        bad |= c0 | c1 | c2 | c3;
        const std::uint32_t v = std::uint32_t(c0) << 18 | std::uint32_t(c1) << 12 | std::uint32_t(c2) << 6 | c3;
        o[0] = static_cast<std::uint8_t>(v >> 16);
        o[1] = static_cast<std::uint8_t>(v >> 8);
        o[2] = static_cast<std::uint8_t>(v);
        o += 3;
    }
    const std::size_t rest = n - i;
    if (rest == 2) {
        const std::uint8_t c0 = t[p[i]], c1 = t[p[i + 1]];
        bad |= c0 | c1;
        if (c1 & 0x0f) bad |= 0x80; // non-canonical trailing bits
        *o++ = static_cast<std::uint8_t>(c0 << 2 | (c1 & 0x3f) >> 4);
    } else if (rest == 3) {
        const std::uint8_t c0 = t[p[i]], c1 = t[p[i + 1]], c2 = t[p[i + 2]];
        bad |= c0 | c1 | c2;
        if (c2 & 0x03) bad |= 0x80;
        *o++ = static_cast<std::uint8_t>(c0 << 2 | (c1 & 0x3f) >> 4);
        *o++ = static_cast<std::uint8_t>((c1 & 0x0f) << 4 | (c2 & 0x3f) >> 2);
    }
    if (bad & 0x80) return error::bad_base64url;
    return static_cast<std::size_t>(o - out);
}

/// Decodes `in` into a new string of bytes.
inline result<std::string> base64url_decode(std::string_view in) {
    std::string s(base64url_decoded_size(in.size()), '\0');
    auto r = base64url_decode(in, reinterpret_cast<std::uint8_t*>(s.data()));
    if (!r) return r.error();
    s.resize(*r);
    return s;
}

} // namespace authpp::jose
