// authjs_codec: encode/decode as @auth/core does, rotation, both encs, both
// salts, claim checks with the 15 s tolerance, and every failure's error.
#include <authpp/codec/authjs_codec.hpp>

#include <authpp/cookie/chunking.hpp>
#include <authpp/crypto/hkdf.hpp>
#include <authpp/jose/jwk_thumbprint.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <catch2/catch.hpp>

#include <array>
#include <limits>
#include <utility>
#include <limits>
#include <random>
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
    return boost::json::parse(crypto::base64url_decode(token.substr(0, token.find('.'))).value()).as_object();
}

std::array<std::uint8_t, 64> key_for(const std::string& secret, const std::string& s, std::size_t bytes = 64) {
    std::array<std::uint8_t, 64> key{};
    const std::string info = "Auth.js Generated Encryption Key (" + s + ")";
    REQUIRE_FALSE(crypto::hkdf_sha256(secret, s, info, std::span<std::uint8_t>(key.data(), bytes)));
    return key;
}

std::string kid_for(const std::string& secret, const std::string& s, std::size_t bytes) {
    const auto key = key_for(secret, s, bytes);
    return jose::oct_jwk_thumbprint(std::span<const std::uint8_t>(key.data(), bytes)).value();
}

// Seals any payload under `secret`'s A256CBC-HS512 key, with its kid or
// without one: tokens encode() itself would never write.
std::string seal(const std::string& secret, std::string_view payload, bool with_kid = true,
                 const std::string& s = salt) {
    const std::string header = with_kid
                                   ? R"({"alg":"dir","enc":"A256CBC-HS512","kid":")" + kid_for(secret, s, 64) + R"("})"
                                   : std::string(R"({"alg":"dir","enc":"A256CBC-HS512"})");
    return jose::encrypt(header, payload, content_encryption::a256cbc_hs512, key_for(secret, s)).value();
}

// Replaces one part of a token, found by the library's own parser (jwe.cpp
// tests it), so these tests tamper with exactly the bytes they name.
using part_of = std::string_view jose::parsed_jwe::*;
constexpr part_of header_part = &jose::parsed_jwe::protected_b64;
constexpr part_of iv_part = &jose::parsed_jwe::iv_b64;
constexpr part_of ciphertext_part = &jose::parsed_jwe::ciphertext_b64;
constexpr part_of tag_part = &jose::parsed_jwe::tag_b64;

std::string replace_part(const std::string& token, part_of which, std::string_view v) {
    const std::string_view old = jose::parse_compact(token).value().*which;
    const auto at = static_cast<std::size_t>(old.data() - token.data());
    return token.substr(0, at) + std::string(v) + token.substr(at + old.size());
}
std::string flip_bit_in(const std::string& token, part_of which) {
    auto bytes = crypto::base64url_decode(jose::parse_compact(token).value().*which).value();
    bytes[bytes.size() / 2] = static_cast<char>(bytes[bytes.size() / 2] ^ 1);
    return replace_part(token, which, crypto::base64url_encode(bytes));
}

// The failure and nothing else: no claims, and decrypt() hands back no plaintext.
void check_refused(const authjs_codec& codec, const std::string& token, error e, const std::string& s = salt) {
    auto r = codec.decode(token, s, now);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error() == e);
    std::string plain = "stale";
    const auto ec = codec.decrypt(token, s, plain);
    if (e != error::expired && e != error::not_yet_valid && e != error::bad_claim && e != error::malformed_payload) {
        CHECK(ec == e);
        CHECK(plain.empty());
    }
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
        CHECK(jti[14] == '4'); // a v4 UUID: 8-4-4-4-12 lower-case hex, variant 10xx
        for (std::size_t i = 0; i < jti.size(); ++i) {
            if (i == 8 || i == 13 || i == 18 || i == 23)
                CHECK(jti[i] == '-');
            else
                CHECK(std::string_view("0123456789abcdef").find(jti[i]) != std::string_view::npos);
        }
        CHECK(std::string_view("89ab").find(jti[19]) != std::string_view::npos);
        CHECK(c->size() == expected.size() + 3);
    }
    // Fresh jti and IV per token.
    CHECK(codec.encode(claims(), salt, 60, now).value() != codec.encode(claims(), salt, 60, now).value());
}

