// crypto/sha.hpp: SHA-1/256/512 against the FIPS 180 examples, and the
// encodings the keys and challenges use.
#include <authpp/crypto/sha.hpp>

#include <catch2/catch.hpp>

#include <string>

using namespace authpp;

TEST_CASE("crypto::sha256 / sha512 / sha1 known answers (FIPS 180-4 examples)") {
    CHECK(crypto::sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(crypto::sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(crypto::sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
          "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    CHECK(crypto::hex(crypto::sha512("abc")) ==
          "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
          "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
    CHECK(crypto::sha1_hex("abc") == "a9993e364706816aba3e25717850c26c9cd0d89d");
}

TEST_CASE("crypto::sha256_base64url: the S256 PKCE challenge of RFC 7636 Appendix B") {
    CHECK(crypto::sha256_base64url("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk") ==
          "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
    CHECK(crypto::sha256_base64url("").size() == 43);
    const auto d = crypto::sha256("abc");
    CHECK(crypto::hex(d) == crypto::sha256_hex("abc"));
}
