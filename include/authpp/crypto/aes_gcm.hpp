// authpp/crypto/aes_gcm.hpp — AES-256-GCM with additional data: what the
// A256GCM JWE content encryption (RFC 7518 §5.3) and the sealed successor
// records use. The tag check is OpenSSL's own, in constant time.
#pragma once

#include <authpp/crypto/detail/openssl.hpp>
#include <authpp/crypto/secure_erase.hpp>
#include <authpp/error.hpp>

#include <climits>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace authpp::crypto {

inline constexpr std::size_t aes_256_gcm_key_size = 32;
inline constexpr std::size_t aes_256_gcm_iv_size = 12;
inline constexpr std::size_t aes_256_gcm_tag_size = 16;

namespace detail {

inline const unsigned char* bytes_of(std::string_view s) noexcept {
    return reinterpret_cast<const unsigned char*>(s.data());
}

inline bool gcm_sizes_ok(std::span<const std::uint8_t> key, std::span<const std::uint8_t> iv, std::string_view aad,
                         std::size_t n) noexcept {
    return key.size() == aes_256_gcm_key_size && iv.size() == aes_256_gcm_iv_size &&
           aad.size() <= static_cast<std::size_t>(INT_MAX) && n <= static_cast<std::size_t>(INT_MAX);
}

} // namespace detail

/// Encrypts `plaintext` under `key` (32 bytes) and `iv` (12 bytes, never
/// reused with that key) into `out` (plaintext.size() bytes; it may be the
/// plaintext itself) and writes the 16-byte tag over `aad` and the result.
inline error_code aes_256_gcm_seal(std::span<const std::uint8_t> key, std::span<const std::uint8_t> iv,
                                   std::string_view aad, std::span<const std::uint8_t> plaintext, std::uint8_t* out,
                                   std::span<std::uint8_t, aes_256_gcm_tag_size> tag) noexcept {
    if (!detail::gcm_sizes_ok(key, iv, aad, plaintext.size())) return error::crypto_failure;
    EVP_CIPHER_CTX* ctx = detail::thread_cipher_ctx();
    int n = 0, m = 0;
    const bool ok =
        ctx && EVP_EncryptInit_ex2(ctx, detail::aes_256_gcm(), key.data(), iv.data(), nullptr) == 1 &&
        EVP_EncryptUpdate(ctx, nullptr, &n, detail::bytes_of(aad), static_cast<int>(aad.size())) == 1 &&
        EVP_EncryptUpdate(ctx, out, &n, plaintext.data(), static_cast<int>(plaintext.size())) == 1 &&
        EVP_EncryptFinal_ex(ctx, out + n, &m) == 1 &&
        EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, static_cast<int>(tag.size()), tag.data()) == 1;
    return ok ? error_code{} : make_error_code(error::crypto_failure);
}

/// Authenticates `ciphertext` and `aad` against `tag` and decrypts into
/// `out` (ciphertext.size() bytes; it may be the ciphertext itself).
/// error::bad_tag when the key is wrong or anything was altered; `out` is
/// then erased.
inline error_code aes_256_gcm_open(std::span<const std::uint8_t> key, std::span<const std::uint8_t> iv,
                                   std::string_view aad, std::span<const std::uint8_t> ciphertext, std::uint8_t* out,
                                   std::span<const std::uint8_t, aes_256_gcm_tag_size> tag) noexcept {
    if (!detail::gcm_sizes_ok(key, iv, aad, ciphertext.size())) return error::crypto_failure;
    EVP_CIPHER_CTX* ctx = detail::thread_cipher_ctx();
    int n = 0, m = 0;
    if (!ctx || EVP_DecryptInit_ex2(ctx, detail::aes_256_gcm(), key.data(), iv.data(), nullptr) != 1 ||
        EVP_DecryptUpdate(ctx, nullptr, &n, detail::bytes_of(aad), static_cast<int>(aad.size())) != 1 ||
        EVP_DecryptUpdate(ctx, out, &n, ciphertext.data(), static_cast<int>(ciphertext.size())) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, static_cast<int>(tag.size()),
                            const_cast<std::uint8_t*>(tag.data())) != 1)
        return error::crypto_failure;
    if (EVP_DecryptFinal_ex(ctx, out + n, &m) != 1) {
        secure_erase(out, ciphertext.size());
        return error::bad_tag;
    }
    return {};
}

} // namespace authpp::crypto
