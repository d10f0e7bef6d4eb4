// authpp/codec/database_codec.hpp — the database session strategy as a
// CookieCodec: the cookie carries only an opaque session id, the session
// token lives in the Store.
//
// The Auth.js refresh guide's second strategy. encode() writes the token to
// the store and returns the id; decrypt() reads it back. Because it is a
// codec, every path that writes or reads a session cookie (requests,
// GET /session, refresh, sign-in, the middleware) uses the store without
// knowing it.
//
//   cookie value  = session id: 32 random bytes, base64url (43 characters)
//   store key     = <prefix>session:<base64url(SHA-256(id))>  (the store never sees the id itself)
//   store value   = the token claims as an Auth.js JWE (A256CBC-HS512, key from
//                   the secret, salt "authpp.database-session"): encrypted at rest
//   store TTL     = the session's max age, renewed whenever the cookie is re-issued
//
// The id survives re-encoding (refresh, update, rolling expiry) through the
// `authpp_sid` claim; a sign-in starts a token without it, so every sign-in
// gets a new id (no session fixation). Sign-out erases the record
// (end_session). Sign-out everywhere bumps the user's generation
// (<prefix>user:<base64url(SHA-256(sub))>): each record remembers the
// generation it was written under, and a record of an older generation — or
// whose generation record is gone — is refused as session_revoked.
//
// Costs: decrypt is two store reads (record, generation); encode one write
// plus a generation read or lease renewal. With memory_store that is a few
// hundred nanoseconds; with Redis two or three round trips.
#pragma once

#include <authpp/codec/authjs_codec.hpp>
#include <authpp/concepts/store.hpp>
#include <authpp/error.hpp>
#include <authpp/jose/base64url.hpp>
#include <authpp/jose/sha256.hpp>

#include <boost/json/parse.hpp>

#include <openssl/rand.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace authpp {

struct database_session_options {
    std::string key_prefix = "authpp:";
    /// How long a user's generation record lives after its last use; keep it
    /// at least the session max age (a lost generation revokes the sessions).
    std::chrono::seconds generation_ttl{365 * 24 * 60 * 60};
};

template <Store S>
class database_codec {
public:
    static constexpr std::string_view record_salt = "authpp.database-session";
    static constexpr std::string_view sid_claim = "authpp_sid";
    static constexpr std::string_view generation_claim = "authpp_gen";
    static constexpr std::size_t id_size = 43; ///< base64url of 32 bytes

    /// The CookieCodec form: a default-constructed store (memory_store: one
    /// process's memory).
    explicit database_codec(std::vector<std::string> secrets)
        requires std::default_initializable<S>
        : database_codec(std::move(secrets), S{}) {}

    database_codec(std::vector<std::string> secrets, S store, database_session_options o = {})
        : records_(std::move(secrets), {record_salt}), store_(std::move(store)), o_(std::move(o)) {}

    const S& store() const noexcept { return store_; }
    /// The JWE codec under the records, for cookies that stay JWEs whatever
    /// the strategy (the sign-in check cookies: state, PKCE verifier, nonce).
    const authjs_codec& jwe() const noexcept { return records_; }

    /// Stores the claims and returns the cookie value (the session id).
    result<std::string> encode(const boost::json::object& claims, std::string_view /*salt*/, std::int64_t max_age,
                               std::int64_t now) const {
        if (!records_.has_secret()) return error::no_secret;
        if (max_age <= 0) return error::invalid_option;
        boost::json::object rec = claims;
        std::string id;
        if (const auto* s = rec.if_contains(sid_claim); s && s->is_string() && valid_id(s->get_string()))
            id = std::string(s->get_string());
        else {
            auto fresh = random_id();
            if (!fresh) return fresh.error();
            id = std::move(*fresh);
            rec.insert_or_assign(sid_claim, id);
        }
        const auto* sub = rec.if_contains("sub");
        if (!sub || !sub->is_string()) return error::malformed_payload;
        auto gen = generation_for(sub->get_string(), rec);
        if (!gen) return gen.error();
        rec.insert_or_assign(generation_claim, *gen);

        auto sealed = records_.encode(rec, record_salt, max_age, now);
        if (!sealed) return sealed.error();
        if (!store_.set(record_key(id), *sealed, std::chrono::seconds(max_age))) return error::store_unavailable;
        return id;
    }

