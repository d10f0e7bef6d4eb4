// parse_redis_url: every accepted form with the values it yields, each kind
// of malformed URL with the exact error, and redaction.
#include <authpp/store/redis_url.hpp>
#include <authpp/store/redis_url.hpp> // self-contained and guarded

#include <authpp/store/detail/redis_slot.hpp>

#include <catch2/catch.hpp>

#include <set>
#include <string>

using authpp::redis_error;
using authpp::redis_url;

namespace {

redis_url ok(std::string_view s) {
    auto r = authpp::parse_redis_url(s);
    INFO(s);
    REQUIRE(r.has_value());
    return *r;
}

authpp::error_code fails(std::string_view s) {
    auto r = authpp::parse_redis_url(s);
    INFO(s);
    REQUIRE(r.has_error());
    return r.error();
}

} // namespace

TEST_CASE("redis_url: host, port and database with their defaults") {
    auto u = ok("redis://localhost");
    CHECK(u.transport == redis_url::kind::tcp);
    CHECK(u.host == "localhost");
    CHECK(u.port == 6379);
    CHECK(u.database == 0);
    CHECK_FALSE(u.authenticates());

    u = ok("redis://127.0.0.1:7000/5");
    CHECK(u.host == "127.0.0.1");
    CHECK(u.port == 7000);
    CHECK(u.database == 5);

    u = ok("REDIS://cache.internal_1-a.example:1/");
    CHECK(u.host == "cache.internal_1-a.example");
    CHECK(u.port == 1);
    CHECK(u.database == 0);

    u = ok("redis://h:65535/2147483647");
    CHECK(u.port == 65535);
    CHECK(u.database == 2147483647);

    u = ok("redis://[::1]:6380/3");
    CHECK(u.host == "::1");
    CHECK(u.port == 6380);
    CHECK(u.database == 3);
    CHECK(ok("redis://[2001:db8::7]").host == "2001:db8::7");
    CHECK(ok("redis://h/007").database == 7);
}

TEST_CASE("redis_url: credentials are percent-decoded; a user means an ACL user") {
    auto u = ok("redis://:s3cret@h");
    CHECK(u.user.empty());
    CHECK(u.password == "s3cret");
    CHECK(u.authenticates());

    u = ok("redis://alice:pw@h:1234/9");
    CHECK(u.user == "alice");
    CHECK(u.password == "pw");
    CHECK(u.port == 1234);
    CHECK(u.database == 9);

    u = ok("redis://al%69ce:p%40ss%3Aw%2Frd%25@h");
    CHECK(u.user == "alice");
    CHECK(u.password == "p@ss:w/rd%");

    u = ok("redis://:pa:ss@h"); // only the first ':' splits
    CHECK(u.password == "pa:ss");

    u = ok("redis://:%00%FF@h"); // AUTH is binary-safe
    CHECK(u.password == std::string("\0\xff", 2));

    u = ok("redis://:@h"); // empty credentials: no AUTH
    CHECK_FALSE(u.authenticates());
    CHECK(ok("redis://bob:@h").authenticates()); // a user with an empty password still AUTHs
}

TEST_CASE("redis_url: unix sockets") {
    auto u = ok("unix:///run/redis/redis.sock");
    CHECK(u.transport == redis_url::kind::unix_socket);
    CHECK(u.socket_path == "/run/redis/redis.sock");
    CHECK(u.database == 0);
    CHECK(u.host.empty());

    u = ok("unix://:pw@/tmp/r%20s.sock?db=4");
    CHECK(u.socket_path == "/tmp/r s.sock");
    CHECK(u.password == "pw");
    CHECK(u.database == 4);
    CHECK(ok("UNIX://u:p@/s?").user == "u");
}

TEST_CASE("redis_url: rediss is the tcp form over TLS") {
    auto u = ok("rediss://:pw@h:6380");
    CHECK(u.tls);
    CHECK(u.transport == redis_url::kind::tcp);
    CHECK(u.host == "h");
    CHECK(u.port == 6380);
    CHECK(u.password == "pw");
    CHECK_FALSE(ok("redis://h").tls);
    CHECK_FALSE(ok("unix:///s.sock").tls);

    u = ok("REDISS://alice:p%40ss@[::1]/4");
    CHECK(u.tls);
    CHECK(u.user == "alice");
    CHECK(u.password == "p@ss");
    CHECK(u.host == "::1");
    CHECK(u.port == 6379); // the same default as redis://
    CHECK(u.database == 4);
    CHECK(ok("rediss://127.0.0.1").host == "127.0.0.1");
    CHECK(ok("rediss://cache.example:1/").host == "cache.example");
}

