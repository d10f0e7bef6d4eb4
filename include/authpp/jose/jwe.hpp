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

#include <authpp/crypto/random.hpp>
#include <authpp/error.hpp>
#include <authpp/jose/base64url.hpp>
#include <authpp/jose/detail/openssl.hpp>

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <openssl/core_names.h>

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
    if (base64url_decoded_size(out.iv_b64.size()) != iv_size(enc) ||
        base64url_decoded_size(out.tag_b64.size()) != tag_size(enc))
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
    if (base64url_decoded_size(part[0].size()) > max_protected_header) return error::malformed_header;
    std::array<std::uint8_t, max_protected_header> hbuf;
    auto hlen = base64url_decode(part[0], hbuf.data());
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

namespace detail {

// Big-endian 64-bit bit length of the AAD (RFC 7518 §5.2.2.1 "AL").
inline std::array<std::uint8_t, 8> aad_length_block(std::size_t aad_bytes) noexcept {
    const std::uint64_t bits = static_cast<std::uint64_t>(aad_bytes) * 8;
    std::array<std::uint8_t, 8> al;
    for (int i = 0; i < 8; ++i) al[i] = static_cast<std::uint8_t>(bits >> (56 - 8 * i));
    return al;
}

// The A256CBC-HS512 tag: the first 32 bytes of HMAC-SHA512 keyed with the
// first half of the key over AAD ‖ IV ‖ ciphertext ‖ AL.
inline bool cbc_hs512_tag(std::span<const std::uint8_t> mac_key, std::string_view aad,
                          std::span<const std::uint8_t> iv, std::span<const std::uint8_t> ct,
                          std::uint8_t (&tag)[64]) noexcept {
    thread_local mac_ctx_ptr ctx{[] {
        EVP_MAC_CTX* c = hmac() ? EVP_MAC_CTX_new(hmac()) : nullptr;
        if (c) {
            char digest[] = "SHA512";
            OSSL_PARAM p[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                              OSSL_PARAM_construct_end()};
            if (EVP_MAC_CTX_set_params(c, p) != 1) {
                EVP_MAC_CTX_free(c);
                c = nullptr;
            }
        }
        return c;
    }()};
    if (!ctx) return false;
    const auto al = aad_length_block(aad.size());
    std::size_t len = 0;
    return EVP_MAC_init(ctx.get(), mac_key.data(), mac_key.size(), nullptr) == 1 &&
           EVP_MAC_update(ctx.get(), reinterpret_cast<const unsigned char*>(aad.data()), aad.size()) == 1 &&
           EVP_MAC_update(ctx.get(), iv.data(), iv.size()) == 1 &&
           EVP_MAC_update(ctx.get(), ct.data(), ct.size()) == 1 &&
           EVP_MAC_update(ctx.get(), al.data(), al.size()) == 1 &&
           EVP_MAC_final(ctx.get(), tag, &len, sizeof tag) == 1 && len == 64;
}

// Per-thread HMAC and AES contexts already keyed for one A256CBC-HS512 key.
// Re-initialising a keyed context with a new IV (AES) or none (HMAC) skips
// the key schedule and the HMAC pad blocks and allocates nothing; servers use
// one key per secret and cookie name, so a few slots cover them all.
struct cbc_keyed_contexts {
    std::array<std::uint8_t, 64> key{};
    mac_ctx_ptr mac;
    cipher_ctx_ptr decrypt;

    cbc_keyed_contexts() = default;
    cbc_keyed_contexts(cbc_keyed_contexts&&) = default;
    cbc_keyed_contexts& operator=(cbc_keyed_contexts&&) = default;
    ~cbc_keyed_contexts() { OPENSSL_cleanse(key.data(), key.size()); }
};

inline cbc_keyed_contexts* cbc_contexts_for(std::span<const std::uint8_t> key) noexcept {
    constexpr std::size_t slots = 8;
    thread_local std::array<cbc_keyed_contexts, slots> cache;
    thread_local std::size_t next = 0;
    for (auto& e : cache)
        if (e.mac && std::memcmp(e.key.data(), key.data(), 64) == 0) return &e;
    auto& e = cache[next++ % slots];
    e.mac.reset();
    e.decrypt.reset();
    mac_ctx_ptr mac{hmac() ? EVP_MAC_CTX_new(hmac()) : nullptr};
    cipher_ctx_ptr dec{EVP_CIPHER_CTX_new()};
    char digest[] = "SHA512";
    OSSL_PARAM p[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0), OSSL_PARAM_construct_end()};
    if (!mac || !dec || EVP_MAC_init(mac.get(), key.data(), 32, p) != 1 ||
        EVP_DecryptInit_ex2(dec.get(), aes_256_cbc(), key.data() + 32, nullptr, nullptr) != 1)
        return nullptr;
    std::memcpy(e.key.data(), key.data(), 64);
    e.mac = std::move(mac);
    e.decrypt = std::move(dec);
    return &e;
}

} // namespace detail

