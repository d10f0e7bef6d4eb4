// Refresh coordination with scripted transports: one redemption per refresh
// token across threads, asynchronous operations, and configs sharing a store
// (as processes sharing Redis do); successor records; leases; time-outs.
#include <authpp/asio.hpp>
#include <authpp/clock/manual_clock.hpp>
#include <authpp/config.hpp>
#include <authpp/refresh/coordinator.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/json/parse.hpp>

#include <catch2/catch.hpp>

#include <atomic>
#include <future>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

using namespace authpp;
using namespace std::chrono_literals;

namespace {

/// A memory_store that remembers every key and value it was handed, so a
/// test can check that no refresh token ever reached the store.
class recording_store {
public:
    static constexpr bool completes_immediately = true; // a memory_store underneath
    std::optional<std::string> get(std::string_view k) { return note(k), s_.get(k); }
    bool set(std::string_view k, std::string_view v, std::chrono::milliseconds t) { return note(k, v), s_.set(k, v, t); }
    bool erase(std::string_view k) { return note(k), s_.erase(k); }
    bool add(std::string_view k, std::string_view v, std::chrono::milliseconds t) { return note(k, v), s_.add(k, v, t); }
    bool expire_if(std::string_view k, std::string_view v, std::chrono::milliseconds t) {
        note(k, v);
        ++log_->renewals;
        return s_.expire_if(k, v, t);
    }
    bool erase_if(std::string_view k, std::string_view v) { return note(k, v), s_.erase_if(k, v); }

    std::vector<std::string> seen() const {
        std::lock_guard l(log_->m);
        return log_->seen;
    }
    int renewals() const { return log_->renewals.load(); }

private:
    void note(std::string_view k, std::string_view v = {}) {
        std::lock_guard l(log_->m);
        log_->seen.emplace_back(k);
        if (!v.empty()) log_->seen.emplace_back(v);
    }
    struct log {
        std::mutex m;
        std::vector<std::string> seen;
        std::atomic<int> renewals{0};
    };
    memory_store s_;
    std::shared_ptr<log> log_ = std::make_shared<log>();
};

/// A token endpoint that answers every request alike, after `delay`, and
/// counts the requests. Copies share the script.
struct endpoint_script {
    std::atomic<int> sends{0};
    std::chrono::milliseconds delay{0};
    int status = 200;
    std::string body = R"({"access_token":"at-2","refresh_token":"rt-2","id_token":"id-2","expires_in":3600})";
    std::mutex m;
    std::vector<std::string> request_bodies;

    http::response answer(const http::request& r) {
        ++sends;
        {
            std::lock_guard l(m);
            request_bodies.push_back(r.body);
        }
        return http::response{status, {{"Content-Type", "application/json"}}, body};
    }
};

struct blocking_endpoint {
    std::shared_ptr<endpoint_script> s = std::make_shared<endpoint_script>();
    http::response send(const http::request& r, error_code&) {
        std::this_thread::sleep_for(s->delay);
        return s->answer(r);
    }
};

struct async_endpoint {
    using executor_type = boost::asio::io_context::executor_type;
    executor_type ex;
    std::shared_ptr<endpoint_script> s = std::make_shared<endpoint_script>();

