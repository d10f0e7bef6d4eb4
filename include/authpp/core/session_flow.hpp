// authpp/core/session_flow.hpp — from a request's cookies to a resolved
// session, written once and without I/O.
//
// A flow runs every step it can at once. When it needs a refresh it stops,
// and next() says so (a flow::step of kind refresh, <authpp/flow/step.hpp>);
// its driver — blocking_auth, asio_auth, or a test — obtains the result
// (coordinated per refresh token) and hands it to on_refresh(), after which
// the flow finishes. Steps:
//   Cookie header → session chunks joined → decrypt → claims checked →
//   jwt callback (maybe a refresh) → user jwt callback → session callback →
//   Set-Cookie values (only when the token changed, or `rolling`).
#pragma once

#include <authpp/concepts/cookie_codec.hpp>
#include <authpp/concepts/decode_cache.hpp>
#include <authpp/constants.hpp>
#include <authpp/cookie/chunking.hpp>
#include <authpp/crypto/secure_erase.hpp>
#include <authpp/core/jwt_callback.hpp>
#include <authpp/detail/civil_time.hpp>
#include <authpp/detail/time_arith.hpp>
#include <authpp/flow/step.hpp>
#include <authpp/http/message.hpp>
#include <authpp/oauth/refresh.hpp>
#include <authpp/options.hpp>
#include <authpp/session.hpp>
#include <authpp/token.hpp>

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse.hpp>


#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace authpp::core {

struct flow_options {
    bool rolling = false; ///< re-issue the cookie even when unchanged (as GET /session does)
    jwt_event event;      ///< trigger none: a plain request
    /// A refresh due before this time (Unix ms) is not attempted: it counts
    /// as a transient failure at once (the token endpoint is backing off).
    std::int64_t refresh_not_before_ms = 0;
    /// false: a due refresh is not performed but reported as TokenExpired.
    /// For callers that cannot send Set-Cookie: a refresh whose rotated
    /// refresh token never reaches the browser would log the user out later.
    bool allow_refresh = true;
    /// Where decoded cookies are kept between requests (empty: none). The
    /// configs set their own (auth_options::decode_cache) unless given one.
    decode_cache_ref cache;
    /// false: the caller reads only result().session (the middleware). A
    /// cached token that no callback, refresh or re-issue touches then
    /// becomes the session straight from the cache, uncopied, and
    /// result().token stays empty.
    bool want_token = true;
};

/// What a request's session resolved to.
struct session_result {
    std::optional<session_token> token;     ///< after every callback; nullopt: no session
    std::optional<authpp::session> session; ///< what pages and GET /session see
    std::vector<std::string> set_cookies;   ///< Set-Cookie values to send, possibly none
    error_code cookie_error;                ///< why the request's cookie gave no session, or why the
                                            ///< new one was not written (session_too_large: the old stays)
    bool refreshed = false;                 ///< a refresh exchange took place
    error_code refresh_error;               ///< its failure, if it failed
    std::string refresh_error_text;         ///< the provider's words for it (no secrets)
};

/// Unix milliseconds as Auth.js's `expires` (Date.toISOString()).
inline std::string iso8601(std::int64_t ms) { return authpp::detail::format_iso8601_ms(ms); }

/// The reference's session callback over Auth.js's default session.
inline authpp::session make_session(const session_token& t, std::int64_t expires_ms) {
    authpp::session s;
    s.user.sub = t.sub;
    s.user.email = t.email;
    s.user.nickname = t.nickname;
    if (const auto* n = t.extra.if_contains("name"); n && n->is_string()) s.user.name = std::string(n->get_string());
    if (const auto* p = t.extra.if_contains("picture"); p && p->is_string())
        s.user.image = std::string(p->get_string());
    s.expires = iso8601(expires_ms);
    s.access_token = t.access_token;
    s.refresh_token = t.refresh_token;
    s.id_token = t.id_token;
    s.access_token_expires = t.access_token_expires;
    s.zkevm = t.zkevm;
    s.error = t.error;
    return s;
}

