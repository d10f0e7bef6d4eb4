// Request-target path normalisation: what a browser's URL parser makes of
// the path, the unreserved escapes decoded beyond it, the router leniencies,
// and malformed escapes and targets.
#include <authpp/url/path.hpp>

#include <catch2/catch.hpp>

#include <string>
#include <utility>

using namespace authpp;

TEST_CASE("normalize_request_path: what a browser's URL parser makes of the path, and more") {
    std::string scratch;
    const std::string_view normal = "/dashboard/caf%C3%A9/a.b/...";
    CHECK(url::normalize_request_path(normal, scratch).data() == normal.data()); // no copy
    const std::pair<const char*, const char*> cases[] = {
        {"", "/"},
        {"/", "/"},
        {"/a/./b", "/a/b"},
        {"/a/.", "/a/"},
        {"/a/..", "/"},
        {"/a/b/../c", "/a/c"},
        {"/..", "/"},
        {"/../../x", "/x"},
        {"/./", "/"},
        {"/a//b/../c", "/a//c"},
        {"/public/%2e%2e/admin", "/admin"},
        {"/public/.%2E/admin", "/admin"},
        {"/a/b/.%2e", "/a/"},
        {"/x/%2e%2E", "/"},
        {"/a/..%2f", "/a/..%2f"},  // %2F is not decoded: it is no separator
        {"/%61dmin", "/admin"},    // unreserved: decoded (beyond the reference)
        {"/%2561dmin", "/%2561dmin"},
        {"/%7e%5F%2D", "/~_-"},
        {"\\admin\\x", "/admin/x"},
        {"/admin\\..\\public", "/public"},
        {"http://evil.example/admin/x", "/admin/x"},
        {"https://h", "/"},
        {"*", "/*"},
        {"//a", "//a"},
        {"/%zz/%4", "/%zz/%4"},
        {"/%%36%31dmin", "/%%36%31dmin"}, // a stray '%': nothing is decoded
        {"/%%36%31/../x", "/x"},
        {"/public/%2e%2e/admin/%zz", "/admin/%zz"}, // a stray '%' hides no dot segment
        {"/%zz/../%61dmin", "/admin"},
        {"httpublic/%b\\..\\%2ec", "/httpublic/.c"}, // found by fuzz_prefix_matcher
    };
    for (const auto& [in, want] : cases) {
        INFO(in);
        CHECK(url::normalize_request_path(in, scratch) == want);
        std::string again;
        CHECK(url::normalize_request_path(url::normalize_request_path(in, scratch), again) == want); // idempotent
    }
}

TEST_CASE("normalize_request_path: the router leniencies") {
    std::string scratch;
    CHECK(url::normalize_request_path("//A//b/./C", scratch, {true, true}) == "/a/b/c");
    CHECK(url::normalize_request_path("/%41/b", scratch, {false, true}) == "/a/b");
    CHECK(url::normalize_request_path("//A", scratch) == "//A");
}

TEST_CASE("normalize_request_path: malformed escapes, truncated escapes, odd targets") {
    const std::pair<const char*, const char*> cases[] = {
        {"%", "/%"},
        {"/%", "/%"},
        {"/%4", "/%4"},
        {"/a%", "/a%"},
        {"/%4g/%61", "/%4g/%61"},    // a malformed escape anywhere: nothing is decoded
        {"/%61/%", "/%61/%"},
        {"/%2e", "/"},
        {"/%2", "/%2"},
        {"/%2e%2", "/%2e%2"},        // not a dot segment
        {"/.%2", "/.%2"},
        {"/%2E%2e/%2e%2e/x", "/x"},
        {"/%2f/%5c", "/%2f/%5c"},    // reserved: left encoded
        {"/%00", "/%00"},
        {"http://h", "/"},
        {"http://h?x", "/"},         // the query is the caller's to strip
        {"https://h/a/../b", "/b"},
        {"http:/x", "/http:/x"},
        {"?", "/?"},
        {"\\", "/"},
        {"\\\\h\\x", "//h/x"},
        {".", "/"},
        {"..", "/"},
    };
    for (const auto& [in, want] : cases) {
        INFO(in);
        std::string scratch, again;
        const auto n = url::normalize_request_path(in, scratch);
        CHECK(n == want);
        CHECK(url::normalize_request_path(n, again) == n); // a fixed point
    }
    std::string scratch;
    CHECK(url::normalize_request_path(std::string_view("/a\0b/../c", 9), scratch) == "/c");
    const std::string_view nul("/a\0b", 4);
    CHECK(url::normalize_request_path(nul, scratch) == nul);
}