    executor_type get_executor() const noexcept { return ex; }
    http::response send(const http::request& r, error_code&) { return s->answer(r); }
    template <class Handler>
    void async_send(const http::request& r, Handler&& h) {
        auto t = std::make_shared<boost::asio::steady_timer>(ex, s->delay);
        t->async_wait([t, s = s, r, h = std::forward<Handler>(h)](error_code) mutable {
            auto resp = s->answer(r);
            std::move(h)(error_code{}, std::move(resp));
        });
    }
};

using blocking_config = basic_auth_config<blocking_endpoint, authjs_codec, manual_clock, recording_store, prefix_matcher>;
using async_config = basic_auth_config<async_endpoint, authjs_codec, manual_clock, recording_store, prefix_matcher>;

auth_options test_options() {
    auto o = sandbox_options();
    o.secrets = {"refresh-coordinator-test-secret"};
    o.token_endpoint = "http://127.0.0.1:1/oauth/token";
    o.refresh_coordination.lease = 300ms;
    o.refresh_coordination.wait_timeout = 3s;
    return o;
}

std::string browser_cookies(const std::vector<std::string>& set_cookies) {
    std::string h = "theme=dark";
    for (const auto& sc : set_cookies) {
        if (sc.find("; Max-Age=0") != std::string::npos) continue;
        h += "; " + sc.substr(0, sc.find(';'));
    }
    return h;
}

/// A session whose access token has expired: the next request refreshes rt-1.
template <class Config>
std::string expired_cookie(Config& c) {
    signed_in_user u;
    u.sub = "user-1";
    u.access_token = "at-1";
    u.refresh_token = "rt-1";
    u.access_token_expires = c.now_ms() - 1000;
    core::flow_options fo;
    fo.event = {jwt_trigger::sign_in, &u, nullptr};
    auto flow = c.begin("", fo);
    REQUIRE(flow.done());
    auto r = std::move(flow).result();
    REQUIRE(r.session);
    return browser_cookies(r.set_cookies);
}

void check_refreshed(const core::session_result& r) {
    REQUIRE(r.session);
    CHECK(r.session->access_token == "at-2");
    CHECK(r.session->refresh_token == "rt-2");
    CHECK_FALSE(r.session->error);
    CHECK_FALSE(r.refresh_error);
    CHECK(r.refreshed);
}

std::string lock_key_of(std::string_view rt, const auth_options& o = test_options()) {
    return o.refresh_coordination.key_prefix + ":lock:" + refresh::token_key(rt);
}
std::string succ_key_of(std::string_view rt, const auth_options& o = test_options()) {
    return o.refresh_coordination.key_prefix + ":succ:" + refresh::token_key(rt);
}

template <class Config>
std::vector<core::session_result> resolve_on_threads(Config& c, const std::string& cookie, int n) {
    std::vector<std::future<core::session_result>> fs;
    for (int i = 0; i < n; ++i) fs.push_back(std::async(std::launch::async, [&] { return c.resolve(cookie); }));
    std::vector<core::session_result> out;
    for (auto& f : fs) out.push_back(f.get());
    return out;
}

} // namespace

TEST_CASE("token keys are SHA-256 in base64url, never the token") {
    const auto k = refresh::token_key("rt-1");
    CHECK(k.size() == 43);
    CHECK(k.find("rt-1") == std::string::npos);
    CHECK(k != refresh::token_key("rt-2"));
    // SHA-256("abc"), RFC 6234's test vector, in base64url.
    CHECK(refresh::token_key("abc") == "ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0");
}

TEST_CASE("blocking: many threads with one expired cookie make one exchange and share its result") {
    manual_clock clock;
    blocking_endpoint ep;
    ep.s->delay = 150ms;
    recording_store store;
    blocking_config c(test_options(), ep, clock, store);
    const auto cookie = expired_cookie(c);

    const auto results = resolve_on_threads(c, cookie, 32);
    CHECK(ep.s->sends == 1);
    for (const auto& r : results) check_refreshed(r);
    CHECK(c.refresh_coordinator().in_flight() == 0);
    CHECK_FALSE(store.get(lock_key_of("rt-1"))); // released

    // Nothing in the store (keys, lock owners, records) holds a refresh token.
    for (const auto& s : store.seen()) {
        CHECK(s.find("rt-1") == std::string::npos);
        CHECK(s.find("rt-2") == std::string::npos);
        CHECK(s.find("at-2") == std::string::npos);
    }
}

TEST_CASE("blocking: without coordination, the same threads race (the problem being solved)") {
    manual_clock clock;
    blocking_endpoint ep;
    ep.s->delay = 100ms;
    auto o = test_options();
    o.refresh_coordination.enabled = false;
    blocking_config c(o, ep, clock, recording_store{});
    const auto cookie = expired_cookie(c);
    resolve_on_threads(c, cookie, 8);
    CHECK(ep.s->sends == 8);
}

TEST_CASE("async: operations on a two-thread io_context make one exchange and share its result") {
    manual_clock clock;
    boost::asio::io_context ioc;
    async_endpoint ep{ioc.get_executor()};
    ep.s->delay = 100ms;
    async_config c(test_options(), ep, clock, recording_store{});
    const auto cookie = expired_cookie(c);

    std::mutex m;
    std::vector<core::session_result> results;
    for (int i = 0; i < 40; ++i)
        async_resolve(c, cookie, [&](core::session_result r) {
            std::lock_guard l(m);
            results.push_back(std::move(r));
        });
    std::thread other([&] { ioc.run(); });
    ioc.run();
    other.join();

    CHECK(ep.s->sends == 1);
    REQUIRE(results.size() == 40);
    for (const auto& r : results) check_refreshed(r);
    CHECK(c.refresh_coordinator().in_flight() == 0);
}

