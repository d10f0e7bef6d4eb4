// bench/bench_decode.cpp — decode of a realistic Auth.js session cookie against
// its floors, all on one token in one binary (DESIGN.md, "Targets for the hot
// path"). Run through scripts/bench.sh, which prints the ratios.
//
//   BM_authpp_decode    codec.decode(): parse, HMAC, AES-CBC, JSON parse, claims
//   BM_authpp_decrypt   codec.decrypt() into a reused string: no JSON
//   BM_floor_raw        the same steps written straight against EVP and
//                       Boost.JSON with reused contexts and a stack arena
//   BM_floor_crypto     SHA-512 over AAD‖IV‖CT‖AL + AES-256-CBC decrypt: the
//                       physical floor
//   BM_floor_sha512, BM_floor_aes_cbc, BM_hmac_sha512, BM_base64url_decode_ct,
//   BM_json_parse_payload*, BM_check_claims: the pieces, to see where time goes
//
// Heap allocations are counted by replacing global operator new (C++ side) and
// OpenSSL's allocator (CRYPTO_set_mem_functions), support/alloc_count.cpp:
// counters allocs_per_iter and ossl_allocs_per_iter.
//
// Environment: AUTHPP_BENCH_TOKEN_OUT=<file> writes the token, its salt and
// the bench secret there as one line of JSON (for the Node comparison,
// bench/node/decode_bench.mjs).

#include <authpp/codec/authjs_codec.hpp>
#include <authpp/constants.hpp>
#include <authpp/crypto/base64.hpp>
#include <authpp/crypto/detail/openssl.hpp>
#include <authpp/crypto/hkdf.hpp>
#include <authpp/jose/jwe.hpp>

#include <benchmark/benchmark.h>

#include "support/alloc_count.hpp"
#include "support/bench_main.hpp"
#include "support/codec_loops.hpp"
#include "support/immutable_token.hpp"

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/opensslv.h>

#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace {

using authpp_bench::alloc_probe;
using authpp_bench::unix_now;

constexpr std::string_view salt = authpp::session_cookie_name;

struct fixture {
    authpp::authjs_codec codec{{std::string(authpp_bench::bench_secret)}};
    std::string token;
    std::string sub;
    std::size_t access_token_size = 0;

    // The token's parts, and the same bytes decoded, for the floors.
    std::string_view aad, iv_b64, ct_b64, tag_b64;
    std::array<std::uint8_t, 16> iv{};
    std::array<std::uint8_t, 32> tag{};
    std::vector<std::uint8_t> ct;
    std::array<std::uint8_t, 8> al{};
    std::string plaintext;
    std::array<std::uint8_t, 64> key{};

    fixture() {
        const std::int64_t now = unix_now();
        auto session = authpp_bench::immutable_claims(now);
        const auto& claims = session.claims;
        sub = std::string(claims.at("sub").as_string());
        access_token_size = session.access_token_bytes;

        auto t = codec.encode(claims, salt, authpp::authjs_default_max_age, now);
        if (!t) throw std::runtime_error("encode: " + t.error().message());
        token = std::move(*t);

        std::string_view parts[5];
        std::string_view rest = token;
        for (int i = 0; i < 4; ++i) {
            const auto dot = rest.find('.');
            parts[i] = rest.substr(0, dot);
            rest.remove_prefix(dot + 1);
        }
        parts[4] = rest;
        aad = parts[0];
        iv_b64 = parts[2];
        ct_b64 = parts[3];
        tag_b64 = parts[4];
        ct.resize(authpp::crypto::base64url_decoded_size(ct_b64.size()));
        if (!authpp::crypto::base64url_decode(iv_b64, iv.data()) || !authpp::crypto::base64url_decode(tag_b64, tag.data()) ||
            !authpp::crypto::base64url_decode(ct_b64, ct.data()))
            throw std::runtime_error("token parts do not decode");
        al = authpp::crypto::detail::aad_length_block(aad.size());

        const std::string info = "Auth.js Generated Encryption Key (" + std::string(salt) + ")";
        if (authpp::crypto::hkdf_sha256(authpp_bench::bench_secret, salt, info, key)) throw std::runtime_error("hkdf");
        if (auto ec = codec.decrypt(token, salt, plaintext)) throw std::runtime_error("decrypt: " + ec.message());

        // What every benchmark below works on must round-trip: decode gives
        // back the claims, the floors' key opens the same bytes.
        auto back = codec.decode(token, salt, now);
        if (!back) throw std::runtime_error("decode: " + back.error().message());
        for (const auto& kv : claims)
            if (!back->contains(kv.key()) || back->at(kv.key()) != kv.value())
                throw std::runtime_error("decode lost the claim " + std::string(kv.key()));
    }
};