TEST_CASE("encode refuses an expiry that overflows instead of wrapping around") {
    authjs_codec codec({"first-secret"});
    constexpr auto max = std::numeric_limits<std::int64_t>::max();
    for (auto [at, age] : {std::pair{max, std::int64_t{1}}, std::pair{std::int64_t{1}, max},
                           std::pair{std::numeric_limits<std::int64_t>::min(), std::int64_t{-1}}}) {
        auto t = codec.encode(claims(), salt, age, at);
        REQUIRE_FALSE(t.has_value());
        CHECK(t.error() == error::time_out_of_range);
    }
    auto edge = codec.encode(claims(), salt, 0, max);
    CHECK(edge.has_value());
}

// Tokens @auth/core 0.41.3 encoded with secret "unit-test-secret", maxAge 3600,
// claims {sub, name, nested}, at iat 1795509869.
TEST_CASE("tokens written by @auth/core decode, for both salts") {
    const std::pair<std::string, std::string> tokens[] = {
        {salt,
         "eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2Q0JDLUhTNTEyIiwia2lkIjoiNk1PNDZ4YlZSdXBKSHRfRnBYWklBZWlkQWtYMVFvcGFzR1lm"
         "eHR6WVk4ZU03SmRGMFdfX2VIX2lzaUhuV2tiV0RORUU3N2pETDg5Xy1aN0xkN3J1M2cifQ.._MVLr8DuInKlP4sr8DfTew.NTkNd1Z9t"
         "kxcLg2AJZi_yWs2GkF57Muu31jQbpfbnFVOGOuB1rq3E4sFcSEluQVZBsTQbtlOX154-39aasH1-bs544UgBVxhm12Kf-JNF1AxHmPyf"
         "lsnKKsyUYiVnUTkRoGBNfkA5IYj9FGJJ7Qhbp915Qq4ntRz6pxa_dmc0EDH9An0g7UjXSl8A_YbZ81ccTRQI47NYm1NS3R4KcVMKg.fX"
         "4j5VdIk0cNLlXh7qBm_He6IrH8TAHgSO_Z6zjYIe4"},
        {secure_salt,
         "eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2Q0JDLUhTNTEyIiwia2lkIjoiZVFtMHA0Q0FIUy1uZk01bVN4M251MUJWQVZISDFiY2dEa2tz"
         "bTdUbUs4NzFzcnBKeHNGWVd6Y3pZSHc1OUFhbW5SOFhIWGgzS3lsM09PZUNTajFTNXcifQ..5VIyEM_eUFbXcieLlb2aRA.I-rdQvK6s"
         "NoY_TbCmAGj6ZTA3tXtbkmifydKDFkNtnJiufYdKN12j9zb8uKoTk78PbgeEwI-swEbV8qfriKuLHJjBEFSBYV_bKtsOL8b9X4ybSl2G"
         "1q4upyIrTXwUhZDS0wMxjeqYTMjbuSsM412DF3irRdlj1CK85eRa1Z8ZFM0kgQ6nVzjUjKRojLnRmSCRx3f8FynS6XB8MdtPNO7yA.ot"
         "Cy7xlNYgWzKjRD7vrHeIpsmKuTMD1qjmPdgL58wwY"},
    };
    const std::int64_t iat = 1795509869;
    authjs_codec codec({"unit-test-secret"});
    for (const auto& [s, token] : tokens) {
        INFO(s);
        auto c = codec.decode(token, s, iat + 60);
        REQUIRE(c.has_value());
        CHECK(c->at("sub") == "user-1");
        CHECK(c->at("name") == "Zo\xC3\xAB \xF0\x9F\x98\x80");
        CHECK(c->at("nested") == boost::json::parse(R"({"a":[1,2.5,null,true]})"));
        const auto exp = c->at("exp").as_int64();
        CHECK(exp - c->at("iat").as_int64() == 3600);
        CHECK(c->at("jti").as_string().size() == 36);
        // Auth.js's 15 s of tolerance, seen from our side.
        CHECK(codec.decode(token, s, exp + 14).has_value());
        CHECK(codec.decode(token, s, exp + 15).error() == error::expired);
        // The other salt's key did not make it; another secret cannot read it.
        CHECK(codec.decode(token, s == salt ? secure_salt : salt, iat).error() == error::unknown_kid);
        CHECK(authjs_codec({"unit-test-secreT"}).decode(token, s, iat).error() == error::unknown_kid);
    }
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
    CHECK(c->at("exp").as_int64() == now + 60);
    // The same refusals as CBC.
    for (auto p : {iv_part, ciphertext_part, tag_part}) check_refused(codec, flip_bit_in(*t, p), error::bad_tag);
    check_refused(authjs_codec({"other"}), *t, error::unknown_kid);
    auto secure = codec.encode(claims(), secure_salt, 60, now, content_encryption::a256gcm);
    REQUIRE(secure.has_value());
    CHECK(codec.decode(*secure, secure_salt, now).has_value());
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
    // A third secret in the middle changes nothing for either.
    authjs_codec three({"newest", "new", "old"});
    CHECK(three.decode(old_token, salt, now).has_value());
    CHECK(three.decode(new_token, salt, now).has_value());
}

