// Refresh coordination with scripted transports: one redemption per refresh
// token across threads, asynchronous operations, and configs sharing a store
// (as processes sharing Redis do); successor records; leases; time-outs.
//
// Time is a manual_clock's: the configs', the store's expiry and the blocking
// driver's waits (polls, time-outs, lease renewals) all run on it, so the
// tests move it and sleep for nothing. The scripted endpoint holds requests
// at a gate the test opens, where a real one would take a while.
#include <authpp/asio.hpp>
#include <authpp/clock/manual_clock.hpp>
#include <authpp/clock/system_clock.hpp>
#include <authpp/config.hpp>
#include <authpp/refresh/coordinator.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/json/parse.hpp>

#include <catch2/catch.hpp>

#include <atomic>
#include <condition_variable>
#include <exception>
#include <future>
#include <mutex>
#include <set>
#include <stop_token>
#include <thread>
#include <vector>

using namespace authpp;
using namespace std::chrono_literals;

namespace {

/// A memory_store (expiring on the test's clock) that remembers every key
/// and value it was handed, so a test can check that no refresh token ever
/// reached the store.
class recording_store {
public:
    static constexpr bool completes_immediately = true; // a memory_store underneath
    explicit recording_store(const manual_clock& clock) : s_({}, clock) {}
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
    basic_memory_store<manual_clock> s_;
    std::shared_ptr<log> log_ = std::make_shared<log>();
};

/// A token endpoint that answers every request alike and counts the
/// requests. While its gate is closed, a blocking request waits there: the
/// test sees it arrive and decides when the exchange ends. Copies share the
/// script.
struct endpoint_script {
    std::atomic<int> sends{0};
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

    /// A blocking request: arrives, waits while the gate is closed, is answered.
    http::response pass(const http::request& r) {
        {
            std::unique_lock l(m);
            ++entered;
            gate.notify_all();
            gate.wait(l, [&] { return !closed; });
        }
        return answer(r);
    }
    void close() {
        std::lock_guard l(m);
        closed = true;
    }
    void open() {
        {
            std::lock_guard l(m);
            closed = false;
        }
        gate.notify_all();
    }
    /// Blocks until `n` requests have arrived.
    void await_entered(int n) {
        std::unique_lock l(m);
        gate.wait(l, [&] { return entered >= n; });
    }

private:
    std::condition_variable gate;
    bool closed = false;
    int entered = 0;
};

/// Leaves no thread blocked when a test ends early (a failed REQUIRE): opens
/// the endpoint's gate and moves the clock past every wait. Declared after the
/// futures it frees, so it runs before they are waited for.
struct release_on_exit {
    const manual_clock& clock;
    endpoint_script& ep;
    ~release_on_exit() {
        ep.open();
        if (std::uncaught_exceptions() > 0) clock.advance(1h);
    }
};

struct blocking_endpoint {
    std::shared_ptr<endpoint_script> s = std::make_shared<endpoint_script>();
    http::response send(const http::request& r, error_code&) { return s->pass(r); }
};

struct async_endpoint {
    using executor_type = boost::asio::io_context::executor_type;
    executor_type ex;
    std::shared_ptr<endpoint_script> s = std::make_shared<endpoint_script>();

