// authpp/refresh/successor_record.hpp — "refresh token X was redeemed; these
// are the tokens it became", sealed for the shared store.
//
// A request that still carries the old cookie (it was in flight while another
// request or process refreshed, or its browser had not yet stored the new
// cookie) must adopt the new tokens: redeeming X again would be refused by a
// provider with rotation, and oidc-provider then revokes the whole grant.
//
// The record holds live tokens, so it is encrypted at rest: AES-256-GCM under
// a key HKDF-derived from each secret (the first seals; any opens, as secret
// rotation needs), with the token key as additional data so that a record
// copied to another key does not open. Layout, base64url:
//   iv (12) || ciphertext || tag (16)
// Plaintext: {"b": {access_token, refresh_token?, id_token?, token_type?,
// scope?}, "x": absolute expiry in Unix ms, if the answer had expires_in}.
// The expiry is absolute so that a record adopted 20 s later does not
// stretch the access token's life by 20 s.
#pragma once

#include <authpp/detail/time_arith.hpp>
#include <authpp/http/message.hpp>
#include <authpp/jose/base64url.hpp>
#include <authpp/jose/detail/openssl.hpp>
#include <authpp/jose/hkdf.hpp>

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace authpp::refresh {

class successor_sealer {
public:
    static constexpr std::size_t iv_size = 12, tag_size = 16;

    explicit successor_sealer(const std::vector<std::string>& secrets) {
        for (const auto& s : secrets) {
            key k{};
            if (!jose::hkdf_sha256(s, "authpp refresh successor", "authpp refresh successor record key (A256GCM)", k))
                keys_.push_back(k);
        }
    }
    successor_sealer(const successor_sealer&) = delete;
    successor_sealer& operator=(const successor_sealer&) = delete;
    ~successor_sealer() {
        for (auto& k : keys_) OPENSSL_cleanse(k.data(), k.size());
    }

    /// The record for a successful token endpoint answer received at
    /// `now_ms`, or nullopt when the answer has no access token (nothing to
    /// adopt) or sealing failed.
    std::optional<std::string> seal(std::string_view token_key, const http::response& resp, std::int64_t now_ms) const {
        if (keys_.empty()) return std::nullopt;
        error_code ec;
        auto v = boost::json::parse(resp.body, ec);
        if (ec || !v.is_object()) return std::nullopt;
        const auto& in = v.get_object();
        const auto* at = in.if_contains("access_token");
        if (!at || !at->is_string() || at->get_string().empty()) return std::nullopt;
        boost::json::object body;
        for (const char* f : {"access_token", "refresh_token", "id_token", "token_type", "scope"})
            if (const auto* x = in.if_contains(f); x && x->is_string()) body[f] = *x;
        boost::json::object rec;
        rec["b"] = std::move(body);
        if (const auto* e = in.if_contains("expires_in"); e && e->is_number()) {
            const double s = e->to_number<double>();
            if (s > 0 && s < 1e10) rec["x"] = authpp::detail::saturating_add(now_ms, static_cast<std::int64_t>(s * 1000));
        }
        std::string plain = boost::json::serialize(rec);
        auto out = encrypt(keys_.front(), token_key, plain);
        OPENSSL_cleanse(plain.data(), plain.size());
        return out;
    }

    /// The token endpoint answer a record stands for, as of `now_ms`, or
    /// nullopt when it does not open under any secret (tampered, another
    /// key's, another deployment's, truncated).
    std::optional<http::response> open(std::string_view token_key, std::string_view record, std::int64_t now_ms) const {
        auto raw = jose::base64url_decode(record);
        if (!raw || raw->size() < iv_size + tag_size) return std::nullopt;
        for (const auto& k : keys_) {
            std::string plain;
            if (!decrypt(k, token_key, *raw, plain)) continue;
            auto resp = to_response(plain, now_ms);
            OPENSSL_cleanse(plain.data(), plain.size());
            return resp;
        }
        return std::nullopt;
    }

private:
    using key = std::array<std::uint8_t, 32>;

    static std::optional<http::response> to_response(std::string_view plain, std::int64_t now_ms) {
        error_code ec;
        auto v = boost::json::parse(plain, ec);
        if (ec || !v.is_object()) return std::nullopt;
        auto& rec = v.get_object();
        auto* b = rec.if_contains("b");
        if (!b || !b->is_object()) return std::nullopt;
        auto body = b->get_object();
        if (const auto* x = rec.if_contains("x"); x && x->is_int64()) {
            const std::int64_t left = x->get_int64() - now_ms;
            // Already expired: 0 would read as "no expires_in"; one second is
            // as good as expired to the refresh buffer.
            body["expires_in"] = left > 1000 ? static_cast<double>(left) / 1000.0 : 1.0;
        }
        http::response r;
        r.status = 200;
        r.headers.emplace_back("Content-Type", "application/json");
        r.body = boost::json::serialize(body);
        return r;
    }

    static std::optional<std::string> encrypt(const key& k, std::string_view aad, std::string_view plain) {
        std::string raw(iv_size + plain.size() + tag_size, '\0');
        auto* p = reinterpret_cast<unsigned char*>(raw.data());
        if (RAND_bytes(p, static_cast<int>(iv_size)) != 1) return std::nullopt;
        EVP_CIPHER_CTX* ctx = jose::detail::thread_cipher_ctx();
        int n = 0, m = 0;
        if (!ctx || EVP_EncryptInit_ex2(ctx, jose::detail::aes_256_gcm(), k.data(), p, nullptr) != 1 ||
            EVP_EncryptUpdate(ctx, nullptr, &n, reinterpret_cast<const unsigned char*>(aad.data()),
                              static_cast<int>(aad.size())) != 1 ||
            EVP_EncryptUpdate(ctx, p + iv_size, &n, reinterpret_cast<const unsigned char*>(plain.data()),
                              static_cast<int>(plain.size())) != 1 ||
            EVP_EncryptFinal_ex(ctx, p + iv_size + n, &m) != 1 ||
            EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, static_cast<int>(tag_size), p + iv_size + plain.size()) != 1)
            return std::nullopt;
        return jose::base64url_encode(std::string_view(raw));
    }

    static bool decrypt(const key& k, std::string_view aad, const std::string& raw, std::string& plain) {
        const auto* p = reinterpret_cast<const unsigned char*>(raw.data());
        const std::size_t len = raw.size() - iv_size - tag_size;
        plain.assign(len, '\0');
        auto* out = reinterpret_cast<unsigned char*>(plain.data());
        EVP_CIPHER_CTX* ctx = jose::detail::thread_cipher_ctx();
        int n = 0, m = 0;
        // The tag check in EVP_DecryptFinal_ex is OpenSSL's constant-time one.
        const bool ok =
            ctx && EVP_DecryptInit_ex2(ctx, jose::detail::aes_256_gcm(), k.data(), p, nullptr) == 1 &&
            EVP_DecryptUpdate(ctx, nullptr, &n, reinterpret_cast<const unsigned char*>(aad.data()),
                              static_cast<int>(aad.size())) == 1 &&
            EVP_DecryptUpdate(ctx, out, &n, p + iv_size, static_cast<int>(len)) == 1 &&
            EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, static_cast<int>(tag_size),
                                const_cast<unsigned char*>(p + iv_size + len)) == 1 &&
            EVP_DecryptFinal_ex(ctx, out + n, &m) == 1;
        if (!ok) {
            OPENSSL_cleanse(plain.data(), plain.size());
            plain.clear();
        }
        return ok;
    }

    std::vector<key> keys_;
};

} // namespace authpp::refresh
