// Auth.js's session cookie chunking: split when long, join in numeric order,
// expire stale chunks.
#include <authpp/cookie/chunking.hpp>

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace authpp;
using cookie::read_session_cookie;
using cookie::write_session_cookie;

namespace {
const std::string name{session_cookie_name};

std::string value_of(const std::string& set_cookie) {
    const auto eq = set_cookie.find('=');
    return set_cookie.substr(eq + 1, set_cookie.find(';') - eq - 1);
}
std::string name_of(const std::string& set_cookie) { return set_cookie.substr(0, set_cookie.find('=')); }
std::string token(std::size_t n) {
    std::string t;
    for (std::size_t i = 0; i < n; ++i) t += "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[i % 26];
    return t;
}
} // namespace

TEST_CASE("a value that fits is one cookie; a longer one is split at 4096 - 160") {
    auto one = write_session_cookie(name, token(cookie_chunk_size), {});
    REQUIRE(one.has_value());
    REQUIRE(one->size() == 1);
    CHECK(name_of((*one)[0]) == name);

    const auto big = token(cookie_chunk_size * 2 + 10);
    auto three = write_session_cookie(name, big, {});
    REQUIRE(three.has_value());
    REQUIRE(three->size() == 3);
    for (std::size_t i = 0; i < 3; ++i) CHECK(name_of((*three)[i]) == name + "." + std::to_string(i));
    CHECK(value_of((*three)[0]).size() == cookie_chunk_size);
    CHECK(value_of((*three)[2]).size() == 10);
}

TEST_CASE("chunks are joined in numeric order whatever order they come in") {
    const auto big = token(cookie_chunk_size * 11 + 5); // 12 chunks: .10 and .11 sort before .2 as text
    auto sc = write_session_cookie(name, big, {}).value();
    REQUIRE(sc.size() == 12);
    std::string header = "theme=dark";
    for (auto it = sc.rbegin(); it != sc.rend(); ++it) header += "; " + name_of(*it) + "=" + value_of(*it);
    std::string out;
    REQUIRE_FALSE(read_session_cookie(header, name, out));
    CHECK(out == big);
}

TEST_CASE("reading: plain cookie, chunks win, gaps and absence are errors") {
    std::string out;
    REQUIRE_FALSE(read_session_cookie("a=1; " + name + "=tok; b=2", name, out));
    CHECK(out == "tok");
    REQUIRE_FALSE(read_session_cookie(name + "=old; " + name + ".0=ne; " + name + ".1=w", name, out));
    CHECK(out == "new");
    CHECK(read_session_cookie(name + ".0=a; " + name + ".2=c", name, out) == error::missing_chunk);
    CHECK(out.empty());
    CHECK(read_session_cookie(name + ".1=b", name, out) == error::missing_chunk);
    CHECK(read_session_cookie(name + ".0=; " + name + ".1=b", name, out) == error::missing_chunk);
    CHECK(read_session_cookie("other=1", name, out) == error::no_session_cookie);
    CHECK(read_session_cookie("", name, out) == error::no_session_cookie);
    CHECK(read_session_cookie(name + "=", name, out) == error::no_session_cookie);
    // A cookie whose name only starts with the session name is not a chunk.
    CHECK(read_session_cookie(name + "x=1; " + name + ".a=2", name, out) == error::no_session_cookie);
    // The other cookie name is another cookie.
    CHECK(read_session_cookie(std::string(secure_session_cookie_name) + "=x", name, out) == error::no_session_cookie);
    CHECK(read_session_cookie(std::string(100 * 1024, 'x'), name, out) == error::oversized);
    CHECK(read_session_cookie(name + ".99=x", name, out) == error::oversized);
}

TEST_CASE("writing a shorter cookie or clearing expires every stale chunk") {
    const std::string request = "theme=dark; " + name + ".0=a; " + name + ".1=b; " + name + ".2=c";
    auto shorter = write_session_cookie(name, "small", {}, request).value();
    std::vector<std::string> expired, live;
    for (const auto& h : shorter) (h.find("Max-Age=0") != std::string::npos ? expired : live).push_back(name_of(h));
    CHECK(live == std::vector<std::string>{name});
    CHECK(expired == std::vector<std::string>{name + ".0", name + ".1", name + ".2"});

    auto cleared = write_session_cookie(name, "", {}, name + "=x; " + request).value();
    CHECK(cleared.size() == 4);
    for (const auto& h : cleared) CHECK(h.find("Max-Age=0") != std::string::npos);
    // Nothing to clear: nothing written.
    CHECK(write_session_cookie(name, "", {}, "theme=dark").value().empty());
    // Too many chunks is refused rather than written half.
    CHECK(write_session_cookie(name, token(cookie_chunk_size * 65), {}).error() == error::oversized);
}
