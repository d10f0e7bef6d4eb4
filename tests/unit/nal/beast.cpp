// nal/beast.hpp: the request as the decision reads it, forged identity
// headers removed, the decision's headers for the handler, refusals and the
// cookies on the handler's response.
#include <authpp/nal/beast.hpp>

#include <catch2/catch.hpp>

using namespace authpp;
namespace bhttp = boost::beast::http;

TEST_CASE("read_request: normalised path without query, cookies joined, bearer, client address") {
    bhttp::request<bhttp::string_body> req{bhttp::verb::get, "/a/../dashboard/%7Euser?next=/x#f", 11};
    req.insert(bhttp::field::cookie, "userToken=u1");
    req.insert(bhttp::field::cookie, "theme=dark");
    req.set(bhttp::field::authorization, "Bearer b1");
    req.set("X-Forwarded-For", "203.0.113.7, 10.0.0.1");
    const auto in = nal::beast::read_request(req);
    CHECK(in.method == "GET");
    CHECK(in.path == "/dashboard/~user");
    CHECK(in.cookie == "userToken=u1; theme=dark");
    CHECK(in.authorization == "Bearer b1");
    CHECK(in.ip == "203.0.113.7");
    CHECK(in.view().path == "/dashboard/~user");
}

TEST_CASE("apply_to_request: forged identity headers go, the decision's come") {
    bhttp::request<bhttp::string_body> req{bhttp::verb::get, "/api/whoami", 11};
    req.insert("X-Auth-User", "forged");
    req.insert("x-auth-user", "forged again");
    req.insert("X-Auth-Token-Type", "admin");
    req.insert("X-Refreshed-Token", "t");
    nal::decision d;
    d.request_headers = {{"x-auth-token-type", "user"}, {"x-auth-user", "eyJpZCI6N30="}};
    CHECK(nal::beast::apply_to_request(d, req));
    CHECK(req.count("x-auth-user") == 1);
    CHECK(req["x-auth-user"] == "eyJpZCI6N30=");
    CHECK(req["x-auth-token-type"] == "user");
    CHECK(req.count("x-refreshed-token") == 0);

    bhttp::request<bhttp::string_body> refused{bhttp::verb::get, "/api/whoami", 11};
    refused.insert("X-Auth-User", "forged");
    nal::decision no;
    no.pass = false;
    no.status = 401;
    CHECK_FALSE(nal::beast::apply_to_request(no, refused));
    CHECK(refused.count("x-auth-user") == 0);
}

TEST_CASE("refusal and apply_to_response") {
    nal::decision d;
    d.pass = false;
    d.status = 307;
    d.location = "/login";
    d.set_cookies = {"userToken=; Max-Age=0; Path=/", "guestToken=; Max-Age=0; Path=/"};
    auto r = nal::beast::refusal(d, 11, true);
    CHECK(r.result_int() == 307);
    CHECK(r[bhttp::field::location] == "/login");
    CHECK(r.count(bhttp::field::set_cookie) == 2);
    CHECK(r.keep_alive());
    CHECK(r[bhttp::field::content_length] == "0");

    nal::decision j;
    j.pass = false;
    j.status = 503;
    j.content_type = "application/json";
    j.body = R"({"success":false,"message":"Connection error occurred."})";
    auto jr = nal::beast::refusal(j, 11, false);
    CHECK(jr.result_int() == 503);
    CHECK(jr[bhttp::field::content_type] == "application/json");
    CHECK(jr.body() == j.body);
    CHECK(jr.count(bhttp::field::set_cookie) == 0);

    nal::decision ok;
    ok.set_cookies = {"userToken=u2; Path=/"};
    ok.response_headers = {{"x-refreshed-token", "u2"}};
    bhttp::response<bhttp::string_body> res{bhttp::status::ok, 11};
    nal::beast::apply_to_response(ok, res);
    CHECK(res[bhttp::field::set_cookie] == "userToken=u2; Path=/");
    CHECK(res["x-refreshed-token"] == "u2");
}