TEST_CASE("redis_url: malformed rediss URLs name the bad part as redis:// ones do") {
    CHECK(fails("rediss:/h") == redis_error::bad_scheme);
    CHECK(fails("rediss:h") == redis_error::bad_scheme);
    CHECK(fails("redisss://h") == redis_error::bad_scheme);
    CHECK(fails("rediss+unix:///s.sock") == redis_error::bad_scheme);
    CHECK(fails("tls://h") == redis_error::bad_scheme);
    CHECK(fails("rediss://") == redis_error::bad_host);
    CHECK(fails("rediss:///s.sock") == redis_error::bad_host); // no unix socket over TLS
    CHECK(fails("rediss://:pw@") == redis_error::bad_host);
    CHECK(fails("rediss://[::1") == redis_error::bad_host);
    CHECK(fails("rediss://pw@h") == redis_error::bad_userinfo);
    CHECK(fails("rediss://:%zz@h") == redis_error::bad_percent_encoding);
    CHECK(fails("rediss://h:0") == redis_error::bad_port);
    CHECK(fails("rediss://h:65536") == redis_error::bad_port);
    CHECK(fails("rediss://h/x") == redis_error::bad_database);
    CHECK(fails("rediss://h?db=1") == redis_error::bad_url_part);
    CHECK(fails("rediss://h/0?ssl_cert_reqs=none") == redis_error::bad_url_part); // no verification switch in URLs
    CHECK(fails("rediss://h#x") == redis_error::bad_url_part);
}

TEST_CASE("redis_url: malformed URLs name the bad part") {
    CHECK(fails("") == redis_error::bad_scheme);
    CHECK(fails("localhost:6379") == redis_error::bad_scheme);
    CHECK(fails("http://h") == redis_error::bad_scheme);
    CHECK(fails("redis:/h") == redis_error::bad_scheme);
    CHECK(fails("redis:h") == redis_error::bad_scheme);

    CHECK(fails("redis://pw@h") == redis_error::bad_userinfo); // ambiguous: user or password?
    CHECK(fails("redis://:p@ss@h") == redis_error::bad_userinfo);
    CHECK(fails("redis://:p ss@h") == redis_error::bad_userinfo);
    CHECK(fails("redis://:p\x01@h") == redis_error::bad_userinfo);
    CHECK(fails("redis://:p\xc3\xa9@h") == redis_error::bad_userinfo); // raw UTF-8: encode it

    CHECK(fails("redis://:%@h") == redis_error::bad_percent_encoding);
    CHECK(fails("redis://:%4@h") == redis_error::bad_percent_encoding);
    CHECK(fails("redis://:%4g@h") == redis_error::bad_percent_encoding);
    CHECK(fails("redis://:ab%@h") == redis_error::bad_percent_encoding);
    CHECK(fails("redis://%zz:pw@h") == redis_error::bad_percent_encoding);

    CHECK(fails("redis://") == redis_error::bad_host);
    CHECK(fails("redis:///0") == redis_error::bad_host);
    CHECK(fails("redis://:pw@") == redis_error::bad_host);
    CHECK(fails("redis://:6379") == redis_error::bad_host);
    CHECK(fails("redis://ho st") == redis_error::bad_host);
    CHECK(fails("redis://h%41") == redis_error::bad_host);
    CHECK(fails("redis://[::1") == redis_error::bad_host);
    CHECK(fails("redis://[]") == redis_error::bad_host);
    CHECK(fails("redis://[1.2.3.4]") == redis_error::bad_host);
    CHECK(fails("redis://[::1]x") == redis_error::bad_host);
    CHECK(fails("redis://[::g]") == redis_error::bad_host);
    CHECK(fails("redis://" + std::string(254, 'a')) == redis_error::bad_host);

    CHECK(fails("redis://h:") == redis_error::bad_port);
    CHECK(fails("redis://h:0") == redis_error::bad_port);
    CHECK(fails("redis://h:65536") == redis_error::bad_port);
    CHECK(fails("redis://h:99999999999") == redis_error::bad_port);
    CHECK(fails("redis://h:-1") == redis_error::bad_port);
    CHECK(fails("redis://h:+1") == redis_error::bad_port);
    CHECK(fails("redis://h:1:2") == redis_error::bad_port);
    CHECK(fails("redis://::1") == redis_error::bad_host);
    CHECK(fails("redis://[::1]:") == redis_error::bad_port);

    CHECK(fails("redis://h/x") == redis_error::bad_database);
    CHECK(fails("redis://h/-1") == redis_error::bad_database);
    CHECK(fails("redis://h/2147483648") == redis_error::bad_database);
    CHECK(fails("redis://h/1/2") == redis_error::bad_database);
    CHECK(fails("redis://h/1 ") == redis_error::bad_database);
    CHECK(fails("redis://h//") == redis_error::bad_database);

    CHECK(fails("redis://h/0?db=1") == redis_error::bad_url_part);
    CHECK(fails("redis://h?db=1") == redis_error::bad_url_part);
    CHECK(fails("redis://h#frag") == redis_error::bad_url_part);

    CHECK(fails("unix://") == redis_error::bad_url_part);
    CHECK(fails("unix:///") == redis_error::bad_url_part);
    CHECK(fails("unix://host/s.sock") == redis_error::bad_url_part);
    CHECK(fails("unix://pw@/s.sock") == redis_error::bad_userinfo);
    CHECK(fails("unix:///s.sock?db=x") == redis_error::bad_database);
    CHECK(fails("unix:///s.sock?db=1&db=2") == redis_error::bad_url_part);
    CHECK(fails("unix:///s.sock?password=x") == redis_error::bad_url_part);
    CHECK(fails("unix:///s.sock#x") == redis_error::bad_url_part);
    CHECK(fails("unix:///s%00.sock") == redis_error::bad_url_part);
    CHECK(fails("unix:///s .sock") == redis_error::bad_url_part);
}

