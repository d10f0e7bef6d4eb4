// detail/redis_cluster.hpp's parsers of what a cluster says: CLUSTER SLOTS
// (as a real node sends it, and every malformed shape refused whole) and
// MOVED / ASK redirections. The routing itself is tested against a real
// cluster (tests/store/redis_cluster.cpp).
#include <authpp/store/detail/redis_cluster.hpp>

#include <catch2/catch.hpp>

#include <string>

using authpp::detail::parse_cluster_slots;
using authpp::detail::parse_redirect;
using authpp::detail::redis_reply;

namespace {

/// The reply hiredis's reader makes of `resp` (one whole reply).
redis_reply reply_of(const std::string& resp) {
    std::unique_ptr<redisReader, authpp::detail::redis_reader_free> reader(redisReaderCreate());
    REQUIRE(redisReaderFeed(reader.get(), resp.data(), resp.size()) == REDIS_OK);
    void* raw = nullptr;
    REQUIRE(redisReaderGetReply(reader.get(), &raw) == REDIS_OK);
    REQUIRE(raw);
    return redis_reply(static_cast<redisReply*>(raw));
}

std::string bulk(const std::string& s) { return "$" + std::to_string(s.size()) + "\r\n" + s + "\r\n"; }
std::string integer(long long v) { return ":" + std::to_string(v) + "\r\n"; }
/// One range as CLUSTER SLOTS gives it: first, last, [host, port, id], one replica.
std::string range(long long lo, long long hi, const std::string& host, long long port) {
    return "*4\r\n" + integer(lo) + integer(hi) + "*3\r\n" + bulk(host) + integer(port) + bulk("id-m") + "*3\r\n" +
           bulk("10.9.9.9") + integer(7999) + bulk("id-r");
}

std::optional<std::vector<authpp::detail::redis_slot_range>> slots(const std::string& resp) {
    return parse_cluster_slots(*reply_of(resp), "10.0.0.9");
}

} // namespace

TEST_CASE("parse_cluster_slots: the ranges of a real node's answer") {
    const auto r = slots("*4\r\n" + range(0, 5460, "127.0.0.1", 7001) + range(5461, 10922, "", 7002) +
                         range(10923, 16383, "::1", 7003) + range(16000, 16000, "?", 7004));
    REQUIRE(r);
    REQUIRE(r->size() == 3); // the "?" master is left out
    CHECK((*r)[0].first == 0);
    CHECK((*r)[0].last == 5460);
    CHECK((*r)[0].master.host == "127.0.0.1");
    CHECK((*r)[0].master.port == 7001);
    CHECK((*r)[1].master.host == "10.0.0.9"); // empty: the node that answered
    CHECK((*r)[1].master.port == 7002);
    CHECK((*r)[2].master.host == "::1");
    CHECK((*r)[2].last == 16383);

    // Redis 7 with cluster-preferred-endpoint-type unknown-endpoint: a null host, the node that answered.
    const auto nil = slots("*1\r\n*3\r\n" + integer(0) + integer(16383) + "*3\r\n$-1\r\n" + integer(7001) +
                           bulk("id-m"));
    REQUIRE(nil);
    CHECK((*nil)[0].master.host == "10.0.0.9");
    CHECK((*nil)[0].master.port == 7001);
}

TEST_CASE("parse_cluster_slots: a malformed answer is refused whole") {
    CHECK_FALSE(slots("*0\r\n"));                                    // no slot served
    CHECK_FALSE(slots("*1\r\n" + range(0, 10, "?", 7001)));         // nor here
    CHECK_FALSE(slots("-ERR This instance has cluster support disabled\r\n"));
    CHECK_FALSE(slots(bulk("0 16383 127.0.0.1:7001")));
    CHECK_FALSE(slots("*1\r\n*2\r\n" + integer(0) + integer(10)));  // no master
    CHECK_FALSE(slots("*1\r\n" + range(10, 9, "h", 7001)));         // last before first
    CHECK_FALSE(slots("*1\r\n" + range(-1, 9, "h", 7001)));
    CHECK_FALSE(slots("*1\r\n" + range(0, 16384, "h", 7001)));      // past the last slot
    CHECK_FALSE(slots("*1\r\n" + range(0, 9, "h", 0)));             // port 0
    CHECK_FALSE(slots("*1\r\n" + range(0, 9, "h", 65536)));
    CHECK_FALSE(slots("*1\r\n" + range(0, 9, "h", -1)));
    CHECK_FALSE(slots("*1\r\n" + range(0, 9, "bad host", 7001)));
    CHECK_FALSE(slots("*1\r\n" + range(0, 9, "[::1]", 7001)));     // brackets are the URL's, not an address's
    CHECK_FALSE(slots("*1\r\n*3\r\n" + bulk("0") + integer(9) + "*2\r\n" + bulk("h") + integer(1)));
    CHECK_FALSE(slots("*1\r\n*3\r\n" + integer(0) + integer(9) + "*2\r\n" + bulk("h") + bulk("7001")));
    CHECK_FALSE(slots("*1\r\n*3\r\n" + integer(0) + integer(9) + "*1\r\n" + bulk("h")));
    CHECK_FALSE(slots("*1\r\n*3\r\n" + integer(0) + integer(9) + bulk("h:1")));
    CHECK_FALSE(slots("*2\r\n" + range(0, 9, "h", 1) + integer(5))); // one good range does not save the rest
}

TEST_CASE("parse_redirect: MOVED and ASK") {
    auto r = parse_redirect("MOVED 3999 127.0.0.1:6381", "10.0.0.9");
    REQUIRE(r);
    CHECK_FALSE(r->ask);
    CHECK(r->slot == 3999);
    CHECK(r->to.host == "127.0.0.1");
    CHECK(r->to.port == 6381);
    r = parse_redirect("ASK 16383 node-2.example:7000", "10.0.0.9");
    REQUIRE(r);
    CHECK(r->ask);
    CHECK(r->slot == 16383);
    CHECK(r->to.host == "node-2.example");
    r = parse_redirect("MOVED 0 :7002", "10.0.0.9"); // an empty host: the node that answered
    REQUIRE(r);
    CHECK(r->to.host == "10.0.0.9");
    CHECK(r->to.port == 7002);
    r = parse_redirect("MOVED 12 ::1:7003", "10.0.0.9"); // IPv6, without brackets
    REQUIRE(r);
    CHECK(r->to.host == "::1");
    CHECK(r->to.port == 7003);
}

TEST_CASE("parse_redirect: anything else is not a redirection") {
    for (const char* text : {"", "MOVED", "MOVED ", "MOVED 1", "MOVED 1 h", "MOVED x h:1", "MOVED -1 h:1",
                             "MOVED 16384 h:1", "MOVED 1 h:0", "MOVED 1 h:x", "MOVED 1 h:65536", "MOVED 1  h:1",
                             "MOVED 1 bad host:1", "ASK", "ASK 1", "ERR wrong", "moved 1 h:1", "MOVED1 h:1",
                             "MOVED :1 h", "ASKING 1 h:1"}) {
        INFO(text);
        CHECK_FALSE(parse_redirect(text, "10.0.0.9"));
    }
}
