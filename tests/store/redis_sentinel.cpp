// redis_store over redis-sentinel:// against real servers on loopback: a
// master, its replica and one Sentinel (quorum 1, a 500 ms down-after), all
// started here. Every member through the Sentinel, blocking and
// asynchronous; a dead first Sentinel skipped; a wrong master name and dead
// Sentinels told apart; a node that is not master refused by ROLE; the same
// over TLS (rediss-sentinel://, TLS Sentinel and nodes); a master
// demoted under open connections (READONLY, then ROLE); and, last
// (it ends the master), the master stopped under a set/get load on both
// APIs: the store follows the promotion, the longest run of failed calls is
// printed beside the failover's own time, and what was replicated before
// the stop is still read — and the same with three Sentinels (quorum 2),
// all over TLS, the first Sentinel of the URL dead.
#include <authpp/store/redis_store.hpp>

#include "../support/test_certs.hpp"
#include "failover_load.hpp"
#include "redis_server.hpp"
#include "running_context.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <catch2/catch.hpp>

#include <hiredis/hiredis.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <deque>
#include <filesystem>
#include <fstream>
#include <future>
#include <iostream>
#include <stdexcept>
#include <thread>
#include <vector>

using namespace std::chrono_literals;
using authpp::error_code;
using authpp::redis_error;
using authpp::test::await;
using authpp::test::await_recovery;
using authpp::test::gap_meter;
using authpp::test::load_threads;
using authpp::test::running_context;
using opt = std::optional<std::string>;
using steady = std::chrono::steady_clock;

namespace {

const std::string password = "sentinel-pw";
const std::string master_name = "authpp-m";

std::string cert_file(const std::string& name) {
    return authpp::test::test_cert_dir(AUTHPP_MAKE_CERTS) + "/" + name;
}

/// rediss-sentinel://: what a TLS node (and Sentinel) is given besides its port; no client certificates.
std::vector<std::string> tls_arguments(std::uint16_t tls_port) {
    return {"tls-port", std::to_string(tls_port), "tls-cert-file", cert_file("good.pem"), "tls-key-file",
            cert_file("good.key"), "tls-ca-cert-file", cert_file("ca.pem"), "tls-auth-clients", "no",
            "tls-replication", "yes"};
}

/// The same as redis-server arguments.
std::vector<std::string> as_options(std::vector<std::string> v) {
    for (std::size_t i = 0; i < v.size(); i += 2) v[i] = "--" + v[i];
    return v;
}

template <class... V>
std::vector<std::string> joined(std::vector<std::string> a, const V&... more) {
    (a.insert(a.end(), more.begin(), more.end()), ...);
    return a;
}

/// A Sentinel process watching `master_port`; its configuration file is
/// its own and writable (Sentinel rewrites it).
class sentinel_server {
public:
    /// `tls_port`: also listen with TLS there, and speak TLS to the nodes;
    /// `quorum`: how many Sentinels must agree the master is down;
    /// `extra_config`: lines for its configuration, after the TLS ones (so they override them).
    explicit sentinel_server(std::uint16_t master_port, std::uint16_t tls_port = 0, int quorum = 1,
                             std::string_view extra_config = {})
        : port_(authpp::test::free_port()) {
        dir_ = std::filesystem::temp_directory_path() /
               ("authpp-sentinel-" + std::to_string(::getpid()) + "-" + std::to_string(port_));
        std::filesystem::create_directories(dir_);
        const auto conf = (dir_ / "sentinel.conf").string();
        std::ofstream out(conf);
        if (tls_port != 0) {
            const auto tls = tls_arguments(tls_port);
            for (std::size_t i = 0; i < tls.size(); i += 2) out << tls[i] << " " << tls[i + 1] << "\n";
        }
        out << extra_config;
        out << "port " << port_ << "\nbind 127.0.0.1\ndaemonize no\ndir " << dir_.string()
                            << "\nsentinel monitor " << master_name << " 127.0.0.1 " << master_port << " " << quorum
                            << "\nsentinel auth-pass " << master_name << " " << password
                            << "\nsentinel down-after-milliseconds " << master_name << " 500"
                            << "\nsentinel failover-timeout " << master_name << " 2000\n";
        out.close();
        proc_ = std::make_unique<authpp::test::child_process>(
            std::vector<std::string>{AUTHPP_REDIS_SERVER, conf, "--sentinel"});
    }
    ~sentinel_server() {
        proc_.reset();
        std::error_code ignored;
        std::filesystem::remove_all(dir_, ignored);
    }
    std::uint16_t port() const noexcept { return port_; }

