// Compact JWE, dir + A256CBC-HS512 / A256GCM: round trips, and every kind of
// tampering or malformation refused with its own error and no plaintext.
#include <authpp/jose/jwe.hpp>

#include "../../support/unhex.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

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
    auto bytes = crypto::base64url_decode(part(token, i)).value();
    bytes[bytes.size() / 2] = static_cast<char>(bytes[bytes.size() / 2] ^ 1);
    return with_part(token, i, crypto::base64url_encode(bytes));
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
    CHECK(crypto::base64url_decode(part(*t, 2)).value().size() == 16);
    CHECK(crypto::base64url_decode(part(*t, 4)).value().size() == 32);
    std::string out;
    REQUIRE_FALSE(decrypt_token(*t, k64, out));
    CHECK(out == plain);
    // A fresh IV each time.
    CHECK(*t != jose::encrypt(cbc_header, plain, content_encryption::a256cbc_hs512, k64).value());
    // An empty plaintext is one block of padding under CBC.
    auto empty = jose::encrypt(cbc_header, "", content_encryption::a256cbc_hs512, k64);
    REQUIRE(empty.has_value());
    CHECK(crypto::base64url_decode(part(*empty, 3)).value().size() == 16);
    REQUIRE_FALSE(decrypt_token(*empty, k64, out));
    CHECK(out.empty());

    const auto k32 = key32(2);
    auto g = jose::encrypt(gcm_header, plain, content_encryption::a256gcm, k32);
    REQUIRE(g.has_value());
    CHECK(crypto::base64url_decode(part(*g, 2)).value().size() == 12);
    CHECK(crypto::base64url_decode(part(*g, 4)).value().size() == 16);
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
        CHECK(decrypt_token(with_part(t, 0, crypto::base64url_encode(spaced)), key, out) == error::bad_tag);
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
    CHECK(decrypt_token("....", k, out) == error::malformed_token);
    CHECK(decrypt_token(with_part(t, 0, ""), k, out) == error::malformed_token);
    CHECK(decrypt_token(with_part(t, 2, ""), k, out) == error::malformed_token);
    CHECK(decrypt_token(with_part(t, 4, ""), k, out) == error::malformed_token);
    CHECK(decrypt_token(with_part(t, 3, ""), k, out) == error::malformed_token); // CBC always has a block
    // An IV or tag of the other enc's size: the header says CBC.
    CHECK(decrypt_token(with_part(t, 2, crypto::base64url_encode(std::string(12, 'i'))), k, out) ==
          error::malformed_token);
    CHECK(decrypt_token(with_part(t, 4, crypto::base64url_encode(std::string(16, 't'))), k, out) ==
          error::malformed_token);
    CHECK(out.empty());
}

TEST_CASE("100 KB of garbage, in every shape, is refused with its own error") {
    const auto k = key64(4);
    const auto t = jose::encrypt(cbc_header, "{}", content_encryption::a256cbc_hs512, k).value();
    std::string out;
    std::string no_dots(100 * 1024, 'A');
    CHECK(decrypt_token(no_dots, k, out) == error::malformed_token);
    no_dots[500] = '.';
    CHECK(decrypt_token(no_dots, k, out) == error::malformed_token);

    std::string noise(100 * 1024, '\0');
    std::mt19937 rng(13);
    for (auto& c : noise) c = static_cast<char>(rng());
    CHECK(decrypt_token(noise, k, out) == error::malformed_token);

    const std::string big(100 * 1024, 'A');
    CHECK(decrypt_token(with_part(t, 0, big), k, out) == error::malformed_header); // header limit
    CHECK(decrypt_token(with_part(t, 3, big), k, out) == error::bad_tag);          // well-formed, not authentic
    CHECK(decrypt_token(with_part(t, 3, std::string(100 * 1024, '*')), k, out) == error::bad_base64url);
    CHECK(decrypt_token(with_part(t, 2, big), k, out) == error::malformed_token);  // IV size
    CHECK(decrypt_token(with_part(t, 4, big), k, out) == error::malformed_token);  // tag size
    CHECK(out.empty());
}

