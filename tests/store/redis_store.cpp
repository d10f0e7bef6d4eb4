// redis_store against a real redis-server on loopback: every Store member,
// expiry, leases across two independent stores (as two processes would
// hold), the script cache lost and refilled, a server restart in the middle,
// wrong credentials, a server that never answers, many threads.
#include <authpp/store/redis_store.hpp>

#include <authpp/concepts/store.hpp>

#include "lease_contention.hpp"
#include "redis_server.hpp"

#include <catch2/catch.hpp>

#include <hiredis/hiredis.h>

#include <sys/socket.h>

#include <atomic>
#include <thread>

static_assert(authpp::Store<authpp::redis_store>);

using namespace std::chrono_literals;
using authpp::redis_error;
using opt = std::optional<std::string>;
using steady = std::chrono::steady_clock;

namespace {

// Percent-encoded in the URLs below: '@', ':' and '/' must survive decoding.
const std::string password = "p@ss:w/rd";
const std::string password_in_url = "p%40ss%3Aw%2Frd";

authpp::test::redis_server& server() {
    static authpp::test::redis_server s(AUTHPP_REDIS_SERVER,
                                        {"--requirepass", password,
                                         // A Redis 6 ACL user besides the default one.
                                         "--user", "alice", "on", ">alice-pw", "~*", "&*", "+@all"});
    return s;
}

std::string url(int db = 3, const std::string& userinfo = ":" + password_in_url) {
    return "redis://" + userinfo + "@127.0.0.1:" + std::to_string(server().port()) + "/" + std::to_string(db);
}

authpp::redis_store make(authpp::redis_store_options o) {
    auto s = authpp::redis_store::create(std::move(o));
    REQUIRE(s.has_value());
    return *s;
}

authpp::redis_store make(std::string u, std::string prefix = "test:") {
    authpp::redis_store_options o;
    o.url = std::move(u);
    o.key_prefix = std::move(prefix);
    return make(std::move(o));
}

/// A key no other test case uses.
std::string unique(std::string_view base) {
    static std::atomic<int> n{0};
    return std::string(base) + "-" + std::to_string(n++);
}

/// A raw command through hiredis, for what the store does not expose.
void raw_command(const std::vector<std::string>& args) {
    redisContext* c = redisConnect("127.0.0.1", server().port());
    REQUIRE(c);
    REQUIRE(c->err == 0);
    auto* auth = static_cast<redisReply*>(redisCommand(c, "AUTH %b", password.data(), password.size()));
    REQUIRE(auth);
    freeReplyObject(auth);
    std::vector<const char*> argv;
    std::vector<std::size_t> lens;
    for (auto& a : args) {
        argv.push_back(a.data());
        lens.push_back(a.size());
    }
    auto* r = static_cast<redisReply*>(redisCommandArgv(c, static_cast<int>(argv.size()), argv.data(), lens.data()));
    REQUIRE(r);
    CHECK(r->type != REDIS_REPLY_ERROR);
    freeReplyObject(r);
    redisFree(c);
}

template <class F>
std::chrono::milliseconds timed(F f) {
    const auto t0 = steady::now();
    f();
    return std::chrono::duration_cast<std::chrono::milliseconds>(steady::now() - t0);
}

} // namespace

TEST_CASE("redis_store: every Store member") {
    auto s = make(url());
    REQUIRE_FALSE(s.ping());
    const auto k = unique("k");
    authpp::error_code ec;

    CHECK_FALSE(s.get(k, ec));
    CHECK_FALSE(ec); // absent is an answer, not a failure
    CHECK(s.set(k, "v1", 60s, ec));
    CHECK_FALSE(ec);
    CHECK(s.get(k) == opt("v1"));
    CHECK(s.set(k, "v2", 60s));
    CHECK(s.get(k) == opt("v2"));
    CHECK(s.erase(k));
    CHECK_FALSE(s.erase(k, ec));
    CHECK_FALSE(ec);
    CHECK_FALSE(s.get(k));

    CHECK(s.add(k, "owner", 60s, ec));
    CHECK_FALSE(s.add(k, "other", 60s, ec));
    CHECK_FALSE(ec); // held by someone is an answer too
    CHECK(s.get(k) == opt("owner"));
    CHECK_FALSE(s.expire_if(k, "other", 60s, ec));
    CHECK_FALSE(ec);
    CHECK_FALSE(s.expire_if(k, "owne", 60s));
    CHECK(s.expire_if(k, "owner", 60s, ec));
    CHECK_FALSE(ec);
    CHECK_FALSE(s.erase_if(k, "other"));
    CHECK(s.get(k) == opt("owner"));
    CHECK(s.erase_if(k, "owner", ec));
    CHECK_FALSE(s.get(k));
    CHECK_FALSE(s.erase_if(k, "owner"));
    CHECK_FALSE(s.expire_if(k, "owner", 60s));
    CHECK_FALSE(s.get(k)); // expire_if never creates

    const std::string bin("\0\r\n$*\xff", 6); // RESP framing bytes are data
    CHECK(s.set(bin, bin, 60s));
    CHECK(s.get(bin) == opt(bin));
    CHECK(s.erase_if(bin, bin));
    const std::string big(1 << 20, 'b');
    CHECK(s.set(k, big, 60s));
    CHECK(s.get(k) == opt(big));
    CHECK(s.erase(k));
}