    /// Waits for a log line containing `what`.
    void wait_for(std::string_view what, std::chrono::milliseconds timeout = 20s) {
        wait_for_all({std::string(what)}, timeout);
    }

    /// Waits until each of `whats` is in a log line of its own, in any order
    /// (a text given twice: two lines); on time-out, fails quoting the last lines.
    void wait_for_all(std::vector<std::string> whats, std::chrono::milliseconds timeout = 20s) {
        const auto deadline = steady::now() + timeout;
        while (!whats.empty()) {
            std::string line;
            try {
                line = proc_->read_line(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - steady::now()));
            } catch (const std::exception& e) {
                std::string log;
                for (const auto& l : last_lines_) log += "\n  " + l;
                throw std::runtime_error("Sentinel on port " + std::to_string(port_) + ": " + e.what() +
                                         "; still waiting for '" + whats.front() + "'; its last lines:" + log);
            }
            last_lines_.push_back(line);
            if (last_lines_.size() > 20) last_lines_.pop_front();
            const auto seen = std::find_if(whats.begin(), whats.end(),
                                           [&](const std::string& w) { return line.find(w) != std::string::npos; });
            if (seen != whats.end()) whats.erase(seen);
        }
    }

private:
    std::deque<std::string> last_lines_;
    std::uint16_t port_;
    std::filesystem::path dir_;
    std::unique_ptr<authpp::test::child_process> proc_;
};

/// A master, its replica and one Sentinel (or `sentinels` of them, with a
/// majority as quorum); with `tls`, each also listens with TLS (the ports
/// below) and replication and monitoring go over TLS.
struct cluster {
    bool tls;
    std::uint16_t master_tls = authpp::test::free_port(), replica_tls = authpp::test::free_port(),
                  sentinel_tls = authpp::test::free_port();
    authpp::test::redis_server master{
        AUTHPP_REDIS_SERVER, joined({"--requirepass", password, "--masterauth", password, "--shutdown-timeout", "0",
                                     "--repl-diskless-sync-delay", "0"},
                                    tls ? as_options(tls_arguments(master_tls)) : std::vector<std::string>{})};
    authpp::test::redis_server replica{
        AUTHPP_REDIS_SERVER,
        joined({"--requirepass", password, "--masterauth", password, "--replicaof", "127.0.0.1",
                std::to_string(tls ? master_tls : master.port())},
               tls ? as_options(tls_arguments(replica_tls)) : std::vector<std::string>{})};
    std::unique_ptr<sentinel_server> sentinel;
    std::vector<std::unique_ptr<sentinel_server>> more_sentinels; // beside `sentinel`
    std::vector<std::uint16_t> more_sentinels_tls;                // their TLS ports

    explicit cluster(bool with_tls = false, int sentinels = 1) : tls(with_tls) {
        // The Sentinel learns of the replica from the master's INFO: the
        // replica is in sync first, so that the first INFO names it. (No
        // diskless-sync delay on the master: it would wait 5 s for more replicas.)
        for (int i = 0; i < 100 && raw(replica.port(), {"INFO", "replication"}).find("master_link_status:up") ==
                                       std::string::npos;
             ++i)
            std::this_thread::sleep_for(50ms);
        const int quorum = sentinels / 2 + 1;
        const auto start = [&](std::uint16_t tls_port) {
            return std::make_unique<sentinel_server>(tls ? master_tls : master.port(), tls ? tls_port : 0, quorum);
        };
        sentinel = start(sentinel_tls);
        for (int i = 1; i < sentinels; ++i) {
            more_sentinels_tls.push_back(authpp::test::free_port());
            more_sentinels.push_back(start(more_sentinels_tls.back()));
        }
        // Each Sentinel knows the replica and, before the master may be
        // stopped, the other Sentinels: a failover needs a majority of them
        // to agree, and they find each other only by hello messages (every 2 s).
        std::vector<std::string> seen{"+slave slave 127.0.0.1:" + std::to_string(tls ? replica_tls : replica.port())};
        for (int i = 1; i < sentinels; ++i) seen.emplace_back("+sentinel sentinel");
        sentinel->wait_for_all(seen);
        for (auto& m : more_sentinels) m->wait_for_all(seen);
    }