TEST_CASE("a token without kid is tried against every secret") {
    const auto kidless = seal("b", boost::json::serialize(claims()), false);
    CHECK(authjs_codec({"a", "b"}).decode(kidless, salt, now).has_value());
    CHECK(authjs_codec({"b", "a"}).decode(kidless, salt, now).has_value());
    check_refused(authjs_codec({"a", "c"}), kidless, error::bad_tag);
    // Without a kid, the wrong salt can only show as a tag mismatch.
    check_refused(authjs_codec({"b"}), kidless, error::bad_tag, secure_salt);
}

TEST_CASE("salts the codec was not built for are derived on demand") {
    authjs_codec codec({"s1", "s2"}, {session_cookie_name});
    auto t = codec.encode(claims(), secure_salt, 60, now);
    REQUIRE(t.has_value());
    CHECK(header_of(*t).at("kid").as_string() == kid_for("s1", secure_salt, 64));
    CHECK(codec.decode(*t, secure_salt, now).has_value());
    // A token from the second secret under an unprepared salt: kid checked on the fly.
    const auto second = authjs_codec({"s2"}).encode(claims(), "custom.cookie", 60, now).value();
    CHECK(codec.decode(second, "custom.cookie", now).has_value());
    check_refused(authjs_codec({"s3"}, {}), second, error::unknown_kid, "custom.cookie");
    // add_salt precomputes the same keys.
    authjs_codec prepared({"s1", "s2"}, {});
    prepared.add_salt("custom.cookie");
    CHECK(prepared.decode(second, "custom.cookie", now).has_value());
    CHECK(header_of(prepared.encode({}, "custom.cookie", 60, now).value()).at("kid") ==
          header_of(codec.encode({}, "custom.cookie", 60, now).value()).at("kid"));
}

TEST_CASE("exp and nbf with 15 s tolerance; claims must be numbers") {
    authjs_codec codec({"s"});
    const auto t = codec.encode(claims(), salt, 100, now).value(); // exp = now + 100
    CHECK(codec.decode(t, salt, now + 100).has_value());
    CHECK(codec.decode(t, salt, now + 114).has_value());
    auto late = codec.decode(t, salt, now + 115);
    REQUIRE_FALSE(late.has_value());
    CHECK(late.error() == error::expired);
    CHECK(codec.decode(t, salt, now + 1'000'000).error() == error::expired);

    auto with = [&](std::string_view json) {
        return codec.encode(boost::json::parse(json).as_object(), salt, 100, now).value();
    };
    // encode sets exp itself; nbf and non-numeric iat are the caller's.
    CHECK(codec.decode(with(R"({"nbf":1800000014})"), salt, now).has_value());
    CHECK(codec.decode(with(R"({"nbf":1800000015})"), salt, now).has_value());
    CHECK(codec.decode(with(R"({"nbf":1800000016})"), salt, now).error() == error::not_yet_valid);
    CHECK(codec.decode(with(R"({"nbf":"soon"})"), salt, now).error() == error::bad_claim);
}

