// authpp/codec/authjs_codec.hpp — the Auth.js session token codec, the first
// CookieCodec model.
//
// Byte-compatible with @auth/core's jwt.ts: a JWE with alg "dir" and enc
// A256CBC-HS512 whose key is HKDF-SHA256(secret, salt = cookie name,
// info = "Auth.js Generated Encryption Key (<salt>)", 64 bytes), a protected
// header {"alg","enc","kid"} with kid = RFC 7638 thumbprint of that key, and
// claims plus iat, exp = now + maxAge and a random jti. Decoding also accepts
// A256GCM (32-byte key), applies 15 s of clock tolerance to exp and nbf, and
// picks the secret by kid (or tries each when the token has none).
//
// Keys are derived when the codec is built, for each secret and each salt it
// is given (by default both session cookie names), so no request ever runs
// HKDF. The codec is immutable after construction: encode and decode are
// const and safe to call from any number of threads without locking.
#pragma once

#include <authpp/constants.hpp>
#include <authpp/crypto/hex.hpp>
#include <authpp/crypto/random.hpp>
#include <authpp/detail/time_arith.hpp>
#include <authpp/error.hpp>
#include <authpp/crypto/hkdf.hpp>
#include <authpp/crypto/secure_erase.hpp>
#include <authpp/jose/jwe.hpp>
#include <authpp/jose/jwk_thumbprint.hpp>

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <array>
#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace authpp {

/// Limit on an encoded token accepted by decode (chunked cookies included).
inline constexpr std::size_t max_token_size = 256 * 1024;

class authjs_codec {
public:
    using content_encryption = jose::content_encryption;

    /// A key derived from one secret for one salt and one content encryption.
    struct derived_key {
        std::string salt;
        content_encryption enc;
        std::size_t secret_index; ///< position in the secret list
        std::array<std::uint8_t, 64> bytes{};
        std::string kid;
        std::string header_b64; ///< the protected header this key writes, base64url

        std::span<const std::uint8_t> key() const noexcept { return {bytes.data(), jose::key_size(enc)}; }
    };

    /// Derives keys for every secret and every salt. Throws std::runtime_error
    /// only if OpenSSL cannot derive a key (a broken installation).
    explicit authjs_codec(std::vector<std::string> secrets,
                          std::initializer_list<std::string_view> salts = {session_cookie_name,
                                                                           secure_session_cookie_name})
        : secrets_(std::move(secrets)) {
        for (auto salt : salts) add_salt(salt);
    }

    authjs_codec(const authjs_codec&) = default;
    authjs_codec(authjs_codec&&) noexcept = default;
    authjs_codec& operator=(const authjs_codec&) = default;
    authjs_codec& operator=(authjs_codec&&) noexcept = default;
    ~authjs_codec() {
        for (auto& k : keys_) crypto::secure_erase(k.bytes);
        for (auto& s : secrets_) crypto::secure_erase(s);
    }

    /// Precomputes the keys for another cookie name (salt). Not thread-safe:
    /// call it before sharing the codec.
    void add_salt(std::string_view salt) {
        for (std::size_t i = 0; i < secrets_.size(); ++i) {
            for (auto enc : {content_encryption::a256cbc_hs512, content_encryption::a256gcm}) {
                auto k = derive(secrets_[i], salt, enc, i);
                if (!k) throw std::runtime_error("authpp: cannot derive the cookie key: " + k.error().message());
                keys_.push_back(std::move(*k));
            }
        }
    }

    bool has_secret() const noexcept { return !secrets_.empty(); }
    std::size_t secret_count() const noexcept { return secrets_.size(); }

