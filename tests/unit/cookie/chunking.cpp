// Auth.js's session cookie chunking: split when long, join in numeric order,
// expire stale chunks.
#include <authpp/cookie/chunking.hpp>

#include <catch2/catch.hpp>

#include <optional>
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

TEST_CASE("duplicates: the first cookie or chunk of a name wins, as in the `cookie` package") {
    std::string out;
    REQUIRE_FALSE(read_session_cookie(name + "=first; " + name + "=second", name, out));
    CHECK(out == "first");
    REQUIRE_FALSE(read_session_cookie(name + ".0=a; " + name + ".1=b; " + name + ".0=stale; " + name + ".1=c", name,
                                      out));
    CHECK(out == "ab");
    // A duplicate does not fill a gap.
    CHECK(read_session_cookie(name + ".0=a; " + name + ".0=b; " + name + ".2=c", name, out) == error::missing_chunk);
    CHECK(out.empty());
}

TEST_CASE("quoted and percent-encoded chunks are unwrapped before joining") {
    std::string out;
    REQUIRE_FALSE(read_session_cookie(name + ".1=\"cd\"; " + name + ".0=\"ab\"", name, out));
    CHECK(out == "abcd");
    REQUIRE_FALSE(read_session_cookie(name + "=a%2Eb%2Ec", name, out));
    CHECK(out == "a.b.c");
    // An escape split across two chunks is decoded after joining.
    REQUIRE_FALSE(read_session_cookie(name + ".0=x%2; " + name + ".1=Ey", name, out));
    CHECK(out == "x.y");
    // An empty quoted chunk is an empty chunk.
    CHECK(read_session_cookie(name + ".0=\"\"; " + name + ".1=b", name, out) == error::missing_chunk);
}

TEST_CASE("session_cookie_slot: the name itself, or name.<decimal>") {
    using cookie::session_cookie_slot;
    STATIC_REQUIRE(session_cookie_slot("s", "s") == std::optional<std::size_t>(0));
    STATIC_REQUIRE(session_cookie_slot("s.0", "s") == std::optional<std::size_t>(1));
    STATIC_REQUIRE(session_cookie_slot("s.10", "s") == std::optional<std::size_t>(11));
    STATIC_REQUIRE(session_cookie_slot("s.999", "s") == std::optional<std::size_t>(1000));
    for (const char* not_ours : {"s.1000", "s.", "s.-1", "s.1a", "s..1", "sx", "s_0", "t", "", "S"}) {
        INFO(not_ours);
        CHECK_FALSE(session_cookie_slot(not_ours, "s"));
    }
}

TEST_CASE("chunk boundaries are exact") {
    auto two = write_session_cookie(name, token(cookie_chunk_size + 1), {}).value();
    REQUIRE(two.size() == 2);
    CHECK(value_of(two[0]).size() == cookie_chunk_size);
    CHECK(value_of(two[1]) == token(cookie_chunk_size + 1).substr(cookie_chunk_size));
    // Each Set-Cookie of a full chunk stays inside the 4096 bytes a browser keeps.
    cookie::cookie_options o;
    o.secure = true;
    o.max_age = authjs_default_max_age;
    o.expires = 1'800'000'000;
    for (const auto& h : write_session_cookie(secure_session_cookie_name, token(cookie_chunk_size * 2), o).value())
        CHECK(h.size() <= 4096);
    // 64 chunks are the most either side accepts.
    CHECK(write_session_cookie(name, token(cookie_chunk_size * 64), {}).value().size() == 64);
    CHECK(write_session_cookie(name, token(cookie_chunk_size * 64 + 1), {}).error() == error::oversized);
}

TEST_CASE("write then read round trips, chunked or not, in any order") {
    for (std::size_t n : {std::size_t{1}, cookie_chunk_size, cookie_chunk_size + 1, cookie_chunk_size * 3 + 17}) {
        const auto value = token(n);
        auto sc = write_session_cookie(name, value, {}).value();
        std::string header;
        for (std::size_t i = sc.size(); i-- > 0;) header += name_of(sc[i]) + "=" + value_of(sc[i]) + "; ";
        std::string out;
        INFO(n);
        REQUIRE_FALSE(read_session_cookie(header, name, out));
        CHECK(out == value);
    }
}

TEST_CASE("stale chunks expire with the cookie's own attributes") {
    cookie::cookie_options o;
    o.secure = true;
    o.domain = "example.com";
    o.max_age = 3600;
    o.expires = 1'800'000'000;
    const std::string sname{secure_session_cookie_name};
    const std::string request = sname + ".0=a; " + sname + ".1=b; " + sname + ".1=dup";
    auto out = write_session_cookie(sname, token(10), o, request).value();
    REQUIRE(out.size() == 3); // .0 and .1 expire once each, then the new cookie
    for (std::size_t i = 0; i < 2; ++i) {
        CHECK(out[i] == sname + "." + std::to_string(i) +
                            "=; Max-Age=0; Domain=example.com; Path=/; HttpOnly; Secure; SameSite=Lax");
    }
    CHECK(out[2].starts_with(sname + "=" + token(10) + "; Max-Age=3600; "));
    CHECK(out[2].find("Expires=") != std::string::npos);

    // Growing from one cookie to chunks expires the unchunked one.
    auto grown = write_session_cookie(name, token(cookie_chunk_size + 1), {}, name + "=old").value();
    REQUIRE(grown.size() == 3);
    CHECK(name_of(grown[0]) == name);
    CHECK(grown[0].find("Max-Age=0") != std::string::npos);
    CHECK(name_of(grown[1]) == name + ".0");
    CHECK(name_of(grown[2]) == name + ".1");
    // Rewriting the same chunk names expires nothing.
    CHECK(write_session_cookie(name, token(cookie_chunk_size + 1), {}, name + ".0=x; " + name + ".1=y").value().size() ==
          2);
    // Other cookies in the request are left alone.
    CHECK(write_session_cookie(name, "", {}, "theme=dark; " + name + "x=1; " + name + ".a=2").value().empty());
}

TEST_CASE("what cannot be a cookie value is refused, not written") {
    CHECK(write_session_cookie(name, "has space", {}).error() == error::invalid_cookie);
    CHECK(write_session_cookie(name, "v", {}, "").value().size() == 1);
    cookie::cookie_options plain; // __Secure- needs Secure, for stale chunks as well
    CHECK(write_session_cookie(secure_session_cookie_name, "v", plain).error() == error::invalid_cookie);
    CHECK(write_session_cookie(secure_session_cookie_name, "", plain, std::string(secure_session_cookie_name) + ".0=a")
              .error() == error::invalid_cookie);
}

TEST_CASE("the header size limit is the caller's to choose") {
    const std::string header = name + "=" + token(100);
    std::string out;
    REQUIRE_FALSE(read_session_cookie(header, name, out, header.size()));
    CHECK(out == token(100));
    CHECK(read_session_cookie(header, name, out, header.size() - 1) == error::oversized);
    CHECK(out.empty());
}