TEST_CASE("claim checks on payloads encode() would not write") {
    authjs_codec codec({"s"});
    auto decoded = [&](const std::string& payload) { return codec.decode(seal("s", payload), salt, now); };
    CHECK(decoded(R"({"sub":"no exp at all"})").has_value()); // Auth.js never omits exp; jose does not require it
    CHECK(decoded(R"({"exp":1799999986})").has_value());       // 14 s late
    CHECK(decoded(R"({"exp":1799999985})").error() == error::expired);
    CHECK(decoded(R"({"exp":1799999985.5})").has_value());     // fractional seconds count
    CHECK(decoded(R"({"exp":18446744073709551615})").has_value()); // uint64
    CHECK(decoded(R"({"exp":-1})").error() == error::expired);
    for (const char* bad : {R"({"exp":"1800000000"})", R"({"exp":null})", R"({"exp":true})", R"({"iat":"now"})",
                            R"({"iat":[1]})", R"({"nbf":{}})"}) {
        INFO(bad);
        CHECK(decoded(bad).error() == error::bad_claim);
    }
}

TEST_CASE("wrong secret, wrong salt, tampering, garbage: an error and nothing else") {
    authjs_codec codec({"right"});
    const auto t = codec.encode(claims(), salt, 60, now).value();
    check_refused(authjs_codec({"wrong"}), t, error::unknown_kid);
    check_refused(codec, t, error::unknown_kid, secure_salt); // the kid is per salt
    auto tampered = t;
    tampered[tampered.size() - 5] = tampered[tampered.size() - 5] == 'A' ? 'B' : 'A';
    check_refused(codec, tampered, error::bad_tag);
    for (auto p : {iv_part, ciphertext_part, tag_part}) check_refused(codec, flip_bit_in(t, p), error::bad_tag);
    check_refused(codec, "", error::malformed_token);
    check_refused(codec, std::string(100 * 1024, 'x'), error::malformed_token);
    std::string noise(100 * 1024, '\0');
    std::mt19937 rng(17);
    for (auto& c : noise) c = static_cast<char>(rng());
    check_refused(codec, noise, error::malformed_token);
    check_refused(codec, std::string(max_token_size + 1, 'x'), error::oversized);
    // A well-formed token around 100 KB of ciphertext it never wrote.
    check_refused(codec, replace_part(t, ciphertext_part, std::string(100 * 1024, 'A')), error::bad_tag);
    check_refused(codec, replace_part(t, ciphertext_part, std::string(100 * 1024, '~')), error::bad_base64url);
    CHECK(authjs_codec({}).encode(claims(), salt, 60, now).error() == error::no_secret);
    check_refused(authjs_codec({}), t, error::no_secret);
}

