// Writes the seed corpus of the fuzz targets: valid inputs made with the
// real codec and the targets' fixed secrets and keys (fuzz_common.hpp).
//   fuzz_make_seeds DIR   (DIR is tests/fuzz/corpus; files are overwritten)
#include "fuzz_common.hpp"

#include <authpp/codec/authjs_codec.hpp>
#include <authpp/constants.hpp>
#include <authpp/crypto/base64.hpp>
#include <authpp/crypto/hkdf.hpp>
#include <authpp/jose/jwe.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <span>
#include <string>

namespace fs = std::filesystem;

namespace {

fs::path root;

void put(const std::string& target, const std::string& name, std::string_view bytes) {
    fs::create_directories(root / target);
    std::ofstream(root / target / name, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

template <class R>
std::string must(R r) {
    if (!r) {
        std::cerr << "fuzz_make_seeds: " << r.error().message() << "\n";
        std::exit(1);
    }
    return std::move(*r);
}

std::string b64(std::string_view s) { return authpp::crypto::base64url_encode(s); }

std::string jwt(std::string_view payload_json) {
    return b64(R"({"alg":"RS256","typ":"JWT","kid":"k1"})") + "." + b64(payload_json) + "." + b64("not-a-signature");
}

} // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: fuzz_make_seeds CORPUS_DIR\n";
        return 2;
    }
    root = argv[1];
    using authpp::authjs_codec;
    using ce = authjs_codec::content_encryption;
    const auto now = authpp_fuzz::now, max_age = authpp_fuzz::max_age;

