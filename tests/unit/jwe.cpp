// Compact JWE, dir + A256CBC-HS512 / A256GCM: round trips, and every kind of
// tampering or malformation refused with its own error and no plaintext.
#include <authpp/jose/jwe.hpp>

#include <catch2/catch.hpp>

#include <array>
#include <random>
#include <string>

using namespace authpp;
using jose::content_encryption;

namespace {

std::array<std::uint8_t, 64> key64(std::uint8_t seed) {
    std::array<std::uint8_t, 64> k{};
    for (std::size_t i = 0; i < k.size(); ++i) k[i] = static_cast<std::uint8_t>(seed + i * 3);
    return k;
}
std::array<std::uint8_t, 32> key32(std::uint8_t seed) {
    std::array<std::uint8_t, 32> k{};
    for (std::size_t i = 0; i < k.size(); ++i) k[i] = static_cast<std::uint8_t>(seed + i * 5);
    return k;
}

const std::string cbc_header = R"({"alg":"dir","enc":"A256CBC-HS512"})";
const std::string gcm_header = R"({"alg":"dir","enc":"A256GCM"})";

std::string part(const std::string& token, int i) {
    std::size_t b = 0;
    for (int k = 0; k < i; ++k) b = token.find('.', b) + 1;
    return token.substr(b, token.find('.', b) - b);
}
std::string with_part(const std::string& token, int i, const std::string& v) {
    std::string out;
    for (int k = 0; k < 5; ++k) out += (k ? "." : "") + (k == i ? v : part(token, k));
    return out;
}
// Flips one bit of a base64url part, keeping it canonical.
std::string flip(const std::string& token, int i) {
    auto bytes = jose::base64url_decode(part(token, i)).value();
    bytes[bytes.size() / 2] = static_cast<char>(bytes[bytes.size() / 2] ^ 1);
    return with_part(token, i, jose::base64url_encode(bytes));
}

error_code decrypt_token(const std::string& token, std::span<const std::uint8_t> key, std::string& out) {
    out = "stale plaintext from an earlier call";
    auto p = jose::parse_compact(token);
    if (!p) {
        out.clear();
        return p.error();
    }
    return jose::decrypt(*p, key, out);
}

} // namespace

TEST_CASE("encrypt then decrypt, both content encryptions") {
    const std::string plain = R"({"sub":"ada","n":"Zoë 😀"})";
    const auto k64 = key64(1);
    auto t = jose::encrypt(cbc_header, plain, content_encryption::a256cbc_hs512, k64);
    REQUIRE(t.has_value());
    CHECK(part(*t, 1).empty()); // dir: no encrypted key
    CHECK(jose::base64url_decode(part(*t, 2)).value().size() == 16);
    CHECK(jose::base64url_decode(part(*t, 4)).value().size() == 32);
    std::string out;
    REQUIRE_FALSE(decrypt_token(*t, k64, out));
    CHECK(out == plain);
    // A fresh IV each time.
    CHECK(*t != jose::encrypt(cbc_header, plain, content_encryption::a256cbc_hs512, k64).value());

    const auto k32 = key32(2);
    auto g = jose::encrypt(gcm_header, plain, content_encryption::a256gcm, k32);
    REQUIRE(g.has_value());
    CHECK(jose::base64url_decode(part(*g, 2)).value().size() == 12);
    CHECK(jose::base64url_decode(part(*g, 4)).value().size() == 16);
    REQUIRE_FALSE(decrypt_token(*g, k32, out));
    CHECK(out == plain);
    auto p = jose::parse_compact(*g);
    REQUIRE(p.has_value());
    CHECK(p->enc == content_encryption::a256gcm);
    CHECK_FALSE(p->has_kid);
}