    /// A command straight to a node (database 1, the store's), bypassing
    /// the store: its answer as text.
    static std::string raw(std::uint16_t port, std::vector<std::string> args) {
        redisContext* c = redisConnect("127.0.0.1", port);
        if (!c || c->err) {
            redisFree(c);
            return "(unreachable)";
        }
        freeReplyObject(redisCommand(c, "AUTH %b", password.data(), password.size()));
        freeReplyObject(redisCommand(c, "SELECT 1"));
        std::vector<const char*> argv;
        std::vector<std::size_t> lens;
        for (auto& a : args) {
            argv.push_back(a.data());
            lens.push_back(a.size());
        }
        auto* r =
            static_cast<redisReply*>(redisCommandArgv(c, static_cast<int>(argv.size()), argv.data(), lens.data()));
        std::string out;
        if (r && (r->type == REDIS_REPLY_STRING || r->type == REDIS_REPLY_STATUS || r->type == REDIS_REPLY_ERROR))
            out.assign(r->str, r->len);
        else if (r && r->type == REDIS_REPLY_INTEGER)
            out = std::to_string(r->integer);
        else if (r && r->type == REDIS_REPLY_ARRAY && r->elements > 0 && r->element[0]->type == REDIS_REPLY_STRING)
            out.assign(r->element[0]->str, r->element[0]->len); // ROLE: the role
        freeReplyObject(r);
        redisFree(c);
        return out;
    }
};

cluster& servers() {
    static cluster c;
    return c;
}

std::string sentinel_url(std::string_view name = master_name, std::string first = {}) {
    return "redis-sentinel://:" + password + "@" + first + "127.0.0.1:" + std::to_string(servers().sentinel->port()) +
           "/" + std::string(name) + "/1";
}

authpp::redis_store make(std::string url) {
    authpp::redis_store_options o;
    o.url = std::move(url);
    o.key_prefix = "sentinel:";
    o.retry_after = 50ms;
    auto s = authpp::redis_store::create(std::move(o));
    REQUIRE(s.has_value());
    return *s;
}

/// A loopback port nobody listens on: a dead Sentinel.
std::string dead_sentinel() { return "127.0.0.1:" + std::to_string(authpp::test::free_port()) + ","; }

/// A fake Sentinel that names `port` (the replica) as the master of every name.
class lying_sentinel {
public:
    explicit lying_sentinel(std::uint16_t port) {
        std::tie(fd_, port_) = authpp::test::listen_on_loopback();
        const auto p = std::to_string(port);
        answer_ = "*2\r\n$9\r\n127.0.0.1\r\n$" + std::to_string(p.size()) + "\r\n" + p + "\r\n";
        thread_ = std::thread([this] {
            while (!stop_) {
                pollfd pf{fd_, POLLIN, 0};
                if (::poll(&pf, 1, 50) <= 0) continue;
                const int c = ::accept(fd_, nullptr, nullptr);
                char buf[512];
                if (c >= 0 && ::read(c, buf, sizeof buf) > 0)
                    (void)!::write(c, answer_.data(), answer_.size());
                if (c >= 0) ::close(c);
            }
        });
    }
    ~lying_sentinel() {
        stop_ = true;
        thread_.join();
        ::close(fd_);
    }
    std::uint16_t port() const noexcept { return port_; }

private:
    int fd_ = -1;
    std::uint16_t port_ = 0;
    std::string answer_;
    std::atomic<bool> stop_{false};
    std::thread thread_;
};

/// Whether the replica has `key` = `value` (waiting up to 2 s for it).
bool replicated(const std::string& key, const std::string& value, const cluster& c = servers()) {
    for (int i = 0; i < 100; ++i) {
        if (cluster::raw(c.replica.port(), {"GET", "sentinel:" + key}) == value) return true;
        std::this_thread::sleep_for(20ms);
    }
    return false;
}

long long ms(steady::duration d) { return std::chrono::duration_cast<std::chrono::milliseconds>(d).count(); }

} // namespace