TEST_CASE("wrong part counts and a tampered header") {
    authjs_codec codec({"right"});
    const auto t = codec.encode(claims(), salt, 60, now).value();
    check_refused(codec, t.substr(0, t.rfind('.')), error::malformed_token); // 4 parts
    check_refused(codec, t + ".AAAA", error::malformed_token);               // 6 parts
    check_refused(codec, "a.b.c.d.e.f", error::malformed_token);
    check_refused(codec, "a.b.c.d", error::malformed_token);
    check_refused(codec, "....", error::malformed_token);
    check_refused(codec, std::string(t).replace(t.find(".."), 2, ".AAAA."), error::malformed_token); // dir: no key

    const auto kid = kid_for("right", salt, 64);
    auto header = [&](const std::string& json) { return replace_part(t, header_part, crypto::base64url_encode(json)); };
    // The same header with other bytes: the kid finds the key, the AAD fails the tag.
    check_refused(codec, header(R"({"enc":"A256CBC-HS512","alg":"dir","kid":")" + kid + R"("})"), error::bad_tag);
    check_refused(codec, header(R"({"alg":"dir","enc":"A256CBC-HS512","kid":")" + kid + R"(","x":1})"),
                  error::bad_tag);
    check_refused(codec, header(R"({"alg":"dir","enc":"A256CBC-HS512","kid":"not-a-kid"})"), error::unknown_kid);
    check_refused(codec, header(R"({"alg":"dir","enc":"A256CBC-HS512","kid":")" + std::string(500, 'k') + R"("})"),
                  error::unknown_kid);
    check_refused(codec, header(R"({"alg":"A256KW","enc":"A256CBC-HS512","kid":")" + kid + R"("})"),
                  error::unsupported_algorithm);
    check_refused(codec, header(R"({"alg":"dir","enc":"A128GCM","kid":")" + kid + R"("})"),
                  error::unsupported_algorithm);
    check_refused(codec, header(R"({"alg":"dir","enc":"A256CBC-HS512","kid":")" + kid + R"(","zip":"DEF"})"),
                  error::unsupported_algorithm);
    check_refused(codec, header(R"({"alg":"dir","enc":"A256CBC-HS512","kid":5})"), error::malformed_header);
    check_refused(codec, header("not json"), error::malformed_header);
    check_refused(codec, replace_part(t, header_part, "eyJ=="), error::bad_base64url);
    // The header says GCM, the parts are CBC-sized.
    check_refused(codec, header(R"({"alg":"dir","enc":"A256GCM","kid":")" + kid_for("right", salt, 32) + R"("})"),
                  error::malformed_token);
}

TEST_CASE("no message names a secret") {
    const std::string secret = "hunter2-very-secret-value";
    authjs_codec codec({secret});
    const auto t = codec.encode(claims(), salt, 60, now).value();
    std::vector<error_code> seen;
    auto failed = [&](const result<boost::json::object>& r) {
        REQUIRE_FALSE(r.has_value());
        seen.push_back(r.error());
    };
    failed(codec.decode(flip_bit_in(t, tag_part), salt, now));
    failed(codec.decode(t, secure_salt, now));
    failed(codec.decode(t, salt, now + 1000));
    failed(codec.decode("", salt, now));
    failed(codec.decode(seal(secret, "[]"), salt, now));
    failed(codec.decode(seal(secret, R"({"exp":"x"})"), salt, now));
    failed(authjs_codec({secret + "-other"}).decode(t, salt, now));
    failed(authjs_codec({}).decode(t, salt, now));
    for (const auto& ec : seen) {
        INFO(ec.message());
        CHECK(ec.category() == error_category());
        CHECK(ec.message().find(secret) == std::string::npos);
        CHECK(ec.message().find("hunter2") == std::string::npos);
        CHECK(ec.message().find(t.substr(0, 20)) == std::string::npos); // nor the token
    }
}

TEST_CASE("a payload that is not a JSON object is malformed_payload") {
    authjs_codec codec({"s"});
    std::string deep_ok, deep_bad;
    for (std::size_t i = 0; i < max_claims_depth - 1; ++i) deep_ok += "[";
    for (std::size_t i = 0; i < max_claims_depth - 1; ++i) deep_ok += "]";
    deep_ok = R"({"a":)" + deep_ok + "}"; // exactly max_claims_depth levels
    deep_bad = R"({"a":[)" + deep_ok.substr(5, deep_ok.size() - 6) + "]}";
    CHECK(codec.decode(seal("s", deep_ok), salt, now).has_value());
    std::string garbage(100 * 1024, '\0');
    std::mt19937 rng(19);
    for (auto& c : garbage) c = static_cast<char>(rng());
    for (const auto& payload : {std::string("[1,2]"), std::string("not json"), std::string(), std::string("{\"a\":"),
                                      std::string("\"str\""), std::string("null"), std::string("{} {}"),
                                      std::string("{\"a\":1}x"), deep_bad, garbage}) {
        INFO(payload.substr(0, 40));
        check_refused(codec, seal("s", payload), error::malformed_payload);
    }
}

