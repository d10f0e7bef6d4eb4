// The dispatcher through handle_auth_request: init()'s cookies (secure
// names, the callbackUrl refused when it leaves the origin), the CSRF
// refusal of every POST, requests that are no action, init()'s errors, and
// the async driver. The actions' own tests: tests/unit/endpoints/actions/.
#include "../../support/action_requests.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_future.hpp>

#include <optional>

using namespace authpp;
using namespace authpp::test;

TEST_CASE("secure cookies: __Host- CSRF cookie, __Secure- callback URL") {
    auto o = test_options();
    o.base_url = "https://app.example.com";
    config c(o);
    auto r = handle_auth_request(c, get("/csrf").view());
    auto sc = headers(r, "Set-Cookie");
    REQUIRE(sc.size() == 2);
    CHECK(sc[0].starts_with("__Host-authjs.csrf-token="));
    CHECK(sc[0].ends_with("; Path=/; HttpOnly; Secure; SameSite=Lax"));
    CHECK(sc[1] == "__Secure-authjs.callback-url=https%3A%2F%2Fapp.example.com; Path=/; HttpOnly; Secure; SameSite=Lax");
}

TEST_CASE("CSRF refusal on every POST") {
    test::scripted_transport t;
    config c(test_options(), t);
    jar j;
    const auto token = csrf_token(c, j);
    const std::string good_cookie = j.header();
    const std::string forged = "authjs.csrf-token=" + std::string(64, 'a') + "%7C" +
                               endpoints::csrf_hash(std::string(64, 'a'), {"another-secret"});
    struct probe {
        std::string name, cookie, body_token;
    };
    const std::vector<probe> probes{
        {"no token in the body", good_cookie, ""},
        {"wrong token in the body", good_cookie, std::string(64, '0')},
        {"no cookie", "", token},
        {"cookie hashed with another secret", forged, std::string(64, 'a')},
        {"cookie token differs from the body's", "authjs.csrf-token=" + std::string(64, 'b') + "%7C" +
                                                     endpoints::csrf_hash(std::string(64, 'b'), {"endpoints-test-secret"}),
         token},
    };
    for (const auto& p : probes) {
        INFO(p.name);
        const std::string body = p.body_token.empty() ? form({{"tokens", tokens_json(c)}})
                                                      : form({{"tokens", tokens_json(c)}, {"csrfToken", p.body_token}});
        for (std::string target : {"/signin/immutable", "/signout", "/callback/immutable"}) {
            INFO(target);
            auto r = handle_auth_request(c, post_form(target, p.cookie, body).view());
            CHECK(r.status == 302);
            CHECK(header(r, "Location") == "http://localhost:3000/login?error=MissingCSRF");
            CHECK(headers(r, "Set-Cookie").empty());
            auto rj = handle_auth_request(c, post_form(target, p.cookie, body, true).view());
            CHECK(rj.status == 200);
            CHECK(rj.body == R"({"url":"http://localhost:3000/login?error=MissingCSRF"})");
        }
        req s;
        s.method = "POST";
        s.target = "/api/auth/session";
        s.cookie = p.cookie;
        s.content_type = "application/json";
        s.body = p.body_token.empty() ? R"({"data":{}})" : R"({"csrfToken":")" + p.body_token + R"(","data":{}})";
        auto r = handle_auth_request(c, s.view());
        CHECK(r.status == 400);
        CHECK(r.body == "null");
        CHECK(headers(r, "Set-Cookie").empty());
    }
    CHECK(t.sent().empty()); // no refused POST reached the provider
}

TEST_CASE("open-redirect probes fall back to the base URL") {
    test::scripted_transport t;
    config c(test_options(), t);
    for (std::string probe : {"//evil.com", "https://evil.com", "/\\evil.com", "%2F%2Fevil.com", "/%2F%2Fevil.com",
                              "/%5Cevil.com", "/\t/evil.com", "javascript:alert(1)", "https://localhost:3000@evil.com",
                              "http://localhost:3000.evil.com/"}) {
        INFO(probe);
        jar j;
        const auto token = csrf_token(c, j);
        auto r = handle_auth_request(c, post_form("/signout", j.header(), form({{"csrfToken", token}, {"callbackUrl", probe}})).view());
        CHECK(header(r, "Location") == "http://localhost:3000");
        // Also as a query parameter, and from a planted callback-url cookie.
        auto q = handle_auth_request(c, get("/signin?callbackUrl=" + url::encode_uri_component(probe)).view());
        CHECK(header(q, "Location") == "/login?callbackUrl=http%3A%2F%2Flocalhost%3A3000");
        auto planted = handle_auth_request(
            c, post_form("/signout", j.header() + "; authjs.callback-url=" + url::encode_uri_component(probe),
                         form({{"csrfToken", token}}))
                   .view());
        CHECK(header(planted, "Location") == "http://localhost:3000");
    }
}

TEST_CASE("errors and unknown actions") {
    auto o = test_options();
    config c(o);
    SECTION("not an action, or not GET/POST: 400 \"Bad request.\"") {
        for (std::string target : {"/nope", "/session/x", "/callback/a/b", ""}) {
            auto r = handle_auth_request(c, get(target).view());
            CHECK(r.status == 400);
            CHECK(r.body == "\"Bad request.\"");
            CHECK(headers(r, "Set-Cookie").empty());
        }
        auto put = get("/session");
        put.method = "PUT";
        CHECK(handle_auth_request(c, put.view()).status == 400);
        auto big = post_form("/signout", "", std::string(70 * 1024, 'a'));
        CHECK(handle_auth_request(c, big.view()).status == 400);
        auto bad_json = post_form("/session", "", "{");
        bad_json.content_type = "application/json";
        CHECK(handle_auth_request(c, bad_json.view()).status == 400);
    }
    SECTION("an action without that method: Configuration error") {
        auto r = handle_auth_request(c, post_form("/csrf", "", "").view());
        CHECK(r.status == 302);
        CHECK(header(r, "Location") == "http://localhost:3000/api/auth/error?error=Configuration");
        CHECK(headers(r, "Set-Cookie").empty());
    }
    SECTION("no secret: 500 as Auth.js's config assertion") {
        o.secrets.clear();
        config c3(o);
        CHECK(handle_auth_request(c3, get("/session").view()).status == 500);
    }
    SECTION("base URL from the Host header when none is configured; a hostile Host is refused") {
        o.base_url.clear();
        config c4(o);
        auto r = get("/providers");
        r.host = "app.local:8080";
        CHECK(boost::json::parse(handle_auth_request(c4, r.view()).body).at("immutable").at("signinUrl") ==
              "http://app.local:8080/api/auth/signin/immutable");
        r.host = "evil.com/x";
        CHECK(handle_auth_request(c4, r.view()).status == 400);
    }
    CHECK(is_auth_request(o, "/api/auth/session"));
    CHECK(is_auth_request(o, "/api/auth/x?y=1"));
    CHECK_FALSE(is_auth_request(o, "/api/authx"));
    CHECK_FALSE(is_auth_request(o, "/dashboard"));
}

namespace {

// scripted_transport with an executor: answers through a post, as a real
// asynchronous transport would.
struct async_scripted {
    test::scripted_transport script;
    boost::asio::any_io_executor ex;
    http::response send(const http::request& r, error_code& ec) { return script.send(r, ec); }
    boost::asio::any_io_executor get_executor() const { return ex; }
    template <class Handler>
    void async_send(const http::request& r, Handler&& h) {
        error_code ec;
        auto resp = script.send(r, ec);
        boost::asio::post(ex, [h = std::forward<Handler>(h), ec, resp = std::move(resp)]() mutable {
            h(ec, std::move(resp));
        });
    }
};
using async_config = basic_auth_config<async_scripted, authjs_codec, manual_clock, memory_store, prefix_matcher>;

} // namespace

TEST_CASE("async_handle_auth_request: callback and use_future, the request copied first") {
    boost::asio::io_context ioc;
    async_scripted t{{}, ioc.get_executor()};
    async_config c(test_options(), t);
    jar j;
    {
        std::optional<http::server_response> got;
        {
            auto r = get("/csrf");
            async_handle_auth_request(c, r.view(), [&](http::server_response resp) { got = std::move(resp); });
            r.target = "/api/auth/overwritten"; // the operation kept its own copy
        }
        CHECK_FALSE(got); // never completes inside the initiating call
        ioc.run();
        REQUIRE(got);
        j.apply(*got);
    }
    const auto token = std::string(boost::json::parse(handle_auth_request(c, get("/csrf", j.header()).view()).body)
                                       .at("csrfToken")
                                       .as_string());
    t.script.push(200, R"({"sub":"user-1"})");
    auto sign_in = post_form("/callback/immutable", j.header(), form({{"tokens", tokens_json(c)}, {"csrfToken", token}}));
    ioc.restart();
    auto fut = async_handle_auth_request(c, sign_in.view(), boost::asio::use_future);
    ioc.run();
    auto r = fut.get();
    CHECK(r.status == 302);
    CHECK(header(r, "Location") == "http://localhost:3000");
    CHECK(t.script.sent().size() == 1);
}