    /// The claims JSON of the session the id names.
    error_code decrypt(std::string_view id, std::string_view /*salt*/, std::string& json) const {
        json.clear();
        if (!valid_id(id)) return error::malformed_token;
        auto sealed = store_.get(record_key(id));
        if (!sealed) return error::session_not_found;
        if (auto ec = records_.decrypt(*sealed, record_salt, json)) return ec;
        error_code pec;
        auto v = boost::json::parse(json, pec);
        if (pec || !v.is_object()) return error::malformed_payload;
        const auto& o = v.get_object();
        const auto* sub = o.if_contains("sub");
        const auto* gen = o.if_contains(generation_claim);
        const auto* sid = o.if_contains(sid_claim);
        // The record must be the one the id names (a copied record is refused).
        if (!sub || !sub->is_string() || !gen || !gen->is_string() || !sid || !sid->is_string() ||
            sid->get_string() != id)
            return error::malformed_payload;
        auto current = store_.get(user_key(sub->get_string()));
        if (!current || *current != gen->get_string()) return error::session_revoked;
        return {};
    }

    static error_code check_claims(const boost::json::object& claims, std::int64_t now) noexcept {
        return authjs_codec::check_claims(claims, now);
    }

    /// Sign-out: forgets the session a cookie value names. True when a
    /// session was removed.
    bool end_session(std::string_view id) const {
        return valid_id(id) && store_.erase(record_key(id));
    }

    /// Sign-out everywhere: every session of `sub` written before this call
    /// is refused from now on. False when the store could not be written.
    bool end_all_sessions(std::string_view sub) const {
        auto gen = random_id();
        return gen && store_.set(user_key(sub), *gen, o_.generation_ttl);
    }

private:
    static bool valid_id(std::string_view id) noexcept {
        if (id.size() != id_size) return false;
        for (char c : id)
            if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'))
                return false;
        return true;
    }

    static result<std::string> random_id() {
        std::uint8_t b[32];
        if (RAND_bytes(b, sizeof b) != 1) return error::crypto_failure;
        return jose::base64url_encode(std::span<const std::uint8_t>(b, sizeof b));
    }

    std::string record_key(std::string_view id) const { return o_.key_prefix + "session:" + jose::sha256_base64url(id); }
    std::string user_key(std::string_view sub) const { return o_.key_prefix + "user:" + jose::sha256_base64url(sub); }

    /// The generation a record is written under: the one it already carries
    /// (a record of a revoked generation stays revoked), else the user's
    /// current one, created on first use. Either way its lease is renewed.
    result<std::string> generation_for(std::string_view sub, const boost::json::object& rec) const {
        const auto key = user_key(sub);
        if (const auto* g = rec.if_contains(generation_claim); g && g->is_string()) {
            std::string gen(g->get_string());
            store_.expire_if(key, gen, o_.generation_ttl);
            return gen;
        }
        for (int attempt = 0; attempt < 3; ++attempt) {
            if (auto cur = store_.get(key)) {
                store_.expire_if(key, *cur, o_.generation_ttl);
                return std::move(*cur);
            }
            auto fresh = random_id();
            if (!fresh) return fresh.error();
            if (store_.add(key, *fresh, o_.generation_ttl)) return std::move(*fresh);
        }
        return error::store_unavailable;
    }

    authjs_codec records_;
    mutable S store_; // the Store members are thread-safe; the codec is used as const
    database_session_options o_;
};

} // namespace authpp
