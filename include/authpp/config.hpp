// authpp/config.hpp — basic_auth_config<>: the options, the five policies (and the defaulted decode cache),
// and the session logic that runs on them.
//
//   template <HttpTransport T, CookieCodec C, Clock K, Store S, PathMatcher M,
//             DecodeCache D = decode_cache>
//   class basic_auth_config;
//
// Ready-made aliases: blocking_auth (<authpp/blocking.hpp>) and asio_auth
// (<authpp/asio.hpp>). A policy that does not model its concept stops the
// build with one sentence per missing member, stated by the concept's own
// header (check_http_transport<T>() and its siblings, <authpp/concepts/>):
// the parameters are deliberately unconstrained so that these sentences,
// not a page of template notes, are what the compiler prints.
//
// Thread safety: after construction the options, the codec and the clock are
// read-only, so begin() may run on any number of threads; resolve() also
// uses the transport and the store, which are as thread-safe as their models
// (all shipped models are).
//
// Refreshes are coordinated (<authpp/refresh/coordinator.hpp>): requests
// that need to redeem the same refresh token — in this process, and in every
// process sharing the Store — wait for one redemption and all get its
// result. Copies of a config share that state; options.refresh_coordination
// tunes or disables it. Its blocking waits (polls, time-outs, lease renewals)
// are on the Clock when the Clock can wait (manual_clock), else on the
// steady clock (<authpp/concepts/clock.hpp>).
#pragma once

#include <authpp/concepts/clock.hpp>
#include <authpp/concepts/cookie_codec.hpp>
#include <authpp/concepts/decode_cache.hpp>
#include <authpp/concepts/http_transport.hpp>
#include <authpp/concepts/path_matcher.hpp>
#include <authpp/concepts/store.hpp>
#include <authpp/core/credentials_flow.hpp>
#include <authpp/core/decode_cache.hpp>
#include <authpp/core/refresh_backoff.hpp>
#include <authpp/core/session_flow.hpp>
#include <authpp/detail/blocking_flow.hpp>
#include <authpp/flow/single_flight.hpp>
#include <authpp/flow/step.hpp>
#include <authpp/options.hpp>
#include <authpp/refresh/coordinator.hpp>

#include <boost/system/system_error.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <string_view>
#include <utility>

namespace authpp {

template <class T, class C, class K, class S, class M, class D = decode_cache>
class basic_auth_config {
    // The concepts' own checks: one authpp sentence per missing member.
    static_assert(check_http_transport<T>());
    static_assert(check_cookie_codec<C, S>());
    static_assert(check_clock<K>());
    static_assert(check_store<S>());
    static_assert(check_path_matcher<M>());
    static_assert(check_decode_cache<D>());

public:
    using transport_type = T;
    using codec_type = C;
    using clock_type = K;
    using store_type = S;
    using matcher_type = M;
    using decode_cache_type = D;
    using flow_type = core::session_flow<C>;

    /// Builds the config; throws boost::system::system_error when the
    /// options are invalid (create() reports the same as a value).
    ///
    /// The constructor and create() are defined below the class, not inline:
    /// with AUTHPP_SEPARATE_COMPILATION the extern template of an alias
    /// (<authpp/separate/asio.hpp>) then keeps them — and the codec, matcher
    /// and coordinator they build — out of the user's translation units.
    explicit basic_auth_config(auth_options options, T transport = T{}, K clock = K{}, S store = S{});

    static result<basic_auth_config> create(auth_options options, T transport = T{}, K clock = K{}, S store = S{});

    const auth_options& options() const noexcept { return options_; }
    const C& codec() const noexcept { return codec_; }
    T& transport() noexcept { return transport_; }
    const K& clock() const noexcept { return clock_; }
    S& store() noexcept { return store_; }
    const M& protected_paths() const noexcept { return protected_; }
    const M& public_paths() const noexcept { return public_; }
    /// The decode cache shared by this config and its copies; null when
    /// options.decode_cache.enabled is false.
    D* decode_cache() const noexcept { return cache_.get(); }