TEST_CASE("tampering with any part fails the tag check and yields no plaintext") {
    for (auto enc : {content_encryption::a256cbc_hs512, content_encryption::a256gcm}) {
        const bool cbc = enc == content_encryption::a256cbc_hs512;
        const auto k64 = key64(3);
        const auto k32 = key32(3);
        std::span<const std::uint8_t> key = cbc ? std::span<const std::uint8_t>(k64) : std::span<const std::uint8_t>(k32);
        auto t = jose::encrypt(cbc ? cbc_header : gcm_header, std::string(100, 'x'), enc, key).value();
        std::string out;
        for (int i : {2, 3, 4}) { // IV, ciphertext, tag
            INFO("enc " << jose::to_string(enc) << " part " << i);
            CHECK(decrypt_token(flip(t, i), key, out) == error::bad_tag);
            CHECK(out.empty());
        }
        // The protected header is the AAD: an equivalent header with other bytes fails too.
        const std::string spaced = cbc ? R"({"alg":"dir", "enc":"A256CBC-HS512"})" : R"({"alg":"dir", "enc":"A256GCM"})";
        CHECK(decrypt_token(with_part(t, 0, jose::base64url_encode(spaced)), key, out) == error::bad_tag);
        CHECK(out.empty());
        // The wrong key.
        const auto other64 = key64(9);
        const auto other32 = key32(9);
        CHECK(decrypt_token(t, cbc ? std::span<const std::uint8_t>(other64) : std::span<const std::uint8_t>(other32),
                            out) == error::bad_tag);
        // A key of the wrong size for the enc.
        CHECK(decrypt_token(t, cbc ? std::span<const std::uint8_t>(k32) : std::span<const std::uint8_t>(k64), out) ==
              error::unsupported_algorithm);
        // A truncated tag or IV is malformed, not a tag mismatch.
        CHECK(decrypt_token(with_part(t, 4, part(t, 4).substr(0, 10)), key, out) == error::malformed_token);
        CHECK(decrypt_token(with_part(t, 2, part(t, 2).substr(0, 8)), key, out) == error::malformed_token);
        CHECK(out.empty());
    }
}

TEST_CASE("malformed compact serializations") {
    const auto k = key64(4);
    const auto t = jose::encrypt(cbc_header, "{}", content_encryption::a256cbc_hs512, k).value();
    std::string out;
    CHECK(decrypt_token("", k, out) == error::malformed_token);
    CHECK(decrypt_token("a.b.c.d", k, out) == error::malformed_token);
    CHECK(decrypt_token(t + ".x", k, out) == error::malformed_token);
    CHECK(decrypt_token(t.substr(0, t.rfind('.')), k, out) == error::malformed_token);
    CHECK(decrypt_token(with_part(t, 1, "AAAA"), k, out) == error::malformed_token); // dir has no encrypted key
    CHECK(decrypt_token(with_part(t, 3, "ab=c"), k, out) == error::bad_base64url);
    CHECK(decrypt_token(with_part(t, 0, "!!"), k, out) == error::bad_base64url);
    std::string garbage(100 * 1024, 'A');
    CHECK(decrypt_token(garbage, k, out));
    garbage[500] = '.';
    CHECK(decrypt_token(garbage, k, out));
    CHECK(out.empty());
}

TEST_CASE("protected headers other than dir with the two encs are refused") {
    const auto k = key64(5);
    const auto t = jose::encrypt(cbc_header, "{}", content_encryption::a256cbc_hs512, k).value();
    auto header = [&](const std::string& json) { return with_part(t, 0, jose::base64url_encode(json)); };
    std::string out;
    CHECK(decrypt_token(header(R"({"alg":"RSA-OAEP","enc":"A256CBC-HS512"})"), k, out) == error::unsupported_algorithm);
    CHECK(decrypt_token(header(R"({"alg":"dir","enc":"A128CBC-HS256"})"), k, out) == error::unsupported_algorithm);
    CHECK(decrypt_token(header(R"({"alg":"dir","enc":"A256CBC-HS512","zip":"DEF"})"), k, out) ==
          error::unsupported_algorithm);
    CHECK(decrypt_token(header(R"({"alg":"dir","enc":"A256CBC-HS512","crit":["exp"]})"), k, out) ==
          error::unsupported_algorithm);
    CHECK(decrypt_token(header(R"(["dir"])"), k, out) == error::malformed_header);
    CHECK(decrypt_token(header(R"({"alg":"dir",)"), k, out) == error::malformed_header);
    CHECK(decrypt_token(header(R"({"alg":"dir","enc":"A256CBC-HS512","kid":7})"), k, out) == error::malformed_header);
    CHECK(decrypt_token(header(std::string(2000, ' ')), k, out));
    CHECK(out.empty());
    auto p = jose::parse_compact(header(R"({"alg":"dir","enc":"A256CBC-HS512","kid":"abc"})"));
    REQUIRE(p.has_value());
    CHECK(p->has_kid);
    CHECK(p->kid() == "abc");
}