TEST_CASE("redis_store: entries expire after their ttl") {
    auto s = make(url());
    const auto k = unique("ttl"), lock = unique("lock");
    CHECK(s.set(k, "v", 300ms));
    CHECK(s.add(lock, "me", 300ms));
    CHECK(s.get(k) == opt("v"));
    std::this_thread::sleep_for(100ms);
    CHECK(s.expire_if(lock, "me", 2000ms)); // renewed before it lapsed
    std::this_thread::sleep_for(300ms);
    CHECK_FALSE(s.get(k));
    CHECK(s.get(lock) == opt("me"));
    CHECK_FALSE(s.add(lock, "other", 60s));
    CHECK(s.expire_if(lock, "me", 0ms)); // a non-positive ttl ends the lease at once
    CHECK_FALSE(s.get(lock));
    CHECK(s.add(lock, "other", 100ms));
    std::this_thread::sleep_for(150ms);
    CHECK_FALSE(s.erase_if(lock, "other")); // lapsed: nothing to release
    CHECK(s.add(lock, "third", 60s));
    CHECK(s.set(k, "v", 0ms)); // stored already expired
    CHECK_FALSE(s.get(k));
    CHECK(s.erase(lock));
}

TEST_CASE("redis_store: leases across two independent stores, as two processes") {
    auto a = make(url());
    auto b = make(url());
    const auto lock = unique("refresh-lock"), successor = unique("successor");
    CHECK(a.add(lock, "process-a", 5s));
    CHECK_FALSE(b.add(lock, "process-b", 5s));
    CHECK_FALSE(b.erase_if(lock, "process-b"));
    CHECK_FALSE(b.expire_if(lock, "process-b", 60s));
    CHECK(a.set(successor, "encrypted-new-tokens", 30s));
    CHECK(a.erase_if(lock, "process-a"));
    CHECK(b.get(successor) == opt("encrypted-new-tokens"));
    CHECK(b.add(lock, "process-b", 5s));
    CHECK(b.erase_if(lock, "process-b"));
}

TEST_CASE("redis_store: database number and key prefix keep stores apart") {
    const auto k = unique("apart");
    auto db3 = make(url(3));
    auto db4 = make(url(4));
    auto other_prefix = make(url(3), "other:");
    CHECK(db3.set(k, "in-3", 60s));
    CHECK_FALSE(db4.get(k));
    CHECK_FALSE(other_prefix.get(k));
    CHECK(other_prefix.add(k, "x", 60s));
    CHECK(db3.get(k) == opt("in-3"));
    CHECK(db3.erase(k));
    CHECK(other_prefix.erase(k));
}

TEST_CASE("redis_store: an ACL user and a unix socket") {
    auto s = make(url(5, "alice:alice-pw"));
    CHECK_FALSE(s.ping());
    const auto k = unique("acl");
    CHECK(s.set(k, "v", 60s));
    auto via_socket = make("unix://:" + password_in_url + "@" + server().socket_path() + "?db=5");
    CHECK_FALSE(via_socket.ping());
    CHECK(via_socket.get(k) == opt("v"));
    CHECK(via_socket.erase(k));
}

TEST_CASE("redis_store: scripts the server forgot are sent again") {
    auto s = make(url());
    const auto k = unique("script");
    REQUIRE(s.add(k, "me", 60s));
    REQUIRE(s.expire_if(k, "me", 60s)); // loaded on the server by now
    raw_command({"SCRIPT", "FLUSH"});
    auto before = s.round_trips();
    CHECK(s.expire_if(k, "me", 60s));
    CHECK(s.round_trips() - before == 2); // NOSCRIPT, then EVAL
    before = s.round_trips();
    CHECK(s.expire_if(k, "me", 60s));
    CHECK(s.round_trips() - before == 1); // EVAL cached it again
    raw_command({"SCRIPT", "FLUSH"});
    CHECK(s.erase_if(k, "me"));
    CHECK_FALSE(s.get(k));
}

TEST_CASE("redis_store: wrong credentials are a clear error, never a crash or a secret") {
    authpp::error_code ec;
    auto wrong = make(url(3, ":not-the-password"));
    const auto e = wrong.ping();
    CHECK(e == redis_error::auth_failed);
    CHECK(e.message().find("password") != std::string::npos);
    CHECK(e.message().find("not-the-password") == std::string::npos);
    CHECK(wrong.url().find("not-the-password") == std::string::npos);
    CHECK_FALSE(wrong.get("k", ec));
    CHECK(ec == redis_error::auth_failed); // remembered for retry_after, not re-sent per call
    CHECK_FALSE(wrong.set("k", "v", 60s));

    auto wrong_user = make(url(0, "alice:bad"));
    CHECK(wrong_user.ping() == redis_error::auth_failed);

    // No password at all: the server answers NOAUTH to the command itself.
    auto none = make("redis://127.0.0.1:" + std::to_string(server().port()));
    CHECK_FALSE(none.get("k", ec));
    CHECK(ec == redis_error::auth_failed);

    auto bad_db = make(url(99));
    CHECK(bad_db.ping() == redis_error::select_failed);
}

