// authpp/jose/jwe.hpp — JWE compact serialization (RFC 7516) with direct key
// agreement ("dir") and the two content encryptions Auth.js uses (RFC 7518):
// A256CBC-HS512 (what Auth.js encodes) and A256GCM (what it also decodes).
//
// Decryption is split in two steps so a caller holding several keys (secret
// rotation) parses the token once and tries each key: parse_compact() checks
// the shape and reads the protected header; decrypt() authenticates with one
// key and decrypts. Tags are compared in constant time, and nothing is
// decrypted before the tag is verified (CBC) or the plaintext is released
// only after GCM's tag check passed.
#pragma once

#include <authpp/crypto/aes_cbc_hmac.hpp>
#include <authpp/crypto/aes_gcm.hpp>
#include <authpp/crypto/base64.hpp>
#include <authpp/crypto/random.hpp>
#include <authpp/error.hpp>

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <array>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>

namespace authpp::jose {

enum class content_encryption { a256cbc_hs512, a256gcm };

/// Bytes of key the content encryption takes ("dir": the CEK is the key).
constexpr std::size_t key_size(content_encryption e) noexcept {
    return e == content_encryption::a256cbc_hs512 ? 64 : 32;
}
constexpr std::size_t iv_size(content_encryption e) noexcept {
    return e == content_encryption::a256cbc_hs512 ? 16 : 12;
}
constexpr std::size_t tag_size(content_encryption e) noexcept {
    return e == content_encryption::a256cbc_hs512 ? 32 : 16;
}
constexpr std::string_view to_string(content_encryption e) noexcept {
    return e == content_encryption::a256cbc_hs512 ? "A256CBC-HS512" : "A256GCM";
}

/// A compact JWE whose shape and protected header have been checked, not yet
/// authenticated. Views point into the token passed to parse_compact().
struct parsed_jwe {
    content_encryption enc = content_encryption::a256cbc_hs512;
    std::string_view protected_b64; ///< also the AAD
    std::string_view iv_b64;
    std::string_view ciphertext_b64;
    std::string_view tag_b64;
    bool has_kid = false;
    std::string_view kid() const noexcept { return {kid_buf.data(), kid_len}; }