    // An Immutable-shaped session: an access token JWT, refresh token, zkEvm.
    const std::string access_token = jwt(
        R"({"iss":"https://auth.immutable.com/","sub":"email|64f0c0ffee","aud":["platform_api"],"iat":1799996400,)"
        R"("exp":1800082800,"scope":"openid profile email offline_access transact","azp":"client-id-123",)"
        R"("passport":{"zkevm_eth_address":"0x1234567890abcdef1234567890abcdef12345678",)"
        R"("zkevm_user_admin_address":"0xabcdefabcdefabcdefabcdefabcdefabcdefabcd"}})");
    const std::string claims_json =
        R"({"sub":"email|64f0c0ffee","email":"ada@example.com","nickname":"ada","accessToken":")" + access_token +
        R"(","refreshToken":"v1.MRrt-refresh-token-opaque","accessTokenExpires":1800082800000,)"
        R"("zkEvm":{"ethAddress":"0x1234567890abcdef1234567890abcdef12345678",)"
        R"("userAdminAddress":"0xabcdefabcdefabcdefabcdefabcdefabcdefabcd"},"name":"Ada","picture":null})";
    const auto claims = boost::json::parse(claims_json).as_object();

    // fuzz_base64url
    put("fuzz_base64url", "empty", "");
    put("fuzz_base64url", "header", b64(R"({"alg":"dir","enc":"A256CBC-HS512"})"));
    put("fuzz_base64url", "alphabet", "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");
    put("fuzz_base64url", "two-tail", "QUI");
    put("fuzz_base64url", "padded", "QUI=");

    // fuzz_cookie_header
    const authjs_codec codec({std::string(authpp_fuzz::secret_new), std::string(authpp_fuzz::secret_old)});
    const std::string token = must(codec.encode(claims, authpp::session_cookie_name, max_age, now));
    put("fuzz_cookie_header", "session",
        "_ga=GA1.1.123.456; authjs.csrf-token=abc%7Cdef; authjs.callback-url=http%3A%2F%2Flocalhost%3A3000; "
        "authjs.session-token=" + token);
    put("fuzz_cookie_header", "chunks-out-of-order",
        "__Secure-authjs.session-token.1=QUJD; theme=\"dark\"; __Secure-authjs.session-token.0=eyJh;"
        "__Secure-authjs.session-token.2=LWZvbw");
    put("fuzz_cookie_header", "duplicates-gap",
        "a=1;a=2; authjs.session-token.0=x;authjs.session-token.2=z; ; noeq; =v; authjs.session-token=y");

    // fuzz_jwe
    const auto& key = authpp_fuzz::jwe_key();
    const std::span<const std::uint8_t> k64(key), k32 = k64.first(32);
    put("fuzz_jwe", "cbc", must(authpp::jose::encrypt(R"({"alg":"dir","enc":"A256CBC-HS512"})", R"({"sub":"1"})",
                                                       ce::a256cbc_hs512, k64)));
    put("fuzz_jwe", "gcm-kid", must(authpp::jose::encrypt(R"({"alg":"dir","enc":"A256GCM","kid":"k"})",
                                                           "hello", ce::a256gcm, k32)));
    put("fuzz_jwe", "plaintext", R"({"sub":"x","n":[1,2.5,null]})");

    // fuzz_authjs_codec: '0'/'1' + token, '2'/'3' + claims JSON.
    put("fuzz_authjs_codec", "decode-cbc", "0" + token);
    put("fuzz_authjs_codec", "decode-secure-gcm",
        "1" + must(codec.encode(claims, authpp::secure_session_cookie_name, max_age, now, ce::a256gcm)));
    const authjs_codec old_only({std::string(authpp_fuzz::secret_old)});
    put("fuzz_authjs_codec", "decode-old-secret",
        "0" + must(old_only.encode(boost::json::parse(R"({"sub":"u","email":"é@例.jp"})").as_object(),
                                   authpp::session_cookie_name, max_age, now)));
    {   // A token without kid: the codec tries each secret.
        std::array<std::uint8_t, 64> k{};
        const std::string salt(authpp::session_cookie_name);
        if (authpp::crypto::hkdf_sha256(authpp_fuzz::secret_old, salt, "Auth.js Generated Encryption Key (" + salt + ")", k))
            return 1;
        put("fuzz_authjs_codec", "decode-no-kid",
            "0" + must(authpp::jose::encrypt(R"({"alg":"dir","enc":"A256CBC-HS512"})",
                                             R"({"sub":"n","iat":1800000000,"exp":1802592000,"jti":"j"})",
                                             ce::a256cbc_hs512, k)));
    }
    put("fuzz_authjs_codec", "roundtrip-cbc", "2" + claims_json);
    put("fuzz_authjs_codec", "roundtrip-gcm",
        R"(3{"sub":"ü","deep":{"a":[1,-2,3.25,true,false,null,{"b":"\u0000\ud83d\ude00"}]},"nbf":1799999990,"x":1e300})");

    // fuzz_jwt_claims
    put("fuzz_jwt_claims", "access-token", access_token);
    put("fuzz_jwt_claims", "id-token-padded", jwt(R"({"sub":"s","passport":{"zkevm_eth_address":"0x1"}})") + "==");
    put("fuzz_jwt_claims", "payload", R"({"exp":1800000000.5,"passport":{"zkevm_eth_address":"0x1","zkevm_user_admin_address":"0x2"}})");

    // fuzz_refresh_response: first byte = status index (0: 200, 6: 400, 11: 500, 0xff: transport error).
    put("fuzz_refresh_response", "ok",
        std::string(1, '\0') + R"({"access_token":")" + access_token +
            R"(","token_type":"Bearer","expires_in":86400,"refresh_token":"v1.new","id_token":")" +
            jwt(R"({"passport":{"zkevm_eth_address":"0x1","zkevm_user_admin_address":"0x2"}})") + R"(","scope":"openid"})");
    put("fuzz_refresh_response", "opaque-expires-in",
        std::string(1, '\x01') + R"({"access_token":"opaque","expires_in":3600.5})");
    put("fuzz_refresh_response", "invalid-grant",
        std::string(1, '\x06') + R"({"error":"invalid_grant","error_description":"Unknown or invalid refresh token."})");
    put("fuzz_refresh_response", "server-error", std::string(1, '\x0b') + "<html>502 Bad Gateway</html>");
    put("fuzz_refresh_response", "credentials",
        std::string(1, '\0') + R"({"accessToken":")" + access_token +
            R"(","refreshToken":"r","idToken":"i","accessTokenExpires":1800082800000,)"
            R"("profile":{"sub":"email|64f0c0ffee","email":"ada@example.com","nickname":"ada"},)"
            R"("zkEvm":{"ethAddress":"0x1","userAdminAddress":"0x2"}})");
    return 0;
}
