// nal/audit.hpp: event JSON, the client's address, user ids, and a sink
// that throws.
#include <authpp/nal/audit.hpp>

#include <boost/json/parse.hpp>

#include <catch2/catch.hpp>

#include <stdexcept>

using namespace authpp;

TEST_CASE("client_ip: first X-Forwarded-For entry, else X-Real-IP") {
    CHECK(nal::client_ip({{"X-Forwarded-For", " 203.0.113.7 , 10.0.0.1"}}) == "203.0.113.7");
    CHECK(nal::client_ip({{"x-real-ip", "198.51.100.2"}}) == "198.51.100.2");
    CHECK(nal::client_ip({{"X-Forwarded-For", ""}, {"X-Real-IP", "198.51.100.2"}}) == "198.51.100.2");
    CHECK(nal::client_ip({{"X-Forwarded-For", "2001:db8::1"}, {"X-Real-IP", "198.51.100.2"}}) == "2001:db8::1");
    CHECK_FALSE(nal::client_ip({}));
    CHECK_FALSE(nal::client_ip({{"X-Forwarded-For", " , "}}));
}

TEST_CASE("user_id_of: id (string or number), else sub") {
    CHECK(nal::user_id_of(boost::json::parse(R"({"id":42})")) == "42");
    CHECK(nal::user_id_of(boost::json::parse(R"({"id":"u-1","sub":"s"})")) == "u-1");
    CHECK(nal::user_id_of(boost::json::parse(R"({"sub":"s"})")) == "s");
    CHECK_FALSE(nal::user_id_of(boost::json::parse(R"({"id":{}})")));
    CHECK_FALSE(nal::user_id_of(boost::json::parse(R"([1])")));
}

TEST_CASE("to_json and emit") {
    nal::audit_event e;
    e.type = nal::audit_type::auth_refresh;
    e.time_ms = 1800000000000;
    e.ip = "203.0.113.7";
    e.path = "/dashboard";
    e.method = "GET";
    e.success = true;
    e.metadata["tokenType"] = "user";
    const auto o = boost::json::parse(nal::to_json(e)).as_object();
    CHECK(o.at("type") == "auth:refresh");
    CHECK(o.at("time") == 1800000000000);
    CHECK(o.at("ip") == "203.0.113.7");
    CHECK(o.at("userId").is_null());
    CHECK(o.at("path") == "/dashboard");
    CHECK(o.at("success") == true);
    CHECK(o.at("metadata").at("tokenType") == "user");
    for (auto t : {nal::audit_type::auth_success, nal::audit_type::auth_fail, nal::audit_type::auth_guest,
                   nal::audit_type::access_denied, nal::audit_type::error})
        CHECK_FALSE(nal::to_string(t).empty());

    int calls = 0;
    nal::emit([&](const nal::audit_event&) { ++calls; throw std::runtime_error("logger down"); }, e);
    CHECK(calls == 1); // thrown, contained
    nal::emit({}, e);  // no sink: nothing
}