fixture& fx() {
    static fixture f;
    return f;
}

// Contexts for the floors, keyed once as the library keys its per-thread ones.
struct floor_contexts {
    authpp::crypto::detail::mac_ctx_ptr mac{EVP_MAC_CTX_new(authpp::crypto::detail::hmac())};
    authpp::crypto::detail::cipher_ctx_ptr dec{EVP_CIPHER_CTX_new()};
    authpp::crypto::detail::md_ctx_ptr md{EVP_MD_CTX_new()};
    const EVP_MD* sha512 = authpp::crypto::detail::sha512();

    explicit floor_contexts(std::span<const std::uint8_t, 64> key) {
        char digest[] = "SHA512";
        OSSL_PARAM p[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                          OSSL_PARAM_construct_end()};
        if (!mac || !dec || !md || EVP_MAC_init(mac.get(), key.data(), 32, p) != 1 ||
            EVP_DecryptInit_ex2(dec.get(), authpp::crypto::detail::aes_256_cbc(), key.data() + 32, nullptr, nullptr) != 1)
            throw std::runtime_error("floor contexts");
    }

    // HMAC-SHA512 (re-initialised with its stored key) → first 32 bytes.
    bool hmac(std::string_view aad, const std::uint8_t* iv, std::span<const std::uint8_t> ct,
              const std::array<std::uint8_t, 8>& al, std::uint8_t (&out)[64]) {
        std::size_t n = 0;
        return EVP_MAC_init(mac.get(), nullptr, 0, nullptr) == 1 &&
               EVP_MAC_update(mac.get(), reinterpret_cast<const unsigned char*>(aad.data()), aad.size()) == 1 &&
               EVP_MAC_update(mac.get(), iv, 16) == 1 && EVP_MAC_update(mac.get(), ct.data(), ct.size()) == 1 &&
               EVP_MAC_update(mac.get(), al.data(), al.size()) == 1 &&
               EVP_MAC_final(mac.get(), out, &n, sizeof out) == 1 && n == 64;
    }

    bool sha(std::string_view aad, const std::uint8_t* iv, std::span<const std::uint8_t> ct,
             const std::array<std::uint8_t, 8>& al, std::uint8_t (&out)[64]) {
        unsigned n = 0;
        return EVP_DigestInit_ex2(md.get(), sha512, nullptr) == 1 &&
               EVP_DigestUpdate(md.get(), aad.data(), aad.size()) == 1 && EVP_DigestUpdate(md.get(), iv, 16) == 1 &&
               EVP_DigestUpdate(md.get(), ct.data(), ct.size()) == 1 &&
               EVP_DigestUpdate(md.get(), al.data(), al.size()) == 1 && EVP_DigestFinal_ex(md.get(), out, &n) == 1;
    }

    // AES-256-CBC with PKCS#7 padding check; returns the plaintext length or -1.
    int aes(const std::uint8_t* iv, std::span<const std::uint8_t> ct, std::uint8_t* out) {
        int n1 = 0, n2 = 0;
        if (EVP_DecryptInit_ex2(dec.get(), nullptr, nullptr, iv, nullptr) != 1 ||
            EVP_DecryptUpdate(dec.get(), out, &n1, ct.data(), static_cast<int>(ct.size())) != 1 ||
            EVP_DecryptFinal_ex(dec.get(), out + n1, &n2) != 1)
            return -1;
        return n1 + n2;
    }
};

// ---------------------------------------------------------------------------
// The library

void BM_authpp_decode(benchmark::State& st) {
    auto& f = fx();
    authpp_bench::decode_loop(st, f.codec, f.token, salt, unix_now());
}
BENCHMARK(BM_authpp_decode);

void BM_authpp_decrypt(benchmark::State& st) {
    auto& f = fx();
    authpp_bench::decrypt_loop(st, f.codec, f.token, salt);
}
BENCHMARK(BM_authpp_decrypt);

// ---------------------------------------------------------------------------
// Floors