    /// Encrypts `claims` plus iat = now, exp = now + max_age and a fresh jti
    /// with the first secret, as @auth/core's encode() does. Claims the caller
    /// already set keep their position; iat, exp and jti are overwritten.
    result<std::string> encode(const boost::json::object& claims, std::string_view salt, std::int64_t max_age,
                               std::int64_t now,
                               content_encryption enc = content_encryption::a256cbc_hs512) const {
        if (secrets_.empty()) return error::no_secret;
        const auto exp = authpp::detail::checked_add(now, max_age);
        if (!exp) return error::time_out_of_range;
        derived_key scratch;
        const derived_key* key = find_key(salt, enc, 0);
        if (!key) {
            auto k = derive(secrets_[0], salt, enc, 0);
            if (!k) return k.error();
            scratch = std::move(*k);
            key = &scratch;
        }
        boost::json::object payload = claims;
        payload.insert_or_assign("iat", now);
        payload.insert_or_assign("exp", *exp);
        auto jti = random_uuid();
        if (!jti) return jti.error();
        payload.insert_or_assign("jti", *jti);
        for (auto& kv : payload) nonfinite_to_null(kv.value());

        auto token = jose::encrypt(protected_header(enc, key->kid), boost::json::serialize(payload), enc, key->key());
        if (key == &scratch) crypto::secure_erase(scratch.bytes);
        return token;
    }

    /// Authenticates and decrypts `token` into its claims JSON text (not yet
    /// parsed or checked). The hot path uses this to parse straight into its
    /// own type; most callers want decode().
    error_code decrypt(std::string_view token, std::string_view salt, std::string& plaintext) const {
        plaintext.clear();
        if (secrets_.empty()) return error::no_secret;
        if (token.empty()) return error::malformed_token;
        if (token.size() > max_token_size) return error::oversized;
        // Fast path: a token this codec's own key could have written starts
        // with exactly that key's header, so the header needs no JSON parse.
        for (const auto& k : keys_) {
            const auto& h = k.header_b64;
            if (token.size() > h.size() && token[h.size()] == '.' && token.starts_with(h) && k.salt == salt) {
                auto jwe = jose::split_compact(token, k.enc);
                if (!jwe) return jwe.error();
                return jose::decrypt(*jwe, k.key(), plaintext);
            }
        }
        auto jwe = jose::parse_compact(token);
        if (!jwe) return jwe.error();

        if (jwe->has_kid) {
            if (jwe->kid_too_long) return error::unknown_kid;
            for (const auto& k : keys_)
                if (k.enc == jwe->enc && k.salt == salt && k.kid == jwe->kid())
                    return jose::decrypt(*jwe, k.key(), plaintext);
            if (has_salt(salt)) return error::unknown_kid;
        }
        // No kid (or a salt we hold no keys for): try each secret in order.
        error_code last = error::bad_tag;
        for (std::size_t i = 0; i < secrets_.size(); ++i) {
            derived_key scratch;
            const derived_key* key = find_key(salt, jwe->enc, i);
            if (!key) {
                auto k = derive(secrets_[i], salt, jwe->enc, i);
                if (!k) return k.error();
                scratch = std::move(*k);
                key = &scratch;
                if (jwe->has_kid && scratch.kid != jwe->kid()) continue;
            }
            last = jose::decrypt(*jwe, key->key(), plaintext);
            if (!last) return {};
            if (last != error::bad_tag) return last;
        }
        return jwe->has_kid ? make_error_code(error::unknown_kid) : last;
    }

    /// Decodes a session token: authenticate, decrypt, parse the claims and
    /// check exp / nbf (15 s tolerance) against `now` (Unix seconds).
    result<boost::json::object> decode(std::string_view token, std::string_view salt, std::int64_t now) const {
        std::string plaintext;
        if (auto ec = decrypt(token, salt, plaintext)) return ec;
        error_code ec;
        boost::json::parse_options po;
        po.max_depth = max_claims_depth;
        auto v = boost::json::parse(plaintext, ec, {}, po);
        crypto::secure_erase(plaintext);
        if (ec || !v.is_object()) return error::malformed_payload;
        if (auto cec = check_claims(v.get_object(), now)) return cec;
        return std::move(v.get_object());
    }