TEST_CASE("protected headers other than dir with the two encs are refused") {
    const auto k = key64(5);
    const auto t = jose::encrypt(cbc_header, "{}", content_encryption::a256cbc_hs512, k).value();
    auto header = [&](const std::string& json) { return with_part(t, 0, crypto::base64url_encode(json)); };
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
    CHECK(decrypt_token(header(std::string(2000, ' ')), k, out) == error::malformed_header);
    CHECK(decrypt_token(header(R"({"alg":"dir","enc":"A256CBC-HS512","x":")" + std::string(1000, 'x') + "\"}"), k,
                        out) == error::malformed_header); // over max_protected_header
    CHECK(decrypt_token(header(R"({"alg":"dir"})"), k, out) == error::malformed_header);
    CHECK(decrypt_token(header(R"({"alg":5,"enc":"A256CBC-HS512"})"), k, out) == error::malformed_header);
    CHECK(decrypt_token(header(R"({"a":{"b":{"c":{"d":{"e":1}}}},"alg":"dir","enc":"A256CBC-HS512"})"), k, out) ==
          error::malformed_header); // nesting beyond what a JOSE header needs
    CHECK(decrypt_token(header(""), k, out) == error::malformed_token);
    CHECK(out.empty());
    auto p = jose::parse_compact(header(R"({"alg":"dir","enc":"A256CBC-HS512","kid":"abc"})"));
    REQUIRE(p.has_value());
    CHECK(p->has_kid);
    CHECK(p->kid() == "abc");
    CHECK_FALSE(p->kid_too_long);
    // A kid no thumbprint could be is kept truncated and flagged.
    p = jose::parse_compact(header(R"({"alg":"dir","enc":"A256CBC-HS512","kid":")" + std::string(200, 'k') + "\"}"));
    REQUIRE(p.has_value());
    CHECK(p->kid_too_long);
    CHECK(p->kid().size() == p->kid_buf.size());
}

namespace {
std::string unhex(std::string_view h) { return authpp_test::unhex<std::string>(h); }
std::span<const std::uint8_t> bytes_of(const std::string& s) {
    return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}
} // namespace

// RFC 7518 Appendix B.3: AES_256_CBC_HMAC_SHA_512 with K = 00 01 … 3f. decrypt()
// takes the AAD as the protected header's base64url text; parsed_jwe lets us
// hand it the RFC's AAD bytes unchanged, which checks the MAC/ENC key split,
// the AL block and the tag truncation against the specification.
TEST_CASE("RFC 7518 B.3 known answer for A256CBC-HS512") {
    const auto key = unhex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
                           "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f");
    const std::string plain = "A cipher system must not be required to be secret, and it must be able to fall into "
                              "the hands of the enemy without inconvenience";
    const auto iv = crypto::base64url_encode(unhex("1af38c2dc2b96ffdd86694092341bc04"));
    const auto ct = crypto::base64url_encode(unhex(
        "4affaaadb78c31c5da4b1b590d10ffbd3dd8d5d302423526912da037ecbcc7bd822c301dd67c373bccb584ad3e9279c2"
        "e6d12a1374b77f077553df829410446b36ebd97066296ae6427ea75c2e0846a11a09ccf5370dc80bfecbad28c73f09b3"
        "a3b75e662a2594410ae496b2e2e6609e31e6e02cc837f053d21f37ff4f51950bbe2638d09dd7a4930930806d0703b1f6"));
    const auto tag = unhex("4dd3b4c088a7f45c216839645b2012bf2e6269a8c56a816dbc1b267761955bc5");
    const auto tag_b64 = crypto::base64url_encode(tag);
    jose::parsed_jwe j;
    j.enc = content_encryption::a256cbc_hs512;
    j.protected_b64 = "The second principle of Auguste Kerckhoffs";
    j.iv_b64 = iv;
    j.ciphertext_b64 = ct;
    j.tag_b64 = tag_b64;
    std::string out;
    REQUIRE_FALSE(jose::decrypt(j, bytes_of(key), out));
    CHECK(out == plain);

    // The second half of HMAC-SHA512 is not the tag; one bit of AAD changes it.
    auto bad_tag = tag;
    bad_tag[31] = static_cast<char>(bad_tag[31] ^ 0x80);
    const auto bad_tag_b64 = crypto::base64url_encode(bad_tag);
    j.tag_b64 = bad_tag_b64;
    CHECK(jose::decrypt(j, bytes_of(key), out) == error::bad_tag);
    CHECK(out.empty());
    j.tag_b64 = tag_b64;
    j.protected_b64 = "The second principle of Auguste Kerckhoffz";
    CHECK(jose::decrypt(j, bytes_of(key), out) == error::bad_tag);
    CHECK(out.empty());
}

