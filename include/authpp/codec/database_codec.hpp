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
//
// The record protocol is written once, as steps (reader, writer,
// end_session_op; <authpp/flow/step.hpp>): the session flow yields them so
// that the drivers perform them — the asynchronous driver through the
// Store's asynchronous members, never blocking its thread — and the blocking
// encode/decrypt below run the same steps on the codec's own store handle.
#pragma once

#include <authpp/codec/authjs_codec.hpp>
#include <authpp/concepts/store.hpp>
#include <authpp/crypto/base64.hpp>
#include <authpp/crypto/random.hpp>
#include <authpp/crypto/secure_erase.hpp>
#include <authpp/crypto/sha.hpp>
#include <authpp/error.hpp>
#include <authpp/flow/step.hpp>

#include <boost/json/parse.hpp>


#include <chrono>
#include <cstdint>
#include <optional>
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

    // -- the session record protocol, as steps (<authpp/flow/step.hpp>) ------
    // The drivers run these so that an asynchronous one never blocks on the
    // Store: core::session_flow reads with a reader and writes with a writer,
    // the sign-out action runs end_session_op(). The blocking members below
    // (the CookieCodec concept's encode/decrypt) run the same steps on this
    // codec's store handle.

    /// Reads the session an id names: the record, then the user's generation.
    class reader {
    public:
        reader(const database_codec& c, std::string_view id) : c_(&c), id_(id) {
            if (!valid_id(id)) {
                fail(error::malformed_token);
                return;
            }
            op_ = flow::get(c.record_key(id));
            st_ = state::record;
        }
        flow::step next() const noexcept { return st_ == state::done ? flow::step::finished() : flow::step::call(op_); }
        void on_store(const flow::store_answer& a) {
            if (st_ == state::record) return on_record(a);
            if (st_ == state::generation) {
                st_ = state::done;
                if (a.ec) fail(error::store_unavailable); // not asked: the session may well be valid
                else if (!a.value || *a.value != generation_) fail(error::session_revoked);
            }
        }
        bool done() const noexcept { return st_ == state::done; }
        /// The claims JSON (once done), or why there is no session.
        error_code result(std::string& json) {
            if (ec_) return ec_;
            json.swap(json_);
            return {};
        }

    private:
        enum class state { record, generation, done };
        void fail(error_code ec) {
            crypto::secure_erase(json_);
            json_.clear();
            ec_ = ec;
            st_ = state::done;
        }
        void on_record(const flow::store_answer& a) {
            if (a.ec) return fail(error::store_unavailable); // not "not found": the cookie stays
            if (!a.value) return fail(error::session_not_found);
            if (auto ec = c_->records_.decrypt(*a.value, record_salt, json_)) return fail(ec);
            error_code pec;
            auto v = boost::json::parse(json_, pec);
            if (pec || !v.is_object()) return fail(error::malformed_payload);
            const auto& o = v.get_object();
            const auto* sub = o.if_contains("sub");
            const auto* gen = o.if_contains(generation_claim);
            const auto* sid = o.if_contains(sid_claim);
            // The record must be the one the id names (a copied record is refused).
            if (!sub || !sub->is_string() || !gen || !gen->is_string() || !sid || !sid->is_string() ||
                sid->get_string() != id_)
                return fail(error::malformed_payload);
            generation_ = std::string(gen->get_string());
            op_ = flow::get(c_->user_key(sub->get_string()));
            st_ = state::generation;
        }

        const database_codec* c_;
        std::string id_, json_, generation_;
        flow::store_op op_;
        error_code ec_;
        state st_ = state::done;
    };

    /// Writes a session record and yields its id: the generation it is
    /// written under (the one it carries, renewed; else the user's current
    /// one, created on first use), then the record itself.
    class writer {
    public:
        writer(const database_codec& c, const boost::json::object& claims, std::int64_t max_age, std::int64_t now)
            : c_(&c), rec_(claims), max_age_(max_age), now_(now) {
            if (!c.records_.has_secret()) {
                fail(error::no_secret);
                return;
            }
            if (max_age <= 0) {
                fail(error::invalid_option);
                return;
            }
            if (const auto* s = rec_.if_contains(sid_claim); s && s->is_string() && valid_id(s->get_string()))
                id_ = std::string(s->get_string());
            else {
                auto fresh = random_id();
                if (!fresh) {
                fail(fresh.error());
                return;
            }
                id_ = std::move(*fresh);
                rec_.insert_or_assign(sid_claim, id_);
            }
            const auto* sub = rec_.if_contains("sub");
            if (!sub || !sub->is_string()) {
                fail(error::malformed_payload);
                return;
            }
            user_key_ = c.user_key(sub->get_string());
            if (const auto* g = rec_.if_contains(generation_claim); g && g->is_string()) {
                // A record of a revoked generation stays revoked.
                generation_ = std::string(g->get_string());
                op_ = flow::expire_if(user_key_, generation_, c.o_.generation_ttl);
                st_ = state::renew;
                return;
            }
            op_ = flow::get(user_key_);
            st_ = state::current;
        }
        flow::step next() const noexcept { return st_ == state::done ? flow::step::finished() : flow::step::call(op_); }
        void on_store(const flow::store_answer& a) {
            switch (st_) {
            case state::current:
                if (a.ec) return fail(error::store_unavailable);
                if (a.value) {
                    generation_ = *a.value;
                    op_ = flow::expire_if(user_key_, generation_, c_->o_.generation_ttl);
                    st_ = state::renew;
                    return;
                }
                if (++attempts_ > 3) return fail(error::store_unavailable);
                if (auto fresh = random_id()) {
                    generation_ = std::move(*fresh);
                    op_ = flow::add(user_key_, generation_, c_->o_.generation_ttl);
                    st_ = state::create;
                    return;
                }
                return fail(error::crypto_failure);
            case state::create:
                if (a.ok) return seal();
                op_ = flow::get(user_key_); // someone else created it meanwhile: take theirs
                st_ = state::current;
                return;
            case state::renew: return seal();
            case state::record:
                st_ = state::done;
                if (!a.ok) fail(error::store_unavailable);
                return;
            case state::done: return;
            }
        }
        bool done() const noexcept { return st_ == state::done; }
        /// The cookie value (the session id), once done.
        authpp::result<std::string> result() && {
            if (ec_) return ec_;
            return std::move(id_);
        }

    private:
        enum class state { current, create, renew, record, done };
        void fail(error_code ec) {
            ec_ = ec;
            st_ = state::done;
        }
        void seal() {
            rec_.insert_or_assign(generation_claim, generation_);
            auto sealed = c_->records_.encode(rec_, record_salt, max_age_, now_);
            if (!sealed) return fail(sealed.error());
            op_ = flow::set(c_->record_key(id_), std::move(*sealed), std::chrono::seconds(max_age_));
            st_ = state::record;
        }

        const database_codec* c_;
        boost::json::object rec_;
        std::int64_t max_age_, now_;
        std::string id_, user_key_, generation_;
        flow::store_op op_;
        error_code ec_;
        int attempts_ = 0;
        state st_ = state::done;
    };

    /// Sign-out: the Store call that forgets the session a cookie value
    /// names, or nullopt for a value that names none.
    std::optional<flow::store_op> end_session_op(std::string_view id) const {
        if (!valid_id(id)) return std::nullopt;
        return flow::erase(record_key(id));
    }

    /// Sign-out everywhere: the Store call after which every session of
    /// `sub` written before it is refused.
    result<flow::store_op> end_all_sessions_op(std::string_view sub) const {
        auto gen = random_id();
        if (!gen) return gen.error();
        return flow::set(user_key(sub), std::move(*gen), o_.generation_ttl);
    }

    // -- the CookieCodec members: the same steps on this codec's store -------

    /// Stores the claims and returns the cookie value (the session id).
    result<std::string> encode(const boost::json::object& claims, std::string_view /*salt*/, std::int64_t max_age,
                               std::int64_t now) const {
        writer w(*this, claims, max_age, now);
        run(w);
        return std::move(w).result();
    }

    /// The claims JSON of the session the id names.
    error_code decrypt(std::string_view id, std::string_view /*salt*/, std::string& json) const {
        json.clear();
        reader r(*this, id);
        run(r);
        return r.result(json);
    }

    static error_code check_claims(const boost::json::object& claims, std::int64_t now) noexcept {
        return authjs_codec::check_claims(claims, now);
    }

    /// Sign-out: forgets the session a cookie value names. True when a
    /// session was removed.
    bool end_session(std::string_view id) const {
        auto op = end_session_op(id);
        return op && flow::perform(store_, *op).ok;
    }

    /// Sign-out everywhere: every session of `sub` written before this call
    /// is refused from now on. False when the store could not be written.
    bool end_all_sessions(std::string_view sub) const {
        auto op = end_all_sessions_op(sub);
        return op && flow::perform(store_, *op).ok;
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
        if (!crypto::random_bytes(b)) return error::crypto_failure;
        return crypto::base64url_encode(std::span<const std::uint8_t>(b, sizeof b));
    }

    std::string record_key(std::string_view id) const { return o_.key_prefix + "session:" + crypto::sha256_base64url(id); }
    std::string user_key(std::string_view sub) const { return o_.key_prefix + "user:" + crypto::sha256_base64url(sub); }

    template <class Steps>
    void run(Steps& st) const {
        while (!st.done()) st.on_store(flow::perform(store_, *st.next().store));
    }

    authjs_codec records_;
    mutable S store_; // the Store members are thread-safe; the codec is used as const
    database_session_options o_;
};

} // namespace authpp
