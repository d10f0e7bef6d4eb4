// nal/calls.hpp: the three backend requests as the backend expects them.
#include <authpp/nal/calls.hpp>

#include <boost/json/parse.hpp>

#include <catch2/catch.hpp>

using namespace authpp;

TEST_CASE("validate, refresh and guest requests") {
    nal::nal_options o;
    o.api_base_url = "http://127.0.0.1:8000";
    o.guest = nal::guest_credentials{"guest", "p\"w"};

    const auto v = nal::validate_request(o, "tok-1");
    CHECK(v.method == "GET");
    CHECK(v.url == "http://127.0.0.1:8000/auth/me");
    CHECK(http::find_header(v.headers, "authorization") == "Bearer tok-1");
    CHECK(http::find_header(v.headers, "accept") == "application/json");
    CHECK(v.body.empty());

    const auto r = nal::refresh_request(o, "tok-1");
    CHECK(r.method == "POST");
    CHECK(r.url == "http://127.0.0.1:8000/auth/refresh");
    CHECK(http::find_header(r.headers, "authorization") == "Bearer tok-1");

    const auto g = nal::guest_request(o);
    CHECK(g.method == "POST");
    CHECK(g.url == "http://127.0.0.1:8000/auth/guest");
    CHECK(http::find_header(g.headers, "content-type") == "application/json");
    CHECK(http::find_header(g.headers, "authorization").empty());
    const auto body = boost::json::parse(g.body).as_object();
    CHECK(body.at("username") == "guest");
    CHECK(body.at("password") == "p\"w"); // escaped as JSON, not pasted
}
