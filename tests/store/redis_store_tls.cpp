// redis_store over rediss:// against real redis-servers with TLS on, on
// loopback, with certificates made at run time (make_certs.sh): every member
// blocking and asynchronous (the Lua scripts included), by IP address and by
// host name, many threads, a restart; then what must fail, each with its own
// error, no data and no secret: a CA that did not sign the server's
// certificate, a certificate for another name, a server that requires a
// client certificate (refusing none and an untrusted one, taking ours), a
// plain-text server; and the TLS options create() refuses.
#include <authpp/store/redis_store.hpp>

#include "../support/test_certs.hpp"
#include "lease_contention.hpp"
#include "redis_server.hpp"

#include <boost/asio/io_context.hpp>

#include <catch2/catch.hpp>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <thread>

using namespace std::chrono_literals;
using authpp::error_code;
using authpp::redis_error;
using opt = std::optional<std::string>;

namespace {

const std::string password = "tls-pw";

std::string file(const std::string& name) { return authpp::test::test_cert_dir(AUTHPP_MAKE_CERTS) + "/" + name; }

/// A redis-server listening with TLS (on tls_port) and in plain text (on
/// port(), for the plain-text cases), presenting `cert`.
struct tls_server {
    std::uint16_t tls_port = authpp::test::free_port();
    authpp::test::redis_server plain;

    tls_server(const std::string& cert, bool require_client_certificate)
        : plain(AUTHPP_REDIS_SERVER, {"--requirepass", password, "--tls-port", std::to_string(tls_port),
                                      "--tls-cert-file", file(cert + ".pem"), "--tls-key-file", file(cert + ".key"),
                                      "--tls-ca-cert-file", file("ca.pem"), "--tls-auth-clients",
                                      require_client_certificate ? "yes" : "no"}) {}