// (a) The raw floor: every step decode takes, written straight against EVP and
// Boost.JSON with everything reusable reused.
void BM_floor_raw(benchmark::State& st) {
    auto& f = fx();
    floor_contexts c(f.key);
    std::vector<std::uint8_t> hdr(authpp::jose::max_protected_header);
    std::vector<std::uint8_t> ct(f.ct.size() + 64);
    std::vector<std::uint8_t> pt(f.ct.size() + 64);
    // Boost 1.81: a monotonic_resource reused through release() grows its next
    // block without bound, so a fresh one is built over this buffer each time.
    alignas(16) static unsigned char arena[32 * 1024];
    alloc_probe probe;
    for (auto _ : st) {
        const std::string_view tok = f.token;
        const auto d0 = tok.find('.'), d1 = tok.find('.', d0 + 1), d2 = tok.find('.', d1 + 1),
                   d3 = tok.find('.', d2 + 1);
        const auto aad = tok.substr(0, d0);
        const auto iv_b64 = tok.substr(d1 + 1, d2 - d1 - 1);
        const auto ct_b64 = tok.substr(d2 + 1, d3 - d2 - 1);
        const auto tag_b64 = tok.substr(d3 + 1);
        std::uint8_t iv[16], tag[32], full[64];
        const auto hn = authpp::crypto::base64url_decode(aad, hdr.data());
        const auto ivn = authpp::crypto::base64url_decode(iv_b64, iv);
        const auto tn = authpp::crypto::base64url_decode(tag_b64, tag);
        const auto cn = authpp::crypto::base64url_decode(ct_b64, ct.data());
        if (!hn || !ivn || !tn || !cn) {
            st.SkipWithError("base64url");
            break;
        }
        const std::span<const std::uint8_t> cts(ct.data(), *cn);
        const auto al = authpp::crypto::detail::aad_length_block(aad.size());
        if (!c.hmac(aad, iv, cts, al, full) || CRYPTO_memcmp(full, tag, 32) != 0) {
            st.SkipWithError("tag");
            break;
        }
        const int n = c.aes(iv, cts, pt.data());
        if (n < 0) {
            st.SkipWithError("aes");
            break;
        }
        boost::json::monotonic_resource mr(arena, sizeof arena);
        boost::system::error_code ec;
        auto v = boost::json::parse(std::string_view(reinterpret_cast<const char*>(pt.data()), static_cast<std::size_t>(n)),
                                    ec, &mr);
        if (ec) {
            st.SkipWithError("json");
            break;
        }
        benchmark::DoNotOptimize(v);
    }
    probe.report(st);
}
BENCHMARK(BM_floor_raw);

// (b) The physical floor: SHA-512 over the bytes the HMAC covers plus the
// AES-256-CBC decrypt, nothing else.
void BM_floor_crypto(benchmark::State& st) {
    auto& f = fx();
    floor_contexts c(f.key);
    std::vector<std::uint8_t> pt(f.ct.size() + 64);
    std::uint8_t digest[64];
    for (auto _ : st) {
        if (!c.sha(f.aad, f.iv.data(), f.ct, f.al, digest) || c.aes(f.iv.data(), f.ct, pt.data()) < 0) {
            st.SkipWithError("crypto");
            break;
        }
        benchmark::DoNotOptimize(digest);
        benchmark::DoNotOptimize(pt.data());
        benchmark::ClobberMemory();
    }
}
BENCHMARK(BM_floor_crypto);

void BM_floor_sha512(benchmark::State& st) {
    auto& f = fx();
    floor_contexts c(f.key);
    std::uint8_t digest[64];
    for (auto _ : st) {
        if (!c.sha(f.aad, f.iv.data(), f.ct, f.al, digest)) {
            st.SkipWithError("sha512");
            break;
        }
        benchmark::DoNotOptimize(digest);
        benchmark::ClobberMemory();
    }
    st.SetBytesProcessed(static_cast<std::int64_t>(st.iterations()) *
                         static_cast<std::int64_t>(f.aad.size() + 16 + f.ct.size() + 8));
}
BENCHMARK(BM_floor_sha512);

void BM_floor_aes_cbc(benchmark::State& st) {
    auto& f = fx();
    floor_contexts c(f.key);
    std::vector<std::uint8_t> pt(f.ct.size() + 64);
    for (auto _ : st) {
        if (c.aes(f.iv.data(), f.ct, pt.data()) < 0) {
            st.SkipWithError("aes");
            break;
        }
        benchmark::DoNotOptimize(pt.data());
        benchmark::ClobberMemory();
    }
    st.SetBytesProcessed(static_cast<std::int64_t>(st.iterations()) * static_cast<std::int64_t>(f.ct.size()));
}
BENCHMARK(BM_floor_aes_cbc);

// ---------------------------------------------------------------------------
// Pieces

