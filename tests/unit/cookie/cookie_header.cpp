// Cookie header parsing, as browsers send it and as the `cookie` package reads it.
#include <authpp/cookie/cookie_header.hpp>

#include <catch2/catch.hpp>

#include <iterator>
#include <string>
#include <vector>

using namespace authpp;
using cookie::cookie_header;

namespace {
std::vector<std::pair<std::string, std::string>> pairs(std::string_view h) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& c : cookie_header(h)) out.emplace_back(std::string(c.name), std::string(c.value));
    return out;
}
using P = std::vector<std::pair<std::string, std::string>>;
} // namespace

TEST_CASE("pairs in order, whitespace trimmed, quotes removed, duplicates kept") {
    CHECK(pairs("a=1; b=2") == P{{"a", "1"}, {"b", "2"}});
    CHECK(pairs("  a = 1 ;\tb=2;") == P{{"a", "1"}, {"b", "2"}});
    CHECK(pairs(R"(q="quoted value"; r="")") == P{{"q", "quoted value"}, {"r", ""}});
    CHECK(pairs("a=1; a=2") == P{{"a", "1"}, {"a", "2"}});
    CHECK(pairs("a=b=c") == P{{"a", "b=c"}});
    CHECK(pairs("novalue; ;;; x=1; =empty-name") == P{{"x", "1"}, {"", "empty-name"}});
    CHECK(pairs("").empty());
    CHECK(pairs(";;;;").empty());
    CHECK(pairs(R"(half="open)") == P{{"half", R"("open)"}});
}

TEST_CASE("find returns the first of duplicates, undecoded") {
    cookie_header h("theme=dark; sid=a%20b; sid=second");
    CHECK(h.find("sid") == "a%20b");
    CHECK(h.find("theme") == "dark");
    CHECK_FALSE(h.find("missing").has_value());
    CHECK_FALSE(h.find("Theme").has_value()); // names are case-sensitive
}

TEST_CASE("hostile sizes: huge and pathological headers parse without trouble") {
    std::string many;
    for (int i = 0; i < 20000; ++i) many += "c" + std::to_string(i) + "=v; ";
    CHECK(pairs(many).size() == 20000);
    const std::string semis(100 * 1024, ';');
    CHECK(pairs(semis).empty());
    const std::string one_big = "big=" + std::string(100 * 1024, 'x');
    auto p = pairs(one_big);
    REQUIRE(p.size() == 1);
    CHECK(p[0].second.size() == 100 * 1024);
}

TEST_CASE("quotes: one surrounding pair is removed, nothing else") {
    CHECK(pairs(R"(a="")") == P{{"a", ""}});
    CHECK(pairs(R"(a=")") == P{{"a", "\""}});
    CHECK(pairs(R"(a=""x"")") == P{{"a", "\"x\""}});
    CHECK(pairs(R"(a="in"side")") == P{{"a", R"(in"side)"}});
    CHECK(pairs(R"(a= "spaced" )") == P{{"a", "spaced"}});
    CHECK(pairs(R"(a=" inner ")") == P{{"a", " inner "}}); // whitespace inside the quotes is the value's
    CHECK(pairs(R"("a"=1)") == P{{"\"a\"", "1"}});        // names are never unquoted
}

TEST_CASE("bytes a browser would not send pass through as opaque") {
    const std::string with_nul("a=x\0y; b=2", 10);
    CHECK(pairs(with_nul) == P{{"a", std::string("x\0y", 3)}, {"b", "2"}});
    CHECK(pairs("n\xC3\xA9=\xFF\xFE; z=1") == P{{"n\xC3\xA9", "\xFF\xFE"}, {"z", "1"}});
    CHECK(pairs("a=1\r\n; b=2") == P{{"a", "1\r\n"}, {"b", "2"}}); // only SP and HTAB are trimmed
    CHECK(pairs("a=1,b=2") == P{{"a", "1,b=2"}});                    // ',' is not a separator
}

TEST_CASE("a forward range usable at compile time") {
    static_assert(std::forward_iterator<cookie_header::iterator>);
    static_assert(cookie_header("a=1; b=\"2\"").find("b") == "2");
    static_assert(!cookie_header("a=1").find("b"));
    constexpr cookie_header h("x=1; y=2; x=3");
    static_assert(std::distance(h.begin(), h.end()) == 3);
    auto it = h.begin();
    auto copy = it++;
    CHECK(copy->name == "x");
    CHECK(it->name == "y");
    CHECK(++it != h.end());
    CHECK(++it == h.end());
    CHECK(h.str() == "x=1; y=2; x=3");
    CHECK(cookie_header("").begin() == cookie_header("").end());
    CHECK(cookie_header("novalue").begin() == cookie_header("novalue").end());
}