TEST_CASE("redis_url: errors say what to write, in the authpp.redis category") {
    const auto ec = fails("redis://pw@h");
    CHECK(ec.category().name() == std::string("authpp.redis"));
    CHECK(ec.message().find("redis://:password@host") != std::string::npos);
    CHECK(std::string(authpp::make_error_code(redis_error::bad_port).message()).find("65535") != std::string::npos);
}

TEST_CASE("redis_url: every redis_error has a message of its own") {
    // From the first value to the last (keep `last` the enum's last).
    constexpr auto last = redis_error::sentinel_auth_failed;
    std::set<std::string> seen;
    for (int v = 1; v <= static_cast<int>(last); ++v) {
        const auto m = authpp::make_error_code(static_cast<redis_error>(v)).message();
        INFO(v << ": " << m);
        CHECK(m != "unknown authpp.redis error");
        CHECK(seen.insert(m).second);
    }
    CHECK(authpp::make_error_code(static_cast<redis_error>(static_cast<int>(last) + 1)).message() ==
          "unknown authpp.redis error");
}

TEST_CASE("redis_url: redacted never shows the password") {
    CHECK(ok("redis://:hunter2@h:7/1").redacted() == "redis://:***@h:7/1");
    CHECK(ok("redis://al%40ce:hunter2@[::1]").redacted() == "redis://al%40ce:***@[::1]:6379/0");
    CHECK(ok("redis://h").redacted() == "redis://h:6379/0");
    CHECK(ok("unix://:hunter2@/tmp/r%20s.sock?db=2").redacted() == "unix://:***@/tmp/r%20s.sock?db=2");
    CHECK(ok("rediss://u:hunter2@h:7/1").redacted() == "rediss://u:***@h:7/1");
    CHECK(ok(ok("rediss://:pw@h").redacted()).tls); // TLS survives redaction
    // What redacted() prints parses back to the same place.
    const auto back = ok(ok("redis://u%3Ax:pw@h:9/3").redacted());
    CHECK(back.user == "u:x");
    CHECK(back.port == 9);
    CHECK(back.database == 3);
}

TEST_CASE("redis_url: the sentinel forms list Sentinels and name the master") {
    auto u = ok("redis-sentinel://10.0.0.1,10.0.0.2:26380,[::1]/mymaster");
    CHECK(u.sentinel());
    CHECK_FALSE(u.tls);
    CHECK(u.transport == redis_url::kind::tcp);
    REQUIRE(u.sentinels.size() == 3);
    CHECK(u.sentinels[0].host == "10.0.0.1");
    CHECK(u.sentinels[0].port == 26379);
    CHECK(u.sentinels[1].host == "10.0.0.2");
    CHECK(u.sentinels[1].port == 26380);
    CHECK(u.sentinels[2].host == "::1");
    CHECK(u.sentinels[2].port == 26379);
    CHECK(u.master_name == "mymaster");
    CHECK(u.database == 0);
    CHECK_FALSE(u.authenticates());

    u = ok("REDISS-SENTINEL://al%40ce:p%3Aw@s1.example:1/cache_main-2.eu/7");
    CHECK(u.sentinel());
    CHECK(u.tls);
    REQUIRE(u.sentinels.size() == 1);
    CHECK(u.sentinels[0].host == "s1.example");
    CHECK(u.sentinels[0].port == 1);
    CHECK(u.master_name == "cache_main-2.eu");
    CHECK(u.database == 7);
    CHECK(u.user == "al@ce");
    CHECK(u.password == "p:w");

    CHECK(ok("redis-sentinel://:pw@h/m/").database == 0);
    CHECK(ok("redis-sentinel://:pw@h/m/").password == "pw");
    CHECK_FALSE(ok("redis://h").sentinel());
}