    std::int64_t now_ms() const {
        return std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::system_clock::time_point(clock_.now()).time_since_epoch())
            .count();
    }

    /// The sans-I/O flow for a request's Cookie header: drive() it (or run
    /// its steps yourself, <authpp/flow/step.hpp>) and hand the result to
    /// note_refresh(), or let resolve() / async_resolve() (<authpp/asio.hpp>)
    /// do both.
    flow_type begin(std::string_view cookie_header, core::flow_options fo = {}) const {
        if (fo.refresh_not_before_ms == 0) fo.refresh_not_before_ms = backoff_->not_before();
        if (!fo.cache && cache_) fo.cache = decode_cache_ref::of(*cache_, secrets_fingerprint_);
        // Whosever cache it is, its keys carry this config's secrets: a cache
        // shared by configs with other secrets never serves one the other's.
        if (fo.cache) fo.cache.secrets = secrets_fingerprint_;
        return flow_type(options_, codec_, cookie_header, now_ms(), fo);
    }

    /// The sans-I/O sign-in with client-obtained tokens (the `tokens` JSON
    /// of the reference's Credentials provider).
    core::credentials_flow<C> begin_sign_in(std::string_view tokens_json, std::string_view cookie_header = {}) const {
        return core::credentials_flow<C>(options_, codec_, tokens_json, cookie_header, now_ms());
    }

    /// Feeds a finished flow's refresh outcome to the back-off: a transient
    /// failure delays the next attempt, anything else clears the delay.
    void note_refresh(const core::session_result& r) const {
        if (!r.refreshed) return;
        if (oauth::is_transient_refresh_error(r.refresh_error)) {
            // Every waiter of one coordinated refresh reports its failure:
            // count it once, not once per request (100 waiters would
            // otherwise push the back-off straight to its maximum).
            backoff_->failed_if_due(now_ms(), options_.refresh_retry_initial, options_.refresh_retry_max);
        }
        else
            backoff_->succeeded();
    }
    const core::refresh_backoff& refresh_backoff() const noexcept { return *backoff_; }

    /// The refresh single-flight shared by this config and its copies.
    refresh::coordinator& refresh_coordinator() const noexcept { return *refresh_; }

    /// The single-flight of shared steps (flow::step::share), shared by
    /// this config and its copies.
    flow::single_flight<flow::shared_answer>& shared_exchanges() const noexcept { return *shared_; }

    /// Runs a flow (<authpp/flow/step.hpp>) with blocking calls: exchanges
    /// on the transport, Store calls on the store, and a refresh through the
    /// refresh coordinator — this thread either redeems the token for every
    /// request that needs it, or waits for the one that does.
    template <flow::Flow F>
    void drive(F& f) {
        detail::drive_blocking(*this, f);
    }

    /// Resolves the session with plain blocking calls on the transport.
    core::session_result resolve(std::string_view cookie_header, core::flow_options fo = {}) {
        auto flow = begin(cookie_header, fo);
        drive(flow);
        auto r = std::move(flow).result();
        note_refresh(r);
        return r;
    }

    /// The session for a Cookie header, or nullopt (the reference's auth()),
    /// refreshing the tokens when due. The Set-Cookie values that carry a
    /// refreshed (rotated) token are appended to `set_cookies`: send them with
    /// the response, or the browser keeps the old refresh token and, once the
    /// successor window has passed, the user is signed out.
    std::optional<session> auth(std::string_view cookie_header, std::vector<std::string>& set_cookies) {
        auto r = resolve(cookie_header);
        for (auto& c : r.set_cookies) set_cookies.push_back(std::move(c));
        return std::move(r.session);
    }

    /// The session for a Cookie header, read-only: it has nowhere to put a
    /// new cookie, so it never refreshes (a due refresh is reported as the
    /// session's TokenExpired error, and the request that can send cookies —
    /// the middleware, GET /session, auth(header, set_cookies) — refreshes).
    std::optional<session> auth(std::string_view cookie_header) {
        core::flow_options fo;
        fo.allow_refresh = false;
        return resolve(cookie_header, fo).session;
    }

