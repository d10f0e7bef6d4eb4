// The Beast adapter: every field of a Beast request reaches server_request,
// and a server_response comes out as the Beast response a browser needs.
#include <authpp/adapter/beast.hpp>

#include <boost/beast/http/vector_body.hpp>
#include <boost/beast/http/empty_body.hpp>

#include <catch2/catch.hpp>

#include <optional>
#include <string>
#include <vector>

namespace bhttp = boost::beast::http;
using authpp::adapter::beast::apply_response;
using authpp::adapter::beast::apply_decision;
using authpp::adapter::beast::to_server_request;

namespace {

bhttp::request<bhttp::string_body> form_post() {
    bhttp::request<bhttp::string_body> req{bhttp::verb::post, "/api/auth/signout?x=1", 11};
    req.set(bhttp::field::host, "app.example.com:3000");
    req.set(bhttp::field::content_type, "application/x-www-form-urlencoded");
    req.set(bhttp::field::origin, "http://app.example.com:3000");
    req.set(bhttp::field::cookie, "authjs.csrf-token=abc");
    req.set("x-auth-return-redirect", "1");
    req.body() = "csrfToken=abc&callbackUrl=%2F";
    req.prepare_payload();
    return req;
}

std::vector<std::string> values(const bhttp::response<bhttp::string_body>& res, bhttp::field f) {
    std::vector<std::string> out;
    for (auto [it, end] = res.equal_range(f); it != end; ++it) out.emplace_back(it->value());
    return out;
}

struct decision {
    bool allowed = false;
    int status = 0;
    std::string location;
    std::vector<std::string> set_cookies;
};

} // namespace

TEST_CASE("beast adapter: every request field, as views into the request") {
    const auto req = form_post();
    std::string storage;
    const auto in = to_server_request(req, storage);
    CHECK(in.method == "POST");
    CHECK(in.target == "/api/auth/signout?x=1");
    CHECK(in.path() == "/api/auth/signout");
    CHECK(in.query() == "x=1");
    CHECK(in.host == "app.example.com:3000");
    CHECK(in.content_type == "application/x-www-form-urlencoded");
    CHECK(in.origin == "http://app.example.com:3000");
    CHECK(in.cookie == "authjs.csrf-token=abc");
    CHECK(in.x_auth_return_redirect == "1");
    CHECK(in.body == "csrfToken=abc&callbackUrl=%2F");
    CHECK(storage.empty()); // one Cookie header: a view, no copy
    CHECK(in.body.data() == req.body().data());
}

TEST_CASE("beast adapter: several Cookie headers are joined with \"; \" in order") {
    auto req = form_post();
    req.insert(bhttp::field::cookie, "authjs.session-token.1=B");
    req.insert(bhttp::field::cookie, "authjs.session-token.0=A");
    std::string storage = "left over";
    const auto in = to_server_request(req, storage);
    CHECK(in.cookie == "authjs.csrf-token=abc; authjs.session-token.1=B; authjs.session-token.0=A");
    CHECK(in.cookie.data() == storage.data());
}

TEST_CASE("beast adapter: absent headers are empty, other body types work") {
    bhttp::request<bhttp::empty_body> get{bhttp::verb::get, "/", 11};
    std::string storage;
    const auto in = to_server_request(get, storage);
    CHECK(in.method == "GET");
    CHECK(in.cookie.empty());
    CHECK(in.host.empty());
    CHECK(in.origin.empty());
    CHECK(in.x_auth_return_redirect.empty());
    CHECK(in.body.empty());

    bhttp::request<bhttp::vector_body<char>> bytes{bhttp::verb::post, "/x", 11};
    bytes.body() = {'a', '=', '1'};
    CHECK(to_server_request(bytes, storage).body == "a=1");

    bhttp::request<bhttp::string_body> custom{bhttp::verb::unknown, "/", 11};
    custom.method_string("PURGE");
    CHECK(to_server_request(custom, storage).method == "PURGE");
}

TEST_CASE("beast adapter: apply_response writes status, each Set-Cookie on its own, Location, body and length") {
    authpp::http::server_response out;
    out.status = 302;
    out.add_header("Location", "http://app.example.com/dashboard");
    out.add_header("Set-Cookie", "authjs.session-token=x; Path=/; Expires=Wed, 21 Oct 2026 07:28:00 GMT; HttpOnly");
    out.add_header("Set-Cookie", "authjs.csrf-token=; Path=/; Max-Age=0");
    out.add_header("Content-Type", "application/json");
    out.body = R"({"url":"http://app.example.com/dashboard"})";

    bhttp::response<bhttp::string_body> res{bhttp::status::ok, 11};
    res.set(bhttp::field::server, "test");
    res.set(bhttp::field::content_type, "text/html");
    apply_response(out, res);
    CHECK(res.result_int() == 302);
    CHECK(values(res, bhttp::field::set_cookie) ==
          std::vector<std::string>{"authjs.session-token=x; Path=/; Expires=Wed, 21 Oct 2026 07:28:00 GMT; HttpOnly",
                                   "authjs.csrf-token=; Path=/; Max-Age=0"});
    CHECK(values(res, bhttp::field::location) == std::vector<std::string>{"http://app.example.com/dashboard"});
    CHECK(values(res, bhttp::field::content_type) == std::vector<std::string>{"application/json"}); // replaced
    CHECK(res[bhttp::field::server] == "test");                                                    // kept
    CHECK(res.body() == out.body);
    CHECK(res[bhttp::field::content_length] == std::to_string(out.body.size()));
}

TEST_CASE("beast adapter: a middleware decision") {
    SECTION("allowed: only the Set-Cookie values of a refresh, the page stays") {
        bhttp::response<bhttp::string_body> res{bhttp::status::ok, 11};
        res.body() = "<h1>dashboard</h1>";
        res.prepare_payload();
        const decision d{true, 200, {}, {"a=1; Path=/", "b=2; Path=/"}};
        CHECK(apply_decision(d, res));
        CHECK(res.result_int() == 200);
        CHECK(res.body() == "<h1>dashboard</h1>");
        CHECK(values(res, bhttp::field::set_cookie) == d.set_cookies);
        CHECK(res.count(bhttp::field::location) == 0);
    }
    SECTION("refused: status, Location, no body, cookies that clear a dead session") {
        bhttp::response<bhttp::string_body> res{bhttp::status::ok, 11};
        res.body() = "would leak";
        const decision d{false, 307, "http://app.example.com/login?returnTo=%2Fdashboard", {"x=; Max-Age=0"}};
        CHECK_FALSE(apply_decision(d, res));
        CHECK(res.result_int() == 307);
        CHECK(res[bhttp::field::location] == d.location);
        CHECK(res.body().empty());
        CHECK(res[bhttp::field::content_length] == "0");
        CHECK(values(res, bhttp::field::set_cookie) == d.set_cookies);
    }
}
