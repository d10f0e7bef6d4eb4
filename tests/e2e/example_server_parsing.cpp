// authpp-example-server's own parsers: the environment (every bad value is
// a message naming the variable, never a crash or a half-configured server)
// and the query helpers of its login page.
#include "../../examples/authpp-example-server/app.hpp"
#include "../../examples/authpp-example-server/env_config.hpp"
#include "../../examples/authpp-example-server/nal_env.hpp"
#include "../../examples/authpp-example-server/split_env.hpp"
#include "../../examples/authpp-example-server/store.hpp"

#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>

namespace {

using env_map = std::map<std::string, std::string>;

std::variant<example::server_config, std::string> parse(env_map env) {
    if (!env.count("AUTH_SECRET")) env["AUTH_SECRET"] = "a-secret-for-the-parser-tests-0123456789";
    return example::config_from_env([&](const char* name) -> const char* {
        auto it = env.find(name);
        return it == env.end() ? nullptr : it->second.c_str();
    });
}

std::string error_of(env_map env) {
    auto r = parse(std::move(env));
    REQUIRE(std::holds_alternative<std::string>(r));
    return std::get<std::string>(r);
}

example::server_config config_of(env_map env) {
    auto r = parse(std::move(env));
    if (auto* e = std::get_if<std::string>(&r)) FAIL(*e);
    return std::get<example::server_config>(std::move(r));
}

} // namespace

