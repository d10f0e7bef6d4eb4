// regex_matcher and mixed_matcher: JavaScript RegExp.test semantics
// (unanchored), linear time on hostile paths, invalid patterns refused.
#include <authpp/match/regex_matcher.hpp>

#include <authpp/concepts/path_matcher.hpp>

#include <catch2/catch.hpp>

#include <chrono>
#include <string>
#include <vector>

using namespace authpp;

static_assert(PathMatcher<regex_matcher>);
static_assert(PathMatcher<mixed_matcher>);

TEST_CASE("regex_matcher: an unanchored search, as RegExp.test") {
    const regex_matcher m({R"(^\/api\/v\d+\/)", "admin", R"(\.json$)"});
    CHECK_FALSE(m.empty());
    CHECK(m.matches("/api/v2/users"));
    CHECK_FALSE(m.matches("/api/vx/users"));
    CHECK_FALSE(m.matches("/x/api/v2/users")); // ^ anchors
    CHECK(m.matches("/settings/admin/panel")); // anywhere in the path
    CHECK(m.matches("/data/file.json"));
    CHECK_FALSE(m.matches("/data/file.json5"));
    CHECK_FALSE(m.matches("/"));
    CHECK_FALSE(m.matches(""));
}

TEST_CASE("regex_matcher: inline flags and classes") {
    const regex_matcher m({"(?i)^/private(/|$)", R"(^/u/[0-9a-f]{8}$)"});
    CHECK(m.matches("/PRIVATE/x"));
    CHECK(m.matches("/Private"));
    CHECK_FALSE(m.matches("/privately"));
    CHECK(m.matches("/u/deadbeef"));
    CHECK_FALSE(m.matches("/u/deadbeef0"));
    CHECK_FALSE(m.matches("/u/DEADBEEF")); // the flag is per pattern
}

TEST_CASE("regex_matcher: empty list, copies share the compiled set") {
    const regex_matcher none;
    CHECK(none.empty());
    CHECK_FALSE(none.matches("/x"));
    CHECK(regex_matcher(std::vector<std::string>{}).empty());
    CHECK_FALSE(regex_matcher(std::vector<std::string>{}).matches(""));
    regex_matcher a({"^/a"});
    const regex_matcher b = a;
    const regex_matcher c = std::move(a);
    CHECK(b.matches("/a/1"));
    CHECK(c.matches("/ab"));
    CHECK_FALSE(c.matches("/b"));
}

TEST_CASE("regex_matcher: invalid patterns are refused with invalid_path_pattern") {
    // Syntax errors, and what RE2 cannot run in linear time.
    for (const char* bad : {"(unclosed", "[z-a]", "a**", R"((a)\1)", "(?=x)", "(?<!x)y", "[^]", "*"}) {
        INFO(bad);
        const std::vector<std::string> patterns = {"^/ok", bad};
        try {
            regex_matcher m(patterns);
            FAIL("constructed from an invalid pattern");
        } catch (const boost::system::system_error& e) {
            CHECK(e.code() == error::invalid_path_pattern);
            const std::string what = e.what();
            CHECK(what.find("path pattern #1") != std::string::npos); // names which one
            CHECK(what.find(bad) != std::string::npos);
        }
        auto r = regex_matcher::create(patterns);
        REQUIRE(r.has_error());
        CHECK(r.error() == error::invalid_path_pattern);
        CHECK(mixed_matcher::create({"/prefix", std::string("re:") + bad}).error() == error::invalid_path_pattern);
        CHECK_THROWS_AS(mixed_matcher({std::string("re:") + bad}), boost::system::system_error);
    }
    CHECK(error_code(error::invalid_path_pattern).message().find("invalid path pattern") == 0);
    CHECK(regex_matcher::create({"^/fine$"}).has_value());
}

TEST_CASE("regex_matcher: hostile paths take linear time") {
    // Each of these patterns makes a backtracking engine (JavaScript's,
    // std::regex) take exponential time on a path of a few dozen characters.
    const regex_matcher m({"(a+)+$", "^(a|aa)+$", "(x+x+)+y", R"(^(\w+\s?)*$)"});
    const std::string hostile = "/" + std::string(100'000, 'a') + "!";
    const std::string hostile2 = std::string(100'000, 'x');
    const auto start = std::chrono::steady_clock::now();
    CHECK_FALSE(m.matches(hostile));
    CHECK_FALSE(m.matches(hostile2 + "!"));
    CHECK(m.matches(hostile.substr(0, hostile.size() - 1))); // without the '!', "(a+)+$" matches
    CHECK(m.matches(hostile2 + "y"));
    const auto elapsed = std::chrono::steady_clock::now() - start;
    // Linear: well under a second for 200 kB even in a Debug+ASan build.
    CHECK(elapsed < std::chrono::seconds(2));
}

TEST_CASE("regex_matcher: many patterns, the set and each pattern agree") {
    std::vector<std::string> patterns;
    for (int i = 0; i < 100; ++i) patterns.push_back("^/r" + std::to_string(i) + "(/|$)");
    const regex_matcher m(patterns);
    CHECK(m.matches("/r0"));
    CHECK(m.matches("/r99/x"));
    CHECK(m.matches("/r50/"));
    CHECK_FALSE(m.matches("/r100"));
    CHECK_FALSE(m.matches("/r5x"));
    CHECK_FALSE(m.matches("/x/r5"));
}

TEST_CASE("mixed_matcher: re: entries are regular expressions, the rest prefixes") {
    const mixed_matcher m({"/api", "re:^/admin-\\d+$", "/docs/"});
    CHECK_FALSE(m.empty());
    CHECK(m.matches("/api"));
    CHECK(m.matches("/api/x"));
    CHECK_FALSE(m.matches("/apiv"));          // prefix rules, not a regex "/api"
    CHECK(m.matches("/admin-42"));
    CHECK_FALSE(m.matches("/admin-42/x"));
    CHECK_FALSE(m.matches("/re:^/admin-1$")); // the tag is not part of any prefix
    CHECK(m.matches("/docs/a"));
    CHECK_FALSE(m.matches("/docs"));
    CHECK(mixed_matcher().empty());
    CHECK(mixed_matcher(std::vector<std::string>{}).empty());
    const mixed_matcher only_regex({"re:x"});
    CHECK_FALSE(only_regex.empty());
    CHECK(only_regex.matches("/axb"));
    const mixed_matcher only_prefix({"/p"});
    CHECK(only_prefix.matches("/p/q"));
    CHECK_FALSE(only_prefix.matches("/pp"));
    // A literal '.' in a prefix is not a regex wildcard.
    CHECK_FALSE(mixed_matcher({"/a.b"}).matches("/axb"));
}
