// nal/mapper.hpp: the standard reading and the three presets, each on the
// answers its backend gives, and on answers that must not sign anyone in.
#include <authpp/nal/mapper.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <catch2/catch.hpp>

using namespace authpp;

namespace {
boost::json::value j(std::string_view s) { return boost::json::parse(s); }
} // namespace

TEST_CASE("standard: success + a non-empty data object is valid") {
    const auto m = nal::standard_mapper();
    auto t = m.validate(j(R"({"success":true,"data":{"id":7,"type":"admin","exp":1900000000,"name":"Zoë"}})"));
    REQUIRE(t);
    CHECK(t->token_type == "admin");
    CHECK(t->exp == 1900000000);
    CHECK(boost::json::serialize(t->user) == R"({"id":7,"type":"admin","exp":1900000000,"name":"Zoë"})");

    auto plain = m.validate(j(R"({"success":1,"data":{"id":7}})"));
    REQUIRE(plain);
    CHECK(plain->token_type == "user"); // no type → user
    CHECK_FALSE(plain->exp);
    CHECK(m.validate(j(R"({"success":true,"data":{"id":1,"type":"","exp":-5}})"))->token_type == "user");
    CHECK_FALSE(m.validate(j(R"({"success":true,"data":{"id":1,"exp":-5}})"))->exp); // only a positive exp
    CHECK(m.validate(j(R"({"success":true,"data":{"id":1,"exp":1.9e9}})"))->exp == 1900000000);
}

TEST_CASE("standard: answers that are not a valid token") {
    const auto m = nal::standard_mapper();
    for (const char* body : {R"({"success":false,"data":{"id":1}})", R"({"success":true,"data":{}})",
                             R"({"success":true,"data":[1]})", R"({"success":true,"data":"x"})", R"({"success":true})",
                             R"({"data":{"id":1}})", R"({"success":0,"data":{"id":1}})",
                             R"({"success":"","data":{"id":1}})", R"([])", R"("ok")", R"(null)", R"(42)"}) {
        INFO(body);
        CHECK_FALSE(m.validate(j(body)));
    }
}

TEST_CASE("standard: refreshed and guest tokens") {
    const auto m = nal::standard_mapper();
    CHECK(m.refreshed_token(j(R"({"success":true,"data":{"accessToken":"new"}})")) == "new");
    CHECK_FALSE(m.refreshed_token(j(R"({"success":false,"data":{"accessToken":"new"}})")));
    CHECK_FALSE(m.refreshed_token(j(R"({"success":true,"data":{"accessToken":""}})")));
    CHECK_FALSE(m.refreshed_token(j(R"({"success":true,"data":{"accessToken":5}})")));
    CHECK(m.guest_token(j(R"({"data":{"accessToken":"g"}})")) == "g");
    CHECK_FALSE(m.guest_token(j(R"({"data":{}})")));
}

TEST_CASE("django preset") {
    const auto m = nal::django_mapper();
    auto u = m.validate(j(R"({"user":{"id":3},"is_guest":false,"exp":1900000000})"));
    REQUIRE(u);
    CHECK(u->token_type == "user");
    CHECK(u->exp == 1900000000);
    CHECK(boost::json::serialize(u->user) == R"({"id":3})");
    CHECK(m.validate(j(R"({"user":{"id":3},"is_guest":true})"))->token_type == "guest");
    CHECK_FALSE(m.validate(j(R"({"user":{}})")));
    CHECK_FALSE(m.validate(j(R"({"detail":"Given token not valid"})")));
    CHECK(m.refreshed_token(j(R"({"access":"a2","refresh":"r2"})")) == "a2");
    CHECK(m.guest_token(j(R"({"token":"g"})")) == "g");
    CHECK_FALSE(m.guest_token(j(R"({"access":"g"})")));
}

TEST_CASE("dotnet preset: role Guest, expiresAt as ISO 8601 or seconds") {
    const auto m = nal::dotnet_mapper();
    auto u =
        m.validate(j(R"({"isSuccess":true,"result":{"id":"u1","role":"Admin","expiresAt":"2030-01-01T00:00:00Z"}})"));
    REQUIRE(u);
    CHECK(u->token_type == "user");
    CHECK(u->exp == 1893456000);
    auto g = m.validate(j(R"({"isSuccess":true,"result":{"role":"Guest","expiresAt":1893456000}})"));
    REQUIRE(g);
    CHECK(g->token_type == "guest");
    CHECK(g->exp == 1893456000);
    CHECK(m.validate(j(R"({"isSuccess":true,"result":{"role":"guest"}})"))->token_type == "user"); // case matters
    CHECK_FALSE(m.validate(j(R"({"isSuccess":true,"result":{"expiresAt":"tomorrow"}})"))->exp);
    CHECK_FALSE(m.validate(j(R"({"isSuccess":false,"result":{"role":"Admin"}})")));
    CHECK_FALSE(m.validate(j(R"({"isSuccess":true})")));
    CHECK(m.refreshed_token(j(R"({"isSuccess":true,"token":"t2"})")) == "t2");
    CHECK(m.guest_token(j(R"({"token":"g"})")) == "g");
}

TEST_CASE("express preset") {
    const auto m = nal::express_mapper();
    auto u = m.validate(j(R"({"ok":true,"payload":{"sub":"u","isGuest":false,"exp":1900000000}})"));
    REQUIRE(u);
    CHECK(u->token_type == "user");
    CHECK(u->exp == 1900000000);
    CHECK(m.validate(j(R"({"ok":true,"payload":{"isGuest":true}})"))->token_type == "guest");
    CHECK_FALSE(m.validate(j(R"({"ok":false,"payload":{"sub":"u"}})")));
    CHECK(m.refreshed_token(j(R"({"newToken":"n","accessToken":"a"})")) == "n");
    CHECK(m.refreshed_token(j(R"({"accessToken":"a"})")) == "a");
    CHECK(m.guest_token(j(R"({"guestToken":"g","token":"t"})")) == "g");
    CHECK(m.guest_token(j(R"({"token":"t"})")) == "t");
    CHECK_FALSE(m.guest_token(j(R"({"guestToken":""})")));
}

TEST_CASE("mapper_named and complete") {
    for (const char* n : {"standard", "django", "dotnet", "express"}) CHECK(nal::mapper_named(n));
    CHECK_FALSE(nal::mapper_named("laravel"));
    CHECK_FALSE(nal::mapper_named("Standard"));
    nal::response_mapper own;
    own.validate = [](const boost::json::value& v) -> std::optional<nal::token_info> {
        if (!v.is_object() || !v.get_object().contains("me")) return std::nullopt;
        return nal::token_info{};
    };
    const auto m = nal::complete(std::move(own));
    CHECK(m.validate(j(R"({"me":1})")));
    CHECK_FALSE(m.validate(j(R"({"success":true,"data":{"id":1}})")));
    CHECK(m.refreshed_token(j(R"({"success":true,"data":{"accessToken":"new"}})")) == "new"); // the standard one
}
