// redis_store's asynchronous members against a real redis-server on
// loopback: every member, pipelining on one connection, the script cache
// refilled, a restart, wrong credentials, and — what they exist for — a
// server that does not answer never stalls the event loop that waits on it.
#include <authpp/store/redis_store.hpp>

#include <authpp/concepts/store.hpp>

#include "../support/ticker.hpp"
#include "redis_server.hpp"

#include <boost/asio/deferred.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_future.hpp>

#include <catch2/catch.hpp>

#include <sys/socket.h>

#include <atomic>
#include <functional>
#include <thread>

using namespace std::chrono_literals;
using authpp::error_code;
using authpp::redis_error;
using opt = std::optional<std::string>;
using steady = std::chrono::steady_clock;
using executor = boost::asio::io_context::executor_type;

static_assert(authpp::AsyncStore<authpp::redis_store, executor>);
static_assert(authpp::AsyncStore<authpp::redis_store, boost::asio::any_io_executor>);
static_assert(!authpp::ImmediateStore<authpp::redis_store>);

namespace {

const std::string password = "async-pw";

authpp::test::redis_server& server() {
    static authpp::test::redis_server s(AUTHPP_REDIS_SERVER, {"--requirepass", password});
    return s;
}

authpp::redis_store make(std::string url, std::string prefix = "async:") {
    authpp::redis_store_options o;
    o.url = std::move(url);
    o.key_prefix = std::move(prefix);
    o.retry_after = 50ms;
    auto s = authpp::redis_store::create(std::move(o));
    REQUIRE(s.has_value());
    return *s;
}

std::string url(int db = 2, const std::string& pw = password) {
    return "redis://:" + pw + "@127.0.0.1:" + std::to_string(server().port()) + "/" + std::to_string(db);
}

std::string unique(std::string_view base) {
    static std::atomic<int> n{0};
    return std::string(base) + "-" + std::to_string(n++);
}

/// Every answer of a sequence of operations, in the order they completed.
struct answers {
    std::vector<std::string> log;
    auto value(std::string name) {
        return [this, name](error_code ec, opt v) {
            log.push_back(name + (ec ? " error:" + ec.message() : " " + v.value_or("(none)")));
        };
    }
    auto flag(std::string name) {
        return [this, name](error_code ec, bool b) {
            log.push_back(name + (ec ? " error:" + ec.message() : b ? " true" : " false"));
        };
    }
};

} // namespace

TEST_CASE("redis_store async: every member, answered in order on one pipelined connection") {
    boost::asio::io_context io;
    auto s = make(url());
    const auto k = unique("k"), lock = unique("lock");
    const auto ex = io.get_executor();
    answers a;
    const auto before = s.round_trips();
    s.async_get(ex, k, a.value("get"));
    s.async_set(ex, k, "v1", 60s, a.flag("set"));
    s.async_get(ex, k, a.value("get"));
    s.async_add(ex, lock, "owner", 60s, a.flag("add"));
    s.async_add(ex, lock, "other", 60s, a.flag("add"));
    s.async_expire_if(ex, lock, "other", 60s, a.flag("expire_if"));
    s.async_expire_if(ex, lock, "owner", 60s, a.flag("expire_if"));
    s.async_erase_if(ex, lock, "other", a.flag("erase_if"));
    s.async_erase_if(ex, lock, "owner", a.flag("erase_if"));
    s.async_erase(ex, k, a.flag("erase"));
    s.async_erase(ex, k, a.flag("erase"));
    s.async_set(ex, k, "gone", 0ms, a.flag("set"));
    s.async_get(ex, k, a.value("get"));
    CHECK(a.log.empty()); // nothing completes inside the initiating call
    io.run();             // returns: an idle link leaves no work behind
    CHECK(a.log == std::vector<std::string>{"get (none)", "set true", "get v1", "add true", "add false",
                                           "expire_if false", "expire_if true", "erase_if false", "erase_if true",
                                           "erase true", "erase false", "set true", "get (none)"});
    CHECK(s.round_trips() - before == 14); // 13 commands and one AUTH + SELECT
}

