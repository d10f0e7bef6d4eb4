// split/options.hpp: the reference's defaults, and validate() naming each
// wrong option (never its value).
#include <authpp/split/options.hpp>

#include <catch2/catch.hpp>

using authpp::split::split_options;

TEST_CASE("split options: the defaults are the reference's") {
    const split_options o;
    CHECK(o.cookies.access == "access_token");
    CHECK(o.cookies.refresh == "refresh_token");
    CHECK(o.cookies.indicator == "session");
    CHECK(o.cookies.secure);
    CHECK(o.base_path == "/api/auth");
    CHECK(o.login_path() == "/api/auth/login");
    CHECK(o.refresh_path() == "/api/auth/refresh");
    CHECK(o.logout_path() == "/api/auth/logout");
    CHECK(o.refresh_margin == std::chrono::seconds(30));
    CHECK(o.login_url == "/login");
    CHECK(o.app_url == "/app");
    CHECK(o.refresh_coordination.key_prefix == "authpp:split:refresh");
    CHECK_FALSE(o.validate());
}

TEST_CASE("split options: validate names the wrong option") {
    const auto problem = [](auto change) {
        split_options o;
        change(o);
        const auto p = o.validate();
        return p ? p->option : std::string("(none)");
    };
    CHECK(problem([](split_options& o) { o.cookies.access = "a b"; }) == "cookies.access");
    CHECK(problem([](split_options& o) { o.cookies.access = ""; }) == "cookies.access");
    CHECK(problem([](split_options& o) { o.cookies.refresh = "access_token"; }) == "cookies.refresh");
    CHECK(problem([](split_options& o) { o.cookies.indicator = "refresh_token"; }) == "cookies.indicator");
    CHECK(problem([](split_options& o) { o.cookies.indicator = "x;y"; }) == "cookies.indicator");
    CHECK(problem([](split_options& o) { o.cookies.path = "x"; }) == "cookies.path");
    CHECK(problem([](split_options& o) { o.base_path = "api/auth"; }) == "base_path");
    CHECK(problem([](split_options& o) { o.base_path = "/api/auth/"; }) == "base_path");
    CHECK(problem([](split_options& o) { o.base_path = "/"; }) == "base_path");
    CHECK(problem([](split_options& o) { o.base_path = "/a?b"; }) == "base_path");
    CHECK(problem([](split_options& o) { o.refresh_margin = std::chrono::seconds(-1); }) == "refresh_margin");
    CHECK(problem([](split_options& o) { o.login_url = "//evil.example/login"; }) == "login_url");
    CHECK(problem([](split_options& o) { o.app_url = "https://evil.example/"; }) == "app_url");
    CHECK(problem([](split_options& o) { o.max_body_bytes = 0; }) == "max_body_bytes");
    CHECK(problem([](split_options& o) { o.max_token_bytes = 0; }) == "max_token_bytes");
    CHECK(problem([](split_options& o) { o.refresh_margin = std::chrono::hours(25); }) == "refresh_margin");
    CHECK(problem([](split_options& o) { o.login_url = "/login#x"; }) == "login_url");
    CHECK(problem([](split_options& o) { o.app_url = "/app\xc3\xa9"; }) == "app_url");
    // What a browser would drop is refused up front.
    CHECK(problem([](split_options& o) {
              o.cookies.secure = false;
              o.cookies.access = "__Host-at";
          }) == "cookies.access");
    CHECK(problem([](split_options& o) {
              o.cookies.path = "/app";
              o.cookies.refresh = "__Host-rt";
          }) == "cookies.refresh");
    CHECK(problem([](split_options& o) { o.cookies.path = "/a;b"; }) != "(none)");
    CHECK(problem([](split_options& o) { o.cookies.access = "__Host-at"; }) == "(none)"); // Secure, path /
    CHECK(problem([](split_options& o) { o.base_path = "/auth"; }) == "(none)");
}
