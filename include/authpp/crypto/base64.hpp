// authpp/crypto/base64.hpp — strict base64url (RFC 4648 §5) without padding,
// the encoding of JOSE, cookies and random tokens; and the standard padded
// base64 (§4) encoder that HTTP Basic credentials need.
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

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define AUTHPP_BASE64URL_AVX2 1
#endif

namespace authpp::crypto {

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

namespace detail {

// Decodes whole 4-character groups from `i` on and the final partial group;
// ORs 0x80 into `bad` for any invalid character or non-canonical tail.
inline std::size_t b64url_decode_scalar(const unsigned char* p, std::size_t n, std::size_t i, std::uint8_t* out,
                                        std::uint8_t& bad) noexcept {
    const auto& t = b64url_table;
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
    return static_cast<std::size_t>(o - out);
}

#ifdef AUTHPP_BASE64URL_AVX2
// 32 characters → 24 bytes per step (W. Muła and D. Lemire, "Faster Base64
// Encoding and Decoding using AVX2 Instructions", 2018), with the nibble
// tables redone for the URL alphabet. A character is invalid exactly when
// lut_lo[low nibble] & lut_hi[high nibble] is non-zero.
inline constexpr std::array<std::uint8_t, 16> b64url_lut_hi = {0x20, 0x20, 0x01, 0x02, 0x04, 0x08, 0x04, 0x10,
                                                               0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20};
inline constexpr std::array<std::uint8_t, 16> b64url_lut_lo = [] {
    std::array<std::uint8_t, 16> t{};
    for (int lo = 0; lo < 16; ++lo) {
        std::uint8_t v = 0x20;                  // high nibbles 0-1 and 8-F are never valid
        if (lo != 0xd) v |= 0x01;               // 0x2_: only '-'
        if (lo > 9) v |= 0x02;                  // 0x3_: '0'-'9'
        if (lo == 0) v |= 0x04;                 // 0x4_ and 0x6_: 'A'-'O', 'a'-'o'
        if (lo > 0xa && lo != 0xf) v |= 0x08;   // 0x5_: 'P'-'Z' and '_'
        if (lo > 0xa) v |= 0x10;                // 0x7_: 'p'-'z'
        t[lo] = v;
    }
    return t;
}();
// Added to a character by its high nibble to give its 6-bit value ('_' is fixed up apart).
inline constexpr std::array<std::int8_t, 16> b64url_shift = {0, 0, 17, 4, -65, -65, -71, -71,
                                                             0, 0, 0,  0, 0,   0,   0,   0};

__attribute__((target("avx2"))) inline std::size_t b64url_decode_avx2(const unsigned char* p, std::size_t n,
                                                                      std::uint8_t* out, std::size_t& consumed,
                                                                      std::uint8_t& bad) noexcept {
    const __m256i lut_lo = _mm256_broadcastsi128_si256(_mm_loadu_si128(reinterpret_cast<const __m128i*>(b64url_lut_lo.data())));
    const __m256i lut_hi = _mm256_broadcastsi128_si256(_mm_loadu_si128(reinterpret_cast<const __m128i*>(b64url_lut_hi.data())));
    const __m256i lut_shift =
        _mm256_broadcastsi128_si256(_mm_loadu_si128(reinterpret_cast<const __m128i*>(b64url_shift.data())));
    const __m256i nibble = _mm256_set1_epi8(0x0f), underscore = _mm256_set1_epi8('_'),
                  underscore_fix = _mm256_set1_epi8(33);
    const __m256i pack = _mm256_setr_epi8(2, 1, 0, 6, 5, 4, 10, 9, 8, 14, 13, 12, -1, -1, -1, -1,
                                          2, 1, 0, 6, 5, 4, 10, 9, 8, 14, 13, 12, -1, -1, -1, -1);
    const __m256i lanes = _mm256_setr_epi32(0, 1, 2, 4, 5, 6, 7, 7);
    __m256i errors = _mm256_setzero_si256();
    std::size_t i = 0;
    std::uint8_t* o = out;
    // Each store writes 32 bytes of which 24 are kept: stop while at least 44
    // characters (33 output bytes) remain so the store stays inside `out`.
    for (; i + 44 <= n; i += 32, o += 24) {
        const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + i));
        const __m256i hi = _mm256_and_si256(_mm256_srli_epi32(v, 4), nibble);
        const __m256i lo = _mm256_and_si256(v, nibble);
        errors = _mm256_or_si256(errors,
                                 _mm256_and_si256(_mm256_shuffle_epi8(lut_lo, lo), _mm256_shuffle_epi8(lut_hi, hi)));
        __m256i shift = _mm256_shuffle_epi8(lut_shift, hi);
        shift = _mm256_add_epi8(shift, _mm256_and_si256(_mm256_cmpeq_epi8(v, underscore), underscore_fix));
        const __m256i values = _mm256_add_epi8(v, shift);
        const __m256i ab = _mm256_maddubs_epi16(values, _mm256_set1_epi32(0x01400140));
        const __m256i abc = _mm256_madd_epi16(ab, _mm256_set1_epi32(0x00011000));
        const __m256i packed = _mm256_permutevar8x32_epi32(_mm256_shuffle_epi8(abc, pack), lanes);
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(o), packed);
    }
    if (!_mm256_testz_si256(errors, errors)) bad |= 0x80;
    consumed = i;
    return static_cast<std::size_t>(o - out);
}

