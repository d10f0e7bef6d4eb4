// The Auth.js actions as a browser and next-auth/react drive them, for the
// tests of <authpp/endpoints/action_flow.hpp> and the actions under
// <authpp/endpoints/actions/>: test options and a config on a scripted
// transport, requests that own their bytes, the response's headers, a cookie
// jar, the CSRF token, a credentials sign-in, and the OAuth fixture (a
// scripted provider behind POST /signin/oidc and GET /callback/oidc).
#pragma once

#include <authpp/async/endpoints.hpp>
#include <authpp/endpoints.hpp>

#include <authpp/clock/manual_clock.hpp>
#include <authpp/codec/authjs_codec.hpp>
#include <authpp/config.hpp>
#include <authpp/crypto/base64.hpp>
#include <authpp/match/prefix_matcher.hpp>
#include <authpp/store/memory_store.hpp>
#include <authpp/url/form.hpp>
#include <authpp/url/percent.hpp>

#include "scripted_transport.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <catch2/catch.hpp>

#include <initializer_list>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace authpp::test {

using config = basic_auth_config<test::scripted_transport, authjs_codec, manual_clock, memory_store, prefix_matcher>;

inline constexpr std::string_view base = "http://localhost:3000";

inline auth_options test_options() {
    auto o = sandbox_options();
    o.secrets = {"endpoints-test-secret"};
    o.base_url = std::string(base);
    o.authentication_domain = "https://idp.example.com";
    return o;
}

// A request whose views point into strings it owns.
struct req : authpp::detail::owned_server_request {
    req() {
        method = "GET";
        host = "localhost:3000";
    }
};

inline req get(std::string target, std::string cookie = {}) {
    req r;
    r.target = "/api/auth" + target;
    r.cookie = std::move(cookie);
    return r;
}

inline req post_form(std::string target, std::string cookie, std::string body, bool return_redirect = false) {
    req r;
    r.method = "POST";
    r.target = "/api/auth" + target;
    r.cookie = std::move(cookie);
    r.content_type = "application/x-www-form-urlencoded";
    r.body = std::move(body);
    if (return_redirect) r.x_auth_return_redirect = "1";
    return r;
}

inline std::vector<std::string> headers(const http::server_response& r, std::string_view name) {
    std::vector<std::string> out;
    for (const auto& [k, v] : r.headers)
        if (http::iequals(k, name)) out.push_back(v);
    return out;
}

inline std::string header(const http::server_response& r, std::string_view name) {
    auto h = headers(r, name);
    REQUIRE(h.size() == 1);
    return h[0];
}

// What a browser keeps of the Set-Cookie headers it was sent.
struct jar {
    std::map<std::string, std::string> cookies;
    void apply(const http::server_response& r) {
        for (const auto& sc : headers(r, "Set-Cookie")) {
            const auto eq = sc.find('='), semi = sc.find(';');
            const auto name = sc.substr(0, eq);
            if (sc.find("; Max-Age=0") != std::string::npos)
                cookies.erase(name);
            else
                cookies[name] = sc.substr(eq + 1, semi - eq - 1);
        }
    }
    std::string header() const {
        std::string h;
        for (const auto& [k, v] : cookies) h += (h.empty() ? "" : "; ") + k + "=" + v;
        return h;
    }
};

template <class Cfg>
std::string csrf_token(Cfg& c, jar& j) {
    auto r = handle_auth_request(c, get("/csrf", j.header()).view());
    j.apply(r);
    return std::string(boost::json::parse(r.body).at("csrfToken").as_string());
}

inline std::string form(std::initializer_list<std::pair<std::string_view, std::string_view>> f) { return url::form_body(f); }

inline std::string unsigned_jwt(const boost::json::object& claims) {
    return crypto::base64url_encode(std::string_view(R"({"alg":"RS256"})")) + "." +
           crypto::base64url_encode(boost::json::serialize(claims)) + ".sig";
}

template <class C>
std::string tokens_json(const C& c, std::string sub = "user-1") {
    boost::json::object t;
    t["accessToken"] = "at-1";
    t["refreshToken"] = "rt-1";
    t["idToken"] = "id-1";
    t["accessTokenExpires"] = c.now_ms() + 3'600'000;
    t["profile"] = {{"sub", sub}, {"email", "ada@example.com"}, {"nickname", "ada"}};
    return boost::json::serialize(t);
}

// Signs in through POST /callback/immutable; the jar then holds the session.
template <class Cfg>
http::server_response credentials_sign_in(Cfg& c, test::scripted_transport& t, jar& j,
                                          std::string_view callback_url = "/dashboard", bool json = false) {
    const auto token = csrf_token(c, j);
    t.push(200, R"({"sub":"user-1","email":"ada@example.com","nickname":"ada"})");
    auto r = handle_auth_request(c, post_form("/callback/immutable", j.header(),
                                              form({{"tokens", tokens_json(c)},
                                                    {"csrfToken", token},
                                                    {"callbackUrl", callback_url}}),
                                              json)
                                         .view());
    j.apply(r);
    return r;
}

template <class Cfg>
struct basic_oauth_fixture {
    test::scripted_transport t;
    Cfg c;
    jar j;
    std::string state, nonce, challenge;

    static auth_options options() {
        auto o = test_options();
        o.oauth_provider_id = "oidc";
        o.client_id = "cid";
        return o;
    }
    basic_oauth_fixture() : c(options(), t) {}
    explicit basic_oauth_fixture(auth_options o) : c(std::move(o), t) {}

    // POST /signin/oidc: the authorization URL and the three check cookies.
    http::server_response sign_in() {
        const auto token = csrf_token(c, j);
        auto r = handle_auth_request(
            c, post_form("/signin/oidc?prompt=login", j.header(), form({{"csrfToken", token}, {"callbackUrl", "/home"}}))
                   .view());
        j.apply(r);
        const auto loc = header(r, "Location");
        auto q = endpoints::parse_form(loc.substr(loc.find('?') + 1));
        REQUIRE(q.has_value());
        state = std::string(*q->get("state"));
        nonce = std::string(*q->get("nonce"));
        challenge = std::string(*q->get("code_challenge"));
        return r;
    }

    std::string id_token(std::string_view n, std::string iss = "https://idp.example.com") const {
        boost::json::object claims{{"sub", "user-9"}, {"email", "eve@example.com"}, {"nickname", "eve"},
                                   {"nonce", n},      {"iss", iss},               {"aud", "cid"}};
        return unsigned_jwt(claims);
    }

    http::server_response callback(std::string query) {
        return handle_auth_request(c, get("/callback/oidc?" + query, j.header()).view());
    }
};
using oauth_fixture = basic_oauth_fixture<config>;

} // namespace authpp::test
