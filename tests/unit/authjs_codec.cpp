// authjs_codec: encode/decode as @auth/core does, rotation, both encs, both
// salts, claim checks with the 15 s tolerance, and every failure's error.
#include <authpp/codec/authjs_codec.hpp>

#include <authpp/jose/hkdf.hpp>
#include <authpp/jose/jwk_thumbprint.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <catch2/catch.hpp>

#include <array>
#include <set>

using namespace authpp;
using jose::content_encryption;

namespace {
constexpr std::int64_t now = 1'800'000'000;
const std::string salt{session_cookie_name};
const std::string secure_salt{secure_session_cookie_name};

boost::json::object claims() {
    return boost::json::parse(R"({"sub":"user-1","name":"Zoë 😀 中文","email":"a@b.c",
        "zkEvm":{"ethAddress":"0xabc","nested":{"deep":[1,2.5,"x",null,true]}},"custom":"kept"})")
        .as_object();
}

boost::json::object header_of(const std::string& token) {
    return boost::json::parse(jose::base64url_decode(token.substr(0, token.find('.'))).value()).as_object();
}

std::string kid_for(const std::string& secret, const std::string& s, std::size_t bytes) {
    std::array<std::uint8_t, 64> key{};
    const std::string info = "Auth.js Generated Encryption Key (" + s + ")";
    REQUIRE_FALSE(jose::hkdf_sha256(secret, s, info, std::span<std::uint8_t>(key.data(), bytes)));
    return jose::oct_jwk_thumbprint(std::span<const std::uint8_t>(key.data(), bytes)).value();
}
} // namespace

TEST_CASE("encode writes Auth.js's header and claims; decode returns them") {
    authjs_codec codec({"first-secret", "second-secret"});
    for (const auto& s : {salt, secure_salt}) {
        auto t = codec.encode(claims(), s, 3600, now);
        REQUIRE(t.has_value());
        const auto h = header_of(*t);
        CHECK(boost::json::serialize(h) ==
              R"({"alg":"dir","enc":"A256CBC-HS512","kid":")" + kid_for("first-secret", s, 64) + R"("})");
        auto c = codec.decode(*t, s, now);
        REQUIRE(c.has_value());
        auto expected = claims();
        for (const auto& [k, v] : expected) CHECK(c->at(k) == v);
        CHECK(c->at("iat").as_int64() == now);
        CHECK(c->at("exp").as_int64() == now + 3600);
        const std::string jti(c->at("jti").as_string());
        CHECK(jti.size() == 36);
        CHECK(jti[14] == '4'); // a v4 UUID
        CHECK(c->size() == expected.size() + 3);
    }
    // Fresh jti and IV per token.
    CHECK(codec.encode(claims(), salt, 60, now).value() != codec.encode(claims(), salt, 60, now).value());
}

TEST_CASE("A256GCM tokens decode too") {
    authjs_codec codec({"gcm-secret"});
    auto t = codec.encode(claims(), salt, 60, now, content_encryption::a256gcm);
    REQUIRE(t.has_value());
    CHECK(header_of(*t).at("enc") == "A256GCM");
    CHECK(header_of(*t).at("kid").as_string() == kid_for("gcm-secret", salt, 32));
    auto c = codec.decode(*t, salt, now);
    REQUIRE(c.has_value());
    CHECK(c->at("sub") == "user-1");
}

TEST_CASE("rotation: old tokens decode after a new secret is put first") {
    authjs_codec old_codec({"old"});
    const auto old_token = old_codec.encode(claims(), salt, 60, now).value();
    authjs_codec rotated({"new", "old"});
    REQUIRE(rotated.decode(old_token, salt, now).has_value());
    const auto new_token = rotated.encode(claims(), salt, 60, now).value();
    CHECK(header_of(new_token).at("kid").as_string() == kid_for("new", salt, 64));
    // The old secret alone cannot read what the new one wrote: kid unknown.
    auto r = old_codec.decode(new_token, salt, now);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error() == error::unknown_kid);
}