TEST_CASE("redis_url: malformed sentinel URLs name the bad part") {
    CHECK(fails("redis-sentinel://h") == redis_error::bad_master_name);
    CHECK(fails("redis-sentinel://h/") == redis_error::bad_master_name);
    CHECK(fails("redis-sentinel://h//0") == redis_error::bad_master_name);
    CHECK(fails("redis-sentinel://h/my%20master") == redis_error::bad_master_name);
    CHECK(fails("redis-sentinel://h/my master") == redis_error::bad_master_name);
    CHECK(fails("redis-sentinel://h/m:1") == redis_error::bad_master_name);
    CHECK(fails("redis-sentinel://h/" + std::string(256, 'm')) == redis_error::bad_master_name);
    CHECK(fails("redis-sentinel:///m") == redis_error::bad_host);
    CHECK(fails("redis-sentinel://h1,/m") == redis_error::bad_host);
    CHECK(fails("redis-sentinel://,h1/m") == redis_error::bad_host);
    CHECK(fails("redis-sentinel://h1,,h2/m") == redis_error::bad_host);
    CHECK(fails("redis-sentinel://[::1/m") == redis_error::bad_host);
    CHECK(fails("redis-sentinel://h:0/m") == redis_error::bad_port);
    CHECK(fails("redis-sentinel://h1,h2:65536/m") == redis_error::bad_port);
    CHECK(fails("redis-sentinel://h/m/x") == redis_error::bad_database);
    CHECK(fails("redis-sentinel://h/m/1/2") == redis_error::bad_database);
    CHECK(fails("redis-sentinel://h/m?db=1") == redis_error::bad_url_part);
    CHECK(fails("redis-sentinel://h?x/m") == redis_error::bad_url_part);
    CHECK(fails("redis-sentinel://h/m#f") == redis_error::bad_url_part);
    CHECK(fails("redis-sentinel://pw@h/m") == redis_error::bad_userinfo);
    CHECK(fails("redis-sentinel://:p%4@h/m") == redis_error::bad_percent_encoding);
    CHECK(fails("redis-sentinels://h/m") == redis_error::bad_scheme);
    CHECK(fails("sentinel://h/m") == redis_error::bad_scheme);
}

TEST_CASE("redis_url: redacted sentinel URLs hide the password and parse back") {
    CHECK(ok("redis-sentinel://u:hunter2@a,b:7,[::1]/m/2").redacted() ==
          "redis-sentinel://u:***@a:26379,b:7,[::1]:26379/m/2");
    CHECK(ok("rediss-sentinel://:hunter2@a/m").redacted() == "rediss-sentinel://:***@a:26379/m/0");
    const auto back = ok(ok("rediss-sentinel://u:pw@a,b:7/m/3").redacted());
    CHECK(back.tls);
    CHECK(back.sentinels.size() == 2);
    CHECK(back.master_name == "m");
    CHECK(back.database == 3);
    CHECK(back.password == "***");
}