    std::string url(const std::string& host = "127.0.0.1", int db = 3) const {
        return "rediss://:" + password + "@" + host + ":" + std::to_string(tls_port) + "/" + std::to_string(db);
    }
};

tls_server& good() {
    static tls_server s("good", false);
    return s;
}

authpp::redis_store_options options(std::string url, std::string ca = "ca.pem") {
    authpp::redis_store_options o;
    o.url = std::move(url);
    o.key_prefix = "tls:";
    o.retry_after = 50ms;
    if (!ca.empty()) o.tls.ca_file = file(ca);
    return o;
}

authpp::redis_store make(authpp::redis_store_options o) {
    auto s = authpp::redis_store::create(std::move(o));
    if (!s) FAIL(s.error().message());
    return *s;
}

std::string unique(std::string_view base) {
    static std::atomic<int> n{0};
    return std::string(base) + "-" + std::to_string(n++);
}

/// Every member once through the blocking calls, the answers as a log.
std::vector<std::string> blocking_members(authpp::redis_store& s, const std::string& k) {
    std::vector<std::string> log;
    auto flag = [&](const char* name, bool b) { log.push_back(std::string(name) + (b ? " true" : " false")); };
    log.push_back("get " + s.get(k).value_or("(none)"));
    flag("set", s.set(k, "v1", 60s));
    log.push_back("get " + s.get(k).value_or("(none)"));
    flag("add", s.add(k + ":lock", "owner", 60s));
    flag("add", s.add(k + ":lock", "other", 60s));
    flag("expire_if", s.expire_if(k + ":lock", "other", 60s));
    flag("expire_if", s.expire_if(k + ":lock", "owner", 60s));
    flag("erase_if", s.erase_if(k + ":lock", "other"));
    flag("erase_if", s.erase_if(k + ":lock", "owner"));
    flag("erase", s.erase(k));
    flag("erase", s.erase(k));
    return log;
}

/// The same through the asynchronous members, on one io_context.
std::vector<std::string> async_members(authpp::redis_store& s, const std::string& k) {
    boost::asio::io_context io;
    const auto ex = io.get_executor();
    std::vector<std::string> log;
    auto value = [&](std::string name) {
        return [&log, name](error_code ec, opt v) {
            log.push_back(name + (ec ? " error" : " " + v.value_or("(none)")));
        };
    };
    auto flag = [&](std::string name) {
        return [&log, name](error_code ec, bool b) { log.push_back(name + (ec ? " error" : b ? " true" : " false")); };
    };
    s.async_get(ex, k, value("get"));
    s.async_set(ex, k, "v1", 60s, flag("set"));
    s.async_get(ex, k, value("get"));
    s.async_add(ex, k + ":lock", "owner", 60s, flag("add"));
    s.async_add(ex, k + ":lock", "other", 60s, flag("add"));
    s.async_expire_if(ex, k + ":lock", "other", 60s, flag("expire_if"));
    s.async_expire_if(ex, k + ":lock", "owner", 60s, flag("expire_if"));
    s.async_erase_if(ex, k + ":lock", "other", flag("erase_if"));
    s.async_erase_if(ex, k + ":lock", "owner", flag("erase_if"));
    s.async_erase(ex, k, flag("erase"));
    s.async_erase(ex, k, flag("erase"));
    io.run();
    return log;
}

const std::vector<std::string> every_member_answered{
    "get (none)", "set true", "get v1", "add true", "add false", "expire_if false", "expire_if true",
    "erase_if false", "erase_if true", "erase true", "erase false"};

/// One asynchronous get: its error, and whether a value came.
std::pair<error_code, bool> async_get_once(authpp::redis_store& s, const std::string& k) {
    boost::asio::io_context io;
    std::pair<error_code, bool> out{make_error_code(redis_error::protocol_error), true};
    s.async_get(io.get_executor(), k, [&](error_code ec, opt v) { out = {ec, v.has_value()}; });
    io.run();
    return out;
}

/// A refused connection: the error `expected` from ping, from every blocking
/// member (which answer absent / false) and from the asynchronous ones; no
/// message that holds the password.
void refused_everywhere(authpp::redis_store& s, redis_error expected, const std::string& present_key) {
    const auto e = s.ping();
    CHECK(e == expected);
    CHECK(e.message().find(password) == std::string::npos);
    CHECK(s.url().find(password) == std::string::npos);
    error_code ec;
    CHECK_FALSE(s.get(present_key, ec)); // the key is there: no data crosses a refused connection
    CHECK(ec == expected);
    CHECK_FALSE(s.set("k", "v", 60s, ec));
    CHECK(ec == expected);
    CHECK_FALSE(s.add("k", "v", 60s));
    CHECK_FALSE(s.expire_if("k", "v", 60s));
    CHECK_FALSE(s.erase_if("k", "v"));
    CHECK_FALSE(s.erase(present_key));
    const auto [async_ec, got] = async_get_once(s, present_key);
    CHECK(async_ec == expected);
    CHECK_FALSE(got);
}

template <class F>
std::chrono::milliseconds timed(F f) {
    const auto t0 = std::chrono::steady_clock::now();
    f();
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0);
}

} // namespace

TEST_CASE("redis_store TLS: every member, blocking and asynchronous, by IP address") {
    auto s = make(options(good().url()));
    REQUIRE_FALSE(s.ping());
    CHECK(blocking_members(s, unique("b")) == every_member_answered);
    CHECK(async_members(s, unique("a")) == every_member_answered);

    // RESP framing bytes and a value spread over many TLS records.
    const std::string bin("\0\r\n$*\xff", 6), big(1 << 20, 'b');
    CHECK(s.set(bin, bin, 60s));
    CHECK(s.get(bin) == opt(bin));
    CHECK(s.set("big", big, 60s));
    CHECK(s.get("big") == opt(big));
    boost::asio::io_context io;
    opt got;
    s.async_get(io.get_executor(), "big", [&](error_code, opt v) { got = std::move(v); });
    io.run();
    CHECK(got == opt(big));
    CHECK(s.erase("big"));
    CHECK(s.idle_connections() == 1); // the blocking calls' link, kept

    auto before = s.round_trips();
    CHECK(s.set("rt", "v", 0ms)); // one command, one round trip: the connection is reused
    CHECK(s.round_trips() - before == 1);
}