template <CookieCodec Codec>
class session_flow {
public:
    /// A request: resolve the session its Cookie header carries.
    session_flow(const auth_options& o, const Codec& codec, std::string_view cookie_header, std::int64_t now_ms,
                 flow_options fo = {})
        : o_(o), codec_(codec), cookie_header_(cookie_header), now_ms_(now_ms), fo_(fo) {
        if (fo_.event.trigger == jwt_trigger::sign_in) {
            // A sign-in starts a new token, whatever the request carried; the
            // old cookie's chunks are still expired when the new one is written.
            run_jwt();
            return;
        }
        // Per-thread scratch buffers: the joined token and its plaintext are
        // needed only while this constructor runs (a cookie-held session
        // never yields here), and reusing them keeps the hot path free of
        // those allocations.
        thread_local std::string token;
        auto ec = cookie::read_session_cookie(cookie_header_, o_.session_cookie(), token);
        if constexpr (SessionStoreCodec<Codec>) {
            if (!ec) {
                // The cookie is an id: the session is read from the Store in steps.
                reader_.emplace(codec_, token);
                if (reader_->done()) after_read();
                return;
            }
        } else {
            if (!ec) ec = decode(token);
        }
        after_decode(ec);
    }

    /// What the flow waits for (<authpp/flow/step.hpp>): a Store call (a
    /// SessionStoreCodec's session record), a refresh of the session's
    /// refresh token, or nothing (done).
    flow::step next() const noexcept {
        if constexpr (SessionStoreCodec<Codec>) {
            if (reader_) return reader_->next();
            if (writer_) return writer_->next();
        }
        return pending_ ? flow::step::redeem(*pending_, token_.refresh_token ? *token_.refresh_token : std::string_view{})
                        : flow::step::finished();
    }

    /// Hands the flow the refresh's result (its own exchange's, another
    /// request's it waited for, or an adopted successor record).
    void on_refresh(const oauth::refresh_result& rr) {
        if (!pending_) return;
        pending_.reset();
        r_.refreshed = true;
        r_.refresh_error = rr.error;
        r_.refresh_error_text = rr.error_text;
        token_ = jwt_finish_refresh(std::move(token_), rr);
        changed_ = true;
        after_jwt();
    }
    /// Hands the flow a Store answer (the session record's reader or writer).
    void on_store(flow::store_answer a) {
        if constexpr (SessionStoreCodec<Codec>) {
            if (reader_) {
                reader_->on_store(a);
                if (reader_->done()) after_read();
            } else if (writer_) {
                writer_->on_store(a);
                if (writer_->done()) after_write();
            }
        }
    }
    // This flow asks for no plain exchange.
    void on_response(const error_code&, const http::response&) noexcept {}

    bool done() const noexcept { return next().what == flow::step::kind::done; }
    session_result& result() & noexcept { return r_; }
    session_result&& result() && noexcept { return std::move(r_); }

private:
    struct no_steps {};
    template <class C, bool = SessionStoreCodec<C>>
    struct codec_steps {
        using reader = no_steps;
        using writer = no_steps;
    };
    template <class C>
    struct codec_steps<C, true> {
        using reader = typename C::reader;
        using writer = typename C::writer;
    };

    error_code decode(const std::string& token) {
        const decode_key key{fo_.cache.secrets, o_.session_cookie(), token};
        if (fo_.cache) {
            if (auto hit = fo_.cache.find(key, now_ms_)) {
                // The same bytes decoded before: only the time can have
                // changed, so the codec's claim check runs again on the
                // token's own exp / nbf / iat.
                if (!Codec::check_claims(hit->times, now_ms_ / 1000)) {
                    if (session_only(hit->token)) {
                        r_.session = make_session(hit->token, session_expires_ms()); // done: see after_decode()
                    } else {
                        token_ = hit->token;
                    }
                    return {};
                }
                fo_.cache.erase(key); // and decode again, for the codec's own error
            }
        }
        thread_local std::string json;
        if (auto ec = codec_.decrypt(token, o_.session_cookie(), json)) return ec;
        return decode_json(json, fo_.cache ? &key : nullptr);
    }