/// Authenticates and decrypts `jwe` with `key` (key_size(jwe.enc) bytes) into
/// `plaintext` (its old contents are replaced; its capacity is reused).
/// Returns error::bad_tag when the key is wrong or the token was altered.
inline error_code decrypt(const parsed_jwe& jwe, std::span<const std::uint8_t> key, std::string& plaintext) {
    plaintext.clear(); // every failure leaves it empty
    if (key.size() != key_size(jwe.enc)) return error::unsupported_algorithm;
    std::uint8_t iv[16];
    std::uint8_t tag[32];
    auto ivn = base64url_decode(jwe.iv_b64, iv);
    if (!ivn) return ivn.error();
    auto tagn = base64url_decode(jwe.tag_b64, tag);
    if (!tagn) return tagn.error();

    // The ciphertext is decoded into the output buffer and decrypted in place.
    plaintext.resize(base64url_decoded_size(jwe.ciphertext_b64.size()));
    auto* buf = reinterpret_cast<std::uint8_t*>(plaintext.data());
    auto ctn = base64url_decode(jwe.ciphertext_b64, buf);
    if (!ctn) {
        plaintext.clear();
        return ctn.error();
    }
    const std::span<const std::uint8_t> ct(buf, *ctn);
    EVP_CIPHER_CTX* ctx = detail::thread_cipher_ctx();
    int n1 = 0, n2 = 0;

    if (jwe.enc == content_encryption::a256cbc_hs512) {
        if (ct.empty() || ct.size() % 16 != 0) {
            plaintext.clear();
            return error::malformed_token;
        }
        auto* kc = detail::cbc_contexts_for(key);
        if (!kc) {
            plaintext.clear();
            return error::crypto_failure;
        }
        const auto al = detail::aad_length_block(jwe.protected_b64.size());
        std::uint8_t full[64];
        std::size_t full_len = 0;
        if (EVP_MAC_init(kc->mac.get(), nullptr, 0, nullptr) != 1 ||
            EVP_MAC_update(kc->mac.get(), reinterpret_cast<const unsigned char*>(jwe.protected_b64.data()),
                           jwe.protected_b64.size()) != 1 ||
            EVP_MAC_update(kc->mac.get(), iv, 16) != 1 || EVP_MAC_update(kc->mac.get(), ct.data(), ct.size()) != 1 ||
            EVP_MAC_update(kc->mac.get(), al.data(), al.size()) != 1 ||
            EVP_MAC_final(kc->mac.get(), full, &full_len, sizeof full) != 1 || full_len != 64) {
            plaintext.clear();
            return error::crypto_failure;
        }
        const bool ok = CRYPTO_memcmp(full, tag, 32) == 0;
        OPENSSL_cleanse(full, sizeof full);
        if (!ok) {
            plaintext.clear();
            return error::bad_tag;
        }
        if (EVP_DecryptInit_ex2(kc->decrypt.get(), nullptr, nullptr, iv, nullptr) != 1 ||
            EVP_DecryptUpdate(kc->decrypt.get(), buf, &n1, ct.data(), static_cast<int>(ct.size())) != 1 ||
            EVP_DecryptFinal_ex(kc->decrypt.get(), buf + n1, &n2) != 1) {
            // The tag was valid, so only a sender holding the key made this.
            plaintext.clear();
            return error::malformed_token;
        }
    } else {
        if (!ctx || EVP_DecryptInit_ex2(ctx, detail::aes_256_gcm(), key.data(), iv, nullptr) != 1 ||
            EVP_DecryptUpdate(ctx, nullptr, &n1, reinterpret_cast<const unsigned char*>(jwe.protected_b64.data()),
                              static_cast<int>(jwe.protected_b64.size())) != 1 ||
            EVP_DecryptUpdate(ctx, buf, &n1, ct.data(), static_cast<int>(ct.size())) != 1 ||
            EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, 16, tag) != 1) {
            plaintext.clear();
            return error::crypto_failure;
        }
        if (EVP_DecryptFinal_ex(ctx, buf + n1, &n2) != 1) {
            OPENSSL_cleanse(buf, ct.size());
            plaintext.clear();
            return error::bad_tag;
        }
    }
    plaintext.resize(static_cast<std::size_t>(n1 + n2));
    return {};
}