TEST_CASE("redis_store async: binary values, large values, many commands in flight") {
    boost::asio::io_context io;
    auto s = make(url());
    const auto ex = io.get_executor();
    const std::string bin("\0\r\n$*\xff", 6), big(1 << 20, 'b');
    opt got_bin, got_big;
    s.async_set(ex, bin, bin, 60s, [](error_code, bool) {});
    s.async_get(ex, bin, [&](error_code, opt v) { got_bin = std::move(v); });
    s.async_set(ex, "big", big, 60s, [](error_code, bool) {});
    s.async_get(ex, "big", [&](error_code, opt v) { got_big = std::move(v); });
    constexpr int n = 500;
    int answered = 0, right = 0;
    for (int i = 0; i < n; ++i) {
        const auto key = "many-" + std::to_string(i);
        s.async_set(ex, key, std::to_string(i * 7), 60s, [](error_code, bool) {});
        s.async_get(ex, key, [&, i](error_code ec, opt v) {
            ++answered;
            if (!ec && v == std::to_string(i * 7)) ++right;
        });
    }
    io.run();
    CHECK(got_bin == bin);
    CHECK(got_big == big);
    CHECK(answered == n);
    CHECK(right == n);
}

TEST_CASE("redis_store async: any completion token, from threads other than the loop's") {
    boost::asio::io_context io;
    auto guard = boost::asio::make_work_guard(io);
    std::thread loop([&] { io.run(); });
    auto s = make(url());
    const auto k = unique("future");
    CHECK(s.async_set(io.get_executor(), k, "v", 60s, boost::asio::use_future).get() == true);
    CHECK(s.async_get(io.get_executor(), k, boost::asio::use_future).get() == opt("v"));
    auto later = s.async_get(io.get_executor(), k, boost::asio::deferred); // starts when invoked
    CHECK(s.async_erase(io.get_executor(), k, boost::asio::use_future).get() == true);
    CHECK(std::move(later)(boost::asio::use_future).get() == std::nullopt);
    guard.reset();
    loop.join();
}

TEST_CASE("redis_store async: scripts do not depend on the server's script cache") {
    boost::asio::io_context io;
    auto s = make(url());
    const auto k = unique("script");
    REQUIRE(s.add(k, "me", 60s));
    REQUIRE(s.expire_if(k, "me", 60s)); // the script is cached on the server now
    bool flushed = false;
    // SCRIPT FLUSH through the blocking side (no Store member sends it).
    {
        redisContext* c = redisConnect("127.0.0.1", server().port());
        REQUIRE(c);
        auto* r1 = static_cast<redisReply*>(redisCommand(c, "AUTH %s", password.c_str()));
        auto* r2 = static_cast<redisReply*>(redisCommand(c, "SCRIPT FLUSH"));
        flushed = r2 && r2->type == REDIS_REPLY_STATUS;
        freeReplyObject(r1);
        freeReplyObject(r2);
        redisFree(c);
    }
    REQUIRE(flushed);
    answers a;
    const auto before = s.round_trips();
    s.async_expire_if(io.get_executor(), k, "me", 60s, a.flag("expire_if"));
    io.run();
    CHECK(a.log == std::vector<std::string>{"expire_if true"});
    CHECK(s.round_trips() - before == 2); // connect (AUTH + SELECT), then EVAL
    io.restart();
    s.async_erase_if(io.get_executor(), k, "me", a.flag("erase_if"));
    io.run();
    CHECK(a.log.back() == "erase_if true");
    CHECK_FALSE(s.get(k));
}

TEST_CASE("redis_store async: a unix socket") {
    boost::asio::io_context io;
    auto s = make("unix://:" + password + "@" + server().socket_path() + "?db=2");
    answers a;
    s.async_set(io.get_executor(), "unix", "v", 60s, a.flag("set"));
    s.async_get(io.get_executor(), "unix", a.value("get"));
    s.async_erase(io.get_executor(), "unix", a.flag("erase"));
    io.run();
    CHECK(a.log == std::vector<std::string>{"set true", "get v", "erase true"});
}

TEST_CASE("redis_store async: wrong credentials and a bad database are clear errors") {
    boost::asio::io_context io;
    // Two stores, two connections: each answers in its own order, the two interleave as they will.
    answers a, b;
    auto wrong = make(url(2, "not-the-password"));
    wrong.async_get(io.get_executor(), "k", a.value("get"));
    wrong.async_set(io.get_executor(), "k", "v", 60s, a.flag("set"));
    auto bad_db = make(url(99));
    bad_db.async_get(io.get_executor(), "k", b.value("db"));
    io.run();
    const std::string auth = "error:" + error_code(redis_error::auth_failed).message();
    const std::string select = "error:" + error_code(redis_error::select_failed).message();
    CHECK(a.log == std::vector<std::string>{"get " + auth, "set " + auth});
    CHECK(b.log == std::vector<std::string>{"db " + select});
    for (const auto& line : a.log) CHECK(line.find("not-the-password") == std::string::npos);
}