TEST_CASE("example server: defaults") {
    const auto c = config_of({});
    CHECK(c.host == "127.0.0.1");
    CHECK(c.port == 3000);
    CHECK(c.threads == 1);
    CHECK(c.auth.base_url == "http://127.0.0.1:3000");
    CHECK(c.auth.redirect_uri == "http://127.0.0.1:3000/api/auth/callback/immutable");
    CHECK(c.auth.oauth_provider_id == "immutable");
    CHECK(c.auth.protected_paths == std::vector<std::string>{"/dashboard"});
    CHECK(c.auth.public_paths.empty());
    CHECK_FALSE(c.auth.client_secret);
    CHECK(c.redis.url.empty());
    CHECK_FALSE(c.redis.tls_files());
    CHECK_FALSE(c.database_sessions);
    CHECK(c.auth.refresh_coordination.lease == std::chrono::milliseconds(5'000));
}

TEST_CASE("example server: session strategy and refresh lease") {
    CHECK(config_of({{"AUTHPP_SESSION_STRATEGY", "database"}}).database_sessions);
    CHECK_FALSE(config_of({{"AUTHPP_SESSION_STRATEGY", "jwt"}}).database_sessions);
    CHECK(config_of({}).auth.decode_cache.enabled);
    CHECK_FALSE(config_of({{"AUTHPP_DECODE_CACHE", "off"}}).auth.decode_cache.enabled);
    CHECK(config_of({{"AUTHPP_DECODE_CACHE", "on"}}).auth.decode_cache.enabled);
    CHECK_THAT(error_of({{"AUTHPP_DECODE_CACHE", "yes"}}), Catch::Contains("AUTHPP_DECODE_CACHE"));
    CHECK(config_of({{"AUTHPP_REFRESH_LEASE_MS", "1500"}}).auth.refresh_coordination.lease ==
          std::chrono::milliseconds(1'500));
    for (const char* st : {"Database", "db", " jwt", "cookie"})
        CHECK_THAT(error_of({{"AUTHPP_SESSION_STRATEGY", st}}), Catch::Contains("AUTHPP_SESSION_STRATEGY"));
    for (const char* n : {"0", "99", "600001", "1s", "-5"})
        CHECK_THAT(error_of({{"AUTHPP_REFRESH_LEASE_MS", n}}), Catch::Contains("AUTHPP_REFRESH_LEASE_MS"));
}

TEST_CASE("example server: the request time-out and the endpoints") {
    CHECK(config_of({}).request_timeout == std::chrono::milliseconds(20'000));
    CHECK(config_of({{"AUTHPP_REQUEST_TIMEOUT_MS", "1000"}}).request_timeout == std::chrono::milliseconds(1'000));
    for (const char* n : {"0", "99", "600001", "1s", "-5"})
        CHECK_THAT(error_of({{"AUTHPP_REQUEST_TIMEOUT_MS", n}}), Catch::Contains("AUTHPP_REQUEST_TIMEOUT_MS"));
    // A relative endpoint would fail every refresh as a transport error: refused at start-up.
    CHECK_THAT(error_of({{"AUTHPP_TOKEN_ENDPOINT", "/token"}}), Catch::Contains("token_endpoint"));
    CHECK_THAT(error_of({{"AUTHPP_AUTH_DOMAIN", "idp.example"}}), Catch::Contains("authentication_domain"));
}

TEST_CASE("example server: every variable reaches its option") {
    const auto c = config_of({{"AUTHPP_LISTEN", "[::1]:8080"},
                              {"AUTHPP_THREADS", "4"},
                              {"AUTH_URL", "https://app.example.com/auth"},
                              {"AUTHPP_ISSUER", "https://idp.example"},
                              {"AUTHPP_TOKEN_ENDPOINT", "https://idp.example/t"},
                              {"AUTHPP_USERINFO_ENDPOINT", "https://idp.example/u"},
                              {"AUTHPP_CLIENT_ID", "c1"},
                              {"AUTHPP_CLIENT_SECRET", "s1"},
                              {"AUTHPP_CLIENT_AUTH", "post"},
                              {"AUTHPP_REFRESH_BUFFER_S", "0"},
                              {"AUTHPP_OAUTH_PROVIDER", "off"},
                              {"AUTHPP_PROTECTED", " /a, /b ,,"},
                              {"AUTHPP_PUBLIC", "/a/open"},
                              {"AUTHPP_SIGNIN_PARAMS", "prompt=consent"},
                              {"AUTHPP_REDIS_URL", "redis://127.0.0.1:6380/2"}});
    CHECK(c.host == "::1");
    CHECK(c.port == 8080);
    CHECK(c.threads == 4);
    CHECK(c.issuer == "https://idp.example");
    CHECK(c.signin_params == "prompt=consent");
    CHECK(c.redis.url == "redis://127.0.0.1:6380/2");
    CHECK(c.auth.base_url == "https://app.example.com");
    CHECK(c.auth.base_path == "/auth");
    CHECK(c.auth.authentication_domain == "https://idp.example");
    CHECK(c.auth.token_endpoint == "https://idp.example/t");
    CHECK(c.auth.userinfo_endpoint == "https://idp.example/u");
    CHECK(c.auth.client_id == "c1");
    CHECK(c.auth.client_secret == std::optional<std::string>("s1"));
    CHECK(c.auth.client_auth == authpp::client_auth_method::post);
    CHECK(c.auth.refresh_buffer == std::chrono::seconds(0));
    CHECK(c.auth.oauth_provider_id.empty());
    CHECK(c.auth.redirect_uri == "https://app.example.com/auth/callback/immutable");
    CHECK(c.auth.protected_paths == std::vector<std::string>{"/a", "/b"});
    CHECK(c.auth.public_paths == std::vector<std::string>{"/a/open"});
    CHECK(config_of({{"AUTHPP_AUTH_DOMAIN", "https://d.example"}}).auth.authentication_domain == "https://d.example");
}

TEST_CASE("example server: malformed values are refused with the variable's name") {
    for (const char* listen : {"", ":80", "host", "1.2.3.4:", "1.2.3.4:65536", "1.2.3.4:-1", "1.2.3.4:80x", "[::1:80", "[]:80"}) {
        if (!*listen) continue; // empty: the default
        INFO(listen);
        CHECK_THAT(error_of({{"AUTHPP_LISTEN", listen}}), Catch::Contains("AUTHPP_LISTEN"));
    }
    for (const char* n : {"0", "257", "-1", "x", "1.5", "99999999999999999999"})
        CHECK_THAT(error_of({{"AUTHPP_THREADS", n}}), Catch::Contains("AUTHPP_THREADS"));
    for (const char* n : {"-1", "86401", "ten", "1e3", " 5"})
        CHECK_THAT(error_of({{"AUTHPP_REFRESH_BUFFER_S", n}}), Catch::Contains("AUTHPP_REFRESH_BUFFER_S"));
    CHECK_THAT(error_of({{"AUTHPP_CLIENT_AUTH", "none"}}), Catch::Contains("AUTHPP_CLIENT_AUTH"));
    CHECK_THAT(error_of({{"AUTHPP_PROTECTED", "/ok,nope"}}), Catch::Contains("AUTHPP_PROTECTED"));
    CHECK_THAT(error_of({{"AUTHPP_PUBLIC", "x"}}), Catch::Contains("AUTHPP_PUBLIC"));
    CHECK_THAT(error_of({{"AUTHPP_SIGNIN_PARAMS", "a=\"><script>"}}), Catch::Contains("AUTHPP_SIGNIN_PARAMS"));
    CHECK_THAT(error_of({{"AUTH_SECRET", ""}}), Catch::Contains("AUTH_SECRET"));
    // The message never repeats a secret.
    CHECK_THAT(error_of({{"AUTHPP_CLIENT_SECRET", "hunter2"}, {"AUTHPP_THREADS", "0"}}),
               !Catch::Contains("hunter2"));
}

TEST_CASE("example server: a path prefix behind a proxy, and the login URL") {
    SECTION("defaults: no prefix, the server's own /login") {
        const auto c = config_of({});
        CHECK(c.path_prefix.empty());
        CHECK(c.auth.base_path == "/api/auth");
        CHECK(c.auth.login_url == "/login");
        CHECK(c.auth.sign_in_page == "/login");
    }
    SECTION("the prefix moves the pages, the default protected path and the actions") {
        const auto c = config_of({{"AUTHPP_PATH_PREFIX", "/cpp"}, {"AUTH_URL", "http://127.0.0.1:8080"}});
        CHECK(c.path_prefix == "/cpp");
        CHECK(c.auth.base_path == "/cpp/api/auth");
        CHECK(c.auth.login_url == "/cpp/login");
        CHECK(c.auth.protected_paths == std::vector<std::string>{"/cpp/dashboard"});
        CHECK(c.auth.redirect_uri == "http://127.0.0.1:8080/cpp/api/auth/callback/immutable");
        // A trailing '/' on AUTH_URL is no path either.
        CHECK(config_of({{"AUTHPP_PATH_PREFIX", "/a/b"}, {"AUTH_URL", "http://h/"}}).auth.base_path == "/a/b/api/auth");
    }
    SECTION("AUTH_URL's own path names the actions' path, as Auth.js reads it") {
        const auto c = config_of({{"AUTHPP_PATH_PREFIX", "/cpp"}, {"AUTH_URL", "http://h/auth"}});
        CHECK(c.auth.base_path == "/auth");
        CHECK(c.auth.login_url == "/cpp/login");
    }
    SECTION("another app's sign-in page, on this origin or absolute") {
        auto c = config_of({{"AUTHPP_PATH_PREFIX", "/cpp"}, {"AUTHPP_LOGIN_URL", "/login"}});
        CHECK(c.auth.login_url == "/login");
        CHECK(c.auth.sign_in_page == "/login");
        c = config_of({{"AUTHPP_LOGIN_URL", "https://app.example.com/signin?from=cpp"}});
        CHECK(c.auth.login_url == "https://app.example.com/signin?from=cpp");
    }
    SECTION("malformed values name their variable") {
        for (const char* p : {"/", "cpp", "/cpp/", "//cpp", "/a//b", "/a?b", "/a#b", "/a b", "/a/../b", "/./a", "/%2e",
                              "/a\\b", "/\x7f"}) {
            INFO(p);
            CHECK_THAT(error_of({{"AUTHPP_PATH_PREFIX", p}}), Catch::Contains("AUTHPP_PATH_PREFIX"));
        }
        for (const char* l : {"//evil.example/login", "login", "javascript:alert(1)", "ftp://h/x", "/a b", "/\\evil",
                              "http://"}) {
            INFO(l);
            CHECK_THAT(error_of({{"AUTHPP_LOGIN_URL", l}}), Catch::Contains("AUTHPP_LOGIN_URL"));
        }
    }
}

namespace {
/// A readable file for the TLS variables (its content is the store's business, at start-up).
std::string readable_file() {
    static const struct temp_file {
        std::filesystem::path p =
            std::filesystem::temp_directory_path() / ("authpp-parsing-" + std::to_string(::getpid()) + ".pem");
        temp_file() { std::ofstream(p) << "not checked here\n"; }
        ~temp_file() {
            std::error_code ec;
            std::filesystem::remove(p, ec);
        }
    } file;
    return file.p.string();
}
const std::string tls_url = "rediss://:hunter2@redis.internal:6380/1";
} // namespace

TEST_CASE("example server: rediss:// and its TLS files") {
    const auto f = readable_file();
    auto c = config_of({{"AUTHPP_REDIS_URL", tls_url}});
    CHECK(c.redis.url == tls_url);
    CHECK_FALSE(c.redis.tls_files()); // the system trust store, no client certificate
    c = config_of({{"AUTHPP_REDIS_URL", tls_url},
                   {"AUTHPP_REDIS_CA_FILE", f},
                   {"AUTHPP_REDIS_CERT_FILE", f},
                   {"AUTHPP_REDIS_KEY_FILE", f}});
    CHECK(c.redis.ca_file == f);
    CHECK(c.redis.cert_file == f);
    CHECK(c.redis.key_file == f);

    // One of certificate and key without the other names the missing one.
    auto e = error_of({{"AUTHPP_REDIS_URL", tls_url}, {"AUTHPP_REDIS_CERT_FILE", f}});
    CHECK(e.starts_with("AUTHPP_REDIS_KEY_FILE"));
    e = error_of({{"AUTHPP_REDIS_URL", tls_url}, {"AUTHPP_REDIS_KEY_FILE", f}});
    CHECK(e.starts_with("AUTHPP_REDIS_CERT_FILE"));
    // An unreadable file is refused at start-up, naming its variable.
    for (const char* name : {"AUTHPP_REDIS_CA_FILE", "AUTHPP_REDIS_CERT_FILE", "AUTHPP_REDIS_KEY_FILE"}) {
        env_map env{{"AUTHPP_REDIS_URL", tls_url},
                    {"AUTHPP_REDIS_CA_FILE", f},
                    {"AUTHPP_REDIS_CERT_FILE", f},
                    {"AUTHPP_REDIS_KEY_FILE", f}};
        env[name] = "/nonexistent/authpp/" + std::string(name) + ".pem";
        e = error_of(env);
        INFO(e);
        CHECK(e.starts_with(name));
        CHECK(e.find("hunter2") == std::string::npos);
    }
    // TLS files without Redis at all: a configuration that cannot be what was meant.
    CHECK_THAT(error_of({{"AUTHPP_REDIS_CA_FILE", f}}), Catch::Contains("AUTHPP_REDIS_URL"));
}

TEST_CASE("example server: the Sentinels' own credentials") {
    const std::string url = "redis-sentinel://:hunter2@s1,s2/mymaster/1";
    auto c = config_of({{"AUTHPP_REDIS_URL", url},
                        {"AUTHPP_REDIS_SENTINEL_USER", "watcher"},
                        {"AUTHPP_REDIS_SENTINEL_PASSWORD", "sentinel-pw"}});
    CHECK(c.redis.sentinel_user == "watcher");
    CHECK(c.redis.sentinel_password == "sentinel-pw");
    CHECK(config_of({{"AUTHPP_REDIS_URL", url}}).redis.sentinel_password.empty());
    // A user without the password, or a password without Redis, names the variable.
    auto e = error_of({{"AUTHPP_REDIS_URL", url}, {"AUTHPP_REDIS_SENTINEL_USER", "watcher"}});
    CHECK(e.starts_with("AUTHPP_REDIS_SENTINEL_PASSWORD"));
    e = error_of({{"AUTHPP_REDIS_SENTINEL_PASSWORD", "sentinel-pw"}});
    CHECK(e.starts_with("AUTHPP_REDIS_SENTINEL_PASSWORD"));
    CHECK(e.find("sentinel-pw") == std::string::npos);
#ifdef AUTHPP_EXAMPLE_HAS_REDIS
    CHECK(std::holds_alternative<authpp::any_store>(example::make_store(c.redis)));
    // With a URL that is not a sentinel form, the store refuses it, naming the variable.
    for (const char* other : {"redis://:hunter2@h1/1", "redis-cluster://:hunter2@h1"}) {
        c.redis.url = other;
        const auto made = example::make_store(c.redis);
        REQUIRE(std::holds_alternative<std::string>(made));
        const auto& why = std::get<std::string>(made);
        INFO(why);
        CHECK(why.starts_with("AUTHPP_REDIS_SENTINEL_PASSWORD"));
        CHECK(why.find("sentinel-pw") == std::string::npos);
        CHECK(why.find("hunter2") == std::string::npos);
    }
#endif
}

namespace {

/// A multi-host form of AUTHPP_REDIS_URL (Sentinel, Cluster): `plain` and
/// `tls` are taken, each `bad` one refused naming the variable and never
/// quoting the password ("hunter2"), and TLS files with `plain` refused.
void check_redis_url_form(const std::string& plain, const std::string& tls, std::initializer_list<const char*> bad) {
    CHECK(config_of({{"AUTHPP_REDIS_URL", plain}}).redis.url == plain);
    // The TLS files go with the TLS form as with rediss://.
    const auto c = config_of({{"AUTHPP_REDIS_URL", tls}, {"AUTHPP_REDIS_CA_FILE", readable_file()}});
    CHECK(c.redis.url == tls);
    CHECK(c.redis.ca_file == readable_file());
#ifdef AUTHPP_EXAMPLE_HAS_REDIS
    const auto redis = [](std::string url, std::string ca_file = {}) {
        example::redis_env r;
        r.url = std::move(url);
        r.ca_file = std::move(ca_file);
        return r;
    };
    // The store is made (nothing connects yet) ...
    CHECK(std::holds_alternative<authpp::any_store>(example::make_store(redis(plain))));
    CHECK(std::holds_alternative<authpp::any_store>(example::make_store(redis(tls))));
    // ... or refused naming the variable and the fault, never quoting the password.
    for (const char* url : bad) {
        auto r = example::make_store(redis(url));
        REQUIRE(std::holds_alternative<std::string>(r));
        const auto& e = std::get<std::string>(r);
        INFO(e);
        CHECK(e.starts_with("AUTHPP_REDIS_URL: invalid Redis"));
        CHECK(e.find("hunter2") == std::string::npos);
    }
    // TLS files with the plain form: refused, as with redis://.
    auto r = example::make_store(redis(plain, readable_file()));
    REQUIRE(std::holds_alternative<std::string>(r));
    CHECK(std::get<std::string>(r).starts_with("AUTHPP_REDIS_URL"));
#else
    (void)bad;
#endif
}

} // namespace

TEST_CASE("example server: the sentinel forms of AUTHPP_REDIS_URL") {
    check_redis_url_form("redis-sentinel://:hunter2@10.0.0.1,10.0.0.2:26380/mymaster/1",
                         "rediss-sentinel://u:hunter2@[::1]:26379/mymaster",
                         {"redis-sentinel://:hunter2@h1,,h2/mymaster", "redis-sentinel://:hunter2@h1",
                          "redis-sentinel://:hunter2@h1/my master", "redis-sentinel://:hunter2@h1/m?db=1"});
}

TEST_CASE("example server: the cluster forms of AUTHPP_REDIS_URL") {
    check_redis_url_form("redis-cluster://:hunter2@10.0.0.1:7000,10.0.0.2:7001",
                         "rediss-cluster://u:hunter2@[::1]:7000/0",
                         {"redis-cluster://:hunter2@h1,,h2", "redis-cluster://:hunter2@h1/2",
                          "redis-cluster://:hunter2@h1:0", "redis-cluster://:hunter2@h1?db=0"});
}

TEST_CASE("example server: query helpers of the login page") {
    CHECK(example::query_param("a=1&returnTo=%2Fx&b=2", "returnTo") == "%2Fx");
    CHECK(example::query_param("returnToo=1&returnTo=", "returnTo").empty());
    CHECK(example::query_param("returnTo", "returnTo").empty());
    CHECK(example::query_param("", "returnTo").empty());
    CHECK(example::url_decode("%2Fdash+board%3fa%3D1") == "/dash board?a=1");
    CHECK(example::url_decode("%") == "%");
    CHECK(example::url_decode("%2") == "%2");
    CHECK(example::url_decode("%zz%41") == "%zzA");
    CHECK(example::url_decode("%00").size() == 1);
    CHECK(example::html_escape(R"(<a href="x">'&'</a>)") == "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
}

namespace {
std::variant<example::nal_server_config, std::string> parse_nal(env_map env) {
    if (!env.count("AUTHPP_NAL_API_URL")) env["AUTHPP_NAL_API_URL"] = "http://127.0.0.1:8000/";
    return example::nal_config_from_env([&](const char* name) -> const char* {
        auto it = env.find(name);
        return it == env.end() ? nullptr : it->second.c_str();
    });
}
std::string nal_error_of(env_map env) {
    auto r = parse_nal(std::move(env));
    REQUIRE(std::holds_alternative<std::string>(r));
    return std::get<std::string>(r);
}
} // namespace

TEST_CASE("example server, mode nal: defaults and values") {
    auto r = parse_nal({});
    REQUIRE(std::holds_alternative<example::nal_server_config>(r));
    const auto& c = std::get<example::nal_server_config>(r);
    CHECK(c.nal.api_base_url == "http://127.0.0.1:8000/");
    CHECK(c.nal.cache_ttl == std::chrono::milliseconds(2000));
    CHECK(c.nal.cache_max_entries == 100);
    CHECK(c.mapper == "standard");
    CHECK_FALSE(c.nal.guest);
    CHECK(c.nal.protected_routes == std::vector<std::string>{"/dashboard"});
    CHECK(c.nal.auth_routes == std::vector<std::string>{"/login"});
    CHECK_FALSE(c.nal.cookies.secure); // plain http
    CHECK_FALSE(c.audit_stdout);

    auto full = parse_nal({{"AUTHPP_NAL_GUEST_USERNAME", "g"}, {"AUTHPP_NAL_GUEST_PASSWORD", "pw"},
                           {"AUTHPP_NAL_CACHE_TTL_MS", "0"}, {"AUTHPP_NAL_MAPPER", "dotnet"},
                           {"AUTHPP_NAL_ALLOWED_TYPES", "admin, staff"}, {"AUTHPP_NAL_AUDIT", "stdout"},
                           {"AUTH_URL", "https://app.example.com"}, {"AUTHPP_LISTEN", "127.0.0.1:4000"}});
    REQUIRE(std::holds_alternative<example::nal_server_config>(full));
    const auto& f = std::get<example::nal_server_config>(full);
    CHECK(f.nal.guest);
    CHECK(f.nal.cache_ttl.count() == 0);
    CHECK(f.mapper == "dotnet");
    CHECK(f.nal.allowed_types == std::vector<std::string>{"admin", "staff"});
    CHECK(f.audit_stdout);
    CHECK(f.nal.cookies.secure);
    CHECK(f.listen.port == 4000);
}

TEST_CASE("example server, mode nal: every bad value names its variable") {
    CHECK(nal_error_of({{"AUTHPP_NAL_API_URL", "127.0.0.1:8000"}}).starts_with("AUTHPP_NAL_API_URL"));
    CHECK(nal_error_of({{"AUTHPP_NAL_API_URL", "ftp://h/"}}).starts_with("AUTHPP_NAL_API_URL"));
    CHECK(nal_error_of({{"AUTHPP_NAL_CACHE_TTL_MS", "2s"}}).starts_with("AUTHPP_NAL_CACHE_TTL_MS"));
    CHECK(nal_error_of({{"AUTHPP_NAL_CACHE_MAX", "x"}}).starts_with("AUTHPP_NAL_CACHE_MAX"));
    CHECK(nal_error_of({{"AUTHPP_NAL_MAPPER", "rails"}}).starts_with("AUTHPP_NAL_MAPPER"));
    CHECK(nal_error_of({{"AUTHPP_NAL_AUDIT", "yes"}}).starts_with("AUTHPP_NAL_AUDIT"));
    const auto pw = nal_error_of({{"AUTHPP_NAL_GUEST_PASSWORD", "hunter2"}});
    CHECK(pw.starts_with("AUTHPP_NAL_GUEST_USERNAME"));
    CHECK(pw.find("hunter2") == std::string::npos);
    CHECK(nal_error_of({{"AUTHPP_NAL_GUEST_USERNAME", "g"}}).starts_with("AUTHPP_NAL_GUEST_PASSWORD"));
    CHECK(nal_error_of({{"AUTHPP_THREADS", "0"}}).starts_with("AUTHPP_THREADS"));
    CHECK(nal_error_of({{"AUTH_URL", "app.example.com"}}).starts_with("AUTH_URL"));
    CHECK(nal_error_of({{"AUTHPP_PUBLIC", "about"}}).starts_with("AUTHPP_PUBLIC"));
    CHECK(nal_error_of({{"AUTHPP_REDIS_URL", tls_url}, {"AUTHPP_REDIS_KEY_FILE", readable_file()}})
              .starts_with("AUTHPP_REDIS_CERT_FILE"));
    auto tls = parse_nal({{"AUTHPP_REDIS_URL", tls_url}, {"AUTHPP_REDIS_CA_FILE", readable_file()}});
    REQUIRE(std::holds_alternative<example::nal_server_config>(tls));
    CHECK(std::get<example::nal_server_config>(tls).redis.ca_file == readable_file());
}


namespace {
std::variant<example::split_server_config, std::string> parse_split(env_map env) {
    if (!env.count("AUTHPP_SPLIT_API_URL")) env["AUTHPP_SPLIT_API_URL"] = "http://127.0.0.1:8055";
    return example::split_config_from_env([&](const char* name) -> const char* {
        auto it = env.find(name);
        return it == env.end() ? nullptr : it->second.c_str();
    });
}
std::string split_error_of(env_map env) {
    auto r = parse_split(std::move(env));
    REQUIRE(std::holds_alternative<std::string>(r));
    return std::get<std::string>(r);
}
} // namespace

TEST_CASE("example server, mode split: defaults and values") {
    auto r = parse_split({});
    REQUIRE(std::holds_alternative<example::split_server_config>(r));
    const auto& c = std::get<example::split_server_config>(r);
    CHECK(c.preset == "directus");
    CHECK(c.backend.url == "http://127.0.0.1:8055");
    CHECK(c.backend.login_path == "/auth/login");
    CHECK(c.backend.access_pointer == "/data/access_token");
    CHECK(c.split.base_path == "/api/auth");
    CHECK(c.split.cookies.access == "access_token");
    CHECK(c.split.refresh_margin == std::chrono::seconds(30));
    CHECK_FALSE(c.split.cookies.secure); // plain http

    auto full = parse_split({{"AUTHPP_SPLIT_PRESET", "custom"}, {"AUTHPP_SPLIT_LOGIN_PATH", "/v2/login"},
                             {"AUTHPP_SPLIT_PTR_EXPIRES", "/tokens/ttl"}, {"AUTHPP_SPLIT_BASE_PATH", "/auth"},
                             {"AUTHPP_SPLIT_INDICATOR_COOKIE", "project_session"},
                             {"AUTHPP_SPLIT_REFRESH_MARGIN_S", "0"}, {"AUTHPP_SPLIT_APP_URL", "/home"},
                             {"AUTH_URL", "https://app.example.com"}, {"AUTH_SECRET", "s"}});
    REQUIRE(std::holds_alternative<example::split_server_config>(full));
    const auto& f = std::get<example::split_server_config>(full);
    CHECK(f.preset == "custom");
    CHECK(f.backend.login_path == "/v2/login");
    CHECK(f.backend.expires_pointer == "/tokens/ttl");
    CHECK(f.split.base_path == "/auth");
    CHECK(f.split.cookies.indicator == "project_session");
    CHECK(f.split.refresh_margin.count() == 0);
    CHECK(f.split.app_url == "/home");
    CHECK(f.split.cookies.secure);
    CHECK(f.split.secrets == std::vector<std::string>{"s"});
}

TEST_CASE("example server, mode split: every bad value names its variable") {
    CHECK(split_error_of({{"AUTHPP_SPLIT_API_URL", ""}}).starts_with("AUTHPP_SPLIT_API_URL"));
    CHECK(split_error_of({{"AUTHPP_SPLIT_API_URL", "directus:8055"}}).starts_with("AUTHPP_SPLIT_API_URL"));
    CHECK(split_error_of({{"AUTHPP_SPLIT_API_URL", "http://h/?x"}}).starts_with("AUTHPP_SPLIT_API_URL"));
    CHECK(split_error_of({{"AUTHPP_SPLIT_PRESET", "firebase"}}).starts_with("AUTHPP_SPLIT_PRESET"));
    const env_map custom{{"AUTHPP_SPLIT_PRESET", "custom"}};
    const auto with = [&](env_map e) {
        e.insert(custom.begin(), custom.end());
        return e;
    };
    CHECK(split_error_of(with({{"AUTHPP_SPLIT_PTR_ACCESS", "data/access_token"}})).starts_with("AUTHPP_SPLIT_PTR_ACCESS"));
    CHECK(split_error_of(with({{"AUTHPP_SPLIT_PTR_REFRESH", "/a~2"}})).starts_with("AUTHPP_SPLIT_PTR_REFRESH"));
    CHECK(split_error_of(with({{"AUTHPP_SPLIT_LOGOUT_PATH", "auth/logout"}})).starts_with("AUTHPP_SPLIT_LOGOUT_PATH"));
    CHECK(split_error_of({{"AUTHPP_SPLIT_LOGIN_PATH", "/v2/login"}}) ==
          "AUTHPP_SPLIT_LOGIN_PATH needs AUTHPP_SPLIT_PRESET=custom"); // directus: its own paths
    CHECK(split_error_of({{"AUTHPP_SPLIT_ACCESS_COOKIE", "__Host-at"}}).starts_with("AUTHPP_SPLIT_ACCESS_COOKIE"));
    CHECK(split_error_of({{"AUTHPP_SPLIT_REFRESH_MARGIN_S", "abc"}}).starts_with("AUTHPP_SPLIT_REFRESH_MARGIN_S"));
    CHECK(split_error_of({{"AUTHPP_SPLIT_REFRESH_MARGIN_S", "-1"}}).starts_with("AUTHPP_SPLIT_REFRESH_MARGIN_S"));
    CHECK(split_error_of({{"AUTHPP_SPLIT_BASE_PATH", "api/auth"}}).starts_with("AUTHPP_SPLIT_BASE_PATH"));
    CHECK(split_error_of({{"AUTHPP_SPLIT_ACCESS_COOKIE", "a b"}}).starts_with("AUTHPP_SPLIT_ACCESS_COOKIE"));
    CHECK(split_error_of({{"AUTHPP_SPLIT_REFRESH_COOKIE", "access_token"}}).starts_with("AUTHPP_SPLIT_REFRESH_COOKIE"));
    CHECK(split_error_of({{"AUTHPP_SPLIT_LOGIN_URL", "https://evil.example/"}}).starts_with("AUTHPP_SPLIT_LOGIN_URL"));
    CHECK(split_error_of({{"AUTH_URL", "app.example.com"}}).starts_with("AUTH_URL"));
    CHECK(split_error_of({{"AUTHPP_LISTEN", "nowhere"}}).starts_with("AUTHPP_LISTEN"));
    CHECK(split_error_of({{"AUTHPP_ACCESS_LOG", "quiet"}}).starts_with("AUTHPP_ACCESS_LOG"));
    auto quiet = parse_split({{"AUTHPP_ACCESS_LOG", "off"}});
    REQUIRE(std::holds_alternative<example::split_server_config>(quiet));
    CHECK_FALSE(std::get<example::split_server_config>(quiet).listen.access_log);
    CHECK(std::get<example::split_server_config>(parse_split({})).listen.access_log);
    CHECK(split_error_of({{"AUTHPP_REDIS_URL", tls_url}, {"AUTHPP_REDIS_CA_FILE", "/nonexistent/ca.pem"}})
              .starts_with("AUTHPP_REDIS_CA_FILE"));
    auto tls = parse_split({{"AUTHPP_REDIS_URL", tls_url}, {"AUTHPP_REDIS_CA_FILE", readable_file()}});
    REQUIRE(std::holds_alternative<example::split_server_config>(tls));
    CHECK(std::get<example::split_server_config>(tls).redis.url == tls_url);
}