TEST_CASE("sentinel: every member through the Sentinel, a dead first Sentinel skipped") {
    auto store = make(sentinel_url(master_name, dead_sentinel()));
    CHECK(store.url().find(password) == std::string::npos);
    CHECK(store.url().find("***") != std::string::npos);
    error_code ec;
    CHECK_FALSE(store.ping());
    CHECK(store.set("k", "v1", 10s, ec));
    CHECK_FALSE(ec);
    CHECK(store.get("k") == opt("v1"));
    // It is the master that holds it (and the replica that gets it).
    CHECK(cluster::raw(servers().master.port(), {"GET", "sentinel:k"}) == "v1");
    CHECK(replicated("k", "v1"));
    CHECK_FALSE(store.add("k", "v2", 10s));
    CHECK(store.add("k2", "v2", 10s));
    CHECK(store.expire_if("k2", "v2", 10s));
    CHECK_FALSE(store.expire_if("k2", "other", 10s));
    CHECK_FALSE(store.erase_if("k2", "other"));
    CHECK(store.erase_if("k2", "v2"));
    CHECK(store.erase("k"));
    CHECK_FALSE(store.erase("k"));
    CHECK(store.get("k", ec) == std::nullopt);
    CHECK_FALSE(ec);
    CHECK(store.set("gone", "x", 0ms));
}

TEST_CASE("sentinel: every asynchronous member through the Sentinel") {
    running_context ctx;
    auto store = make(sentinel_url(master_name, dead_sentinel()));
    const auto ex = ctx.io.get_executor();
    auto flag = [&](auto start) { return await<bool>(start); };
    CHECK(flag([&](auto h) { store.async_set(ex, "a", "v1", 10s, h); }) == std::pair<error_code, bool>{{}, true});
    CHECK(await<opt>([&](auto h) { store.async_get(ex, "a", h); }) == std::pair<error_code, opt>{{}, "v1"});
    CHECK_FALSE(flag([&](auto h) { store.async_add(ex, "a", "v2", 10s, h); }).second);
    CHECK(flag([&](auto h) { store.async_add(ex, "a2", "v2", 10s, h); }).second);
    CHECK(flag([&](auto h) { store.async_expire_if(ex, "a2", "v2", 10s, h); }).second);
    CHECK_FALSE(flag([&](auto h) { store.async_erase_if(ex, "a2", "other", h); }).second);
    CHECK(flag([&](auto h) { store.async_erase_if(ex, "a2", "v2", h); }).second);
    CHECK(flag([&](auto h) { store.async_erase(ex, "a", h); }).second);
    CHECK(await<opt>([&](auto h) { store.async_get(ex, "a", h); }) == std::pair<error_code, opt>{{}, std::nullopt});
    // What the blocking side wrote, the asynchronous side reads (the same master).
    CHECK(store.set("both", "b", 10s));
    CHECK(await<opt>([&](auto h) { store.async_get(ex, "both", h); }).second == opt("b"));
}

TEST_CASE("sentinel: a wrong master name, dead Sentinels and a node that is not master are clear errors") {
    running_context ctx;
    auto wrong = make(sentinel_url("no-such-master"));
    CHECK(wrong.ping() == redis_error::master_unknown);
    CHECK(await<opt>([&](auto h) { wrong.async_get(ctx.io.get_executor(), "k", h); }).first ==
          redis_error::master_unknown);

    auto dead = make("redis-sentinel://" + dead_sentinel() + "127.0.0.1:" +
                     std::to_string(authpp::test::free_port()) + "/" + master_name);
    CHECK(dead.ping() == redis_error::sentinel_unreachable);

    lying_sentinel liar(servers().replica.port());
    auto misled = make("redis-sentinel://:" + password + "@127.0.0.1:" + std::to_string(liar.port()) + "/m");
    error_code ec;
    CHECK_FALSE(misled.set("k", "v", 10s, ec));
    CHECK(ec == redis_error::not_master);
    CHECK(await<bool>([&](auto h) { misled.async_set(ctx.io.get_executor(), "k", "v", 10s, h); }).first ==
          redis_error::not_master);
}