TEST_CASE("a definitive refusal reaches every waiter once; a transient failure keeps every session") {
    manual_clock clock;
    blocking_endpoint ep;
    ep.s->delay = 100ms;
    SECTION("invalid_grant") {
        ep.s->status = 400;
        ep.s->body = R"({"error":"invalid_grant"})";
        blocking_config c(test_options(), ep, clock, recording_store{});
        const auto cookie = expired_cookie(c);
        for (const auto& r : resolve_on_threads(c, cookie, 10)) {
            CHECK(r.refresh_error == error::refresh_rejected);
            REQUIRE(r.session);
            CHECK(r.session->error == "RefreshTokenError");
        }
        CHECK(ep.s->sends == 1);
        CHECK_FALSE(c.store().get(succ_key_of("rt-1"))); // nothing to adopt
    }
    SECTION("503") {
        ep.s->status = 503;
        ep.s->body = "overloaded";
        blocking_config c(test_options(), ep, clock, recording_store{});
        const auto cookie = expired_cookie(c);
        for (const auto& r : resolve_on_threads(c, cookie, 10)) {
            CHECK(r.refresh_error == error::refresh_unavailable);
            REQUIRE(r.session);
            CHECK(r.session->error == "TokenExpired");
            CHECK(r.session->refresh_token == "rt-1");
        }
        CHECK(ep.s->sends == 1);
        // One failed exchange is one failure for the back-off, not ten.
        CHECK(c.refresh_backoff().failures() == 1);
        CHECK(c.refresh_backoff().not_before() == c.now_ms() + 1'000);
    }
}

TEST_CASE("a late request with the old cookie adopts the successor, in this process and in another") {
    manual_clock clock;
    recording_store store;
    blocking_endpoint ep;
    blocking_config a(test_options(), ep, clock, store);
    const auto cookie = expired_cookie(a);
    const std::int64_t refreshed_at = a.now_ms();
    check_refreshed(a.resolve(cookie));
    REQUIRE(ep.s->sends == 1);
    REQUIRE(store.get(succ_key_of("rt-1")));

    clock.advance(10s);
    check_refreshed(a.resolve(cookie)); // same process, entry long gone
    CHECK(ep.s->sends == 1);

    blocking_endpoint ep_b; // "another process": its own coordinator, the same store
    blocking_config b(test_options(), ep_b, clock, store);
    const auto r = b.resolve(cookie);
    check_refreshed(r);
    CHECK(ep_b.s->sends == 0);
    // The expiry stays absolute: adopting 10 s later does not add 10 s.
    REQUIRE(r.session->access_token_expires);
    CHECK(std::llabs(*r.session->access_token_expires - (refreshed_at + 3'600'000)) <= 1000);

    SECTION("the record expires after successor_ttl") {
        auto o = test_options();
        o.refresh_coordination.successor_ttl = 50ms;
        recording_store s2;
        blocking_endpoint e1, e2;
        blocking_config p1(o, e1, clock, s2), p2(o, e2, clock, s2);
        const auto ck = expired_cookie(p1);
        check_refreshed(p1.resolve(ck));
        std::this_thread::sleep_for(100ms);
        p2.resolve(ck);
        CHECK(e2.s->sends == 1);
    }
}

TEST_CASE("a request in another process waits for the lock holder and adopts its tokens") {
    manual_clock clock;
    recording_store store;
    blocking_endpoint ep_a, ep_b;
    ep_a.s->delay = 600ms; // slower than the 300 ms lease: renewal keeps b out
    blocking_config a(test_options(), ep_a, clock, store), b(test_options(), ep_b, clock, store);
    const auto cookie = expired_cookie(a);

    auto fa = std::async(std::launch::async, [&] { return a.resolve(cookie); });
    while (!store.get(lock_key_of("rt-1"))) std::this_thread::sleep_for(1ms);
    const auto rb = b.resolve(cookie);
    check_refreshed(fa.get());
    check_refreshed(rb);
    CHECK(ep_a.s->sends == 1);
    CHECK(ep_b.s->sends == 0);
    CHECK(store.renewals() >= 1);
}

TEST_CASE("the lease is renewed while a slow exchange is in flight, and released after") {
    manual_clock clock;
    recording_store store;
    blocking_endpoint ep;
    ep.s->delay = 900ms;
    blocking_config c(test_options(), ep, clock, store); // lease 300 ms
    const auto cookie = expired_cookie(c);
    auto f = std::async(std::launch::async, [&] { return c.resolve(cookie); });
    std::this_thread::sleep_for(700ms); // more than twice the lease
    const auto held = store.get(lock_key_of("rt-1"));
    REQUIRE(held);
    CHECK(held->starts_with(c.refresh_coordinator().owner_prefix()));
    check_refreshed(f.get());
    CHECK_FALSE(store.get(lock_key_of("rt-1")));
    CHECK(store.renewals() >= 2);
}

TEST_CASE("a holder that vanished: the lock expires with no record, and the waiter takes over") {
    manual_clock clock;
    recording_store store;
    blocking_endpoint ep;
    blocking_config c(test_options(), ep, clock, store);
    const auto cookie = expired_cookie(c);
    REQUIRE(store.add(lock_key_of("rt-1"), "dead-process.1", 250ms));
    const auto t0 = std::chrono::steady_clock::now();
    check_refreshed(c.resolve(cookie));
    CHECK(std::chrono::steady_clock::now() - t0 >= 200ms);
    CHECK(ep.s->sends == 1);
}

TEST_CASE("a waiter that times out gets a transient failure and keeps the session") {
    manual_clock clock;
    recording_store store;
    blocking_endpoint ep;
    auto o = test_options();
    o.refresh_coordination.wait_timeout = 200ms;
    blocking_config c(o, ep, clock, store);
    const auto cookie = expired_cookie(c);
    REQUIRE(store.add(lock_key_of("rt-1"), "stuck-process.1", 10s));
    // The wait's deadline is on the config's Clock: the test moves it (10×
    // faster than real time) and the waiter gives up.
    std::atomic<bool> moving{true};
    std::thread mover([&] {
        while (moving) {
            std::this_thread::sleep_for(5ms);
            clock.advance(50ms);
        }
    });
    struct stop_moving {
        std::atomic<bool>& m;
        std::thread& t;
        ~stop_moving() {
            m = false;
            t.join();
        }
    } stop{moving, mover};

    const auto r = c.resolve(cookie);
    CHECK(ep.s->sends == 0);
    CHECK(r.refresh_error == error::refresh_unavailable);
    REQUIRE(r.session);
    CHECK(r.session->error == "TokenExpired");
    CHECK(r.session->refresh_token == "rt-1");
    CHECK(r.session->access_token == "at-1");

    SECTION("async alike") {
        boost::asio::io_context ioc;
        async_endpoint aep{ioc.get_executor()};
        async_config ac(o, aep, clock, store);
        std::optional<core::session_result> ar;
        async_resolve(ac, cookie, [&](core::session_result x) { ar = std::move(x); });
        ioc.run();
        REQUIRE(ar);
        CHECK(aep.s->sends == 0);
        CHECK(ar->refresh_error == error::refresh_unavailable);
        REQUIRE(ar->session);
        CHECK(ar->session->error == "TokenExpired");
    }
}

TEST_CASE("async: another process's lock holder, then adoption") {
    manual_clock clock;
    recording_store store;
    blocking_endpoint ep_a;
    ep_a.s->delay = 500ms;
    blocking_config a(test_options(), ep_a, clock, store);
    const auto cookie = expired_cookie(a);
    auto fa = std::async(std::launch::async, [&] { return a.resolve(cookie); });
    while (!store.get(lock_key_of("rt-1"))) std::this_thread::sleep_for(1ms);

    boost::asio::io_context ioc;
    async_endpoint ep_b{ioc.get_executor()};
    async_config b(test_options(), ep_b, clock, store);
    std::vector<core::session_result> results;
    for (int i = 0; i < 5; ++i) async_resolve(b, cookie, [&](core::session_result r) { results.push_back(std::move(r)); });
    ioc.run();
    check_refreshed(fa.get());
    REQUIRE(results.size() == 5);
    for (const auto& r : results) check_refreshed(r);
    CHECK(ep_b.s->sends == 0);
}

TEST_CASE("successor records that do not open are ignored") {
    manual_clock clock;
    recording_store store;
    blocking_endpoint ep;
    blocking_config c(test_options(), ep, clock, store);
    const auto cookie = expired_cookie(c);

    const auto forged = [&](const std::vector<std::string>& secrets, std::string_view rt) {
        refresh::successor_sealer sealer(secrets);
        oauth::refreshed_tokens evil{"at-evil", "rt-evil", std::nullopt, c.now_ms() + 60'000};
        auto rec = sealer.seal(refresh::token_key(rt), evil);
        REQUIRE(rec);
        return *rec;
    };
    SECTION("sealed with another deployment's secret") {
        store.set(succ_key_of("rt-1"), forged({"a-different-secret"}, "rt-1"), 10s);
    }
    SECTION("tampered") {
        auto rec = forged(test_options().secrets, "rt-1");
        rec[20] = rec[20] == 'A' ? 'B' : 'A';
        store.set(succ_key_of("rt-1"), rec, 10s);
    }
    SECTION("another token's record") { store.set(succ_key_of("rt-1"), forged(test_options().secrets, "rt-other"), 10s); }
    SECTION("garbage") { store.set(succ_key_of("rt-1"), "not base64url at all!", 10s); }
    SECTION("empty") { store.set(succ_key_of("rt-1"), "", 10s); }

    check_refreshed(c.resolve(cookie));
    CHECK(ep.s->sends == 1);
}

TEST_CASE("successor sealer: round trip, secret rotation, malformed input") {
    const std::int64_t expires = 1'800'000'120'000;
    refresh::successor_sealer old_secret({"secret-old"});
    refresh::successor_sealer rotated({"secret-new", "secret-old"});
    const oauth::refreshed_tokens tokens{"A", "R", std::string("I"), expires};
    const auto key = refresh::token_key("rt");
    auto rec = old_secret.seal(key, tokens);
    REQUIRE(rec);
    CHECK(rec->find("\"A\"") == std::string::npos);

    // The record carries the refresh's result itself: the same tokens and
    // the same absolute expiry, whenever it is opened.
    auto opened = rotated.open(key, *rec);
    REQUIRE(opened);
    CHECK(opened->access_token == "A");
    CHECK(opened->refresh_token == "R");
    CHECK(opened->id_token == "I");
    CHECK(opened->access_token_expires == expires);
    auto without_id = old_secret.open(key, *old_secret.seal(key, {"A2", "R2", std::nullopt, expires}));
    REQUIRE(without_id);
    CHECK_FALSE(without_id->id_token);

    CHECK_FALSE(refresh::successor_sealer({"secret-new"}).open(key, *rec));
    CHECK_FALSE(rotated.open(refresh::token_key("other"), *rec));
    CHECK_FALSE(rotated.open(key, rec->substr(0, rec->size() - 1)));
    CHECK_FALSE(rotated.open(key, rec->substr(0, 20)));
    CHECK_FALSE(rotated.open(key, ""));
    CHECK_FALSE(rotated.open(key, "%%%%"));
    for (std::size_t i = 0; i < rec->size(); i += 7) {
        std::string t = *rec;
        t[i] = t[i] == 'A' ? 'B' : 'A';
        CHECK_FALSE(rotated.open(key, t));
    }

    // Nothing to adopt, or nothing to seal with: no record.
    CHECK_FALSE(old_secret.seal(key, {"", "R", std::nullopt, expires}));
    CHECK_FALSE(refresh::successor_sealer({}).seal(key, tokens));
}

TEST_CASE("an unreachable store leaves the in-process single-flight") {
    struct dead_store {
        std::optional<std::string> get(std::string_view) { return std::nullopt; }
        bool set(std::string_view, std::string_view, std::chrono::milliseconds) { return false; }
        bool erase(std::string_view) { return false; }
        bool add(std::string_view, std::string_view, std::chrono::milliseconds) { return false; }
        bool expire_if(std::string_view, std::string_view, std::chrono::milliseconds) { return false; }
        bool erase_if(std::string_view, std::string_view) { return false; }
    };
    manual_clock clock;
    blocking_endpoint ep;
    ep.s->delay = 100ms;
    basic_auth_config<blocking_endpoint, authjs_codec, manual_clock, dead_store, prefix_matcher> c(test_options(), ep,
                                                                                                 clock);
    const auto cookie = expired_cookie(c);
    for (const auto& r : resolve_on_threads(c, cookie, 8)) check_refreshed(r);
    CHECK(ep.s->sends == 1);
    // A late request still adopts from the in-process record.
    check_refreshed(c.resolve(cookie));
    CHECK(ep.s->sends == 1);
}
