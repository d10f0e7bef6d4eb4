// prefix_matcher: the reference's matchPathPrefix over a list, and the
// indexed lookup agreeing with a naive loop over hundreds of patterns.
#include <authpp/match/prefix_matcher.hpp>

#include <authpp/concepts/path_matcher.hpp>

#include <catch2/catch.hpp>

#include <random>
#include <string>
#include <vector>

using authpp::match_path_prefix;
using authpp::prefix_matcher;

static_assert(authpp::PathMatcher<prefix_matcher>);

namespace {

bool naive(const std::vector<std::string>& patterns, std::string_view path) {
    for (const auto& p : patterns)
        if (match_path_prefix(path, p)) return true;
    return false;
}

} // namespace

TEST_CASE("match_path_prefix: segment boundaries as in the reference") {
    CHECK(match_path_prefix("/api", "/api"));
    CHECK(match_path_prefix("/api/x", "/api"));
    CHECK(match_path_prefix("/api/x/y", "/api"));
    CHECK_FALSE(match_path_prefix("/apiv", "/api"));
    CHECK_FALSE(match_path_prefix("/api-docs", "/api"));
    CHECK_FALSE(match_path_prefix("/ap", "/api"));
    CHECK_FALSE(match_path_prefix("/other/api", "/api"));
    // A trailing slash: the directory's contents, not the bare name.
    CHECK(match_path_prefix("/api/", "/api/"));
    CHECK(match_path_prefix("/api/x", "/api/"));
    CHECK_FALSE(match_path_prefix("/api", "/api/"));
    // The root covers every absolute path.
    CHECK(match_path_prefix("/", "/"));
    CHECK(match_path_prefix("/anything/at/all", "/"));
    CHECK_FALSE(match_path_prefix("", "/"));
    // Empty pattern: JS '' + '/' is '/', so it covers every absolute path too.
    CHECK(match_path_prefix("/x", ""));
    CHECK(match_path_prefix("", ""));
    CHECK_FALSE(match_path_prefix("x", ""));
}

TEST_CASE("prefix_matcher: the same rules over a list") {
    const prefix_matcher m({"/api", "/dashboard/", "/exact-name"});
    CHECK_FALSE(m.empty());
    CHECK(m.size() == 3);
    CHECK(m.matches("/api"));
    CHECK(m.matches("/api/users/42"));
    CHECK_FALSE(m.matches("/apiv"));
    CHECK_FALSE(m.matches("/ap"));
    CHECK(m.matches("/dashboard/"));
    CHECK(m.matches("/dashboard/settings"));
    CHECK_FALSE(m.matches("/dashboard"));
    CHECK(m.matches("/exact-name"));
    CHECK(m.matches("/exact-name/sub"));
    CHECK_FALSE(m.matches("/exact-names"));
    CHECK_FALSE(m.matches(""));
    CHECK_FALSE(m.matches("/"));
    CHECK_FALSE(m.matches("/x/api"));
}

TEST_CASE("prefix_matcher: root, empty pattern, duplicates, empty list") {
    CHECK(prefix_matcher({"/"}).matches("/"));
    CHECK(prefix_matcher({"/"}).matches("/a/b"));
    CHECK_FALSE(prefix_matcher({"/"}).matches("a"));
    CHECK(prefix_matcher({""}).matches("/a"));
    CHECK(prefix_matcher({""}).matches(""));
    const prefix_matcher dup({"/a", "/a", "/a"});
    CHECK(dup.size() == 1);
    CHECK(dup.matches("/a/b"));
    const prefix_matcher none;
    CHECK(none.empty());
    CHECK_FALSE(none.matches("/"));
    CHECK(prefix_matcher(std::vector<std::string>{}).empty());
    CHECK_FALSE(prefix_matcher(std::vector<std::string>{}).matches(""));
}

TEST_CASE("prefix_matcher: a pattern as long as the longest, cut at the very end of the scan") {
    const prefix_matcher m({"/ab", "/abcdefgh"});
    CHECK(m.matches("/abcdefgh/"));
    CHECK(m.matches("/abcdefgh/more/and/more"));
    CHECK_FALSE(m.matches("/abcdefghi/"));
    CHECK(m.matches("/ab/abcdefghijklmnop"));
    const std::string long_path = "/abcdefgh" + std::string(10'000, 'z');
    CHECK_FALSE(m.matches(long_path));
}

TEST_CASE("prefix_matcher: copies and moves keep the patterns") {
    prefix_matcher a({"/p", "/q/"});
    prefix_matcher b = a;
    prefix_matcher c = std::move(a);
    CHECK(b.matches("/p/1"));
    CHECK(c.matches("/q/1"));
    CHECK_FALSE(c.matches("/q"));
}

TEST_CASE("prefix_matcher agrees with a naive loop over hundreds of patterns") {
    std::mt19937 rng(20240611);
    // A small alphabet makes near misses (shared prefixes, '/' in odd
    // places, trailing slashes) frequent.
    const std::string alphabet = "ab/";
    auto random_string = [&](std::size_t max_len) {
        std::string s;
        const auto len = std::uniform_int_distribution<std::size_t>(0, max_len)(rng);
        for (std::size_t i = 0; i < len; ++i)
            s += alphabet[std::uniform_int_distribution<std::size_t>(0, alphabet.size() - 1)(rng)];
        return s;
    };
    for (int round = 0; round < 20; ++round) {
        std::vector<std::string> patterns;
        const auto n = std::uniform_int_distribution<int>(1, 400)(rng);
        for (int i = 0; i < n; ++i) patterns.push_back("/" + random_string(8));
        const prefix_matcher m(patterns);
        int hits = 0;
        for (int i = 0; i < 2000; ++i) {
            const std::string path = (i % 7 == 0 ? "" : "/") + random_string(14);
            const bool expected = naive(patterns, path);
            hits += expected;
            if (m.matches(path) != expected) {
                INFO("round " << round << " path '" << path << "'");
                CHECK(m.matches(path) == expected);
            }
        }
        CHECK(hits > 0);
        CHECK(hits < 2000);
    }
}

TEST_CASE("prefix_matcher: realistic route tables") {
    std::vector<std::string> patterns;
    for (int i = 0; i < 300; ++i) patterns.push_back("/section-" + std::to_string(i) + (i % 3 == 0 ? "/" : ""));
    const prefix_matcher m(patterns);
    CHECK(m.size() == 300);
    CHECK(m.matches("/section-0/x"));
    CHECK_FALSE(m.matches("/section-0"));  // "/section-0/" has the slash
    CHECK(m.matches("/section-1"));
    CHECK(m.matches("/section-299/a/b"));
    CHECK_FALSE(m.matches("/section-300"));
    CHECK_FALSE(m.matches("/section-29x"));
    CHECK_FALSE(m.matches("/section"));
}