TEST_CASE("sentinel: Sentinels with a password of their own get sentinel_password, the master the URL's") {
    running_context ctx;
    const auto ex = ctx.io.get_executor();
    const std::string own = "sentinel-secret";
    authpp::test::redis_server node(AUTHPP_REDIS_SERVER, {"--requirepass", password});
    // The default user's password, and a user that may authenticate and nothing else.
    sentinel_server guarded(node.port(), 0, 1, "requirepass " + own + "\nuser watcher on >watch-pw -@all +auth\n");
    guarded.wait_for("+monitor master");
    const auto url = "redis-sentinel://:" + password + "@" + dead_sentinel() + "127.0.0.1:" +
                     std::to_string(guarded.port()) + "/" + master_name + "/1";
    const auto with = [&](std::string user, std::string pass) {
        authpp::redis_store_options o;
        o.url = url;
        o.retry_after = 0ms;
        o.sentinel_user = std::move(user);
        o.sentinel_password = std::move(pass);
        auto s = authpp::redis_store::create(std::move(o));
        REQUIRE(s.has_value());
        return *s;
    };

    // None given (NOAUTH), a wrong one, or a user the ACL does not let ask (NOPERM): a clear
    // error on both APIs, not a protocol error.
    for (auto [user, pass] :
         {std::pair<std::string, std::string>{"", ""}, {"", "wrong"}, {"nobody", own}, {"watcher", "watch-pw"}}) {
        INFO("sentinel user '" << user << "', password '" << pass << "'");
        auto refused = with(user, pass);
        CHECK(refused.ping() == redis_error::sentinel_auth_failed);
        error_code ec;
        CHECK_FALSE(refused.set("k", "v", 10s, ec));
        CHECK(ec == redis_error::sentinel_auth_failed);
        CHECK(await<bool>([&](auto h) { refused.async_set(ex, "k", "v", 10s, h); }).first ==
              redis_error::sentinel_auth_failed);
    }

    // The right one (as the default user, and named): the master is found, and it gets the URL's.
    for (const std::string user : {"", "default"}) {
        auto store = with(user, own);
        CHECK_FALSE(store.ping());
        CHECK(store.set("guarded", "v" + user, 10s));
        CHECK(store.get("guarded") == opt("v" + user));
        CHECK(await<opt>([&](auto h) { store.async_get(ex, "guarded", h); }) ==
              std::pair<error_code, opt>{{}, "v" + user});
        // AUTH goes in the question's write: a connect costs the round trips it costs without.
        auto fresh = with(user, own);
        CHECK_FALSE(fresh.ping());
        auto plain = make(sentinel_url());
        CHECK_FALSE(plain.ping());
        CHECK(fresh.round_trips() == plain.round_trips());
    }
}

TEST_CASE("sentinel: Sentinel credentials need a sentinel URL and a password") {
    const auto create = [](std::string url, std::string user, std::string pass) {
        authpp::redis_store_options o;
        o.url = std::move(url);
        o.sentinel_user = std::move(user);
        o.sentinel_password = std::move(pass);
        auto s = authpp::redis_store::create(std::move(o));
        return s ? error_code{} : s.error();
    };
    const std::string sentinel = "redis-sentinel://127.0.0.1:26379/mymaster";
    CHECK_FALSE(create(sentinel, "", "pw"));
    CHECK_FALSE(create(sentinel, "user", "pw"));
    CHECK_FALSE(create("rediss-sentinel://127.0.0.1:26379/mymaster", "", "pw"));
    CHECK(create(sentinel, "user", "") == redis_error::sentinel_auth_without_sentinel);
    for (const char* other : {"redis://127.0.0.1:6379", "redis-cluster://127.0.0.1:7000", "unix:///tmp/r.sock"}) {
        INFO(other);
        CHECK(create(other, "", "pw") == redis_error::sentinel_auth_without_sentinel);
        CHECK(create(other, "user", "pw") == redis_error::sentinel_auth_without_sentinel);
    }
    const auto message = error_code(redis_error::sentinel_auth_without_sentinel).message();
    CHECK(message.find("redis-sentinel://") != std::string::npos);
}