/// Encrypts `plaintext` into a compact JWE with the given protected header
/// (serialized JSON; it must name alg "dir" and the same enc) and a fresh
/// random IV.
inline result<std::string> encrypt(std::string_view protected_header_json, std::string_view plaintext,
                                   content_encryption enc, std::span<const std::uint8_t> key) {
    if (key.size() != key_size(enc)) return error::unsupported_algorithm;
    const std::size_t ivn = iv_size(enc);
    std::uint8_t iv[16];
    if (!crypto::random_bytes(std::span<std::uint8_t>(iv, ivn))) return error::crypto_failure;

    std::string out;
    out.reserve(base64url_encoded_size(protected_header_json.size()) + 2 +
                base64url_encoded_size(ivn) + 1 + base64url_encoded_size(plaintext.size() + 16) + 1 +
                base64url_encoded_size(32));
    base64url_encode(std::span(reinterpret_cast<const std::uint8_t*>(protected_header_json.data()),
                               protected_header_json.size()),
                     out);
    const std::size_t aad_len = out.size();
    out += "..";
    base64url_encode(std::span<const std::uint8_t>(iv, ivn), out);
    out += '.';

    std::string ct(plaintext.size() + 16, '\0');
    auto* ctp = reinterpret_cast<std::uint8_t*>(ct.data());
    const auto* pt = reinterpret_cast<const std::uint8_t*>(plaintext.data());
    EVP_CIPHER_CTX* ctx = detail::thread_cipher_ctx();
    int n1 = 0, n2 = 0;
    std::uint8_t tag[64];
    std::size_t tagn = 0;
    if (enc == content_encryption::a256cbc_hs512) {
        if (!ctx || EVP_EncryptInit_ex2(ctx, detail::aes_256_cbc(), key.data() + 32, iv, nullptr) != 1 ||
            EVP_EncryptUpdate(ctx, ctp, &n1, pt, static_cast<int>(plaintext.size())) != 1 ||
            EVP_EncryptFinal_ex(ctx, ctp + n1, &n2) != 1)
            return error::crypto_failure;
        ct.resize(static_cast<std::size_t>(n1 + n2));
        if (!detail::cbc_hs512_tag(key.first(32), std::string_view(out.data(), aad_len), std::span(iv, 16),
                                   std::span(ctp, ct.size()), tag))
            return error::crypto_failure;
        tagn = 32;
    } else {
        if (!ctx || EVP_EncryptInit_ex2(ctx, detail::aes_256_gcm(), key.data(), iv, nullptr) != 1 ||
            EVP_EncryptUpdate(ctx, nullptr, &n1, reinterpret_cast<const unsigned char*>(out.data()),
                              static_cast<int>(aad_len)) != 1 ||
            EVP_EncryptUpdate(ctx, ctp, &n1, pt, static_cast<int>(plaintext.size())) != 1 ||
            EVP_EncryptFinal_ex(ctx, ctp + n1, &n2) != 1 ||
            EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, 16, tag) != 1)
            return error::crypto_failure;
        ct.resize(static_cast<std::size_t>(n1 + n2));
        tagn = 16;
    }
    base64url_encode(std::span(ctp, ct.size()), out);
    out += '.';
    base64url_encode(std::span<const std::uint8_t>(tag, tagn), out);
    return out;
}

} // namespace authpp::jose
