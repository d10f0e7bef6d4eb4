// bench/support/immutable_token.hpp — the claims of a realistic Immutable
// Passport session, as @imtbl/auth-next-server's jwt callback stores them:
// sub, email, nickname, an RS256 access token of about 830 bytes, a refresh
// token, accessTokenExpires (ms) and zkEvm {ethAddress, userAdminAddress}.
// Encrypted by authjs_codec (which adds iat, exp, jti) this is a ~1.9 KB JWE.
// Deterministic apart from the times and the codec's random IV and jti.
#pragma once

#include <authpp/crypto/base64.hpp>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace authpp_bench {

/// The benchmarks' AUTH_SECRET (a benchmark fixture, not a real secret).
inline constexpr std::string_view bench_secret = "authpp-bench-secret-0123456789abcdef0123456789abcdef";

inline std::int64_t unix_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

/// Deterministic filler bytes (xorshift64*).
inline std::vector<std::uint8_t> filler(std::size_t n, std::uint64_t seed) {
    std::vector<std::uint8_t> out(n);
    std::uint64_t x = seed;
    for (auto& b : out) {
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        b = static_cast<std::uint8_t>((x * 0x2545F4914F6CDD1DULL) >> 56);
    }
    return out;
}

inline std::string hex_address(std::uint64_t seed) {
    static constexpr char hex[] = "0123456789abcdef";
    std::string s = "0x";
    for (auto b : filler(20, seed)) {
        s += hex[b >> 4];
        s += hex[b & 15];
    }
    return s;
}

/// An RS256 access token shaped like the ones Immutable Passport (Auth0)
/// issues: header.payload.signature with a 2048-bit (256-byte) signature.
inline std::string access_token(std::int64_t now, const std::string& sub, const std::string& eth) {
    const std::string_view header = R"({"alg":"RS256","typ":"JWT","kid":"3aaYytdwwe032s1r3TIr9"})";
    boost::json::object p;
    p["passport"] = boost::json::object{{"zkevm_eth_address", eth}};
    p["iss"] = "https://auth.immutable.com/";
    p["sub"] = sub;
    p["aud"] = boost::json::array{"platform_api"};
    p["iat"] = now;
    p["exp"] = now + 900;
    p["scope"] = "openid profile email offline_access transact";
    p["azp"] = "mjtCL8mt06BtbxSkp2vbrYStKWnXVZfo";
    const auto sig = filler(256, 0x5157);
    return authpp::crypto::base64url_encode(header) + "." + authpp::crypto::base64url_encode(boost::json::serialize(p)) +
           "." + authpp::crypto::base64url_encode(sig);
}

struct immutable_session {
    boost::json::object claims;
    std::size_t access_token_bytes = 0;
};

/// The session claims at `now` (Unix seconds); the access token is good for
/// 15 minutes from then.
inline immutable_session immutable_claims(std::int64_t now) {
    const std::string sub = "email|6560b5a3c7e2f1a9d4b83c01";
    const std::string eth = hex_address(1);
    immutable_session s;
    const std::string at = access_token(now, sub, eth);
    s.access_token_bytes = at.size();
    s.claims["sub"] = sub;
    s.claims["email"] = "jane.doe@example.com";
    s.claims["nickname"] = "jane.doe";
    s.claims["accessToken"] = at;
    s.claims["refreshToken"] = "v1.Mb3xQ9vJ2kLr8TzP4nWc6HdY0sFgA7eUoRiBpXlNq5KtZ1jCmVhGwE-3yD";
    s.claims["accessTokenExpires"] = (now + 900) * 1000;
    s.claims["zkEvm"] = boost::json::object{{"ethAddress", eth}, {"userAdminAddress", hex_address(2)}};
    return s;
}

/// Writes {"token","salt","secret","sub"} as one line of JSON, for the Node
/// comparison (bench/node/decode_bench.mjs). False on an I/O error.
inline bool write_token_file(const char* path, std::string_view token, std::string_view salt, std::string_view sub) {
    boost::json::object o;
    o["token"] = token;
    o["salt"] = salt;
    o["secret"] = bench_secret;
    o["sub"] = sub;
    const std::string text = boost::json::serialize(o) + "\n";
    std::FILE* fp = std::fopen(path, "wb");
    if (!fp) return false;
    const bool ok = std::fwrite(text.data(), 1, text.size(), fp) == text.size();
    return std::fclose(fp) == 0 && ok;
}

} // namespace authpp_bench
