// split/context.hpp: the refresh step's reading of the backend's answer
// (what the coordinator shares between waiting requests), and which tokens
// can be cookies.
#include <authpp/split/context.hpp>

#include <boost/asio/error.hpp>

#include <stdexcept>

#include <catch2/catch.hpp>

using namespace authpp;

namespace {
split::context ctx() { return {split::split_options{}, split::directus_handlers("http://directus.test")}; }
oauth::refresh_result read(const split::context& cx, int status, std::string body, error_code ec = {}) {
    return split::read_refresh(&cx, ec, http::response{status, {}, std::move(body)}, "old", 1'000);
}
} // namespace

TEST_CASE("split context: a refresh answer becomes a refresh result") {
    const auto cx = ctx();
    const auto ok = read(cx, 200, R"({"data":{"access_token":"a2","expires":5000,"refresh_token":"r2"}})");
    REQUIRE(ok.ok());
    CHECK(ok.tokens->access_token == "a2");
    CHECK(ok.tokens->refresh_token == "r2");
    CHECK(ok.tokens->access_token_expires == 6'000);

    const auto refused = read(cx, 401, "{}");
    CHECK_FALSE(refused.ok());
    CHECK(refused.error == error::refresh_rejected);
    CHECK_FALSE(refused.transient());
    for (int status : {500, 503, 408, 429}) CHECK(read(cx, status, "{}").transient());
    CHECK(read(cx, 0, "", boost::asio::error::timed_out).error == error::refresh_unavailable);
    const auto garbage = read(cx, 200, "not json");
    CHECK(garbage.error == error::bad_token_response);
    CHECK(garbage.transient());
    CHECK(read(cx, 200, R"({"data":{"access_token":"a b","expires":5000,"refresh_token":"r2"}})").transient());
}

TEST_CASE("split context: cookie_safe — cookie octets, and name=value within 4096 bytes") {
    split::split_options o;
    CHECK(split::cookie_safe(o, "access_token", "eyJhbGciOiJIUzI1NiJ9.e30.abc-_~!"));
    CHECK_FALSE(split::cookie_safe(o, "access_token", ""));
    CHECK_FALSE(split::cookie_safe(o, "access_token", "a b"));
    CHECK_FALSE(split::cookie_safe(o, "access_token", "a;b"));
    CHECK(split::cookie_safe(o, "access_token", std::string(4096 - 13, 'a')));
    CHECK_FALSE(split::cookie_safe(o, "access_token", std::string(4096 - 12, 'a'))); // the browser would drop it
    o.max_token_bytes = 100;
    CHECK_FALSE(split::cookie_safe(o, "access_token", std::string(101, 'a')));
}

TEST_CASE("split context: a parser that throws is an unreadable answer, not an exception") {
    auto cx = ctx();
    cx.backend.refresh.parse = [](std::string_view) -> std::optional<split::session_tokens> {
        throw std::runtime_error("boom");
    };
    const auto r = read(cx, 200, "{}");
    CHECK(r.error == error::bad_token_response);
    CHECK(r.transient());
}
