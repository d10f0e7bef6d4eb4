// The database session strategy: the cookie is an opaque id, the token lives
// in the store (encrypted), survives refresh under the same id, and is
// refused after sign-out or sign-out everywhere.
#include <authpp/asio.hpp>
#include <authpp/codec/database_codec.hpp>
#include <authpp/concepts/cookie_codec.hpp>
#include <authpp/config.hpp>

#include <authpp/clock/manual_clock.hpp>
#include <authpp/match/prefix_matcher.hpp>
#include <authpp/store/memory_store.hpp>

#include "../../support/action_requests.hpp"
#include "../../support/forwarding_store.hpp"
#include "../../support/scripted_transport.hpp"
#include "../../support/ticker.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <catch2/catch.hpp>

#include <atomic>
#include <functional>

using namespace authpp;
using db_codec = database_codec<memory_store>;
using config = basic_auth_config<test::scripted_transport, db_codec, manual_clock, memory_store, prefix_matcher>;

static_assert(CookieCodec<db_codec>);

namespace {

auth_options test_options() {
    auto o = sandbox_options();
    o.secrets = {"database-session-secret"};
    o.token_endpoint = "http://127.0.0.1:1/oauth/token";
    return o;
}

template <class Config>
std::string cookie_of(const Config& c, const std::vector<std::string>& set_cookies) {
    std::string h;
    for (const auto& sc : set_cookies) {
        if (sc.find("; Max-Age=0") != std::string::npos) continue;
        if (!h.empty()) h += "; ";
        h += sc.substr(0, sc.find(';'));
    }
    (void)c;
    return h;
}

std::string session_id(const config& c, const std::string& cookie_header) {
    std::string id;
    REQUIRE_FALSE(cookie::read_session_cookie(cookie_header, c.options().session_cookie(), id));
    return id;
}

/// A sign-in's session flow, whatever it gave.
template <class Config>
core::session_result resolve_sign_in(Config& c, std::string sub = "user-1", std::int64_t expires_in_ms = 3'600'000) {
    signed_in_user u;
    u.sub = std::move(sub);
    u.email = "ada@example.com";
    u.access_token = "at-1";
    u.refresh_token = "rt-1";
    u.access_token_expires = c.now_ms() + expires_in_ms;
    core::flow_options fo;
    fo.event = {jwt_trigger::sign_in, &u, nullptr};
    return c.resolve("", fo);
}

/// A sign-in that succeeded: its cookie header.
template <class Config>
std::string sign_in(Config& c, std::string sub = "user-1", std::int64_t expires_in_ms = 3'600'000) {
    auto r = resolve_sign_in(c, std::move(sub), expires_in_ms);
    REQUIRE(r.session);
    return cookie_of(c, r.set_cookies);
}

} // namespace

TEST_CASE("database strategy: the cookie is a 43-character id and the store holds no readable token") {
    config c(test_options());
    const auto cookie = sign_in(c);
    const auto id = session_id(c, cookie);
    CHECK(id.size() == db_codec::id_size);
    CHECK(id.find("at-1") == std::string::npos);

    auto s = c.auth(cookie);
    REQUIRE(s);
    CHECK(s->user.sub == "user-1");
    CHECK(s->access_token == "at-1");
    CHECK(s->refresh_token == "rt-1");
}