TEST_CASE("redis_store TLS: a host name is sent (SNI) and checked against the certificate's DNS names") {
    auto s = make(options(good().url("localhost")));
    REQUIRE_FALSE(s.ping());
    CHECK(blocking_members(s, unique("name")) == every_member_answered);
    CHECK(async_members(s, unique("name-a")) == every_member_answered);
}

TEST_CASE("redis_store TLS: threads share the pool of TLS connections without losing an update") {
    auto o = options(good().url());
    o.key_prefix = unique("threads") + ":";
    o.max_idle_connections = 3;
    auto s = make(o);
    CHECK(authpp::test::lease_contention_failures(s, 4, 15) == 0);
    CHECK(s.idle_connections() >= 1);
    CHECK(s.idle_connections() <= 3);
}

TEST_CASE("redis_store TLS: a CA that did not sign the server's certificate is refused") {
    auto writer = make(options(good().url()));
    const auto k = unique("secret-data");
    REQUIRE(writer.set(k, "must-not-leak", 60s));

    auto other_ca = make(options(good().url(), "other-ca.pem"));
    refused_everywhere(other_ca, redis_error::tls_certificate_untrusted, k);
    // The system trust store does not hold the test CA either.
    auto system_store = make(options(good().url(), ""));
    CHECK(system_store.ping() == redis_error::tls_certificate_untrusted);
    CHECK(writer.erase(k));
}

TEST_CASE("redis_store TLS: a certificate for another name is refused, by IP address and by host name") {
    static tls_server other_name("wrongname", false); // DNS:other.example only, signed by the trusted CA
    auto by_ip = make(options(other_name.url()));
    refused_everywhere(by_ip, redis_error::tls_name_mismatch, "k");
    auto by_name = make(options(other_name.url("localhost")));
    CHECK(by_name.ping() == redis_error::tls_name_mismatch);
}

TEST_CASE("redis_store TLS: a server that requires a client certificate") {
    static tls_server mutual("good", true);
    SECTION("without one, the server refuses: a clear error, as when unreachable") {
        auto s = make(options(mutual.url()));
        refused_everywhere(s, redis_error::tls_client_certificate_refused, "k");
    }
    SECTION("with one its CA did not sign, likewise") {
        auto o = options(mutual.url());
        o.tls.cert_file = file("untrusted.pem");
        o.tls.key_file = file("untrusted.key");
        auto s = make(o);
        CHECK(s.ping() == redis_error::tls_client_certificate_refused);
    }
    SECTION("with ours, every member works") {
        auto o = options(mutual.url());
        o.tls.cert_file = file("client.pem");
        o.tls.key_file = file("client.key");
        auto s = make(o);
        REQUIRE_FALSE(s.ping());
        CHECK(blocking_members(s, unique("mutual")) == every_member_answered);
        CHECK(async_members(s, unique("mutual-a")) == every_member_answered);
    }
}

TEST_CASE("redis_store TLS: plain text where TLS is expected, and the reverse") {
    // A server that answers the ClientHello in plain text: the handshake fails.
    const auto listening = authpp::test::listen_on_loopback();
    const int fd = listening.first;
    std::thread answering([fd] {
        const int c = ::accept(fd, nullptr, nullptr);
        if (c < 0) return;
        char hello[512];
        (void)::read(c, hello, sizeof hello);
        const std::string_view plain = "-ERR unknown command\r\n";
        (void)::write(c, plain.data(), plain.size());
        ::close(c);
    });
    auto tls_to_plain = make(options("rediss://:" + password + "@127.0.0.1:" + std::to_string(listening.second)));
    CHECK(tls_to_plain.ping() == redis_error::tls_handshake_failed);
    answering.join();
    ::close(fd);

    // redis-server's plain port reads the ClientHello as the start of a
    // command and waits for the rest: nothing answers within the connect
    // time-out, as with a server that is down.
    auto o = options("rediss://:" + password + "@127.0.0.1:" + std::to_string(good().plain.port()));
    o.connect_timeout = 150ms;
    CHECK(make(o).ping() == redis_error::unreachable);

    // And redis:// to the TLS port: the server drops the connection.
    auto plain_to_tls = make(options("redis://:" + password + "@127.0.0.1:" + std::to_string(good().tls_port), ""));
    const auto e = plain_to_tls.ping();
    CHECK((e == redis_error::connection_lost || e == redis_error::timed_out));
}

