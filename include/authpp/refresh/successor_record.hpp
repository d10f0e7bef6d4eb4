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
// Plaintext: the refresh's result itself, {"a": access token, "r": refresh
// token (the rotated one, or the redeemed one when none came back), "i": id
// token (if any), "e": the access token's absolute expiry in Unix ms} — so an
// adopter takes the very tokens and expiry the leader computed, and a record
// adopted 20 s later does not stretch the access token's life by 20 s.
#pragma once

#include <authpp/crypto/aes_gcm.hpp>
#include <authpp/crypto/base64.hpp>
#include <authpp/crypto/hkdf.hpp>
#include <authpp/crypto/random.hpp>
#include <authpp/crypto/secure_erase.hpp>
#include <authpp/error.hpp>
#include <authpp/oauth/refresh.hpp>

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace authpp::refresh {

class successor_sealer {
public:
    static constexpr std::size_t iv_size = crypto::aes_256_gcm_iv_size, tag_size = crypto::aes_256_gcm_tag_size;

    explicit successor_sealer(const std::vector<std::string>& secrets) {
        for (const auto& s : secrets) {
            key k{};
            if (!crypto::hkdf_sha256(s, "authpp refresh successor", "authpp refresh successor record key (A256GCM)", k))
                keys_.push_back(k);
        }
    }
    successor_sealer(const successor_sealer&) = delete;
    successor_sealer& operator=(const successor_sealer&) = delete;
    ~successor_sealer() {
        for (auto& k : keys_) crypto::secure_erase(k);
    }

    /// The record for a successful refresh, or nullopt when sealing failed
    /// (no secret, no access token).
    std::optional<std::string> seal(std::string_view token_key, const oauth::refreshed_tokens& t) const {
        if (keys_.empty() || t.access_token.empty()) return std::nullopt;
        boost::json::object rec;
        rec["a"] = t.access_token;
        rec["r"] = t.refresh_token;
        if (t.id_token) rec["i"] = *t.id_token;
        rec["e"] = t.access_token_expires;
        std::string plain = boost::json::serialize(rec);
        auto out = encrypt(keys_.front(), token_key, plain);
        crypto::secure_erase(plain);
        return out;
    }

    /// The refresh result a record stands for, or nullopt when it does not
    /// open under any secret (tampered, another key's, another deployment's,
    /// truncated) or holds no token set.
    std::optional<oauth::refreshed_tokens> open(std::string_view token_key, std::string_view record) const {
        auto raw = crypto::base64url_decode(record);
        if (!raw || raw->size() < iv_size + tag_size) return std::nullopt;
        for (const auto& k : keys_) {
            std::string plain;
            if (!decrypt(k, token_key, *raw, plain)) continue;
            auto t = to_tokens(plain);
            crypto::secure_erase(plain);
            return t;
        }
        return std::nullopt;
    }

private:
    using key = std::array<std::uint8_t, 32>;

    static std::optional<oauth::refreshed_tokens> to_tokens(std::string_view plain) {
        error_code ec;
        auto v = boost::json::parse(plain, ec);
        if (ec || !v.is_object()) return std::nullopt;
        const auto& rec = v.get_object();
        const auto* a = rec.if_contains("a");
        const auto* r = rec.if_contains("r");
        const auto* i = rec.if_contains("i");
        const auto* e = rec.if_contains("e");
        if (!a || !a->is_string() || a->get_string().empty() || !r || !r->is_string() || !e || !e->is_int64() ||
            (i && !i->is_string()))
            return std::nullopt;
        oauth::refreshed_tokens t;
        t.access_token = std::string(a->get_string());
        t.refresh_token = std::string(r->get_string());
        if (i) t.id_token = std::string(i->get_string());
        t.access_token_expires = e->get_int64();
        return t;
    }

    static std::optional<std::string> encrypt(const key& k, std::string_view aad, std::string_view plain) {
        std::string raw(iv_size + plain.size() + tag_size, '\0');
        auto* p = reinterpret_cast<std::uint8_t*>(raw.data());
        const std::span<std::uint8_t> iv(p, iv_size);
        const std::span<const std::uint8_t> pt(reinterpret_cast<const std::uint8_t*>(plain.data()), plain.size());
        if (!crypto::random_bytes(iv) ||
            crypto::aes_256_gcm_seal(k, iv, aad, pt, p + iv_size,
                                     std::span<std::uint8_t, tag_size>(p + iv_size + plain.size(), tag_size)))
            return std::nullopt;
        return crypto::base64url_encode(std::string_view(raw));
    }

    static bool decrypt(const key& k, std::string_view aad, const std::string& raw, std::string& plain) {
        const auto* p = reinterpret_cast<const std::uint8_t*>(raw.data());
        const std::size_t len = raw.size() - iv_size - tag_size;
        plain.assign(len, '\0');
        if (crypto::aes_256_gcm_open(k, std::span(p, iv_size), aad, std::span(p + iv_size, len),
                                     reinterpret_cast<std::uint8_t*>(plain.data()),
                                     std::span<const std::uint8_t, tag_size>(p + iv_size + len, tag_size))) {
            plain.clear();
            return false;
        }
        return true;
    }

    std::vector<key> keys_;
};

} // namespace authpp::refresh