TEST_CASE("database strategy: a refresh updates the stored tokens under the same id") {
    config c(test_options());
    const auto cookie = sign_in(c, "user-1", 30'000); // inside the 60 s refresh buffer
    const auto id = session_id(c, cookie);
    c.transport().push(200, R"({"access_token":"at-2","refresh_token":"rt-2","expires_in":900})");
    auto r = c.resolve(cookie);
    REQUIRE(r.session);
    CHECK(r.session->access_token == "at-2");
    REQUIRE_FALSE(r.set_cookies.empty());
    const auto next = cookie_of(c, r.set_cookies);
    CHECK(session_id(c, next) == id);
    // The old cookie (same id) now reads the new tokens: nothing to redeem twice.
    auto again = c.auth(cookie);
    REQUIRE(again);
    CHECK(again->access_token == "at-2");
    CHECK(again->refresh_token == "rt-2");
    CHECK(c.transport().sent().size() == 1);
}

TEST_CASE("database strategy: every sign-in gets a new id") {
    config c(test_options());
    CHECK(session_id(c, sign_in(c)) != session_id(c, sign_in(c)));
}

TEST_CASE("database strategy: sign-out ends one session, sign-out everywhere ends them all") {
    config c(test_options());
    const auto a = sign_in(c, "user-1"), b = sign_in(c, "user-1"), other = sign_in(c, "user-2");

    CHECK(c.codec().end_session(session_id(c, a)));
    CHECK_FALSE(c.codec().end_session(session_id(c, a)));
    auto ra = c.resolve(a);
    CHECK_FALSE(ra.session);
    CHECK(ra.cookie_error == error::session_not_found);
    CHECK(c.auth(b));

    CHECK(c.codec().end_all_sessions("user-1"));
    auto rb = c.resolve(b);
    CHECK_FALSE(rb.session);
    CHECK(rb.cookie_error == error::session_revoked);
    // The unreadable cookie is cleared, as for any session cookie Auth.js cannot read.
    REQUIRE_FALSE(rb.set_cookies.empty());
    CHECK(rb.set_cookies.front().find("Max-Age=0") != std::string::npos);
    CHECK(c.auth(other));
    // A new sign-in after sign-out everywhere works again.
    CHECK(c.auth(sign_in(c, "user-1")));
}

TEST_CASE("database strategy: forged, malformed and foreign ids are refused") {
    config c(test_options());
    const auto cookie = sign_in(c);
    const auto id = session_id(c, cookie);
    std::string json;
    CHECK(c.codec().decrypt("", "", json) == error::malformed_token);
    CHECK(c.codec().decrypt(id.substr(1), "", json) == error::malformed_token);
    CHECK(c.codec().decrypt(id + "A", "", json) == error::malformed_token);
    CHECK(c.codec().decrypt(std::string(42, 'A') + "*", "", json) == error::malformed_token);
    CHECK(c.codec().decrypt(std::string(43, 'A'), "", json) == error::session_not_found);
    CHECK(json.empty());
    CHECK_FALSE(c.codec().decrypt(id, "", json));
    CHECK(json.find("\"sub\":\"user-1\"") != std::string::npos);

    // Another deployment (other secret, same store) cannot read the record.
    auto o = test_options();
    o.secrets = {"another-secret"};
    db_codec foreign(o.secrets, c.codec().store());
    CHECK(foreign.decrypt(id, "", json) == error::unknown_kid); // its key id names no secret of ours
}

namespace {
// A memory_store that remembers the last value written under each key, so a
// test can play a store-level attacker.
struct recording_store : memory_store {
    std::shared_ptr<std::vector<std::pair<std::string, std::string>>> writes =
        std::make_shared<std::vector<std::pair<std::string, std::string>>>();
    bool set(std::string_view k, std::string_view v, std::chrono::milliseconds ttl) {
        writes->emplace_back(k, v);
        return memory_store::set(k, v, ttl);
    }
};
} // namespace

TEST_CASE("database strategy: a record copied under another session's key is refused") {
    recording_store store;
    database_codec<recording_store> codec({"copy-secret"}, store);
    boost::json::object claims{{"sub", "user-1"}, {"accessToken", "at"}};
    auto id1 = codec.encode(claims, "", 3600, 1'700'000'000);
    REQUIRE(id1);
    const auto [key1, record1] = store.writes->back();
    auto id2 = codec.encode(claims, "", 3600, 1'700'000'000);
    REQUIRE(id2);
    const auto key2 = store.writes->back().first;
    CHECK(key1 != key2);
    CHECK(key1.find(*id1) == std::string::npos); // the store never sees the id
    std::string json;
    REQUIRE_FALSE(codec.decrypt(*id2, "", json));
    store.memory_store::set(key2, record1, std::chrono::seconds(60));
    CHECK(codec.decrypt(*id2, "", json) == error::malformed_payload);
    CHECK_FALSE(codec.decrypt(*id1, "", json));
}

TEST_CASE("database strategy: claims without sub and non-positive max-age are refused, no secret is an error") {
    memory_store store;
    db_codec codec({"s"}, store);
    CHECK(codec.encode(boost::json::object{{"name", "x"}}, "", 3600, 1).error() == error::malformed_payload);
    CHECK(codec.encode(boost::json::object{{"sub", "x"}}, "", 0, 1).error() == error::invalid_option);
    db_codec none(std::vector<std::string>{}, store);
    CHECK(none.encode(boost::json::object{{"sub", "x"}}, "", 3600, 1).error() == error::no_secret);
}

TEST_CASE("database strategy: the config hands its own store to the codec") {
    memory_store shared;
    config c(test_options(), {}, {}, shared);
    const auto cookie = sign_in(c);
    // Another config on the same store (another process on the same Redis)
    // reads the session, and sees its sign-out everywhere.
    config other(test_options(), {}, {}, shared);
    REQUIRE(other.auth(cookie));
    CHECK(other.codec().end_all_sessions("user-1"));
    CHECK_FALSE(c.auth(cookie));
    // A config with a store of its own does not see the session at all.
    config separate(test_options());
    CHECK(separate.resolve(cookie).cookie_error == error::session_not_found);
}

TEST_CASE("database strategy: the session flow reads and writes its record as Store steps") {
    memory_store store;
    config c(test_options(), {}, {}, store);
    const auto cookie = sign_in(c, "user-1", 30'000); // due for a refresh
    const auto id = session_id(c, cookie);

    // Reading: the record, then the user's generation; the flow does not
    // touch the store itself, its driver does (here: this test).
    auto f = c.begin(cookie);
    auto s = f.next();
    REQUIRE(s.what == flow::step::kind::store);
    CHECK(s.store->what == flow::store_op::kind::get);
    CHECK(s.store->key.starts_with("authpp:session:"));
    CHECK(s.store->key.find(id) == std::string::npos); // the store never sees the id
    f.on_store(flow::perform(store, *s.store));
    s = f.next();
    REQUIRE(s.what == flow::step::kind::store);
    CHECK(s.store->what == flow::store_op::kind::get);
    CHECK(s.store->key.starts_with("authpp:user:"));
    f.on_store(flow::perform(store, *s.store));

    // Then the refresh, then writing: the generation renewed, the record set.
    s = f.next();
    REQUIRE(s.what == flow::step::kind::refresh);
    CHECK(s.refresh_token == "rt-1");
    f.on_refresh(oauth::parse_refresh_response(
        {}, http::response{200, {}, R"({"access_token":"at-2","refresh_token":"rt-2","expires_in":900})"}, "rt-1",
        c.now_ms()));
    std::vector<flow::store_op::kind> writes;
    while ((s = f.next()).what == flow::step::kind::store) {
        writes.push_back(s.store->what);
        f.on_store(flow::perform(store, *s.store));
    }
    CHECK(s.what == flow::step::kind::done);
    CHECK(writes == std::vector{flow::store_op::kind::expire_if, flow::store_op::kind::set});
    auto r = std::move(f).result();
    REQUIRE(r.session);
    CHECK(r.session->access_token == "at-2");
    CHECK(session_id(c, cookie_of(c, r.set_cookies)) == id);
    CHECK(c.auth(cookie)->access_token == "at-2");

    // A store that gives no answer: no session this time, and the cookie is kept.
    auto g = c.begin(cookie);
    REQUIRE(g.next().what == flow::step::kind::store);
    g.on_store(flow::store_answer{make_error_code(boost::system::errc::timed_out), std::nullopt, false});
    CHECK(g.done());
    auto gr = std::move(g).result();
    CHECK_FALSE(gr.session);
    CHECK(gr.cookie_error == error::store_unavailable);
    CHECK(gr.set_cookies.empty());
}

namespace {

/// An AsyncStore whose answers come `delay` later, on a timer of the
/// caller's executor (a Redis across a slow network, without the network).
struct slow_store : test::forwarding_store {
    std::chrono::milliseconds delay{50};
    std::shared_ptr<std::atomic<int>> async_calls = std::make_shared<std::atomic<int>>(0);

    template <class Ex, class H>
    void async_get(const Ex& ex, std::string_view k, H&& h) { later(ex, std::forward<H>(h), inner.get(k)); }
    template <class Ex, class H>
    void async_set(const Ex& ex, std::string_view k, std::string_view v, std::chrono::milliseconds t, H&& h) {
        later(ex, std::forward<H>(h), inner.set(k, v, t));
    }
    template <class Ex, class H>
    void async_erase(const Ex& ex, std::string_view k, H&& h) { later(ex, std::forward<H>(h), inner.erase(k)); }
    template <class Ex, class H>
    void async_add(const Ex& ex, std::string_view k, std::string_view v, std::chrono::milliseconds t, H&& h) {
        later(ex, std::forward<H>(h), inner.add(k, v, t));
    }
    template <class Ex, class H>
    void async_expire_if(const Ex& ex, std::string_view k, std::string_view v, std::chrono::milliseconds t, H&& h) {
        later(ex, std::forward<H>(h), inner.expire_if(k, v, t));
    }
    template <class Ex, class H>
    void async_erase_if(const Ex& ex, std::string_view k, std::string_view v, H&& h) {
        later(ex, std::forward<H>(h), inner.erase_if(k, v));
    }

    template <class Ex, class H, class V>
    void later(const Ex& ex, H&& h, V v) {
        ++*async_calls;
        auto t = std::make_shared<boost::asio::steady_timer>(ex, delay);
        t->async_wait([t, h = std::forward<H>(h), v = std::move(v)](error_code) mutable {
            std::move(h)(error_code{}, std::move(v));
        });
    }
};

/// An asynchronous transport that is never asked for anything here.
struct idle_transport {
    using executor_type = boost::asio::io_context::executor_type;
    executor_type ex;
    executor_type get_executor() const noexcept { return ex; }
    http::response send(const http::request&, error_code& ec) {
        ec = make_error_code(boost::system::errc::not_supported);
        return {};
    }
    template <class H>
    void async_send(const http::request&, H&& h) {
        boost::asio::post(ex, [h = std::forward<H>(h)]() mutable {
            std::move(h)(make_error_code(boost::system::errc::not_supported), http::response{});
        });
    }
};

} // namespace

TEST_CASE("database strategy: the asynchronous driver waits on the Store without blocking its thread") {
    using slow_config = basic_auth_config<idle_transport, database_codec<slow_store>, manual_clock, slow_store,
                                          prefix_matcher>;
    boost::asio::io_context ioc; // one thread runs everything
    slow_store store;
    slow_config c(test_options(), idle_transport{ioc.get_executor()}, {}, store);
    const std::string cookie = sign_in(c); // blocking: the Store's blocking members
    REQUIRE(*store.async_calls == 0);

    using clock = std::chrono::steady_clock;
    const auto t0 = clock::now();
    int resolved = 0;
    clock::duration last_done{};
    for (int i = 0; i < 20; ++i)
        async_resolve(c, cookie, [&](core::session_result r) {
            if (r.session && r.session->user.sub == "user-1") ++resolved;
            last_done = clock::now() - t0;
        });
    // Meanwhile the same thread serves a 5 ms ticker: it never waits on the store.
    test::ticker ticker(ioc, std::chrono::milliseconds(5), 30);
    ticker.start();
    ioc.run();
    CHECK(resolved == 20);
    CHECK(*store.async_calls == 40);                     // record + generation, for each
    CHECK(last_done >= std::chrono::milliseconds(100)); // two store answers in sequence, 50 ms each
    CHECK(ticker.ticks() == 30);
    // Waiting together, not one after another (40 blocking waits of 50 ms
    // would take 2 s and hold the ticker as long); the margin is for a
    // loaded machine.
    CHECK(last_done < std::chrono::milliseconds(1000));
    CHECK(ticker.worst_gap() < std::chrono::milliseconds(500));
}

namespace {

/// A Store with the members that tell "could not ask" from "absent" (as
/// redis_store has), which can be taken down: a Redis failover's seconds.
struct flaky_store : test::forwarding_store {
    std::shared_ptr<std::atomic<bool>> down = std::make_shared<std::atomic<bool>>(false);
    using forwarding_store::add;
    using forwarding_store::erase;
    using forwarding_store::erase_if;
    using forwarding_store::expire_if;
    using forwarding_store::get;
    using forwarding_store::set;

    template <class F>
    auto unless_down(error_code& ec, F f) -> decltype(f()) {
        ec.clear();
        if (*down) {
            ec = make_error_code(boost::system::errc::connection_refused);
            return {};
        }
        return f();
    }
    std::optional<std::string> get(std::string_view k, error_code& ec) {
        return unless_down(ec, [&] { return inner.get(k); });
    }
    bool set(std::string_view k, std::string_view v, std::chrono::milliseconds t, error_code& ec) {
        return unless_down(ec, [&] { return inner.set(k, v, t); });
    }
    bool erase(std::string_view k, error_code& ec) {
        return unless_down(ec, [&] { return inner.erase(k); });
    }
    bool add(std::string_view k, std::string_view v, std::chrono::milliseconds t, error_code& ec) {
        return unless_down(ec, [&] { return inner.add(k, v, t); });
    }
    bool expire_if(std::string_view k, std::string_view v, std::chrono::milliseconds t, error_code& ec) {
        return unless_down(ec, [&] { return inner.expire_if(k, v, t); });
    }
    bool erase_if(std::string_view k, std::string_view v, error_code& ec) {
        return unless_down(ec, [&] { return inner.erase_if(k, v); });
    }
};

using flaky_config =
    basic_auth_config<test::scripted_transport, database_codec<flaky_store>, manual_clock, flaky_store, prefix_matcher>;

} // namespace

TEST_CASE("database strategy: a store that cannot be asked keeps the cookie, and the session is back with it") {
    flaky_store store;
    flaky_config c(test_options(), {}, {}, store);
    const auto cookie = sign_in(c);
    REQUIRE(c.auth(cookie));

    *store.down = true;
    auto r = c.resolve(cookie);
    CHECK_FALSE(r.session);
    CHECK(r.cookie_error == error::store_unavailable); // not session_not_found: nobody signed out
    CHECK(r.set_cookies.empty());                      // the cookie is not cleared
    // Nor can a sign-in be stored: no cookie for a record that is not there.
    auto failed = resolve_sign_in(c, "user-2");
    CHECK(failed.cookie_error == error::store_unavailable);
    CHECK(failed.set_cookies.empty());

    *store.down = false;
    auto back = c.auth(cookie);
    REQUIRE(back);
    CHECK(back->user.sub == "user-1");
    CHECK(back->access_token == "at-1");
}

namespace {

/// No session cookie among a response's Set-Cookie lines.
bool sets_no_session(const http::server_response& r) {
    for (const auto& sc : test::headers(r, "Set-Cookie"))
        if (sc.starts_with("authjs.session-token")) return false;
    return true;
}

} // namespace

TEST_CASE("database strategy: a sign-in the store cannot keep is an error page, not a redirect without a session") {
    const std::string error_page = "http://localhost:3000/api/auth/error?error=Configuration";
    SECTION("credentials") {
        flaky_store store;
        test::scripted_transport t;
        flaky_config c(test::test_options(), t, {}, store);
        test::jar j;
        *store.down = true;
        auto r = test::credentials_sign_in(c, t, j);
        CHECK(r.status == 302);
        CHECK(test::header(r, "Location") == error_page);
        CHECK(sets_no_session(r));
        // The store back: the same sign-in goes through.
        *store.down = false;
        r = test::credentials_sign_in(c, t, j);
        CHECK(test::header(r, "Location") == "http://localhost:3000/dashboard");
        CHECK_FALSE(sets_no_session(r));
        CHECK(c.auth(j.header()));
    }
    SECTION("OAuth callback") {
        test::basic_oauth_fixture<flaky_config> f;
        f.sign_in();
        *f.c.store().down = true;
        f.t.push(200, boost::json::serialize(boost::json::object{
                          {"access_token", "oat"}, {"id_token", f.id_token(f.nonce)}, {"expires_in", 300}}));
        auto r = f.callback("code=the-code&state=" + url::encode_uri_component(f.state));
        CHECK(r.status == 302);
        CHECK(test::header(r, "Location") == error_page);
        CHECK(sets_no_session(r));
    }
}