// The keyed HMAC the library computes (vs BM_floor_sha512: the HMAC overhead).
void BM_hmac_sha512(benchmark::State& st) {
    auto& f = fx();
    floor_contexts c(f.key);
    std::uint8_t out[64];
    for (auto _ : st) {
        if (!c.hmac(f.aad, f.iv.data(), f.ct, f.al, out)) {
            st.SkipWithError("hmac");
            break;
        }
        benchmark::DoNotOptimize(out);
        benchmark::ClobberMemory();
    }
}
BENCHMARK(BM_hmac_sha512);

void BM_base64url_decode_ct(benchmark::State& st) {
    auto& f = fx();
    std::vector<std::uint8_t> out(f.ct.size() + 64);
    for (auto _ : st) {
        auto n = authpp::crypto::base64url_decode(f.ct_b64, out.data());
        benchmark::DoNotOptimize(n);
        benchmark::DoNotOptimize(out.data());
        benchmark::ClobberMemory();
    }
    st.SetBytesProcessed(static_cast<std::int64_t>(st.iterations()) * static_cast<std::int64_t>(f.ct_b64.size()));
}
BENCHMARK(BM_base64url_decode_ct);

// What decode() does after decrypting: parse with the default allocator.
void BM_json_parse_payload(benchmark::State& st) {
    auto& f = fx();
    alloc_probe probe;
    for (auto _ : st) {
        boost::system::error_code ec;
        auto v = boost::json::parse(f.plaintext, ec);
        benchmark::DoNotOptimize(v);
    }
    probe.report(st);
}
BENCHMARK(BM_json_parse_payload);

// The same parse into a fresh monotonic_resource over a reused buffer.
void BM_json_parse_payload_arena(benchmark::State& st) {
    auto& f = fx();
    alignas(16) static unsigned char arena[32 * 1024];
    for (auto _ : st) {
        boost::json::monotonic_resource mr(arena, sizeof arena);
        boost::system::error_code ec;
        auto v = boost::json::parse(f.plaintext, ec, &mr);
        benchmark::DoNotOptimize(v);
    }
}
BENCHMARK(BM_json_parse_payload_arena);

void BM_check_claims(benchmark::State& st) {
    auto& f = fx();
    const auto obj = boost::json::parse(f.plaintext).as_object();
    const std::int64_t now = unix_now();
    for (auto _ : st) {
        auto ec = authpp::authjs_codec::check_claims(obj, now);
        benchmark::DoNotOptimize(ec);
    }
}
BENCHMARK(BM_check_claims);

// The floors must do the real work: the HMAC gives the token's tag and the
// AES decrypt gives the plaintext decode() parses.
void check_floors() {
    auto& f = fx();
    floor_contexts c(f.key);
    std::uint8_t full[64];
    if (!c.hmac(f.aad, f.iv.data(), f.ct, f.al, full) || std::memcmp(full, f.tag.data(), 32) != 0)
        throw std::runtime_error("floor HMAC does not reproduce the tag");
    std::vector<std::uint8_t> pt(f.ct.size() + 64);
    const int n = c.aes(f.iv.data(), f.ct, pt.data());
    if (n < 0 || std::string_view(reinterpret_cast<const char*>(pt.data()), static_cast<std::size_t>(n)) != f.plaintext)
        throw std::runtime_error("floor AES does not reproduce the plaintext");
    if (!c.sha(f.aad, f.iv.data(), f.ct, f.al, full)) throw std::runtime_error("floor SHA-512");
}

} // namespace

int main(int argc, char** argv) {
    return authpp_bench::bench_main(argc, argv, "bench_decode", [] {
        check_floors();
        auto& f = fx();
        benchmark::AddCustomContext("token_bytes", std::to_string(f.token.size()));
        benchmark::AddCustomContext("ciphertext_bytes", std::to_string(f.ct.size()));
        benchmark::AddCustomContext("plaintext_bytes", std::to_string(f.plaintext.size()));
        benchmark::AddCustomContext("access_token_bytes", std::to_string(f.access_token_size));
        benchmark::AddCustomContext("openssl", OPENSSL_VERSION_TEXT);
#ifdef AUTHPP_BASE64URL_AVX2
        benchmark::AddCustomContext("base64url_avx2", authpp::crypto::detail::cpu_has_avx2() ? "yes" : "no (scalar)");
#else
        benchmark::AddCustomContext("base64url_avx2", "not compiled");
#endif
        if (const char* out = std::getenv("AUTHPP_BENCH_TOKEN_OUT"); out && *out)
            if (!authpp_bench::write_token_file(out, f.token, salt, f.sub))
                throw std::runtime_error(std::string("cannot write the token to ") + out);
    });
}