// The McGrew–Viega GCM test case 16 (256-bit key, 96-bit IV, 20 bytes of AAD).
TEST_CASE("GCM test case 16 known answer for A256GCM") {
    const auto key = unhex("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308");
    const auto aad = unhex("feedfacedeadbeeffeedfacedeadbeefabaddad2");
    const auto iv = crypto::base64url_encode(unhex("cafebabefacedbaddecaf888"));
    const auto ct = crypto::base64url_encode(unhex("522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
                                                 "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662"));
    const auto tag = crypto::base64url_encode(unhex("76fc6ece0f4e1768cddf8853bb2d551b"));
    jose::parsed_jwe j;
    j.enc = content_encryption::a256gcm;
    j.protected_b64 = aad;
    j.iv_b64 = iv;
    j.ciphertext_b64 = ct;
    j.tag_b64 = tag;
    std::string out;
    REQUIRE_FALSE(jose::decrypt(j, bytes_of(key), out));
    CHECK(out == unhex("d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e24"
                       "49a6b525b16aedf5aa0de657ba637b39"));
}

// Compact JWEs written by jose 6.2.18 (Auth.js's JOSE library) with the keys
// 00 01 … 3f (A256CBC-HS512) and 00 01 … 1f (A256GCM).
TEST_CASE("tokens written by jose decrypt") {
    std::array<std::uint8_t, 64> k{};
    for (std::size_t i = 0; i < k.size(); ++i) k[i] = static_cast<std::uint8_t>(i);
    const std::string plain = "{\"sub\":\"kat\",\"n\":\"Zo\xC3\xAB\"}";
    std::string out;
    REQUIRE_FALSE(decrypt_token("eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2Q0JDLUhTNTEyIn0..G07QZKKt7bV46mgekvBafg."
                                "Sd1_iUvnDecFt8wKBp-P4ZGlqQBYlAzpMPS5rNSVNT4."
                                "04sqqaGKF2I6R-GMAN1F41RbhMNTJ8N48N52LI0l6g4",
                                k, out));
    CHECK(out == plain);
    REQUIRE_FALSE(decrypt_token("eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..r5x0DZERJhT4wHi8."
                                "K8P7e0KLeYlGxpRgcv7bpjAOkp8LQoT8.xINIiS7m1RLNKgy9iCMEfQ",
                                std::span<const std::uint8_t>(k).first(32), out));
    CHECK(out == plain);
}