    /// Signs in with client-obtained tokens: checks the required fields, asks
    /// the userinfo endpoint whether the access token is valid and whose it
    /// is, runs the signIn callback, and returns the new session with the
    /// Set-Cookie values that carry it. `cookie_header` is the request's, so
    /// the chunks of an older, longer session cookie get expired.
    result<core::session_result> sign_in_with_credentials(std::string_view tokens_json,
                                                          std::string_view cookie_header = {}) {
        auto flow = begin_sign_in(tokens_json, cookie_header);
        drive(flow);
        return std::move(flow).result();
    }

private:
    // A codec that keeps sessions in the store (database_codec) gets a
    // handle to the config's store; copies of the shipped stores share state.
    static C make_codec(const std::vector<std::string>& secrets, const S& store) {
        if constexpr (std::constructible_from<C, std::vector<std::string>, const S&>)
            return C(secrets, store);
        else
            return C(secrets);
    }

    // With path_matching.ignore_case the middleware lower-cases paths, so the
    // patterns are lower-cased too; a regex escape (\D, \p{Lu}, \x{41})
    // keeps its letters, or its meaning would change.
    static std::vector<std::string> matcher_patterns(const std::vector<std::string>& in, bool lower) {
        if (!lower) return in;
        std::vector<std::string> out = in;
        for (auto& p : out) {
            for (std::size_t i = 0; i < p.size(); ++i) {
                if (p[i] == '\\') {
                    ++i;
                    if (i + 1 < p.size() && p[i + 1] == '{')
                        while (i < p.size() && p[i] != '}') ++i;
                    continue;
                }
                if (p[i] >= 'A' && p[i] <= 'Z') p[i] = static_cast<char>(p[i] - 'A' + 'a');
            }
        }
        return out;
    }

    static auth_options checked(auth_options o) {
        if (auto ec = o.validate()) throw boost::system::system_error(ec);
        return o;
    }

    auth_options options_;
    C codec_;
    T transport_;
    K clock_;
    S store_;
    M protected_;
    M public_;
    std::shared_ptr<core::refresh_backoff> backoff_ = std::make_shared<core::refresh_backoff>();
    std::shared_ptr<refresh::coordinator> refresh_ =
        std::make_shared<refresh::coordinator>(options_, wait_clock::of(clock_));
    std::shared_ptr<flow::single_flight<flow::shared_answer>> shared_ =
        std::make_shared<flow::single_flight<flow::shared_answer>>(wait_clock::of(clock_));
    // Only a cookie-held session is decoded by the flow (a SessionStoreCodec's
    // cookie is an id and its session is read from the Store every time).
    std::shared_ptr<D> cache_ = options_.decode_cache.enabled && !SessionStoreCodec<C>
                                    ? std::make_shared<D>(options_.decode_cache)
                                    : nullptr;
    std::uint64_t secrets_fingerprint_ = secrets_fingerprint(options_.secrets);
};

template <class T, class C, class K, class S, class M, class D>
basic_auth_config<T, C, K, S, M, D>::basic_auth_config(auth_options options, T transport, K clock, S store)
    : options_(checked(std::move(options))), codec_(make_codec(options_.secrets, store)), transport_(std::move(transport)),
      clock_(std::move(clock)), store_(std::move(store)),
      protected_(matcher_patterns(options_.protected_paths, options_.path_matching.ignore_case)),
      public_(matcher_patterns(options_.public_paths, options_.path_matching.ignore_case)) {}

template <class T, class C, class K, class S, class M, class D>
auto basic_auth_config<T, C, K, S, M, D>::create(auth_options options, T transport, K clock, S store)
    -> result<basic_auth_config> {
    if (auto ec = options.validate()) return ec;
    return basic_auth_config(std::move(options), std::move(transport), std::move(clock), std::move(store));
}

} // namespace authpp