TEST_CASE("sentinel: rediss-sentinel:// speaks TLS to the Sentinel and to the master, both verified") {
    static cluster tls_cluster(true);
    running_context ctx;
    const auto ex = ctx.io.get_executor();
    auto tls_url = [&](const std::string& host) {
        return "rediss-sentinel://:" + password + "@" + dead_sentinel() + host + ":" +
               std::to_string(tls_cluster.sentinel_tls) + "/" + master_name + "/1";
    };
    auto options = [&](std::string url, std::string ca) {
        authpp::redis_store_options o;
        o.url = std::move(url);
        o.key_prefix = "sentinel:";
        o.retry_after = 50ms;
        o.tls.ca_file = cert_file(ca);
        return o;
    };
    auto store = authpp::redis_store::create(options(tls_url("127.0.0.1"), "ca.pem"));
    REQUIRE(store.has_value());
    CHECK_FALSE(store->ping());
    CHECK(store->set("t", "v", 10s));
    CHECK(store->add("lock", "me", 10s));
    CHECK(store->expire_if("lock", "me", 10s));
    CHECK(store->erase_if("lock", "me"));
    CHECK(await<opt>([&](auto h) { store->async_get(ex, "t", h); }) == std::pair<error_code, opt>{{}, "v"});
    CHECK(await<bool>([&](auto h) { store->async_erase(ex, "t", h); }).second);
    CHECK(cluster::raw(tls_cluster.master.port(), {"ROLE"}) == "master"); // it went to the master

    // The Sentinel's certificate checked like any rediss:// server's: another CA, another name.
    auto untrusted = authpp::redis_store::create(options(tls_url("127.0.0.1"), "other-ca.pem"));
    REQUIRE(untrusted.has_value());
    CHECK(untrusted->ping() == redis_error::tls_certificate_untrusted);
    auto by_name = authpp::redis_store::create(options(tls_url("localhost"), "ca.pem"));
    REQUIRE(by_name.has_value());
    CHECK_FALSE(by_name->ping()); // good.pem names localhost too; the master is checked by its IP address
}

TEST_CASE("sentinel: a TLS Sentinel that requires a client certificate says so, on both APIs") {
    running_context ctx;
    const auto tls_port = authpp::test::free_port();
    sentinel_server strict(authpp::test::free_port(), tls_port, 1, "tls-auth-clients yes\n");
    strict.wait_for("+monitor master");
    authpp::redis_store_options o;
    o.url = "rediss-sentinel://127.0.0.1:" + std::to_string(tls_port) + "/" + master_name;
    o.tls.ca_file = cert_file("ca.pem");
    auto store = authpp::redis_store::create(std::move(o));
    REQUIRE(store.has_value());
    CHECK(store->ping() == redis_error::tls_client_certificate_refused);
    CHECK(await<opt>([&](auto h) { store->async_get(ctx.io.get_executor(), "k", h); }).first ==
          redis_error::tls_client_certificate_refused);
}

TEST_CASE("sentinel: a master demoted under the store: READONLY, then ROLE, then back") {
    running_context ctx;
    const auto ex = ctx.io.get_executor();
    authpp::test::redis_server node(AUTHPP_REDIS_SERVER, {"--requirepass", password});
    lying_sentinel names(node.port());
    auto store = make("redis-sentinel://:" + password + "@127.0.0.1:" + std::to_string(names.port()) + "/m/1");
    REQUIRE(store.set("k", "v", 10s));
    REQUIRE(await<bool>([&](auto h) { store.async_set(ex, "k", "v", 10s, h); }).second);
    // Demoted while both connections stay open: writes answer READONLY.
    REQUIRE(cluster::raw(node.port(), {"REPLICAOF", "127.0.0.1", std::to_string(authpp::test::free_port())}) == "OK");
    error_code ec;
    CHECK_FALSE(store.set("k", "w", 10s, ec));
    CHECK(ec == redis_error::not_master);
    CHECK(await<bool>([&](auto h) { store.async_set(ex, "k", "w", 10s, h); }).first == redis_error::not_master);
    // The next connect asks again and ROLE refuses the node.
    std::this_thread::sleep_for(100ms);
    CHECK_FALSE(store.set("k", "w", 10s, ec));
    CHECK(ec == redis_error::not_master);
    // Promoted again: after retry_after the store is back on it.
    REQUIRE(cluster::raw(node.port(), {"REPLICAOF", "NO", "ONE"}) == "OK");
    std::this_thread::sleep_for(100ms);
    CHECK(store.set("k", "x", 10s, ec));
    CHECK_FALSE(ec);
    CHECK(await<opt>([&](auto h) { store.async_get(ex, "k", h); }).second == opt("x"));
}