TEST_CASE("a token without kid is tried against every secret") {
    authjs_codec one({"b"});
    auto t = one.encode(claims(), salt, 60, now).value();
    // Re-seal the same plaintext under a kid-less header with the "b" key.
    std::array<std::uint8_t, 64> key{};
    REQUIRE_FALSE(jose::hkdf_sha256("b", salt, "Auth.js Generated Encryption Key (" + salt + ")", key));
    std::string plain;
    REQUIRE_FALSE(one.decrypt(t, salt, plain));
    auto kidless = jose::encrypt(R"({"alg":"dir","enc":"A256CBC-HS512"})", plain,
                                 content_encryption::a256cbc_hs512, key).value();
    CHECK(authjs_codec({"a", "b"}).decode(kidless, salt, now).has_value());
    auto none = authjs_codec({"a", "c"}).decode(kidless, salt, now);
    REQUIRE_FALSE(none.has_value());
    CHECK(none.error() == error::bad_tag);
}

TEST_CASE("exp and nbf with 15 s tolerance; claims must be numbers") {
    authjs_codec codec({"s"});
    const auto t = codec.encode(claims(), salt, 100, now).value(); // exp = now + 100
    CHECK(codec.decode(t, salt, now + 100).has_value());
    CHECK(codec.decode(t, salt, now + 114).has_value());
    auto late = codec.decode(t, salt, now + 115);
    REQUIRE_FALSE(late.has_value());
    CHECK(late.error() == error::expired);

    auto with = [&](std::string_view json) {
        return codec.encode(boost::json::parse(json).as_object(), salt, 100, now).value();
    };
    // encode sets exp itself; nbf and non-numeric iat are the caller's.
    CHECK(codec.decode(with(R"({"nbf":1800000014})"), salt, now).has_value());
    CHECK(codec.decode(with(R"({"nbf":1800000016})"), salt, now).error() == error::not_yet_valid);
    CHECK(codec.decode(with(R"({"nbf":"soon"})"), salt, now).error() == error::bad_claim);
}

TEST_CASE("wrong secret, wrong salt, tampering, garbage: an error and nothing else") {
    authjs_codec codec({"right"});
    const auto t = codec.encode(claims(), salt, 60, now).value();
    CHECK(authjs_codec({"wrong"}).decode(t, salt, now).error() == error::unknown_kid);
    CHECK(codec.decode(t, secure_salt, now).error() == error::unknown_kid); // the kid is per salt
    auto tampered = t;
    tampered[tampered.size() - 5] = tampered[tampered.size() - 5] == 'A' ? 'B' : 'A';
    CHECK(codec.decode(tampered, salt, now).error() == error::bad_tag);
    CHECK(codec.decode("", salt, now).error() == error::malformed_token);
    CHECK(codec.decode(std::string(100 * 1024, 'x'), salt, now).has_error());
    CHECK(codec.decode("a.b.c.d.e.f", salt, now).has_error());
    CHECK(authjs_codec({}).encode(claims(), salt, 60, now).error() == error::no_secret);
    CHECK(authjs_codec({}).decode(t, salt, now).has_error());
    // No message names a secret.
    for (auto e : {codec.decode(tampered, salt, now).error(), authjs_codec({"wrong"}).decode(t, salt, now).error()})
        CHECK(e.message().find("right") == std::string::npos);
}

TEST_CASE("a payload that is not a JSON object is malformed_payload") {
    authjs_codec codec({"s"});
    std::array<std::uint8_t, 64> key{};
    REQUIRE_FALSE(jose::hkdf_sha256("s", salt, "Auth.js Generated Encryption Key (" + salt + ")", key));
    const std::string header = R"({"alg":"dir","enc":"A256CBC-HS512","kid":")" + kid_for("s", salt, 64) + R"("})";
    for (const char* payload : {"[1,2]", "not json", "", "{\"a\":", "\"str\""}) {
        INFO(payload);
        auto t = jose::encrypt(header, payload, content_encryption::a256cbc_hs512, key).value();
        auto r = codec.decode(t, salt, now);
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error() == error::malformed_payload);
    }
}
