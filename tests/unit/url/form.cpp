// application/x-www-form-urlencoded: one component each way, bodies, query
// strings read into fields, and URLSearchParams.set.
#include <authpp/url/form.hpp>

#include <catch2/catch.hpp>

#include <limits>
#include <string>
#include <vector>

using namespace authpp;
using fields = std::vector<url::form_field>;

TEST_CASE("form: malformed escapes stay literal, as URLSearchParams keeps them") {
    CHECK(url::form_decode("%") == "%");
    CHECK(url::form_decode("%4") == "%4");
    CHECK(url::form_decode("%zz%41") == "%zzA");
    CHECK(url::form_decode("100%") == "100%");
    CHECK(url::form_decode("%%41") == "%A");
    CHECK(url::form_decode("%00") == std::string(1, '\0'));
}

TEST_CASE("form_decode: '+' is a space, escapes are bytes, decoded once") {
    CHECK(url::form_decode("") == "");
    CHECK(url::form_decode("a+b%20c%2B") == "a b c+");
    CHECK(url::form_decode("%E2%9C%93") == "\xE2\x9C\x93");
    CHECK(url::form_decode("%2541") == "%41");
    CHECK(url::form_decode("%4%41") == "%4A");
    CHECK(url::form_decode("%+1") == "% 1");
}

TEST_CASE("form_encode: the form-urlencoded set, space as '+', the rest as %XX") {
    std::string out;
    url::form_encode(out, "aZ09-._*");
    CHECK(out == "aZ09-._*");
    out.clear();
    url::form_encode(out, " a b  ~+&=%/\xC3\xA9");
    CHECK(out == "+a+b++%7E%2B%26%3D%25%2F%C3%A9");
    out = "k=";
    url::form_encode(out, "");
    CHECK(out == "k=");
    // Decoding gives every byte back.
    std::string all;
    for (int c = 0; c < 256; ++c) all += static_cast<char>(c);
    out.clear();
    url::form_encode(out, all);
    CHECK(url::form_decode(out) == all);
}

TEST_CASE("form_body and append_form_field write name=value pairs") {
    CHECK(url::form_body({}) == "");
    CHECK(url::form_body({{"grant_type", "refresh_token"}, {"client_id", "a b"}, {"refresh_token", "x/y"}}) ==
          "grant_type=refresh_token&client_id=a+b&refresh_token=x%2Fy");
    CHECK(url::form_body({{"", ""}, {"", ""}}) == "=&=");
    std::string out = "https://idp/authorize?";
    url::append_form_field(out, "redirect_uri", "https://app/cb");
    CHECK(out == "https://idp/authorize?redirect_uri=https%3A%2F%2Fapp%2Fcb");
}

TEST_CASE("parse_form_fields: URLSearchParams's list, in order") {
    CHECK(url::parse_form_fields("") == fields{});
    CHECK(url::parse_form_fields("a=1&b=x+y%20z&a=2&empty=&flag&=anon&&c=%E2%9C%93&k=a=b") ==
          fields{{"a", "1"}, {"b", "x y z"}, {"a", "2"}, {"empty", ""}, {"flag", ""}, {"", "anon"},
                 {"c", "\xE2\x9C\x93"}, {"k", "a=b"}});
    CHECK(url::parse_form_fields("&&&") == fields{});
    CHECK(url::parse_form_fields("=") == fields{{"", ""}});
    CHECK(url::parse_form_fields("%=%&x=%G1&%zz") == fields{{"%", "%"}, {"x", "%G1"}, {"%zz", ""}});
    CHECK(url::parse_form_fields("a+b%3D=c%26d") == fields{{"a b=", "c&d"}}); // encoded separators are data
}

TEST_CASE("parse_form_fields: more than max_fields is nullopt; empty pieces do not count") {
    CHECK(url::parse_form_fields("a&b&c", 3) == fields{{"a", ""}, {"b", ""}, {"c", ""}});
    CHECK_FALSE(url::parse_form_fields("a&b&c&d", 3));
    CHECK(url::parse_form_fields("&&&&a&&", 1) == fields{{"a", ""}});
    CHECK_FALSE(url::parse_form_fields("a", 0));
    CHECK(url::parse_form_fields("", 0) == fields{});
    std::string many;
    for (int i = 0; i < 10000; ++i) many += "x=1&";
    CHECK(url::parse_form_fields(many)->size() == 10000);
}

TEST_CASE("set_form_field: URLSearchParams.set") {
    fields f{{"a", "1"}, {"b", "2"}, {"a", "3"}, {"c", "4"}, {"a", "5"}};
    url::set_form_field(f, "a", "x");
    CHECK(f == fields{{"a", "x"}, {"b", "2"}, {"c", "4"}});
    url::set_form_field(f, "d", "");
    CHECK(f == fields{{"a", "x"}, {"b", "2"}, {"c", "4"}, {"d", ""}});
    fields none;
    url::set_form_field(none, "", "v");
    CHECK(none == fields{{"", "v"}});
}