TEST_CASE("a valid tag over a ciphertext with bad padding is malformed, not decrypted") {
    // Only a key holder can make this: a block whose decryption ends in 0x00,
    // which PKCS#7 forbids, authenticated with the right MAC key.
    const auto k = key64(6);
    std::array<std::uint8_t, 16> iv{}, block{}, ct{};
    block.fill(0x41);
    block[15] = 0;
    EVP_CIPHER_CTX* c = EVP_CIPHER_CTX_new();
    int n = 0;
    REQUIRE(EVP_EncryptInit_ex2(c, EVP_aes_256_cbc(), k.data() + 32, iv.data(), nullptr) == 1);
    REQUIRE(EVP_CIPHER_CTX_set_padding(c, 0) == 1);
    REQUIRE(EVP_EncryptUpdate(c, ct.data(), &n, block.data(), 16) == 1);
    EVP_CIPHER_CTX_free(c);
    const auto header = crypto::base64url_encode(cbc_header);
    std::string mac_input = header;
    mac_input.append(reinterpret_cast<const char*>(iv.data()), iv.size());
    mac_input.append(reinterpret_cast<const char*>(ct.data()), ct.size());
    const auto al = crypto::detail::aad_length_block(header.size());
    mac_input.append(reinterpret_cast<const char*>(al.data()), al.size());
    unsigned char mac[64];
    unsigned mac_len = 0;
    REQUIRE(HMAC(EVP_sha512(), k.data(), 32, reinterpret_cast<const unsigned char*>(mac_input.data()), mac_input.size(),
                 mac, &mac_len) != nullptr);
    const auto token = header + ".." + crypto::base64url_encode(iv) + "." + crypto::base64url_encode(ct) + "." +
                       crypto::base64url_encode(std::span<const std::uint8_t>(mac, 32));
    std::string out;
    CHECK(decrypt_token(token, k, out) == error::malformed_token);
    CHECK(out.empty());
    // The same, with a ciphertext that is not whole blocks: refused before any MAC.
    CHECK(decrypt_token(with_part(token, 3, crypto::base64url_encode(std::string(15, 'c'))), k, out) ==
          error::malformed_token);
}

TEST_CASE("edge plaintexts and keys") {
    std::string out;
    for (auto enc : {content_encryption::a256cbc_hs512, content_encryption::a256gcm}) {
        INFO(jose::to_string(enc));
        const auto k = key64(7);
        const auto key = std::span<const std::uint8_t>(k).first(jose::key_size(enc));
        const auto& h = enc == content_encryption::a256cbc_hs512 ? cbc_header : gcm_header;
        // The empty plaintext included: under A256GCM it makes an empty
        // ciphertext part, which RFC 7516 and jose allow.
        for (const auto& plain :
             {std::string(), std::string(1, '\0'), std::string(16, 'p'), std::string(100 * 1024, 'q')}) {
            auto t = jose::encrypt(h, plain, enc, key);
            REQUIRE(t.has_value());
            REQUIRE_FALSE(decrypt_token(*t, key, out));
            CHECK(out == plain);
        }
        // A key of the wrong size cannot encrypt either.
        const auto other = std::span<const std::uint8_t>(k).first(enc == content_encryption::a256gcm ? 64 : 32);
        auto bad = jose::encrypt(h, "x", enc, other);
        REQUIRE_FALSE(bad.has_value());
        CHECK(bad.error() == error::unsupported_algorithm);
    }
}

TEST_CASE("split_compact checks sizes for the enc it is told") {
    const auto k = key64(8);
    const auto t = jose::encrypt(cbc_header, "{}", content_encryption::a256cbc_hs512, k).value();
    auto ok = jose::split_compact(t, content_encryption::a256cbc_hs512);
    REQUIRE(ok.has_value());
    CHECK(ok->iv_b64 == part(t, 2));
    CHECK(ok->ciphertext_b64 == part(t, 3));
    CHECK(ok->tag_b64 == part(t, 4));
    auto wrong = jose::split_compact(t, content_encryption::a256gcm);
    REQUIRE_FALSE(wrong.has_value());
    CHECK(wrong.error() == error::malformed_token);
    auto six = jose::split_compact(t + ".x", content_encryption::a256cbc_hs512);
    REQUIRE_FALSE(six.has_value());
    CHECK(six.error() == error::malformed_token);
}
