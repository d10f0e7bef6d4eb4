// authpp/crypto/detail/openssl.hpp — owning handles for OpenSSL 3 EVP objects,
// fetched algorithms and per-thread reusable contexts.
//
// Algorithms are fetched once per process (an implicit fetch on every init is
// a measurable cost on the cookie hot path). Contexts are per thread so the
// decode path never takes a lock shared across requests.
#pragma once

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <memory>

namespace authpp::crypto::detail {

struct cipher_ctx_deleter {
    void operator()(EVP_CIPHER_CTX* p) const noexcept { EVP_CIPHER_CTX_free(p); }
};
struct md_ctx_deleter {
    void operator()(EVP_MD_CTX* p) const noexcept { EVP_MD_CTX_free(p); }
};
struct mac_ctx_deleter {
    void operator()(EVP_MAC_CTX* p) const noexcept { EVP_MAC_CTX_free(p); }
};
using cipher_ctx_ptr = std::unique_ptr<EVP_CIPHER_CTX, cipher_ctx_deleter>;
using md_ctx_ptr = std::unique_ptr<EVP_MD_CTX, md_ctx_deleter>;
using mac_ctx_ptr = std::unique_ptr<EVP_MAC_CTX, mac_ctx_deleter>;

// Fetched once and kept for the life of the process on purpose: freeing them
// from a static destructor could run after OpenSSL's own atexit clean-up.
inline const EVP_CIPHER* aes_256_cbc() noexcept {
    static const EVP_CIPHER* c = EVP_CIPHER_fetch(nullptr, "AES-256-CBC", nullptr);
    return c;
}
inline const EVP_CIPHER* aes_256_gcm() noexcept {
    static const EVP_CIPHER* c = EVP_CIPHER_fetch(nullptr, "AES-256-GCM", nullptr);
    return c;
}
inline const EVP_MD* sha256() noexcept {
    static const EVP_MD* m = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    return m;
}
inline const EVP_MD* sha512() noexcept {
    static const EVP_MD* m = EVP_MD_fetch(nullptr, "SHA512", nullptr);
    return m;
}
inline EVP_MAC* hmac() noexcept {
    static EVP_MAC* m = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
    return m;
}

/// This thread's cipher context, reset and reused by every JWE operation.
inline EVP_CIPHER_CTX* thread_cipher_ctx() noexcept {
    thread_local cipher_ctx_ptr ctx{EVP_CIPHER_CTX_new()};
    return ctx.get();
}

/// This thread's digest context.
inline EVP_MD_CTX* thread_md_ctx() noexcept {
    thread_local md_ctx_ptr ctx{EVP_MD_CTX_new()};
    return ctx.get();
}

} // namespace authpp::crypto::detail