TEST_CASE("redis_store async: nobody listening answers unreachable, and the failure is remembered") {
    boost::asio::io_context io;
    authpp::redis_store_options o;
    o.url = "redis://127.0.0.1:" + std::to_string(authpp::test::free_port());
    o.retry_after = 10s;
    auto s = *authpp::redis_store::create(o);
    answers a;
    s.async_get(io.get_executor(), "k", a.value("first"));
    io.run();
    io.restart();
    const auto t0 = steady::now();
    for (int i = 0; i < 50; ++i) s.async_add(io.get_executor(), "k", "v", 1s, a.flag("later"));
    io.run();
    CHECK(steady::now() - t0 < 500ms);
    REQUIRE(a.log.size() == 51);
    const std::string unreachable = "error:" + error_code(redis_error::unreachable).message();
    CHECK(a.log[0] == "first " + unreachable);
    CHECK(a.log[50] == "later " + unreachable);
}

TEST_CASE("redis_store async: a server that never answers does not stall the loop waiting on it") {
    authpp::test::silent_server silent;

    boost::asio::io_context io; // one thread runs everything
    authpp::redis_store_options o;
    o.url = "redis://127.0.0.1:" + std::to_string(silent.port());
    o.command_timeout = 400ms;
    auto s = *authpp::redis_store::create(o);
    answers a;
    const auto t0 = steady::now();
    steady::duration took{};
    for (int i = 0; i < 20; ++i)
        s.async_get(io.get_executor(), "k", [&, i](error_code ec, opt v) {
            a.value("get")(ec, std::move(v));
            if (i == 19) took = steady::now() - t0;
        });
    // Meanwhile the same thread serves a 10 ms ticker: the loop stays free.
    authpp::test::ticker ticker(io, 10ms, 30);
    ticker.start();
    io.run();
    REQUIRE(a.log.size() == 20);
    const std::string timed_out = "get error:" + error_code(redis_error::timed_out).message();
    for (const auto& line : a.log) CHECK(line == timed_out);
    CHECK(took >= 390ms);
    CHECK(took < 1500ms);
    CHECK(ticker.ticks() == 30);
    CHECK(ticker.worst_gap() < 300ms); // never held for the 400 ms a blocking wait would take
}

TEST_CASE("redis_store async: survives a redis-server restart") {
    boost::asio::io_context io;
    auto s = make(url(), "restart-async:");
    answers a;
    s.async_set(io.get_executor(), "before", "v", 60s, a.flag("set"));
    io.run(); // the link now holds an open connection
    REQUIRE(a.log == std::vector<std::string>{"set true"});

    server().stop();
    io.restart();
    s.async_get(io.get_executor(), "before", a.value("down"));
    io.run();
    REQUIRE(a.log.size() == 2);
    CHECK(a.log[1].starts_with("down error:"));

    server().start(); // empty: no data, no scripts
    bool up = false;
    const auto deadline = steady::now() + 5s;
    while (!up && steady::now() < deadline) {
        io.restart();
        s.async_set(io.get_executor(), "after", "v", 60s, [&](error_code ec, bool ok) { up = !ec && ok; });
        io.run();
        if (!up) std::this_thread::sleep_for(60ms); // past retry_after
    }
    REQUIRE(up);
    io.restart();
    answers b;
    s.async_get(io.get_executor(), "before", b.value("get"));
    s.async_add(io.get_executor(), "lock", "me", 60s, b.flag("add"));
    s.async_expire_if(io.get_executor(), "lock", "me", 60s, b.flag("expire_if")); // no scripts on the server
    s.async_erase_if(io.get_executor(), "lock", "me", b.flag("erase_if"));
    io.run();
    CHECK(b.log == std::vector<std::string>{"get (none)", "add true", "expire_if true", "erase_if true"});
}

TEST_CASE("redis_store async: the link closes with its io_context, pending handlers dropped") {
    auto s = make(url());
    bool called = false;
    {
        boost::asio::io_context io;
        s.async_get(io.get_executor(), "k", [&](error_code, opt) { called = true; });
        // never run: the context is destroyed with the command queued
    }
    CHECK_FALSE(called);
    boost::asio::io_context io2; // a new context gets a new link
    opt v = "x";
    s.async_get(io2.get_executor(), "never-set", [&](error_code, opt got) { v = std::move(got); });
    io2.run();
    CHECK_FALSE(v);
}
