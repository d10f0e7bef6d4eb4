// authpp/crypto/aes_cbc_hmac.hpp — AES_256_CBC_HMAC_SHA_512 (RFC 7518
// §5.2.5), the authenticated encryption behind the A256CBC-HS512 JWEs that
// Auth.js writes: AES-256-CBC with PKCS#7 padding under the second half of a
// 64-byte key, and as tag the first 32 bytes of HMAC-SHA-512 under the first
// half over AAD ‖ IV ‖ ciphertext ‖ AL (the AAD's length in bits).
//
// This is the cookie hot path: per-thread HMAC and AES contexts stay keyed
// for the last few keys (re-initialising one with a new IV skips the key
// schedule and the HMAC pad blocks, and allocates nothing); servers use one
// key per secret and cookie name, so a few slots cover them all. Nothing is
// decrypted before the tag has been checked, in constant time.
#pragma once

#include <authpp/crypto/constant_time.hpp>
#include <authpp/crypto/detail/openssl.hpp>
#include <authpp/crypto/secure_erase.hpp>
#include <authpp/error.hpp>

#include <openssl/core_names.h>

#include <array>
#include <climits>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>

namespace authpp::crypto {

inline constexpr std::size_t aes_cbc_hs512_key_size = 64;
inline constexpr std::size_t aes_cbc_hs512_iv_size = 16;
inline constexpr std::size_t aes_cbc_hs512_tag_size = 32;

namespace detail {

// Contexts keyed for one 64-byte key.
struct cbc_keyed_contexts {
    std::array<std::uint8_t, aes_cbc_hs512_key_size> key{};
    mac_ctx_ptr mac;
    cipher_ctx_ptr decrypt;