TEST_CASE("unknown claims survive decode then encode; iat, exp and jti are renewed") {
    authjs_codec codec({"s"});
    auto c = codec.decode(codec.encode(claims(), salt, 60, now).value(), salt, now).value();
    const std::string first_jti(c.at("jti").as_string());
    c["added_by_callback"] = boost::json::parse(R"({"roles":["a","b"],"n":1e300})");
    auto again = codec.decode(codec.encode(c, salt, 120, now + 10).value(), salt, now + 10);
    REQUIRE(again.has_value());
    for (const auto& [k, v] : claims()) CHECK(again->at(k) == v);
    CHECK(again->at("added_by_callback") == c.at("added_by_callback"));
    CHECK(again->at("iat").as_int64() == now + 10);
    CHECK(again->at("exp").as_int64() == now + 130);
    CHECK(again->at("jti").as_string() != first_jti);
    // Caller-supplied iat, exp and jti are overwritten, as @auth/core's encode does.
    auto forced = codec.decode(
        codec.encode(boost::json::parse(R"({"iat":1,"exp":2,"jti":"mine"})").as_object(), salt, 60, now).value(), salt,
        now);
    REQUIRE(forced.has_value());
    CHECK(forced->at("iat").as_int64() == now);
    CHECK(forced->at("exp").as_int64() == now + 60);
    CHECK(forced->at("jti") != "mine");
}

TEST_CASE("non-finite numbers are written as null, as JSON.stringify does") {
    authjs_codec codec({"s"});
    boost::json::object c;
    c["inf"] = std::numeric_limits<double>::infinity();
    c["nested"] = boost::json::array{std::numeric_limits<double>::quiet_NaN(), 1.5};
    auto d = codec.decode(codec.encode(c, salt, 60, now).value(), salt, now);
    REQUIRE(d.has_value());
    CHECK(d->at("inf").is_null());
    CHECK(d->at("nested") == boost::json::parse("[null,1.5]"));
}

TEST_CASE("a chunked session cookie, end to end") {
    authjs_codec codec({"s"});
    auto big = claims();
    big["access_token"] = std::string(6000, 'a'); // three chunks once encrypted
    const auto token = codec.encode(big, salt, 60, now).value();
    auto sc = cookie::write_session_cookie(salt, token, {}).value();
    REQUIRE(sc.size() == 3);
    std::vector<std::string> pairs;
    for (const auto& h : sc) pairs.push_back(h.substr(0, h.find(';')));
    auto join = [](const std::vector<std::string>& v) {
        std::string h = "theme=dark";
        for (const auto& p : v) h += "; " + p;
        return h;
    };
    std::string joined;
    // Out of order, with a duplicate of chunk 1 after the real one.
    REQUIRE_FALSE(cookie::read_session_cookie(join({pairs[2], pairs[0], pairs[1], salt + ".1=junk"}), salt, joined));
    CHECK(joined == token);
    auto c = codec.decode(joined, salt, now);
    REQUIRE(c.has_value());
    CHECK(c->at("access_token").as_string().size() == 6000);
    // A missing chunk is reported as such, never decoded.
    CHECK(cookie::read_session_cookie(join({pairs[0], pairs[2]}), salt, joined) == error::missing_chunk);
    CHECK(joined.empty());
    // Without its last chunk (no gap to see), the token itself is refused.
    REQUIRE_FALSE(cookie::read_session_cookie(join({pairs[0], pairs[1]}), salt, joined));
    check_refused(codec, joined, error::malformed_token);
    // A duplicate that comes first wins, and fails authentication.
    REQUIRE_FALSE(cookie::read_session_cookie(join({salt + ".1=" + std::string(cookie_chunk_size, 'A'), pairs[0],
                                                    pairs[1], pairs[2]}),
                                              salt, joined));
    check_refused(codec, joined, error::bad_tag);
}