    /// jose's JWT claim checks as Auth.js configures them: exp, nbf and iat
    /// must be numbers when present; exp must not be more than 15 s past and
    /// nbf not more than 15 s ahead.
    static error_code check_claims(const boost::json::object& claims, std::int64_t now) noexcept {
        auto number = [&](std::string_view name, double& out) -> int {
            const auto* v = claims.if_contains(name);
            if (!v) return 0;
            if (v->is_int64()) out = static_cast<double>(v->get_int64());
            else if (v->is_uint64()) out = static_cast<double>(v->get_uint64());
            else if (v->is_double()) out = v->get_double();
            else return -1;
            return 1;
        };
        double exp = 0, nbf = 0, iat = 0;
        const int has_exp = number("exp", exp), has_nbf = number("nbf", nbf), has_iat = number("iat", iat);
        if (has_exp < 0 || has_nbf < 0 || has_iat < 0) return error::bad_claim;
        const double t = static_cast<double>(now);
        if (has_exp && exp <= t - clock_tolerance) return error::expired;
        if (has_nbf && nbf > t + clock_tolerance) return error::not_yet_valid;
        return {};
    }

private:
    // JSON has no Infinity or NaN (a claim like 1e400 parses as Infinity), and
    // Boost.JSON would write them as bare `Infinity`, which no JSON parser
    // reads back: write null instead, as JSON.stringify in Auth.js does.
    static void nonfinite_to_null(boost::json::value& v) {
        if (v.is_double()) {
            if (!std::isfinite(v.get_double())) v = nullptr;
        } else if (v.is_array()) {
            for (auto& e : v.get_array()) nonfinite_to_null(e);
        } else if (v.is_object()) {
            for (auto& kv : v.get_object()) nonfinite_to_null(kv.value());
        }
    }

    // The header @auth/core writes (jose serialises alg, enc, kid in this order).
    static std::string protected_header(content_encryption enc, std::string_view kid) {
        std::string h = R"({"alg":"dir","enc":")";
        h.append(jose::to_string(enc)).append(R"(","kid":")").append(kid).append("\"}");
        return h;
    }

    static result<derived_key> derive(std::string_view secret, std::string_view salt, content_encryption enc,
                                      std::size_t index) {
        derived_key k;
        k.salt.assign(salt);
        k.enc = enc;
        k.secret_index = index;
        std::string info = "Auth.js Generated Encryption Key (";
        info.append(salt).append(")");
        if (auto ec = crypto::hkdf_sha256(secret, salt, info, std::span(k.bytes.data(), jose::key_size(enc))))
            return ec;
        auto kid = jose::oct_jwk_thumbprint(k.key());
        if (!kid) return kid.error();
        k.kid = std::move(*kid);
        k.header_b64 = crypto::base64url_encode(protected_header(enc, k.kid));
        return k;
    }

    const derived_key* find_key(std::string_view salt, content_encryption enc, std::size_t index) const noexcept {
        for (const auto& k : keys_)
            if (k.secret_index == index && k.enc == enc && k.salt == salt) return &k;
        return nullptr;
    }

    bool has_salt(std::string_view salt) const noexcept {
        for (const auto& k : keys_)
            if (k.salt == salt) return true;
        return false;
    }

    static result<std::string> random_uuid() {
        std::uint8_t b[16];
        if (!crypto::random_bytes(b)) return error::crypto_failure;
        b[6] = static_cast<std::uint8_t>((b[6] & 0x0f) | 0x40);
        b[8] = static_cast<std::uint8_t>((b[8] & 0x3f) | 0x80);
        const std::span<const std::uint8_t> u(b);
        std::string s;
        s.reserve(36);
        crypto::append_hex(s, u.subspan(0, 4));
        for (std::size_t at : {4, 6, 8, 10}) {
            s += '-';
            crypto::append_hex(s, u.subspan(at, at == 10 ? 6 : 2));
        }
        return s;
    }

    std::vector<std::string> secrets_;
    std::vector<derived_key> keys_;
};

} // namespace authpp