inline bool cpu_has_avx2() noexcept {
    static const bool yes = __builtin_cpu_supports("avx2");
    return yes;
}
#endif

} // namespace detail

/// Decodes `in` into `out` (room for base64url_decoded_size(in.size()) bytes).
/// Returns the number of bytes written, or error::bad_base64url. On error the
/// contents of `out` are unspecified.
inline result<std::size_t> base64url_decode(std::string_view in, std::uint8_t* out) noexcept {
    const auto* p = reinterpret_cast<const unsigned char*>(in.data());
    const std::size_t n = in.size();
    if (n % 4 == 1) return error::bad_base64url;
    std::uint8_t bad = 0;
    std::size_t i = 0, written = 0;
#ifdef AUTHPP_BASE64URL_AVX2
    if (n >= 44 && detail::cpu_has_avx2()) written = detail::b64url_decode_avx2(p, n, out, i, bad);
#endif
    written += detail::b64url_decode_scalar(p, n, i, out + written, bad);
    if (bad & 0x80) return error::bad_base64url;
    return written;
}


/// Decodes `in` into a new string of bytes.
inline result<std::string> base64url_decode(std::string_view in) {
    std::string s(base64url_decoded_size(in.size()), '\0');
    auto r = base64url_decode(in, reinterpret_cast<std::uint8_t*>(s.data()));
    if (!r) return r.error();
    s.resize(*r);
    return s;
}

/// Standard base64 (RFC 4648 §4: '+', '/', '=' padding) of `in`, as HTTP
/// Basic credentials are written.
inline std::string base64_encode(std::string_view in) {
    static constexpr char digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const auto byte = [&](std::size_t i) { return static_cast<unsigned>(static_cast<unsigned char>(in[i])); };
    std::string out;
    out.reserve((in.size() + 2) / 3 * 4);
    std::size_t i = 0;
    for (; i + 3 <= in.size(); i += 3) {
        const unsigned v = byte(i) << 16 | byte(i + 1) << 8 | byte(i + 2);
        out += digits[v >> 18], out += digits[(v >> 12) & 63], out += digits[(v >> 6) & 63], out += digits[v & 63];
    }
    if (const std::size_t rest = in.size() - i; rest > 0) {
        const unsigned v = byte(i) << 16 | (rest == 2 ? byte(i + 1) << 8 : 0u);
        out += digits[v >> 18], out += digits[(v >> 12) & 63];
        out += rest == 2 ? digits[(v >> 6) & 63] : '=';
        out += '=';
    }
    return out;
}

/// Decodes standard base64 (RFC 4648 §4), with or without its '=' padding,
/// canonical only (unused low bits zero); error::bad_base64url for anything
/// else, the URL alphabet's '-' and '_' included.
inline result<std::string> base64_decode(std::string_view in) {
    std::size_t n = in.size();
    if (n > 0 && in[n - 1] == '=') {
        if (in.size() % 4 != 0) return error::bad_base64url;
        --n;
        if (n > 0 && in[n - 1] == '=') --n;
    }
    std::string url(in.substr(0, n));
    for (char& c : url) {
        if (c == '-' || c == '_') return error::bad_base64url;
        if (c == '+') c = '-';
        else if (c == '/') c = '_';
    }
    return base64url_decode(url);
}

} // namespace authpp::crypto
