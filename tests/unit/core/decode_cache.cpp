// The decode cache: the model's keying, deadlines and bounds, and the session
// flow using it through basic_auth_config — a hit skips the decryption, and
// never hands out a session the cookie would not decode to.
#include <authpp/core/decode_cache.hpp>

#include <authpp/clock/manual_clock.hpp>
#include <authpp/codec/authjs_codec.hpp>
#include <authpp/codec/database_codec.hpp>
#include <authpp/config.hpp>
#include <authpp/match/prefix_matcher.hpp>
#include <authpp/middleware.hpp>
#include <authpp/store/memory_store.hpp>

#include "../../support/scripted_transport.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

using namespace authpp;

namespace {

cached_session value_of(std::string sub) {
    cached_session v;
    v.token.sub = std::move(sub);
    return v;
}

decode_key key_of(const std::string& token, std::string_view salt = "authjs.session-token", std::uint64_t secrets = 1) {
    return {secrets, salt, token};
}

std::string token_n(int i, std::size_t size = 100) {
    std::string t(size, 'a');
    auto tail = std::to_string(i);
    t.replace(size - tail.size(), tail.size(), tail);
    return t;
}

constexpr std::int64_t t0 = 1'800'000'000'000;

} // namespace

TEST_CASE("decode_cache: only an equal key hits") {
    decode_cache c;
    const std::string tok = token_n(1);
    c.insert(key_of(tok), value_of("ada"), t0, t0 + 60'000);
    auto hit = c.find(key_of(std::string(tok)), t0 + 1);
    REQUIRE(hit);
    CHECK(hit->token.sub == "ada");

    std::string other = tok;
    other[10] = 'b'; // same tail, same size: the full compare tells them apart
    CHECK_FALSE(c.find(key_of(other), t0));
    CHECK_FALSE(c.find(key_of(tok.substr(1)), t0));
    CHECK_FALSE(c.find(key_of(tok, "__Secure-authjs.session-token"), t0)); // another cookie name
    CHECK_FALSE(c.find(key_of(tok, "authjs.session-token", 2), t0));        // other secrets
    CHECK(c.size() == 1);
}

TEST_CASE("decode_cache: an entry dies at its deadline and at max_age, not when another request's clock is earlier") {
    decode_cache_options o;
    o.max_age = std::chrono::seconds(10);
    decode_cache c(o);
    const std::string a = token_n(1), b = token_n(2);
    c.insert(key_of(a), value_of("a"), t0, t0 + 5'000); // token's own limit first
    c.insert(key_of(b), value_of("b"), t0, t0 + 3'600'000); // max_age first
    CHECK(c.find(key_of(a), t0 + 4'999));
    CHECK_FALSE(c.find(key_of(a), t0 + 5'000));
    CHECK(c.find(key_of(b), t0 + 9'999));
    CHECK_FALSE(c.find(key_of(b), t0 + 10'000));
    CHECK(c.size() == 0); // both dropped by the lookups

    // A request that read the clock just before the inserting one finishes
    // still hits (the flow checks the claims against its own time).
    c.insert(key_of(a), value_of("a"), t0, t0 + 5'000);
    CHECK(c.find(key_of(a), t0 - 1));
    CHECK(c.size() == 1);
    c.clear();

    // A max_age beyond what milliseconds hold saturates instead of wrapping.
    decode_cache_options huge;
    huge.max_age = std::chrono::seconds(INT64_MAX / 10);
    decode_cache h(huge);
    h.insert(key_of(a), value_of("a"), t0, t0 + 5'000);
    CHECK(h.find(key_of(a), t0 + 4'999));

    c.insert(key_of(a), value_of("a"), t0, t0); // already past: not kept
    CHECK(c.size() == 0);
}

TEST_CASE("decode_cache: bounded by entries (least recently used goes) and by bytes") {
    decode_cache_options o;
    o.shards = 1;
    o.max_entries = 3;
    decode_cache c(o);
    for (int i = 0; i < 3; ++i) c.insert(key_of(token_n(i)), value_of(std::to_string(i)), t0, t0 + 60'000);
    REQUIRE(c.find(key_of(token_n(0)), t0)); // 0 is now the most recent; 1 the least
    c.insert(key_of(token_n(3)), value_of("3"), t0, t0 + 60'000);
    CHECK(c.size() == 3);
    CHECK_FALSE(c.find(key_of(token_n(1)), t0));
    CHECK(c.find(key_of(token_n(0)), t0));
    CHECK(c.find(key_of(token_n(2)), t0));
    CHECK(c.find(key_of(token_n(3)), t0));

    // Re-inserting a key replaces its entry.
    c.insert(key_of(token_n(3)), value_of("three"), t0, t0 + 60'000);
    CHECK(c.size() == 3);
    CHECK(c.find(key_of(token_n(3)), t0)->token.sub == "three");

    decode_cache_options small;
    small.shards = 1;
    small.max_bytes = 20'000;
    decode_cache bytes(small);
    for (int i = 0; i < 20; ++i) bytes.insert(key_of(token_n(i, 2000)), value_of("x"), t0, t0 + 60'000);
    CHECK(bytes.bytes() <= 20'000);
    CHECK(bytes.size() >= 3);
    CHECK(bytes.size() < 10);
    CHECK(bytes.find(key_of(token_n(19, 2000)), t0)); // the newest stays
    CHECK_FALSE(bytes.find(key_of(token_n(0, 2000)), t0));
    // A token larger than the budget is not kept at all, and evicts nothing.
    const auto before = bytes.size();
    bytes.insert(key_of(token_n(99, 30'000)), value_of("huge"), t0, t0 + 60'000);
    CHECK(bytes.size() == before);

    decode_cache_options none;
    none.max_entries = 0;
    decode_cache off(none);
    off.insert(key_of(token_n(1)), value_of("x"), t0, t0 + 60'000);
    CHECK(off.size() == 0);

    c.clear();
    CHECK(c.size() == 0);
    CHECK(c.bytes() == 0);
}

TEST_CASE("decode_cache: many threads insert, find and erase at once") {
    decode_cache_options o;
    o.max_entries = 64; // small: eviction runs all the time
    decode_cache c(o);
    std::atomic<int> wrong{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < 2000; ++i) {
                const int n = (i * 7 + t) % 200;
                const auto tok = token_n(n);
                if (auto hit = c.find(key_of(tok), t0)) {
                    if (hit->token.sub != std::to_string(n)) ++wrong;
                } else {
                    c.insert(key_of(tok), value_of(std::to_string(n)), t0, t0 + 60'000);
                }
                if (i % 97 == 0) c.erase(key_of(tok));
            }
        });
    }
    for (auto& th : threads) th.join();
    CHECK(wrong == 0);
    CHECK(c.size() <= 64 + 16); // the per-shard limit rounds up
}

namespace {

// authjs_codec counting its decryptions: a hit must not decrypt.
struct counting_codec : authjs_codec {
    explicit counting_codec(std::vector<std::string> secrets) : authjs_codec(std::move(secrets)) {}
    error_code decrypt(std::string_view token, std::string_view salt, std::string& json) const {
        ++*count;
        return authjs_codec::decrypt(token, salt, json);
    }
    std::shared_ptr<std::atomic<int>> count = std::make_shared<std::atomic<int>>(0);
};

using config = basic_auth_config<test::scripted_transport, counting_codec, manual_clock, memory_store, prefix_matcher>;

auth_options options_with(std::vector<std::string> secrets) {
    auto o = sandbox_options();
    o.secrets = std::move(secrets);
    o.token_endpoint = "http://127.0.0.1:1/oauth/token";
    return o;
}

// A session cookie for `sub`, valid `max_age` seconds from the config's now.
std::string cookie_for(const config& c, std::string_view sub, std::int64_t max_age = 3600) {
    boost::json::object claims{{"sub", sub}, {"email", "ada@example.com"}, {"accessToken", "at-1"},
                               {"accessTokenExpires", c.now_ms() + 3'600'000}};
    auto token = c.codec().encode(claims, c.options().session_cookie(), max_age, c.now_ms() / 1000);
    REQUIRE(token);
    return "theme=dark; " + std::string(c.options().session_cookie()) + "=" + *token;
}

} // namespace

TEST_CASE("the session flow: a repeated cookie is served from the cache, with the callbacks run every time") {
    auto o = options_with({"cache-test-secret"});
    int jwt_calls = 0;
    bool saw_a_callbacks_change = false;
    o.callbacks.jwt = [&](session_token& t, const jwt_event&) {
        ++jwt_calls;
        // Not kept in the cache: the next request starts from the cookie again.
        if (t.extra.contains("seen")) saw_a_callbacks_change = true;
        t.extra["seen"] = jwt_calls;
        return jwt_verdict::unchanged;
    };
    config c(o);
    REQUIRE(c.decode_cache());
    const auto header = cookie_for(c, "ada");
    auto first = c.resolve(header);
    REQUIRE(first.session);
    CHECK(*c.codec().count == 1);
    CHECK(c.decode_cache()->size() == 1);

    auto second = c.resolve(header);
    REQUIRE(second.session);
    CHECK(*c.codec().count == 1); // no decryption
    CHECK(second.session->user.sub == "ada");
    CHECK(second.session->user.email == first.session->user.email);
    CHECK(second.token->extra.at("seen") == 2);
    CHECK(jwt_calls == 2);
    CHECK_FALSE(saw_a_callbacks_change);
    CHECK(second.set_cookies.empty());

    // A copy of the config shares the cache.
    config copy = c;
    CHECK(copy.resolve(header).session);
    CHECK(*c.codec().count == 1);
}

TEST_CASE("the session flow: the cache never outlives the token's exp") {
    config c(options_with({"cache-test-secret"}));
    const auto header = cookie_for(c, "ada", 100);
    REQUIRE(c.resolve(header).session);
    c.clock().advance(std::chrono::seconds(100 + clock_tolerance - 1));
    REQUIRE(c.resolve(header).session); // within the tolerance, from the cache
    CHECK(*c.codec().count == 1);
    c.clock().advance(std::chrono::seconds(1));
    auto late = c.resolve(header);
    CHECK_FALSE(late.session);
    CHECK(late.cookie_error == error::expired);
    CHECK(c.decode_cache()->size() == 0);

    // nbf is checked at every hit too: a clock set back before it (past the
    // tolerance) refuses the cached session as decoding would.
    config n(options_with({"cache-test-secret"}));
    boost::json::object claims{{"sub", "ada"}, {"nbf", n.now_ms() / 1000}};
    auto token = n.codec().encode(claims, n.options().session_cookie(), 3600, n.now_ms() / 1000);
    REQUIRE(token);
    const auto nbf_header = std::string(n.options().session_cookie()) + "=" + *token;
    REQUIRE(n.resolve(nbf_header).session);
    REQUIRE(n.decode_cache()->size() == 1);
    n.clock().advance(-std::chrono::seconds(clock_tolerance + 1));
    auto early = n.resolve(nbf_header);
    CHECK_FALSE(early.session);
    CHECK(early.cookie_error == error::not_yet_valid);
    CHECK(*n.codec().count == 2); // the hit was refused, then decoded again for the codec's own error
}

TEST_CASE("the session flow: a tampered or foreign cookie never hits") {
    config c(options_with({"cache-test-secret"}));
    const auto header = cookie_for(c, "ada");
    REQUIRE(c.resolve(header).session);
    // One character changed: in the tag (another bucket), and in the middle
    // of the ciphertext (the same bucket: only the full comparison tells).
    for (std::size_t at : {header.size() - 2, header.size() - 200}) {
        auto tampered = header;
        tampered[at] = tampered[at] == 'A' ? 'B' : 'A';
        auto r = c.resolve(tampered);
        CHECK_FALSE(r.session);
        CHECK(r.cookie_error == error::bad_tag);
        CHECK(c.decode_cache()->size() == 1);
    }
    // The same token under the other cookie name (the other HKDF salt) is
    // not the same key, even in one cache under the same secrets.
    {
        decode_cache one;
        core::flow_options fo;
        fo.cache = decode_cache_ref::of(one, 0);
        REQUIRE(c.resolve(header, fo).session);
        REQUIRE(one.size() == 1);
        auto https = options_with({"cache-test-secret"});
        https.base_url = "https://app.example.com";
        config secure(https);
        const std::string name = std::string(c.options().session_cookie()) + "=";
        const auto token = header.substr(header.find(name) + name.size());
        auto renamed = secure.resolve(std::string(secure.options().session_cookie()) + "=" + token, fo);
        CHECK_FALSE(renamed.session);
        CHECK(renamed.cookie_error == error::unknown_kid);
    }

    // Another config with other secrets does not see this config's entries,
    // even through a cache object the two would share.
    decode_cache shared;
    config other(options_with({"another-secret"}));
    core::flow_options fo;
    fo.cache = decode_cache_ref::of(shared, secrets_fingerprint(c.options().secrets));
    REQUIRE(c.resolve(header, fo).session);
    CHECK(shared.size() == 1);
    // Even handed the first config's fingerprint, the other config keys
    // the shared cache by its own secrets.
    core::flow_options fo_other;
    fo_other.cache = decode_cache_ref::of(shared, secrets_fingerprint(c.options().secrets));
    auto foreign = other.resolve(header, fo_other);
    CHECK_FALSE(foreign.session);
    CHECK(foreign.cookie_error == error::unknown_kid);
}

TEST_CASE("the session flow: decode_cache.enabled = false decodes every time; a database session is never cached") {
    auto o = options_with({"cache-test-secret"});
    o.decode_cache.enabled = false;
    config c(o);
    CHECK(c.decode_cache() == nullptr);
    const auto header = cookie_for(c, "ada");
    REQUIRE(c.resolve(header).session);
    REQUIRE(c.resolve(header).session);
    CHECK(*c.codec().count == 2);

    using db_config = basic_auth_config<test::scripted_transport, database_codec<memory_store>, manual_clock,
                                        memory_store, prefix_matcher>;
    db_config db(options_with({"cache-test-secret"}));
    CHECK(db.decode_cache() == nullptr);

    auto bad = options_with({"s"});
    bad.decode_cache.shards = 0;
    CHECK(bad.validate() == error::invalid_option);
    bad.decode_cache.shards = 1;
    bad.decode_cache.max_age = std::chrono::seconds(-1);
    CHECK(bad.validate() == error::invalid_option);
    bad.decode_cache.max_age = std::chrono::hours(24 * 400);
    CHECK(bad.validate() == error::invalid_option);
}

TEST_CASE("the middleware: a session from the cache is the one a decode gives, and a due refresh still runs") {
    auto o = options_with({"cache-test-secret"});
    o.protected_paths = {"/dashboard"};
    o.decode_cache.max_age = std::chrono::hours(2); // the entry outlives the access token here
    config c(o);
    boost::json::object claims{{"sub", "ada"},           {"email", "ada@example.com"},
                               {"accessToken", "at-1"},  {"refreshToken", "rt-1"},
                               {"accessTokenExpires", c.now_ms() + 3'600'000}};
    auto token = c.codec().encode(claims, c.options().session_cookie(), 7200, c.now_ms() / 1000);
    REQUIRE(token);
    const auto header = "theme=dark; " + std::string(c.options().session_cookie()) + "=" + *token;
    http::server_request req;
    req.target = "/dashboard";
    req.cookie = header;

    const auto first = run_middleware(c, req);  // decoded, then kept
    const auto second = run_middleware(c, req); // straight from the cache
    CHECK(*c.codec().count == 1);
    REQUIRE(first.session);
    REQUIRE(second.session);
    CHECK(second.allowed);
    CHECK(second.set_cookies.empty());
    CHECK(second.session->user.sub == "ada");
    CHECK(second.session->user.email == first.session->user.email);
    CHECK(second.session->access_token == first.session->access_token);
    CHECK(second.session->refresh_token == first.session->refresh_token);
    CHECK(second.session->access_token_expires == first.session->access_token_expires);
    CHECK(second.session->expires == first.session->expires);
    CHECK(second.session->error == first.session->error);
    // The middleware's flow took the session straight from the cache entry:
    // no token was copied out for it.
    core::flow_options session_alone;
    session_alone.want_token = false;
    auto flow = c.begin(header, session_alone);
    REQUIRE(flow.done());
    CHECK(flow.result().session);
    CHECK_FALSE(flow.result().token);
    // resolve() still hands out the token from the same cache entry.
    const auto resolved = c.resolve(header);
    REQUIRE(resolved.token);
    CHECK(resolved.token->access_token == std::optional<std::string>("at-1"));
    CHECK(*c.codec().count == 1);

    // The cached token's access token falls due (within the refresh buffer):
    // the cache still saves the decryption, but the token is not served as
    // it is: the refresh runs and its cookie is written.
    c.clock().advance(std::chrono::seconds(3600 - 30));
    c.transport().push(200, R"({"access_token":"at-2","refresh_token":"rt-2","token_type":"Bearer","expires_in":3600})");
    const auto due = run_middleware(c, req);
    CHECK(*c.codec().count == 1);
    REQUIRE(due.session);
    CHECK(due.session->access_token == std::optional<std::string>("at-2"));
    CHECK(c.transport().sent().size() == 1);
    CHECK_FALSE(due.set_cookies.empty());
}