    // A kid longer than any thumbprint cannot match one; it is kept truncated
    // and flagged so the lookup fails as "unknown kid".
    std::array<char, 96> kid_buf{};
    std::size_t kid_len = 0;
    bool kid_too_long = false;
};

/// Largest protected header accepted; Auth.js headers are about 130 bytes.
inline constexpr std::size_t max_protected_header = 1024;

namespace detail {

// The five '.'-separated parts of a compact JWE; the encrypted key must be
// empty ("dir"), every other part non-empty.
inline error_code split_parts(std::string_view token, std::string_view (&part)[5]) noexcept {
    std::size_t start = 0;
    for (int i = 0; i < 4; ++i) {
        const auto dot = token.find('.', start);
        if (dot == std::string_view::npos) return error::malformed_token;
        part[i] = token.substr(start, dot - start);
        start = dot + 1;
    }
    part[4] = token.substr(start);
    if (part[4].find('.') != std::string_view::npos) return error::malformed_token;
    // The ciphertext may be empty: A256GCM encrypts an empty plaintext to
    // nothing (A256CBC-HS512 never does; decrypt() refuses that case).
    if (part[0].empty() || !part[1].empty() || part[2].empty() || part[4].empty()) return error::malformed_token;
    return {};
}

inline error_code fill_parts(const std::string_view (&part)[5], content_encryption enc, parsed_jwe& out) noexcept {
    out.enc = enc;
    out.protected_b64 = part[0];
    out.iv_b64 = part[2];
    out.ciphertext_b64 = part[3];
    out.tag_b64 = part[4];
    if (crypto::base64url_decoded_size(out.iv_b64.size()) != iv_size(enc) ||
        crypto::base64url_decoded_size(out.tag_b64.size()) != tag_size(enc))
        return error::malformed_token;
    return {};
}

} // namespace detail

/// Splits a compact JWE and checks its parts' sizes for `enc` without reading
/// the protected header: for a caller that already knows the header (a codec
/// whose own key produces exactly that header). Most callers want parse_compact().
inline result<parsed_jwe> split_compact(std::string_view token, content_encryption enc) noexcept {
    std::string_view part[5];
    parsed_jwe out;
    if (auto ec = detail::split_parts(token, part)) return ec;
    if (auto ec = detail::fill_parts(part, enc, out)) return ec;
    return out;
}

/// Splits a compact JWE and validates its protected header: alg "dir", enc
/// A256CBC-HS512 or A256GCM, no "zip", no "crit", an empty encrypted key.
inline result<parsed_jwe> parse_compact(std::string_view token) {
    std::string_view part[5];
    if (auto ec = detail::split_parts(token, part)) return ec;
    if (crypto::base64url_decoded_size(part[0].size()) > max_protected_header) return error::malformed_header;
    std::array<std::uint8_t, max_protected_header> hbuf;
    auto hlen = crypto::base64url_decode(part[0], hbuf.data());
    if (!hlen) return hlen.error();

    parsed_jwe out;

    // A small header parses within this stack buffer: no heap allocation.
    unsigned char arena[4096];
    boost::json::monotonic_resource mr(arena, sizeof arena);
    boost::json::parse_options opt;
    opt.max_depth = 4;
    error_code ec;
    const auto v = boost::json::parse(
        std::string_view(reinterpret_cast<const char*>(hbuf.data()), *hlen), ec, &mr, opt);
    if (ec || !v.is_object()) return error::malformed_header;
    const auto& h = v.get_object();
    const auto* alg = h.if_contains("alg");
    const auto* enc = h.if_contains("enc");
    if (!alg || !alg->is_string() || !enc || !enc->is_string()) return error::malformed_header;
    if (alg->get_string() != "dir") return error::unsupported_algorithm;
    if (enc->get_string() == "A256CBC-HS512") out.enc = content_encryption::a256cbc_hs512;
    else if (enc->get_string() == "A256GCM") out.enc = content_encryption::a256gcm;
    else return error::unsupported_algorithm;
    if (h.contains("zip") || h.contains("crit")) return error::unsupported_algorithm;
    if (const auto* kid = h.if_contains("kid")) {
        if (!kid->is_string()) return error::malformed_header;
        const auto& s = kid->get_string();
        out.has_kid = true;
        out.kid_too_long = s.size() > out.kid_buf.size();
        out.kid_len = out.kid_too_long ? out.kid_buf.size() : s.size();
        std::memcpy(out.kid_buf.data(), s.data(), out.kid_len);
    }
    if (auto fec = detail::fill_parts(part, out.enc, out)) return fec;
    return out;
}

/// Authenticates and decrypts `jwe` with `key` (key_size(jwe.enc) bytes) into
/// `plaintext` (its old contents are replaced; its capacity is reused).
/// Returns error::bad_tag when the key is wrong or the token was altered.
inline error_code decrypt(const parsed_jwe& jwe, std::span<const std::uint8_t> key, std::string& plaintext) {
    plaintext.clear(); // every failure leaves it empty
    if (key.size() != key_size(jwe.enc)) return error::unsupported_algorithm;
    std::uint8_t iv[16];
    std::uint8_t tag[32];
    auto ivn = crypto::base64url_decode(jwe.iv_b64, iv);
    if (!ivn) return ivn.error();
    auto tagn = crypto::base64url_decode(jwe.tag_b64, tag);
    if (!tagn) return tagn.error();

    // The ciphertext is decoded into the output buffer and decrypted in place.
    plaintext.resize(crypto::base64url_decoded_size(jwe.ciphertext_b64.size()));
    auto* buf = reinterpret_cast<std::uint8_t*>(plaintext.data());
    auto ctn = crypto::base64url_decode(jwe.ciphertext_b64, buf);
    if (!ctn) {
        plaintext.clear();
        return ctn.error();
    }
    const std::span<std::uint8_t> ct(buf, *ctn);
    std::size_t n = 0;
    if (jwe.enc == content_encryption::a256cbc_hs512) {
        auto r = crypto::aes_cbc_hs512_open(key, std::span<const std::uint8_t>(iv, *ivn), jwe.protected_b64, ct,
                                            std::span<const std::uint8_t, 32>(tag, 32));
        if (!r) {
            plaintext.clear();
            return r.error();
        }
        n = *r;
    } else {
        if (auto ec = crypto::aes_256_gcm_open(key, std::span<const std::uint8_t>(iv, *ivn), jwe.protected_b64, ct, buf,
                                               std::span<const std::uint8_t, 16>(tag, 16))) {
            plaintext.clear();
            return ec;
        }
        n = ct.size();
    }
    plaintext.resize(n);
    return {};
}

/// Encrypts `plaintext` into a compact JWE with the given protected header
/// (serialized JSON; it must name alg "dir" and the same enc) and a fresh
/// random IV.
inline result<std::string> encrypt(std::string_view protected_header_json, std::string_view plaintext,
                                   content_encryption enc, std::span<const std::uint8_t> key) {
    if (key.size() != key_size(enc)) return error::unsupported_algorithm;
    const std::size_t ivn = iv_size(enc);
    std::uint8_t iv_buf[16];
    const std::span<std::uint8_t> iv(iv_buf, ivn);
    if (!crypto::random_bytes(iv)) return error::crypto_failure;

    using crypto::base64url_encoded_size;
    std::string out;
    out.reserve(base64url_encoded_size(protected_header_json.size()) + 2 + base64url_encoded_size(ivn) + 1 +
                base64url_encoded_size(plaintext.size() + 16) + 1 + base64url_encoded_size(32));
    crypto::base64url_encode(std::span(reinterpret_cast<const std::uint8_t*>(protected_header_json.data()),
                                       protected_header_json.size()),
                             out);
    const std::size_t aad_len = out.size();
    out += "..";
    crypto::base64url_encode(std::span<const std::uint8_t>(iv), out);
    out += '.';

    const std::span<const std::uint8_t> pt(reinterpret_cast<const std::uint8_t*>(plaintext.data()), plaintext.size());
    std::string ct(crypto::aes_cbc_hs512_ciphertext_size(plaintext.size()), '\0');
    auto* ctp = reinterpret_cast<std::uint8_t*>(ct.data());
    std::uint8_t tag[32];
    std::size_t tagn = 0;
    if (enc == content_encryption::a256cbc_hs512) {
        auto n = crypto::aes_cbc_hs512_seal(key, iv, std::string_view(out.data(), aad_len), pt, ctp,
                                            std::span<std::uint8_t, 32>(tag, 32));
        if (!n) return n.error();
        ct.resize(*n);
        tagn = 32;
    } else {
        if (auto ec = crypto::aes_256_gcm_seal(key, iv, std::string_view(out.data(), aad_len), pt, ctp,
                                               std::span<std::uint8_t, 16>(tag, 16)))
            return ec;
        ct.resize(plaintext.size());
        tagn = 16;
    }
    crypto::base64url_encode(std::span<const std::uint8_t>(ctp, ct.size()), out);
    out += '.';
    crypto::base64url_encode(std::span<const std::uint8_t>(tag, tagn), out);
    return out;
}

} // namespace authpp::jose