    executor_type get_executor() const noexcept { return ex; }
    http::response send(const http::request& r, error_code&) { return s->answer(r); }
    /// Answers once the reactor runs.
    template <class Handler>
    void async_send(const http::request& r, Handler&& h) {
        boost::asio::post(ex, [s = s, r, h = std::forward<Handler>(h)]() mutable {
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
    return o.refresh_coordination.key_prefix + ":lock:{" + refresh::token_key(rt) + "}";
}
std::string succ_key_of(std::string_view rt, const auth_options& o = test_options()) {
    return o.refresh_coordination.key_prefix + ":succ:{" + refresh::token_key(rt) + "}";
}

/// `n` requests with one cookie (of rt-1), each on its own thread, while the
/// endpoint holds the first to arrive. Coordinated, it lets the exchange go
/// once the other n − 1 wait for it — asleep on the clock until the refresh
/// is done, as is the leader's lease renewer when it holds the store's lock;
/// uncoordinated, once all n have arrived.
template <class Config>
std::vector<core::session_result> resolve_on_threads(Config& c, const manual_clock& clock, endpoint_script& ep,
                                                     const std::string& cookie, int n) {
    ep.close();
    std::vector<std::future<core::session_result>> fs;
    for (int i = 0; i < n; ++i) fs.push_back(std::async(std::launch::async, [&] { return c.resolve(cookie); }));
    const release_on_exit release{clock, ep};
    if (c.refresh_coordinator().enabled()) {
        ep.await_entered(1);
        const auto waiters = static_cast<std::size_t>(n - 1);
        const std::size_t renewer = c.store().get(lock_key_of("rt-1")) ? 1 : 0;
        REQUIRE(clock.await_sleepers(waiters + renewer));
        CHECK(c.refresh_coordinator().waiting() == waiters);
    } else
        ep.await_entered(n);
    ep.open();
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
    recording_store store(clock);
    blocking_config c(test_options(), ep, clock, store);
    const auto cookie = expired_cookie(c);

    const auto results = resolve_on_threads(c, clock, *ep.s, cookie, 32);
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
    auto o = test_options();
    o.refresh_coordination.enabled = false;
    blocking_config c(o, ep, clock, recording_store(clock));
    const auto cookie = expired_cookie(c);
    resolve_on_threads(c, clock, *ep.s, cookie, 8); // all 8 in the exchange at once
    CHECK(ep.s->sends == 8);
}

TEST_CASE("async: operations on a two-thread io_context make one exchange and share its result") {
    manual_clock clock;
    boost::asio::io_context ioc;
    async_endpoint ep{ioc.get_executor()};
    async_config c(test_options(), ep, clock, recording_store(clock));
    const auto cookie = expired_cookie(c);

    std::mutex m;
    std::vector<core::session_result> results;
    for (int i = 0; i < 40; ++i)
        async_resolve(c, cookie, [&](core::session_result r) {
            std::lock_guard l(m);
            results.push_back(std::move(r));
        });
    // Before the reactor runs: the first leads (its exchange answers when the
    // reactor runs), and all 40 wait for that lead's result.
    CHECK(c.refresh_coordinator().waiting() == 40);
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
    SECTION("invalid_grant") {
        ep.s->status = 400;
        ep.s->body = R"({"error":"invalid_grant"})";
        blocking_config c(test_options(), ep, clock, recording_store(clock));
        const auto cookie = expired_cookie(c);
        for (const auto& r : resolve_on_threads(c, clock, *ep.s, cookie, 10)) {
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
        blocking_config c(test_options(), ep, clock, recording_store(clock));
        const auto cookie = expired_cookie(c);
        for (const auto& r : resolve_on_threads(c, clock, *ep.s, cookie, 10)) {
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
    recording_store store(clock);
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
        recording_store s2(clock);
        blocking_endpoint e1, e2;
        blocking_config p1(o, e1, clock, s2), p2(o, e2, clock, s2);
        const auto ck = expired_cookie(p1);
        check_refreshed(p1.resolve(ck));
        clock.advance(100ms);
        p2.resolve(ck);
        CHECK(e2.s->sends == 1);
    }
}

TEST_CASE("a request in another process waits for the lock holder and adopts its tokens") {
    manual_clock clock;
    recording_store store(clock);
    blocking_endpoint ep_a, ep_b;
    blocking_config a(test_options(), ep_a, clock, store), b(test_options(), ep_b, clock, store);
    const auto cookie = expired_cookie(a);

    ep_a.s->close();
    auto fa = std::async(std::launch::async, [&] { return a.resolve(cookie); });
    ep_a.s->await_entered(1); // a holds the lock, in its exchange
    auto fb = std::async(std::launch::async, [&] { return b.resolve(cookie); });
    const release_on_exit release{clock, *ep_a.s};
    // a's exchange takes 600 ms, twice the 300 ms lease: a's renewals keep b,
    // which polls, out.
    for (int i = 0; i < 30; ++i) {
        REQUIRE(clock.await_sleepers(2)); // a's renewer and b, between their turns
        clock.advance(20ms);
    }
    REQUIRE(clock.await_sleepers(2)); // b sleeps until the clock moves again
    ep_a.s->open();
    check_refreshed(fa.get());
    clock.advance(200ms); // b's next poll, at the latest
    const auto rb = fb.get();
    check_refreshed(rb);
    CHECK(ep_a.s->sends == 1);
    CHECK(ep_b.s->sends == 0);
    CHECK(store.renewals() >= 1);
}

TEST_CASE("the lease is renewed while a slow exchange is in flight, and released after") {
    manual_clock clock;
    recording_store store(clock);
    blocking_endpoint ep;
    blocking_config c(test_options(), ep, clock, store); // lease 300 ms, renewed every 100 ms
    const auto cookie = expired_cookie(c);
    ep.s->close();
    auto f = std::async(std::launch::async, [&] { return c.resolve(cookie); });
    const release_on_exit release{clock, *ep.s};
    ep.s->await_entered(1);
    for (int i = 0; i < 7; ++i) { // 700 ms: more than twice the lease
        REQUIRE(clock.await_sleepers(1)); // the renewer, between its turns
        clock.advance(100ms);
    }
    REQUIRE(clock.await_sleepers(1)); // it has renewed at 700 ms
    const auto held = store.get(lock_key_of("rt-1"));
    REQUIRE(held);
    CHECK(held->starts_with(c.refresh_coordinator().owner_prefix()));
    ep.s->open();
    check_refreshed(f.get());
    CHECK_FALSE(store.get(lock_key_of("rt-1")));
    CHECK(store.renewals() >= 2);
}

TEST_CASE("a holder that vanished: the lock expires with no record, and the waiter takes over") {
    manual_clock clock;
    recording_store store(clock);
    blocking_endpoint ep;
    blocking_config c(test_options(), ep, clock, store);
    const auto cookie = expired_cookie(c);
    REQUIRE(store.add(lock_key_of("rt-1"), "dead-process.1", 250ms));
    auto f = std::async(std::launch::async, [&] { return c.resolve(cookie); });
    const release_on_exit release{clock, *ep.s};
    REQUIRE(clock.await_sleepers(1)); // polling: the lock is held
    clock.advance(240ms);
    REQUIRE(clock.await_sleepers(1)); // still polling: the lock has 10 ms to live
    CHECK(ep.s->sends == 0);
    clock.advance(200ms); // past the lock's expiry and the next poll
    check_refreshed(f.get());
    CHECK(ep.s->sends == 1);
}

TEST_CASE("a waiter that times out gets a transient failure and keeps the session") {
    manual_clock clock;
    recording_store store(clock);
    blocking_endpoint ep;
    auto o = test_options();
    o.refresh_coordination.wait_timeout = 200ms;
    blocking_config c(o, ep, clock, store);
    const auto cookie = expired_cookie(c);
    REQUIRE(store.add(lock_key_of("rt-1"), "stuck-process.1", 10s));
    // The wait's deadline is on the config's Clock: the test moves it past,
    // and the waiter gives up.
    auto f = std::async(std::launch::async, [&] { return c.resolve(cookie); });
    const release_on_exit release{clock, *ep.s};
    REQUIRE(clock.await_sleepers(1)); // polling: the lock is held
    clock.advance(250ms);
    const auto r = f.get();
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
        // It found the lock held and waits for its next poll, on the
        // reactor's timer (20 ms of real time); by then the deadline has passed.
        clock.advance(250ms);
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
    recording_store store(clock);
    blocking_endpoint ep_a;
    blocking_config a(test_options(), ep_a, clock, store);
    const auto cookie = expired_cookie(a);
    ep_a.s->close();
    auto fa = std::async(std::launch::async, [&] { return a.resolve(cookie); });
    const release_on_exit release{clock, *ep_a.s};
    ep_a.s->await_entered(1); // a holds the lock, in its exchange

    boost::asio::io_context ioc;
    async_endpoint ep_b{ioc.get_executor()};
    async_config b(test_options(), ep_b, clock, store);
    std::vector<core::session_result> results;
    for (int i = 0; i < 5; ++i) async_resolve(b, cookie, [&](core::session_result r) { results.push_back(std::move(r)); });
    // b's lead found the lock held and waits for its next poll (the
    // reactor's timer, 20 ms); all five operations wait for that lead.
    CHECK(b.refresh_coordinator().waiting() == 5);
    ep_a.s->open();
    check_refreshed(fa.get());
    ioc.run(); // b's poll finds a's successor record
    REQUIRE(results.size() == 5);
    for (const auto& r : results) check_refreshed(r);
    CHECK(ep_b.s->sends == 0);
}

TEST_CASE("successor records that do not open are ignored") {
    manual_clock clock;
    recording_store store(clock);
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
    basic_auth_config<blocking_endpoint, authjs_codec, manual_clock, dead_store, prefix_matcher> c(test_options(), ep,
                                                                                                 clock);
    const auto cookie = expired_cookie(c);
    for (const auto& r : resolve_on_threads(c, clock, *ep.s, cookie, 8)) check_refreshed(r);
    CHECK(ep.s->sends == 1);
    // A late request still adopts from the in-process record.
    check_refreshed(c.resolve(cookie));
    CHECK(ep.s->sends == 1);
}

TEST_CASE("successors kept in process: each expires successor_ttl after it was last kept") {
    auto o = test_options();
    o.refresh_coordination.successor_ttl = 1000ms;
    refresh::coordinator c(o);
    refresh::outcome won;
    won.tokens = oauth::refreshed_tokens{"at-2", "rt-2", std::nullopt, 5'000'000};
    REQUIRE(c.keep_successor("k1", won, 0));
    REQUIRE(c.keep_successor("k1", won, 800)); // kept again: now until 1800
    REQUIRE(c.keep_successor("k2", won, 1100)); // sweeps what expired by 1100: not k1's second keeping
    CHECK(c.local_successor("k1", 1500));
    CHECK(c.local_successor("k2", 1500));
    CHECK_FALSE(c.local_successor("k1", 1800));
    REQUIRE(c.keep_successor("k3", won, 2200)); // sweeps k1 and k2
    CHECK_FALSE(c.local_successor("k1", 2200));
    CHECK_FALSE(c.local_successor("k2", 2200));
    REQUIRE(c.local_successor("k3", 2200));
    CHECK(c.local_successor("k3", 2200)->access_token == "at-2");
}