TEST_CASE("redis_store TLS: a server that accepts and never handshakes costs the connect time-out") {
    authpp::test::silent_server silent;
    auto o = options("rediss://127.0.0.1:" + std::to_string(silent.port()));
    o.connect_timeout = 150ms;
    auto s = make(o);
    error_code ec;
    const auto took = timed([&] { CHECK_FALSE(s.get("k", ec)); });
    CHECK(ec == redis_error::unreachable);
    CHECK(took >= 140ms);
    CHECK(took < 1500ms);
    CHECK(async_get_once(s, "k").first == redis_error::unreachable);
}

TEST_CASE("redis_store TLS: create() refuses TLS options it cannot use, naming which") {
    auto fails = [](authpp::redis_store_options o) {
        o.url = "rediss://:" + password + "@127.0.0.1:6380";
        auto s = authpp::redis_store::create(std::move(o));
        REQUIRE(s.has_error());
        CHECK(s.error().message().find(password) == std::string::npos);
        return s.error();
    };
    authpp::redis_store_options o;
    o.tls.ca_file = file("missing.pem");
    CHECK(fails(o) == redis_error::tls_ca_file);
    o.tls.ca_file = file("ca.key"); // a key, no certificate
    CHECK(fails(o) == redis_error::tls_ca_file);
    o.tls.ca_file = file("ca.pem");
    o.tls.cert_file = file("client.pem"); // without its key
    CHECK(fails(o) == redis_error::tls_key_file);
    o.tls.cert_file.clear();
    o.tls.key_file = file("client.key"); // without its certificate
    CHECK(fails(o) == redis_error::tls_cert_file);
    o.tls.cert_file = file("missing.pem");
    CHECK(fails(o) == redis_error::tls_cert_file);
    o.tls.cert_file = file("client.pem");
    o.tls.key_file = file("good.key"); // another certificate's key
    CHECK(fails(o) == redis_error::tls_key_file);

    // An encrypted key is refused at once, never prompted for on the terminal.
    const auto encrypted = file("client-encrypted.key");
    const std::string cmd = "openssl pkey -in '" + file("client.key") + "' -aes256 -passout pass:x -out '" +
                            encrypted + "' 2>/dev/null";
    REQUIRE(std::system(cmd.c_str()) == 0);
    o.tls.key_file = encrypted;
    CHECK(fails(o) == redis_error::tls_key_file);

    // TLS files with a plain-text URL: the user expects TLS and would not get it.
    // (Designated initializers, as users write them, compile without a warning.)
    authpp::redis_store_options plain{.url = "redis://127.0.0.1", .tls = {.ca_file = file("ca.pem")}};
    auto s = authpp::redis_store::create(plain);
    REQUIRE(s.has_error());
    CHECK(s.error() == redis_error::tls_without_rediss);
    plain.url = "unix:///tmp/r.sock";
    plain.tls.ca_file.clear();
    plain.tls.cert_file = file("client.pem");
    CHECK(authpp::redis_store::create(plain).error() == redis_error::tls_without_rediss);
}

TEST_CASE("redis_store TLS: survives a restart of the server, blocking and asynchronous") {
    auto s = make(options(good().url()));
    REQUIRE(s.set("before", "v", 60s));
    REQUIRE_FALSE(async_get_once(s, "before").first); // an asynchronous link on its own context
    REQUIRE(s.idle_connections() == 1);

    good().plain.stop();
    CHECK(s.ping());
    good().plain.start(); // empty: no data, no scripts
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    while (s.ping() && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(20ms);
    REQUIRE_FALSE(s.ping());
    CHECK_FALSE(s.get("before"));
    CHECK(s.add("lock", "me", 60s));
    CHECK(s.expire_if("lock", "me", 60s));
    CHECK(s.erase_if("lock", "me"));
    CHECK(async_members(s, unique("after")) == every_member_answered);
}