TEST_CASE("redis_url: the cluster forms list seed nodes") {
    auto u = ok("redis-cluster://10.0.0.1,10.0.0.2:7001,[::1]");
    CHECK(u.cluster());
    CHECK_FALSE(u.sentinel());
    CHECK_FALSE(u.tls);
    CHECK(u.transport == redis_url::kind::tcp);
    REQUIRE(u.cluster_nodes.size() == 3);
    CHECK(u.cluster_nodes[0].host == "10.0.0.1");
    CHECK(u.cluster_nodes[0].port == 6379);
    CHECK(u.cluster_nodes[1].host == "10.0.0.2");
    CHECK(u.cluster_nodes[1].port == 7001);
    CHECK(u.cluster_nodes[2].host == "::1");
    CHECK(u.cluster_nodes[2].port == 6379);
    CHECK(u.database == 0);
    CHECK_FALSE(u.authenticates());

    u = ok("REDISS-CLUSTER://al%40ce:p%3Aw@n1.example:1/0");
    CHECK(u.cluster());
    CHECK(u.tls);
    REQUIRE(u.cluster_nodes.size() == 1);
    CHECK(u.cluster_nodes[0].host == "n1.example");
    CHECK(u.cluster_nodes[0].port == 1);
    CHECK(u.user == "al@ce");
    CHECK(u.password == "p:w");
    CHECK(ok("redis-cluster://:pw@h/").password == "pw");
    CHECK_FALSE(ok("redis://h").cluster());
    CHECK_FALSE(ok("redis-sentinel://h/m").cluster());
}

TEST_CASE("redis_url: malformed cluster URLs name the bad part") {
    CHECK(fails("redis-cluster://h/1") == redis_error::bad_database); // a cluster has database 0 only
    CHECK(fails("redis-cluster://h/x") == redis_error::bad_database);
    CHECK(fails("redis-cluster://h/0/0") == redis_error::bad_url_part);
    CHECK(fails("redis-cluster://h/m/0") == redis_error::bad_url_part);
    CHECK(fails("redis-cluster://h?db=0") == redis_error::bad_url_part);
    CHECK(fails("redis-cluster://h#f") == redis_error::bad_url_part);
    CHECK(fails("redis-cluster://") == redis_error::bad_host);
    CHECK(fails("redis-cluster:///0") == redis_error::bad_host);
    CHECK(fails("redis-cluster://h1,") == redis_error::bad_host);
    CHECK(fails("redis-cluster://,h1") == redis_error::bad_host);
    CHECK(fails("redis-cluster://h1,,h2") == redis_error::bad_host);
    CHECK(fails("redis-cluster://[::1") == redis_error::bad_host);
    CHECK(fails("redis-cluster://h:0") == redis_error::bad_port);
    CHECK(fails("redis-cluster://h1,h2:65536") == redis_error::bad_port);
    CHECK(fails("redis-cluster://pw@h") == redis_error::bad_userinfo);
    CHECK(fails("redis-cluster://:p%4@h") == redis_error::bad_percent_encoding);
    CHECK(fails("redis-clusters://h") == redis_error::bad_scheme);
    CHECK(fails("cluster://h") == redis_error::bad_scheme);
}

TEST_CASE("redis_url: redacted cluster URLs hide the password and parse back") {
    CHECK(ok("redis-cluster://u:hunter2@a,b:7,[::1]").redacted() == "redis-cluster://u:***@a:6379,b:7,[::1]:6379");
    CHECK(ok("rediss-cluster://:hunter2@a/0").redacted() == "rediss-cluster://:***@a:6379");
    const auto back = ok(ok("rediss-cluster://u:pw@a,b:7").redacted());
    CHECK(back.tls);
    CHECK(back.cluster_nodes.size() == 2);
    CHECK(back.password == "***");
}

TEST_CASE("redis_key_slot: Redis Cluster's CRC16 and hash tags") {
    using authpp::detail::redis_key_slot;
    // The values Redis's CLUSTER KEYSLOT gives (and its specification's
    // examples).
    CHECK(redis_key_slot("foo") == 12182);
    CHECK(redis_key_slot("bar") == 5061);
    CHECK(redis_key_slot("") == 0);
    CHECK(redis_key_slot("123456789") == (0x31c3 % 16384));
    // The first '{' and the first '}' after it; an empty tag hashes the whole
    // key.
    CHECK(redis_key_slot("{user1000}.following") == redis_key_slot("{user1000}.followers"));
    CHECK(redis_key_slot("{user1000}.following") == redis_key_slot("user1000"));
    CHECK(redis_key_slot("foo{}{bar}") == 8363);
    CHECK(redis_key_slot("foo{{bar}}zap") == redis_key_slot("{bar"));
    CHECK(redis_key_slot("foo{bar}{zap}") == redis_key_slot("bar"));
    CHECK(redis_key_slot("foo{bar") == 15278); // no '}': the whole key
    // The refresh coordinator's two keys of one refresh share a slot.
    CHECK(redis_key_slot("authpp:refresh:lock:{abc-_DEF}") == redis_key_slot("authpp:refresh:succ:{abc-_DEF}"));
    for (int i = 0; i < 1000; ++i)
        CHECK(redis_key_slot(std::to_string(i)) < 16384);
}