    void after_read() {
        thread_local std::string json;
        auto ec = reader_->result(json);
        reader_.reset();
        if (!ec) ec = decode_json(json);
        after_decode(ec);
    }

    // A token the jwt step, the callbacks and the cookie writer would all
    // leave as it is, for a caller that wants the session alone.
    bool session_only(const session_token& t) const {
        return !fo_.want_token && fo_.event.trigger == jwt_trigger::none && !fo_.rolling && !o_.callbacks.jwt &&
               !o_.callbacks.session && !oauth::is_token_expired(t.access_token_expires, now_ms_, o_.refresh_buffer);
    }

    std::int64_t session_expires_ms() const {
        const std::int64_t max_age_s = o_.session_max_age.count(); // validate() bounds it
        return authpp::detail::saturating_add(now_ms_, max_age_s * 1000);
    }

    void after_decode(error_code ec) {
        if (r_.session) return; // decode() served it straight from the cache (session_only())
        if (ec) {
            r_.cookie_error = ec;
            // Auth.js clears a session cookie it cannot read; nothing to clear when there is
            // none, nor when the store could not be asked (a Redis failover): the session
            // is back once it can (Auth.js, too, keeps the cookie when its adapter fails).
            if (ec != error::no_session_cookie && ec != error::store_unavailable) clear_cookies();
            finish_without_session();
            return;
        }
        run_jwt();
    }

    // `cache_key`: keep the decoded token under this key (a cookie-held
    // session that passed every check).
    error_code decode_json(std::string& json, const decode_key* cache_key = nullptr) {
        // The claims DOM lives only until token_from_claims() has copied what
        // it keeps: parse it into a stack arena (a fresh resource per parse).
        unsigned char arena[8192];
        boost::json::monotonic_resource mr(arena, sizeof arena);
        error_code ec;
        boost::json::parse_options po;
        po.max_depth = max_claims_depth;
        auto v = boost::json::parse(json, ec, &mr, po);
        crypto::secure_erase(json);
        if (ec || !v.is_object()) return error::malformed_payload;
        const auto& claims = v.get_object();
        if (auto cec = Codec::check_claims(claims, now_ms_ / 1000)) return cec;
        token_ = token_from_claims(claims, boost::json::storage_ptr());
        if (cache_key) keep(*cache_key, claims);
        return {};
    }

    // Puts the decoded token in the cache until its exp (with the decoders'
    // tolerance) at the latest; the cache applies its own cap.
    void keep(const decode_key& key, const boost::json::object& claims) {
        cached_session c;
        std::int64_t until = INT64_MAX;
        for (std::string_view name : {"exp", "nbf", "iat"}) {
            const auto* t = claims.if_contains(name);
            if (!t) continue;
            c.times.emplace(name, *t);
            if (name != "exp" || !t->is_number()) continue;
            error_code nec;
            const double ms = (t->to_number<double>(nec) + static_cast<double>(clock_tolerance)) * 1000.0;
            if (ms < 9.0e18) until = ms < 0 ? 0 : static_cast<std::int64_t>(ms);
        }
        c.token = token_;
        fo_.cache.insert(key, std::move(c), now_ms_, until);
    }

