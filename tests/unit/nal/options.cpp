// nal/options.hpp: the defaults of C6.md, URLs of the endpoints, and
// validate() naming the wrong option without echoing its value.
#include <authpp/nal/options.hpp>

#include <catch2/catch.hpp>

using namespace authpp;
using namespace std::chrono_literals;

namespace {
nal::nal_options good() {
    nal::nal_options o;
    o.api_base_url = "http://127.0.0.1:8000/";
    return o;
}
std::string problem(const nal::nal_options& o) {
    const auto p = o.validate();
    return p ? p->option : "";
}
} // namespace

TEST_CASE("defaults") {
    const nal::nal_options o;
    CHECK(o.cookies.user == "userToken");
    CHECK(o.cookies.guest == "guestToken");
    CHECK(o.cookies.user_max_age == 7 * 24h);
    CHECK(o.cookies.guest_max_age == 1h);
    CHECK(o.cookies.secure);
    CHECK(o.endpoints.validate == "auth/me");
    CHECK(o.endpoints.refresh == "auth/refresh");
    CHECK(o.endpoints.guest == "auth/guest");
    CHECK_FALSE(o.guest);
    CHECK(o.auth_routes == std::vector<std::string>{"/login"});
    CHECK(o.api_prefix == "/api");
    CHECK(o.cache_ttl == 2000ms);
    CHECK(o.cache_max_entries == 100);
    CHECK(o.deduplicate);
    CHECK(o.accept_bearer);
    CHECK(o.max_token_bytes == 8192);
    CHECK(problem(o) == "api_base_url"); // required
    CHECK_FALSE(good().validate());
}

TEST_CASE("url_of joins with exactly one slash") {
    auto o = good();
    CHECK(o.url_of("auth/me") == "http://127.0.0.1:8000/auth/me");
    o.api_base_url = "https://api.example.com/v1";
    CHECK(o.url_of("auth/me") == "https://api.example.com/v1/auth/me");
    CHECK(o.url_of("/auth/me") == "https://api.example.com/v1/auth/me");
}

TEST_CASE("validate names the first wrong option") {
    auto o = good();
    for (const char* bad : {"ftp://h/", "127.0.0.1:8000", "/api", "http://", "http://h/?x=1", "http://u:p@h/"}) {
        o.api_base_url = bad;
        INFO(bad);
        CHECK(problem(o) == "api_base_url");
    }
    o = good();
    o.cookies.guest = o.cookies.user;
    CHECK(problem(o) == "cookies.guest");
    o = good();
    o.cookies.user = "bad name";
    CHECK(problem(o) == "cookies.user");
    o = good();
    o.cookies.user_max_age = 0s;
    CHECK(problem(o) == "cookies.user_max_age");
    o = good();
    o.guest = nal::guest_credentials{"guest", ""};
    CHECK(problem(o) == "guest");
    o = good();
    o.protected_routes = {"/dashboard", "admin"};
    CHECK(problem(o) == "protected_routes");
    o = good();
    o.excluded_paths = {"static"};
    CHECK(problem(o) == "excluded_paths");
    o = good();
    o.login_url = "//evil.example/login";
    CHECK(problem(o) == "login_url");
    o = good();
    o.login_url = "https://evil.example/login";
    CHECK(problem(o) == "login_url");
    o = good();
    o.allowed_types = {"admin", ""};
    CHECK(problem(o) == "allowed_types");
    o = good();
    o.cache_ttl = -1ms;
    CHECK(problem(o) == "cache_ttl");
    o = good();
    o.endpoints.refresh = "";
    CHECK(problem(o) == "endpoints");
}

TEST_CASE("a problem never carries the option's value") {
    auto o = good();
    o.guest = nal::guest_credentials{"", "hunter2"};
    const auto p = o.validate();
    REQUIRE(p);
    CHECK(p->why.find("hunter2") == std::string::npos);
    CHECK(p->option.find("hunter2") == std::string::npos);
}
