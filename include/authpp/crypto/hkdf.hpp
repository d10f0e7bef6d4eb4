// authpp/crypto/hkdf.hpp — HKDF-SHA256 (RFC 5869) through OpenSSL 3's EVP_KDF.
#pragma once

#include <authpp/error.hpp>

#include <openssl/core_names.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

#include <cstdint>
#include <span>
#include <string_view>

namespace authpp::crypto {

/// Derives `out.size()` bytes of key from `secret` with HKDF-SHA256
/// (extract with `salt`, expand with `info`). Auth.js derives its cookie key
/// this way with salt = cookie name and info = "Auth.js Generated Encryption
/// Key (<salt>)".
inline error_code hkdf_sha256(std::string_view secret, std::string_view salt, std::string_view info,
                              std::span<std::uint8_t> out) noexcept {
    EVP_KDF* kdf = EVP_KDF_fetch(nullptr, "HKDF", nullptr);
    if (!kdf) return error::crypto_failure;
    EVP_KDF_CTX* ctx = EVP_KDF_CTX_new(kdf);
    EVP_KDF_free(kdf);
    if (!ctx) return error::crypto_failure;
    char digest[] = "SHA256";
    // OSSL_PARAM wants non-const pointers; OpenSSL only reads these buffers.
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, const_cast<char*>(secret.data()), secret.size()),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, const_cast<char*>(salt.data()), salt.size()),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, const_cast<char*>(info.data()), info.size()),
        OSSL_PARAM_construct_end(),
    };
    const int ok = EVP_KDF_derive(ctx, out.data(), out.size(), params);
    EVP_KDF_CTX_free(ctx);
    return ok == 1 ? error_code{} : make_error_code(error::crypto_failure);
}

} // namespace authpp::crypto