    void run_jwt() {
        auto step = jwt_begin(std::move(token_), fo_.event, now_ms_, o_.refresh_buffer);
        token_ = std::move(step.token);
        changed_ = step.changed;
        if (step.refresh && !fo_.allow_refresh) {
            token_.error = std::string(token_error::token_expired);
            return after_jwt();
        }
        if (step.refresh) {
            if (now_ms_ < fo_.refresh_not_before_ms) {
                oauth::refresh_result backing_off;
                backing_off.error = error::refresh_unavailable;
                backing_off.error_text = "the token endpoint failed recently; retrying later";
                r_.refresh_error = backing_off.error;
                r_.refresh_error_text = backing_off.error_text;
                const auto before = token_.error;
                token_ = jwt_finish_refresh(std::move(token_), backing_off);
                changed_ = changed_ || before != token_.error;
                return after_jwt();
            }
            pending_ = oauth::make_refresh_request(o_, *token_.refresh_token);
            return;
        }
        after_jwt();
    }

    void after_jwt() {
        if (o_.callbacks.jwt) {
            switch (o_.callbacks.jwt(token_, fo_.event)) {
            case jwt_verdict::unchanged: break;
            case jwt_verdict::changed: changed_ = true; break;
            case jwt_verdict::end_session:
                clear_cookies();
                return finish_without_session();
            }
        }
        auto s = make_session(token_, session_expires_ms());
        if (o_.callbacks.session) o_.callbacks.session(s, token_);
        if (changed_ || fo_.rolling) write_cookie(o_.session_max_age.count());
        r_.session = std::move(s);
        r_.token = std::move(token_);
    }

    void write_cookie(std::int64_t max_age_s) {
        const std::int64_t now_s = now_ms_ / 1000;
        if constexpr (SessionStoreCodec<Codec>) {
            // The session is written to the Store in steps; the cookie (its id) after.
            writer_.emplace(codec_, token_to_claims(token_, /*include_id_token=*/false), max_age_s, now_s);
            max_age_s_ = max_age_s;
            if (writer_->done()) after_write();
        } else {
            emit_cookie(codec_.encode(token_to_claims(token_, /*include_id_token=*/false), o_.session_cookie(),
                                      max_age_s, now_s),
                        max_age_s);
        }
    }

    void after_write() {
        auto value = std::move(*writer_).result();
        writer_.reset();
        emit_cookie(std::move(value), max_age_s_);
    }

    void emit_cookie(authpp::result<std::string> value, std::int64_t max_age_s) {
        const std::int64_t now_s = now_ms_ / 1000;
        if (!value) {
            r_.cookie_error = value.error();
            return;
        }
        auto opts = o_.session_cookie_options();
        opts.expires = authpp::detail::saturating_add(now_s, max_age_s); // out of range: the writer refuses it
        auto lines = cookie::write_session_cookie(o_.session_cookie(), *value, opts, cookie_header_,
                                                  o_.max_session_cookie_bytes);
        if (!lines) {
            // session_too_large: nothing is written, so the browser keeps the
            // cookie it has (a refresh's rotated token is then lost once the
            // successor window passes: keep sessions small).
            r_.cookie_error = lines.error();
            if (lines.error() == error::session_too_large && o_.callbacks.warning)
                o_.callbacks.warning(lines.error(), "session cookie of " +
                                                        std::to_string(cookie::session_cookie_bytes(o_.session_cookie(), value->size())) +
                                                        " bytes over the budget of " +
                                                        std::to_string(o_.max_session_cookie_bytes) + "; not written");
            return;
        }
        r_.set_cookies = std::move(*lines);
    }

    void clear_cookies() {
        auto lines = cookie::write_session_cookie(o_.session_cookie(), "", o_.session_cookie_options(), cookie_header_);
        if (lines) r_.set_cookies = std::move(*lines);
    }

    void finish_without_session() {
        r_.token.reset();
        r_.session.reset();
    }

    const auth_options& o_;
    const Codec& codec_;
    std::string_view cookie_header_;
    std::int64_t now_ms_;
    flow_options fo_;
    session_token token_;
    bool changed_ = false;
    std::optional<http::request> pending_;
    std::optional<typename codec_steps<Codec>::reader> reader_;
    std::optional<typename codec_steps<Codec>::writer> writer_;
    std::int64_t max_age_s_ = 0;
    session_result r_;
};

} // namespace authpp::core
