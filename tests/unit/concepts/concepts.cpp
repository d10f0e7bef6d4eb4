// Every shipped policy model satisfies its concept; broken ones do not.
#include <authpp/concepts/clock.hpp>
#include <authpp/concepts/cookie_codec.hpp>
#include <authpp/concepts/http_transport.hpp>
#include <authpp/concepts/path_matcher.hpp>
#include <authpp/concepts/store.hpp>

#include <authpp/clock/manual_clock.hpp>
#include <authpp/clock/system_clock.hpp>
#include <authpp/codec/authjs_codec.hpp>
#include <authpp/codec/database_codec.hpp>
#include <authpp/match/prefix_matcher.hpp>
#include <authpp/store/memory_store.hpp>

#include "../../support/scripted_transport.hpp"

#include <catch2/catch.hpp>

static_assert(authpp::Clock<authpp::system_clock>);
static_assert(authpp::Clock<authpp::manual_clock>);
// A Clock that can wait says so by its sleep_until; system_clock cannot.
static_assert(authpp::WaitingClock<authpp::manual_clock>);
static_assert(!authpp::WaitingClock<authpp::system_clock>);
static_assert(authpp::CookieCodec<authpp::authjs_codec>);
static_assert(authpp::Store<authpp::memory_store>);
static_assert(authpp::PathMatcher<authpp::prefix_matcher>);
static_assert(authpp::HttpTransport<authpp::test::scripted_transport>);
// The optional capability is named, not found by duck typing.
static_assert(authpp::SessionStoreCodec<authpp::database_codec<authpp::memory_store>>);
static_assert(authpp::CookieCodec<authpp::database_codec<authpp::memory_store>>);
static_assert(!authpp::SessionStoreCodec<authpp::authjs_codec>);
// Every check states the contract the concept does.
static_assert(authpp::check_clock<authpp::manual_clock>() && authpp::check_store<authpp::memory_store>() &&
              authpp::check_path_matcher<authpp::prefix_matcher>() &&
              authpp::check_cookie_codec<authpp::authjs_codec, authpp::memory_store>() &&
              authpp::check_cookie_codec<authpp::database_codec<authpp::memory_store>, authpp::memory_store>() &&
              authpp::check_http_transport<authpp::test::scripted_transport>());
static_assert(!authpp::AsyncHttpTransport<authpp::test::scripted_transport>);

namespace {
struct no_send {};
struct wrong_send {
    int send(const authpp::http::request&, authpp::error_code&) { return 0; }
};
struct no_now {};
struct store_without_erase {
    std::optional<std::string> get(std::string_view) { return {}; }
    bool set(std::string_view, std::string_view, std::chrono::milliseconds) { return true; }
};
struct matcher_without_empty {
    explicit matcher_without_empty(const std::vector<std::string>&) {}
    bool matches(std::string_view) const { return false; }
};
} // namespace

static_assert(!authpp::HttpTransport<no_send>);
static_assert(!authpp::HttpTransport<wrong_send>);
static_assert(!authpp::Clock<no_now>);
static_assert(!authpp::Store<store_without_erase>);
static_assert(!authpp::PathMatcher<matcher_without_empty>);
static_assert(!authpp::CookieCodec<authpp::memory_store>);

TEST_CASE("manual_clock copies share one time") {
    authpp::manual_clock a;
    const auto copy = a;
    const auto t0 = a.now();
    copy.advance(std::chrono::seconds(90));
    CHECK(a.now() - t0 == std::chrono::seconds(90));
    a.set(t0);
    CHECK(copy.now() == t0);
}

TEST_CASE("system_clock follows the wall clock") {
    const auto before = std::chrono::system_clock::now();
    const auto t = authpp::system_clock{}.now();
    CHECK(t >= before);
    CHECK(t - before < std::chrono::seconds(5));
}

TEST_CASE("memory_store keeps values until their ttl and erases on demand") {
    authpp::memory_store s;
    CHECK(s.set("k", "v", std::chrono::milliseconds(60'000)));
    CHECK(s.get("k") == std::optional<std::string>("v"));
    auto handle = s; // copies share the map
    CHECK(handle.erase("k"));
    CHECK_FALSE(s.get("k"));
    CHECK_FALSE(s.erase("k"));
    s.set("short", "v", std::chrono::milliseconds(-1));
    CHECK_FALSE(s.get("short"));
}

TEST_CASE("prefix_matcher uses segment boundaries") {
    const authpp::prefix_matcher m({"/api", "/dash/"});
    CHECK(m.matches("/api"));
    CHECK(m.matches("/api/x"));
    CHECK_FALSE(m.matches("/apiv"));
    CHECK_FALSE(m.matches("/api-docs"));
    CHECK(m.matches("/dash/x"));
    CHECK_FALSE(m.matches("/dash"));
    CHECK_FALSE(m.matches("/"));
    CHECK_FALSE(m.empty());
    CHECK(authpp::prefix_matcher(std::vector<std::string>{}).empty());
}
