// Fixtures for the integration tests: the Node helper servers (started on
// loopback per test, stopped however the test ends), the test PKI, and one
// adapter per alias so both run the same behaviour tests.
#pragma once

#include <authpp/asio.hpp>
#include <authpp/blocking.hpp>

#include "../support/child_process.hpp"
#include "../support/test_certs.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/json/parse.hpp>

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>

namespace authpp::test {

/// Where CMake put the Node fixtures (with node_modules) and the scripts.
inline std::string fixture_dir() {
    const char* d = std::getenv("AUTHPP_FIXTURE_DIR");
    if (!d) throw std::runtime_error("AUTHPP_FIXTURE_DIR is not set (run the tests through ctest)");
    return d;
}

/// A loopback HTTP(S) server (http_server.mjs).
struct http_server {
    child_process proc;
    std::string port;

    explicit http_server(std::vector<std::string> extra = {})
        : proc([&] {
              std::vector<std::string> a{"node", fixture_dir() + "/http_server.mjs"};
              a.insert(a.end(), extra.begin(), extra.end());
              return a;
          }()) {
        const auto line = proc.read_line();
        REQUIRE(line.starts_with("READY "));
        port = line.substr(6);
    }
    std::string url(std::string_view path, bool tls = false, std::string_view host = "127.0.0.1") const {
        return std::string(tls ? "https://" : "http://") + std::string(host) + ":" + port + std::string(path);
    }
};

/// The test PKI (make_certs.sh), made once per test process in a temp dir.
inline const std::string& cert_dir() { return test_cert_dir(fixture_dir() + "/make_certs.sh"); }

inline http_server tls_server(const std::string& name) {
    return http_server({"--cert", cert_dir() + "/" + name + ".pem", "--key", cert_dir() + "/" + name + ".key"});
}

/// The OpenID provider (provider.mjs): rotation on, 2 s access tokens.
struct oidc_provider {
    child_process proc;
    std::string issuer;

    oidc_provider()
        : proc({"node", fixture_dir() + "/provider.mjs"}, fixture_dir(), {{"ACCESS_TTL", "2"}}) {
        const auto line = proc.read_line();
        REQUIRE(line.starts_with("READY "));
        issuer = line.substr(6);
    }

    /// Tokens from the real authorization-code flow with PKCE.
    boost::json::object login(const std::string& sub, const std::string& client = "authpp-confidential") {
        const auto line = proc.command("login " + sub + " " + client);
        INFO(line);
        auto v = boost::json::parse(line);
        REQUIRE(v.is_object());
        return v.get_object();
    }
    void command(const std::string& c) {
        const auto line = proc.command(c);
        REQUIRE(line.starts_with("OK"));
    }
};

// ---------------------------------------------------------------------------
// One adapter per transport / alias, so a TEMPLATE_TEST_CASE runs both.

struct blocking_kind {
    static constexpr const char* name = "blocking";
    using transport_type = blocking_transport;
    using auth = blocking_auth;

    transport_type make_transport(authpp::transport::transport_options o = {}) { return transport_type(std::move(o)); }
    auth make_auth(auth_options o) { return auth(std::move(o), blocking_transport()); }

    http::response send(transport_type& t, const http::request& r, error_code& ec) { return t.send(r, ec); }
    core::session_result resolve(auth& a, const std::string& cookie) { return a.resolve(cookie); }
    result<core::session_result> sign_in(auth& a, const std::string& tokens, const std::string& cookie = {}) {
        return a.sign_in_with_credentials(tokens, cookie);
    }
};

struct asio_kind {
    static constexpr const char* name = "asio";
    using transport_type = asio_transport;
    using auth = asio_auth;
    boost::asio::io_context ioc;

    transport_type make_transport(authpp::transport::transport_options o = {}) {
        return transport_type(ioc.get_executor(), std::move(o));
    }
    auth make_auth(auth_options o) { return auth(std::move(o), asio_transport(ioc.get_executor())); }

    http::response send(transport_type& t, const http::request& r, error_code& ec) {
        http::response out;
        bool done = false;
        t.async_send(r, [&](error_code e, http::response resp) {
            ec = e;
            out = std::move(resp);
            done = true;
        });
        run();
        REQUIRE(done);
        return out;
    }
    core::session_result resolve(auth& a, const std::string& cookie) {
        std::optional<core::session_result> out;
        async_resolve(a, cookie, [&](core::session_result r) { out = std::move(r); });
        run();
        REQUIRE(out.has_value());
        return std::move(*out);
    }
    result<core::session_result> sign_in(auth& a, const std::string& tokens, const std::string& cookie = {}) {
        std::optional<result<core::session_result>> out;
        async_sign_in_with_credentials(a, tokens, cookie, [&](error_code ec, core::session_result r) {
            if (ec) out.emplace(ec);
            else out.emplace(std::move(r));
        });
        run();
        REQUIRE(out.has_value());
        return std::move(*out);
    }

private:
    void run() {
        ioc.restart();
        ioc.run();
    }
};

} // namespace authpp::test