namespace {

/// The master of `s` stopped under a set/get load on both APIs of `store`:
/// the store must follow the promoted replica, no call failing for longer
/// than the failover took, no wrong value read, what was replicated before
/// still there. Prints the figures, named `what`.
void stop_master_under_load(cluster& s, authpp::redis_store& store, const std::string& what) {
    running_context ctx;
    const auto ex = ctx.io.get_executor();
    REQUIRE(store.set("before", "replicated", 60s));
    REQUIRE(replicated("before", "replicated", s));

    std::atomic<bool> stop{false};
    gap_meter blocking, async;
    load_threads load{stop, {}};
    load.threads.emplace_back([&] {
        for (int i = 0; !stop; ++i) {
            const auto k = "b" + std::to_string(i), v = "v" + std::to_string(i);
            error_code ec;
            bool ok = store.set(k, v, 60s, ec) && !ec;
            if (ok) {
                const auto got = store.get(k, ec);
                ok = !ec;
                if (ok && got != opt(v)) ++blocking.wrong_values;
            }
            blocking.record(ok);
            std::this_thread::sleep_for(5ms);
        }
    });
    load.threads.emplace_back([&] {
        for (int i = 0; !stop; ++i) {
            const auto k = "a" + std::to_string(i), v = "v" + std::to_string(i);
            auto set = await<bool>([&](auto h) { store.async_set(ex, k, v, 60s, h); });
            bool ok = !set.first && set.second;
            if (ok) {
                auto got = await<opt>([&](auto h) { store.async_get(ex, k, h); });
                ok = !got.first;
                if (ok && got.second != opt(v)) ++async.wrong_values;
            }
            async.record(ok);
            std::this_thread::sleep_for(5ms);
        }
    });
    std::this_thread::sleep_for(300ms);
    const auto stopped = steady::now();
    s.master.stop();
    s.sentinel->wait_for("+switch-master", 30s);
    const auto failover = steady::now() - stopped;
    await_recovery(blocking, async); // on the promoted node
    load.join();

    std::cout << what << ": master stopped -> +switch-master " << ms(failover) << " ms; longest run of "
              << "failed calls: blocking " << ms(blocking.longest) << " ms (" << blocking.failures << " failed, "
              << blocking.successes << " ok), asynchronous " << ms(async.longest) << " ms (" << async.failures
              << " failed, " << async.successes << " ok)\n";
    CHECK_FALSE(blocking.failing);
    CHECK_FALSE(async.failing);
    CHECK(blocking.failures > 0); // the stop was seen (else the figures say nothing)
    CHECK(blocking.wrong_values == 0);
    CHECK(async.wrong_values == 0);
    // A failed call lasts no longer than the failover, give or take a retry_after and a connect.
    CHECK(blocking.longest <= failover + 1s);
    CHECK(async.longest <= failover + 1s);
    CHECK(cluster::raw(s.replica.port(), {"ROLE"}) == "master");
    CHECK(store.get("before") == opt("replicated"));
    CHECK(await<opt>([&](auto h) { store.async_get(ex, "before", h); }).second == opt("replicated"));
}

} // namespace

TEST_CASE("sentinel: the master stopped under load; the store follows the promoted replica") {
    auto store = make(sentinel_url());
    stop_master_under_load(servers(), store, "sentinel failover");
}

TEST_CASE("sentinel: three Sentinels (quorum 2) over TLS, the first dead; the master stopped under load") {
    cluster trio(true, 3);
    std::string url = "rediss-sentinel://:" + password + "@" + dead_sentinel();
    for (auto port : {trio.sentinel_tls, trio.more_sentinels_tls[0], trio.more_sentinels_tls[1]})
        url += "127.0.0.1:" + std::to_string(port) + ",";
    url.back() = '/';
    authpp::redis_store_options o;
    o.url = url + master_name + "/1";
    o.key_prefix = "sentinel:";
    o.retry_after = 50ms;
    o.tls.ca_file = cert_file("ca.pem");
    auto store = authpp::redis_store::create(std::move(o));
    REQUIRE(store.has_value());
    stop_master_under_load(trio, *store, "sentinel failover, 3 Sentinels over TLS");
}
