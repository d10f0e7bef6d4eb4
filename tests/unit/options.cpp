// Defaults, validation and the environment, as the reference and Auth.js have them.
#include <authpp/options.hpp>

#include <catch2/catch.hpp>

#include <map>

using namespace authpp;

TEST_CASE("zero config is the sandbox client with the reference's defaults") {
    const auto o = sandbox_options();
    CHECK(o.client_id == "mjtCL8mt06BtbxSkp2vbrYStKWnXVZfo");
    CHECK(o.redirect_uri == "/callback");
    CHECK(o.audience == "platform_api");
    CHECK(o.scope == "openid profile email offline_access transact");
    CHECK(o.authentication_domain == "https://auth.immutable.com");
    CHECK(o.session_max_age == std::chrono::seconds(365 * 24 * 3600));
    CHECK(o.refresh_buffer == std::chrono::seconds(60));
    CHECK(o.base_path == "/api/auth");
    CHECK(o.login_url == "/login");
    CHECK(o.resolved_token_endpoint() == "https://auth.immutable.com/oauth/token");
    CHECK(o.resolved_userinfo_endpoint() == "https://auth.immutable.com/userinfo");
    CHECK_FALSE(o.validate());
}

TEST_CASE("a given config must name clientId and redirectUri") {
    auth_options o;
    CHECK(o.validate() == error::missing_client_id);
    o.client_id = "c";
    CHECK(o.validate() == error::missing_redirect_uri);
    CHECK(make_error_code(error::missing_redirect_uri).message().find("redirectUri") != std::string::npos);
    o.redirect_uri = "https://app/callback";
    CHECK_FALSE(o.validate());
    o.session_max_age = std::chrono::seconds(0);
    CHECK(o.validate() == error::invalid_option);
}

TEST_CASE("an empty or relative authentication domain or endpoint is refused at validation") {
    // Before: an empty domain validated, and every refresh then failed as a
    // transport error, read as transient forever.
    auto o = sandbox_options();
    o.authentication_domain = "";
    CHECK(o.validate() == error::invalid_endpoint);
    CHECK(make_error_code(error::invalid_endpoint).message().find("authentication_domain") != std::string::npos);
    for (const char* bad : {"auth.example.com", "/oauth", "ftp://auth.example.com", "https://", "https:///x", "http:"}) {
        INFO(bad);
        o.authentication_domain = bad;
        CHECK(o.validate() == error::invalid_endpoint);
    }
    for (const char* good : {"https://auth.example.com", "http://127.0.0.1:4000", "HTTPS://Auth.Example.com/tenant"}) {
        INFO(good);
        o.authentication_domain = good;
        CHECK_FALSE(o.validate());
    }
    o.token_endpoint = "/token";
    CHECK(o.validate() == error::invalid_endpoint);
    o.token_endpoint = "https://auth.example.com/token";
    o.userinfo_endpoint = "me";
    CHECK(o.validate() == error::invalid_endpoint);
    o.userinfo_endpoint.clear();
    o.authorization_endpoint = "//evil.example/authorize";
    CHECK(o.validate() == error::invalid_endpoint);
    o.authorization_endpoint.clear();
    CHECK_FALSE(o.validate());
}

TEST_CASE("durations whose sum with now would overflow are refused") {
    auto o = sandbox_options();
    o.session_max_age = std::chrono::seconds::max();
    CHECK(o.validate() == error::invalid_option);
    o.session_max_age = std::chrono::seconds(400LL * 24 * 3600);
    CHECK_FALSE(o.validate());
    o.refresh_buffer = std::chrono::seconds::max();
    CHECK(o.validate() == error::invalid_option);
}

TEST_CASE("endpoints follow the domain unless overridden") {
    auto o = sandbox_options();
    o.authentication_domain = "http://127.0.0.1:4000";
    CHECK(o.resolved_token_endpoint() == "http://127.0.0.1:4000/oauth/token");
    o.token_endpoint = "http://127.0.0.1:4000/token";
    o.userinfo_endpoint = "http://127.0.0.1:4000/me";
    CHECK(o.resolved_token_endpoint() == "http://127.0.0.1:4000/token");
    CHECK(o.resolved_userinfo_endpoint() == "http://127.0.0.1:4000/me");
}

TEST_CASE("cookie name and flags follow the base URL's scheme") {
    auto o = sandbox_options();
    CHECK(o.session_cookie() == "authjs.session-token");
    CHECK_FALSE(o.session_cookie_options().secure);
    CHECK(o.session_cookie_options().http_only);
    CHECK(o.session_cookie_options().same_site == cookie::same_site_policy::lax);
    o.base_url = "https://app.example.com";
    CHECK(o.session_cookie() == "__Secure-authjs.session-token");
    CHECK(o.session_cookie_options().secure);
    o.use_secure_cookies = false;
    CHECK(o.session_cookie() == "authjs.session-token");
}

TEST_CASE("load_env reads the secrets in Auth.js's order and AUTH_URL") {
    std::map<std::string, std::string> env{{"AUTH_SECRET", "s0"},
                                           {"AUTH_SECRET_1", "s1"},
                                           {"AUTH_SECRET_3", "s3"},
                                           {"AUTH_URL", "https://app.example.com/custom/auth/"}};
    auto get = [&](const char* n) -> const char* {
        auto it = env.find(n);
        return it == env.end() ? nullptr : it->second.c_str();
    };
    auto o = sandbox_options();
    load_env(o, get);
    CHECK(o.secrets == std::vector<std::string>{"s3", "s1", "s0"});
    CHECK(o.base_url == "https://app.example.com");
    CHECK(o.base_path == "/custom/auth");
    CHECK(o.secure_cookies());

    auto o2 = sandbox_options();
    env["AUTH_URL"] = "http://localhost:3000";
    load_env(o2, get);
    CHECK(o2.base_url == "http://localhost:3000");
    CHECK(o2.base_path == "/api/auth");
    CHECK_FALSE(o2.secure_cookies());
}
