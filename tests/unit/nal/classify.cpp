// nal/classify.hpp: which answers are valid, definitive refusals or
// transient failures that must never log anyone out.
#include <authpp/nal/classify.hpp>

#include <catch2/catch.hpp>

#include <boost/asio/error.hpp>

using namespace authpp;

namespace {
http::response answer(int status, std::string body) {
    http::response r;
    r.status = status;
    r.body = std::move(body);
    return r;
}
const std::string valid_body = R"({"success":true,"data":{"id":1,"type":"user"}})";
} // namespace

TEST_CASE("classify_validation") {
    const auto m = nal::standard_mapper();
    const error_code ok;
    auto v = nal::classify_validation(ok, answer(200, valid_body), m);
    CHECK(v.what == nal::validity::valid);
    CHECK(v.info.token_type == "user");
    CHECK(nal::classify_validation(ok, answer(204, valid_body), m).what == nal::validity::valid);
    CHECK(nal::classify_validation(ok, answer(200, R"({"success":false})"), m).what == nal::validity::invalid);
    CHECK(nal::classify_validation(ok, answer(200, "<html>"), m).what == nal::validity::invalid);
    CHECK(nal::classify_validation(ok, answer(200, ""), m).what == nal::validity::invalid);
    for (int s : {400, 401, 403, 404, 410, 422})
        CHECK(nal::classify_validation(ok, answer(s, valid_body), m).what == nal::validity::invalid);
    for (int s : {408, 429, 500, 502, 503, 504, 301, 302, 100, 0})
        CHECK(nal::classify_validation(ok, answer(s, valid_body), m).what == nal::validity::unavailable);
    const error_code down = boost::asio::error::connection_refused;
    CHECK(nal::classify_validation(down, answer(200, valid_body), m).what == nal::validity::unavailable);
    const error_code slow = boost::asio::error::timed_out;
    CHECK(nal::classify_validation(slow, answer(0, ""), m).what == nal::validity::unavailable);
}

TEST_CASE("classify_issued: refreshed and guest tokens") {
    const auto m = nal::standard_mapper();
    const error_code ok;
    auto r =
        nal::classify_issued(ok, answer(200, R"({"success":true,"data":{"accessToken":"t2"}})"), m.refreshed_token);
    CHECK(r.what == nal::validity::valid);
    CHECK(r.token == "t2");
    CHECK(nal::classify_issued(ok, answer(200, R"({"success":true,"data":{}})"), m.refreshed_token).what ==
          nal::validity::invalid);
    CHECK(nal::classify_issued(ok, answer(401, ""), m.refreshed_token).what == nal::validity::invalid);
    CHECK(nal::classify_issued(ok, answer(429, ""), m.refreshed_token).what == nal::validity::unavailable);
    CHECK(nal::classify_issued(ok, answer(503, ""), m.guest_token).what == nal::validity::unavailable);
    CHECK(nal::classify_issued(ok, answer(201, R"({"data":{"accessToken":"g"}})"), m.guest_token).token == "g");
}

TEST_CASE("deeply nested answers are refused, not recursed into") {
    const auto m = nal::standard_mapper();
    std::string deep(100000, '[');
    CHECK(nal::classify_validation({}, answer(200, deep), m).what == nal::validity::invalid);
}