TEST_CASE("redis_store: a bad URL fails at construction, with the password kept out") {
    authpp::redis_store_options o;
    o.url = "redis://:secret@127.0.0.1";
    o.tls.ca_file = "ca.pem"; // TLS expected, plain text would be sent
    auto s = authpp::redis_store::create(o);
    REQUIRE(s.has_error());
    CHECK(s.error() == redis_error::tls_without_rediss);
    o.tls = {};
    o.url = "redis://:secret@127.0.0.1:99999";
    try {
        authpp::redis_store thrown(o);
        FAIL("no exception");
    } catch (const boost::system::system_error& e) {
        CHECK(e.code() == redis_error::bad_port);
        CHECK(std::string(e.what()).find("secret") == std::string::npos);
    }
}

TEST_CASE("redis_store: nobody listening answers unreachable at once") {
    authpp::redis_store_options o;
    o.url = "redis://127.0.0.1:" + std::to_string(authpp::test::free_port());
    auto s = make(o);
    authpp::error_code ec;
    const auto took = timed([&] {
        for (int i = 0; i < 50; ++i) {
            CHECK_FALSE(s.get("k", ec));
            CHECK(ec == redis_error::unreachable);
            CHECK_FALSE(s.add("k", "v", 1s));
        }
    });
    CHECK(took < 1s);
}

TEST_CASE("redis_store: a server that never answers costs the command time-out, not more") {
    authpp::test::silent_server silent;

    authpp::redis_store_options o;
    o.url = "redis://127.0.0.1:" + std::to_string(silent.port());
    o.command_timeout = 150ms;
    auto s = make(o);
    authpp::error_code ec;
    const auto took = timed([&] { CHECK_FALSE(s.get("k", ec)); });
    CHECK(ec == redis_error::timed_out);
    CHECK(took >= 140ms);
    CHECK(took < 1500ms);
    CHECK(s.idle_connections() == 0); // a connection out of step is not reused
}

TEST_CASE("redis_store: survives a redis-server restart without being recreated") {
    authpp::redis_store_options o;
    o.url = url();
    o.key_prefix = "restart:";
    o.retry_after = 50ms;
    auto s = make(o);
    auto copy = s; // shares the pool
    CHECK(s.set("before", "v", 60s));
    CHECK(s.expire_if("missing", "v", 60s) == false); // scripts loaded before the restart

    // Connections in the pool, for the restart to break.
    std::vector<std::thread> warm;
    for (int i = 0; i < 4; ++i) warm.emplace_back([&] { s.get("before"); });
    for (auto& t : warm) t.join();
    REQUIRE(s.idle_connections() >= 1);

    server().stop();
    authpp::error_code ec;
    const auto took = timed([&] {
        for (int i = 0; i < 20; ++i) {
            CHECK_FALSE(s.get("before", ec));
            CHECK((ec == redis_error::unreachable || ec == redis_error::connection_lost));
            CHECK_FALSE(copy.set("during", "v", 60s));
            CHECK_FALSE(s.add("lock", "v", 60s));
            CHECK_FALSE(s.expire_if("lock", "v", 60s));
            CHECK_FALSE(s.erase_if("lock", "v"));
            CHECK_FALSE(s.erase("before"));
        }
    });
    CHECK(took < 2s);
    CHECK(s.ping());

    server().start(); // an empty server: no data, no scripts
    const auto deadline = steady::now() + 5s;
    while (s.ping() && steady::now() < deadline) std::this_thread::sleep_for(20ms);
    REQUIRE_FALSE(s.ping());
    CHECK_FALSE(s.get("before")); // persistence is off: the data went with it
    CHECK(s.add("lock", "me", 60s));
    CHECK(s.expire_if("lock", "me", 60s)); // EVALSHA → NOSCRIPT → EVAL
    CHECK(copy.erase_if("lock", "me"));
    CHECK(copy.set("after", "v", 60s));
    CHECK(s.get("after") == opt("v"));
}

TEST_CASE("redis_store: threads taking one lock lose no update, each on its own connection") {
    authpp::redis_store_options o;
    o.url = url();
    o.key_prefix = unique("threads") + ":";
    o.max_idle_connections = 4;
    auto s = make(o);
    CHECK(authpp::test::lease_contention_failures(s, 6, 40) == 0);
    CHECK(s.idle_connections() >= 2);
    CHECK(s.idle_connections() <= 4);
}