    cbc_keyed_contexts() = default;
    cbc_keyed_contexts(cbc_keyed_contexts&&) = default;
    cbc_keyed_contexts& operator=(cbc_keyed_contexts&&) = default;
    ~cbc_keyed_contexts() { secure_erase(key); }
};

inline cbc_keyed_contexts* cbc_contexts_for(std::span<const std::uint8_t> key) noexcept {
    constexpr std::size_t slots = 8;
    thread_local std::array<cbc_keyed_contexts, slots> cache;
    thread_local std::size_t next = 0;
    for (auto& e : cache)
        if (e.mac && std::memcmp(e.key.data(), key.data(), aes_cbc_hs512_key_size) == 0) return &e;
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
    std::memcpy(e.key.data(), key.data(), aes_cbc_hs512_key_size);
    e.mac = std::move(mac);
    e.decrypt = std::move(dec);
    return &e;
}

// AL: the AAD's length in bits, a 64-bit big-endian number (RFC 7518 §5.2.2.1).
inline std::array<std::uint8_t, 8> aad_length_block(std::size_t aad_bytes) noexcept {
    const std::uint64_t bits = static_cast<std::uint64_t>(aad_bytes) * 8;
    std::array<std::uint8_t, 8> al;
    for (int i = 0; i < 8; ++i) al[i] = static_cast<std::uint8_t>(bits >> (56 - 8 * i));
    return al;
}

// The full HMAC-SHA-512 over AAD ‖ IV ‖ ciphertext ‖ AL; the tag is its first half.
inline bool cbc_hs512_mac(cbc_keyed_contexts& kc, std::string_view aad, std::span<const std::uint8_t> iv,
                          std::span<const std::uint8_t> ct, std::uint8_t (&full)[64]) noexcept {
    const auto al = aad_length_block(aad.size());
    std::size_t len = 0;
    return EVP_MAC_init(kc.mac.get(), nullptr, 0, nullptr) == 1 &&
           EVP_MAC_update(kc.mac.get(), reinterpret_cast<const unsigned char*>(aad.data()), aad.size()) == 1 &&
           EVP_MAC_update(kc.mac.get(), iv.data(), iv.size()) == 1 &&
           EVP_MAC_update(kc.mac.get(), ct.data(), ct.size()) == 1 &&
           EVP_MAC_update(kc.mac.get(), al.data(), al.size()) == 1 &&
           EVP_MAC_final(kc.mac.get(), full, &len, sizeof full) == 1 && len == sizeof full;
}

} // namespace detail

/// The ciphertext size for `plaintext_size` bytes (PKCS#7 always pads).
constexpr std::size_t aes_cbc_hs512_ciphertext_size(std::size_t plaintext_size) noexcept {
    return (plaintext_size / 16 + 1) * 16;
}

/// Encrypts `plaintext` under `key` (64 bytes) and `iv` (16 random bytes)
/// into `out` (room for aes_cbc_hs512_ciphertext_size(plaintext.size())
/// bytes) and writes the 32-byte tag over `aad`. Returns the ciphertext size.
inline result<std::size_t> aes_cbc_hs512_seal(std::span<const std::uint8_t> key, std::span<const std::uint8_t> iv,
                                              std::string_view aad, std::span<const std::uint8_t> plaintext,
                                              std::uint8_t* out,
                                              std::span<std::uint8_t, aes_cbc_hs512_tag_size> tag) noexcept {
    if (key.size() != aes_cbc_hs512_key_size || iv.size() != aes_cbc_hs512_iv_size ||
        plaintext.size() > static_cast<std::size_t>(INT_MAX) - 16)
        return error::crypto_failure;
    auto* kc = detail::cbc_contexts_for(key);
    EVP_CIPHER_CTX* ctx = detail::thread_cipher_ctx();
    int n1 = 0, n2 = 0;
    if (!kc || !ctx || EVP_EncryptInit_ex2(ctx, detail::aes_256_cbc(), key.data() + 32, iv.data(), nullptr) != 1 ||
        EVP_EncryptUpdate(ctx, out, &n1, plaintext.data(), static_cast<int>(plaintext.size())) != 1 ||
        EVP_EncryptFinal_ex(ctx, out + n1, &n2) != 1)
        return error::crypto_failure;
    const std::size_t ct_len = static_cast<std::size_t>(n1 + n2);
    std::uint8_t full[64];
    const bool ok = detail::cbc_hs512_mac(*kc, aad, iv, std::span<const std::uint8_t>(out, ct_len), full);
    std::memcpy(tag.data(), full, tag.size());
    secure_erase(full, sizeof full);
    if (!ok) return error::crypto_failure;
    return ct_len;
}

/// Checks `tag` over `aad`, `iv` and the ciphertext in `buf`, then decrypts
/// `buf` in place; returns the plaintext size. error::bad_tag when the key
/// is wrong or anything was altered (nothing is decrypted then);
/// error::malformed_token for a ciphertext that is not whole blocks, or whose
/// padding is wrong under a valid tag (only a holder of the key makes that).
inline result<std::size_t> aes_cbc_hs512_open(std::span<const std::uint8_t> key, std::span<const std::uint8_t> iv,
                                              std::string_view aad, std::span<std::uint8_t> buf,
                                              std::span<const std::uint8_t, aes_cbc_hs512_tag_size> tag) noexcept {
    if (key.size() != aes_cbc_hs512_key_size || iv.size() != aes_cbc_hs512_iv_size) return error::crypto_failure;
    if (buf.empty() || buf.size() % 16 != 0 || buf.size() > static_cast<std::size_t>(INT_MAX))
        return error::malformed_token;
    auto* kc = detail::cbc_contexts_for(key);
    if (!kc) return error::crypto_failure;
    std::uint8_t full[64];
    if (!detail::cbc_hs512_mac(*kc, aad, iv, buf, full)) return error::crypto_failure;
    const bool ok = constant_time_equals(full, tag.data(), tag.size());
    secure_erase(full, sizeof full);
    if (!ok) return error::bad_tag;
    int n1 = 0, n2 = 0;
    if (EVP_DecryptInit_ex2(kc->decrypt.get(), nullptr, nullptr, iv.data(), nullptr) != 1 ||
        EVP_DecryptUpdate(kc->decrypt.get(), buf.data(), &n1, buf.data(), static_cast<int>(buf.size())) != 1 ||
        EVP_DecryptFinal_ex(kc->decrypt.get(), buf.data() + n1, &n2) != 1) {
        secure_erase(buf);
        return error::malformed_token;
    }
    return static_cast<std::size_t>(n1 + n2);
}

} // namespace authpp::crypto
