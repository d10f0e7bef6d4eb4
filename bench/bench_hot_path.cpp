// bench/bench_hot_path.cpp — the whole hot path for a fresh token, next to the
// decode alone, in one binary (DESIGN.md, "Targets for the hot path": under
// 2x the decode, no heap allocation the decode does not need).
//
// The request: a browser's Cookie header with 11 cookies (analytics, locale,
// theme, Auth.js's csrf and callback-url cookies and the ~1.9 KB session
// cookie of an Immutable Passport session whose access token is fresh), sent
// to a protected path of an https deployment. The config is the real public
// API, basic_auth_config<> with authjs_codec, a manual_clock (frozen, so the
// token stays fresh however long the run) and a transport that fails the
// benchmark if it is ever called.
//
//   BM_hot_path          config.resolve(cookie header) → session, then the
//                        middleware decision (protected path, session?); the
//                        ready-made config, so a repeated cookie is a hit of
//                        the decode cache
//   BM_hot_path_no_cache the same with options.decode_cache.enabled = false:
//                        every request decrypts and parses
//   BM_hot_path_middleware run_middleware() on the same request: the session
//                        straight from the cached token, then the decision
//   BM_cache_hit         the decode cache's part of a hit: find() of the
//                        token and the claim check on its exp / nbf / iat
//   BM_decode            authjs_codec::decode() of the same token: the ratio's
//                        denominator
//   BM_hot_cookie_lookup, BM_hot_decrypt, BM_hot_claims_to_token,
//   BM_hot_make_session, BM_hot_middleware: the pieces, to see where time goes
//
// Counters: allocs_per_iter (C++ heap) and ossl_allocs_per_iter (OpenSSL's).
// Environment: AUTHPP_BENCH_ALLOC_TRACE=1 prints, before the benchmarks, the
// size of every C++ allocation one warm request makes, and one decode.

#include <authpp/clock/manual_clock.hpp>
#include <authpp/codec/authjs_codec.hpp>
#include <authpp/config.hpp>
#include <authpp/cookie/chunking.hpp>
#include <authpp/match/prefix_matcher.hpp>
#include <authpp/middleware.hpp>
#include <authpp/store/memory_store.hpp>

#include <benchmark/benchmark.h>

#include "support/alloc_count.hpp"
#include "support/bench_main.hpp"
#include "support/codec_loops.hpp"
#include "support/immutable_token.hpp"

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse.hpp>

#include <openssl/crypto.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace {

using authpp_bench::alloc_probe;

// An HttpTransport that must never be used: the token is fresh, so the flow
// has no exchange to make. Copies share the call count.
struct unreachable_transport {
    std::shared_ptr<std::atomic<std::uint64_t>> calls = std::make_shared<std::atomic<std::uint64_t>>(0);

    authpp::http::response send(const authpp::http::request&, boost::system::error_code& ec) {
        calls->fetch_add(1);
        ec = make_error_code(boost::system::errc::network_unreachable);
        return {};
    }
};

using config = authpp::basic_auth_config<unreachable_transport, authpp::authjs_codec, authpp::manual_clock,
                                         authpp::memory_store, authpp::prefix_matcher>;

constexpr std::string_view request_path = "/dashboard/inventory";

authpp::auth_options bench_options() {
    auto o = authpp::sandbox_options();
    o.secrets = {std::string(authpp_bench::bench_secret)};
    o.base_url = "https://app.example.com"; // https: __Secure- / __Host- cookie names
    o.protected_paths = {"/dashboard", "/account", "/settings", "/api/private", "/checkout", "/inventory"};
    o.public_paths = {"/login", "/callback", "/api/auth"}; // ("/" would be a prefix of every path)
    return o;
}

// What a browser sends to app.example.com after signing in: 11 cookies.
std::string cookie_header(std::string_view session_cookie, std::string_view token) {
    const std::string csrf = "9f2c4e6a8b0d1f3e5a7c9b1d3f5e7a9c2b4d6f8e0a1c3e5b7d9f1a3c5e7b9d2f"
                             "%7C"
                             "3b5d7f9a1c3e5b7d9f1a3c5e7b9d2f4a6c8e0b2d4f6a8c1e3b5d7f9a2c4e6b8d";
    std::string h;
    h += "_ga=GA1.1.1843756912.1732435200; ";
    h += "_ga_7XK2M4PQ9R=GS1.1.1732435200.4.1.1732437012.0.0.0; ";
    h += "_gcl_au=1.1.907346125.1732435200; ";
    h += "ajs_anonymous_id=%2253c1f6e2-8d4b-4a7e-9f0c-2b5e6d7a8c91%22; ";
    h += "intercom-id-x7k2m9=1f3e5d7c-9b2a-4c6e-8f1d-3a5b7c9e2d4f; ";
    h += "NEXT_LOCALE=en; ";
    h += "theme=dark; ";
    h += "__Host-authjs.csrf-token=" + csrf + "; ";
    h += "__Secure-authjs.callback-url=https%3A%2F%2Fapp.example.com%2Fdashboard; ";
    h.append(session_cookie).append("=").append(token).append("; ");
    h += "_dd_s=rum=0&expire=1732437912000";
    return h;
}

struct hot_fixture {
    std::int64_t now_s = authpp_bench::unix_now();
    authpp::manual_clock clock{std::chrono::system_clock::time_point(std::chrono::seconds(now_s))};
    unreachable_transport transport;
    config cfg{bench_options(), transport, clock};
    config cfg_no_cache{[] {
                            auto o = bench_options();
                            o.decode_cache.enabled = false;
                            return o;
                        }(),
                        transport, clock};
    std::string_view cookie_name = cfg.options().session_cookie();
    boost::json::object claims;
    std::string token;
    std::string header;
    std::size_t cookies = 0;

    hot_fixture() {
        claims = authpp_bench::immutable_claims(now_s).claims;
        auto t = cfg.codec().encode(claims, cookie_name, cfg.options().session_max_age.count(), now_s);
        if (!t) throw std::runtime_error("encode: " + t.error().message());
        token = std::move(*t);
        header = cookie_header(cookie_name, token);
        for (char c : header) cookies += c == ';';
        ++cookies;

        // The request must take the fresh-token path: a session, no error,
        // no refresh, nothing to write back, the transport untouched.
        auto r = cfg.resolve(header);
        if (!r.session) throw std::runtime_error("no session: " + r.cookie_error.message());
        const auto& s = *r.session;
        if (s.error || r.refreshed || !r.set_cookies.empty() || transport.calls->load() != 0)
            throw std::runtime_error("the token did not take the fresh path");
        if (s.user.sub != claims.at("sub").as_string() || s.access_token != claims.at("accessToken").as_string() ||
            s.refresh_token != claims.at("refreshToken").as_string() || !s.zkevm ||
            s.zkevm->eth_address != claims.at("zkEvm").at("ethAddress").as_string() ||
            s.access_token_expires != claims.at("accessTokenExpires").as_int64())
            throw std::runtime_error("the session does not hold the cookie's claims");
        if (!cfg.protected_paths().matches(request_path)) throw std::runtime_error("the path is not protected");
    }
};

hot_fixture& fx() {
    static hot_fixture f;
    return f;
}

// ---------------------------------------------------------------------------
// The whole request, and the decode alone

// One request through `cfg`, then the middleware decision: a protected path
// lets a session through.
void hot_path_loop(benchmark::State& st, config& cfg) {
    auto& f = fx();
    alloc_probe probe;
    for (auto _ : st) {
        auto r = cfg.resolve(f.header);
        const bool allowed = !cfg.protected_paths().matches(request_path) || r.session.has_value();
        if (!allowed || !r.session) {
            st.SkipWithError("no session");
            break;
        }
        benchmark::DoNotOptimize(r);
    }
    probe.report(st);
    if (f.transport.calls->load() != 0) st.SkipWithError("the transport was called");
}

void BM_hot_path(benchmark::State& st) { hot_path_loop(st, fx().cfg); }
BENCHMARK(BM_hot_path);

void BM_hot_path_no_cache(benchmark::State& st) { hot_path_loop(st, fx().cfg_no_cache); }
BENCHMARK(BM_hot_path_no_cache);

// The middleware as a server runs it (run_middleware(): the path, the
// session, the decision): with a cache hit the session is built straight
// from the cached token (flow_options::want_token = false).
void BM_hot_path_middleware(benchmark::State& st) {
    auto& f = fx();
    authpp::http::server_request req;
    req.target = request_path;
    req.cookie = f.header;
    alloc_probe probe;
    for (auto _ : st) {
        auto m = authpp::run_middleware(f.cfg, req);
        if (!m.allowed || !m.session) {
            st.SkipWithError("not let through");
            break;
        }
        benchmark::DoNotOptimize(m);
    }
    probe.report(st);
    if (f.transport.calls->load() != 0) st.SkipWithError("the transport was called");
}
BENCHMARK(BM_hot_path_middleware);

void BM_cache_hit(benchmark::State& st) {
    auto& f = fx();
    auto* cache = f.cfg.decode_cache();
    const authpp::decode_key key{authpp::secrets_fingerprint(f.cfg.options().secrets), f.cookie_name, f.token};
    const std::int64_t now_ms = f.now_s * 1000;
    alloc_probe probe;
    for (auto _ : st) {
        auto hit = cache->find(key, now_ms);
        if (!hit || authpp::authjs_codec::check_claims(hit->times, f.now_s)) {
            st.SkipWithError("no hit");
            break;
        }
        benchmark::DoNotOptimize(hit);
    }
    probe.report(st);
}
BENCHMARK(BM_cache_hit);

void BM_decode(benchmark::State& st) {
    auto& f = fx();
    authpp_bench::decode_loop(st, f.cfg.codec(), f.token, f.cookie_name, f.now_s);
}
BENCHMARK(BM_decode);

// ---------------------------------------------------------------------------
// Pieces (each as session_flow does it)

void BM_hot_cookie_lookup(benchmark::State& st) {
    auto& f = fx();
    std::string token;
    token.reserve(f.token.size());
    alloc_probe probe;
    for (auto _ : st) {
        if (authpp::cookie::read_session_cookie(f.header, f.cookie_name, token)) {
            st.SkipWithError("lookup");
            break;
        }
        benchmark::DoNotOptimize(token.data());
        benchmark::ClobberMemory();
    }
    probe.report(st);
}
BENCHMARK(BM_hot_cookie_lookup);

void BM_hot_decrypt(benchmark::State& st) {
    auto& f = fx();
    authpp_bench::decrypt_loop(st, f.cfg.codec(), f.token, f.cookie_name);
}
BENCHMARK(BM_hot_decrypt);

// Plaintext → session_token: parse into a stack arena, check exp/nbf, copy the
// claims out (session_flow::decode after the decrypt).
void BM_hot_claims_to_token(benchmark::State& st) {
    auto& f = fx();
    std::string json;
    if (f.cfg.codec().decrypt(f.token, f.cookie_name, json)) throw std::runtime_error("decrypt");
    alloc_probe probe;
    for (auto _ : st) {
        unsigned char arena[8192];
        boost::json::monotonic_resource mr(arena, sizeof arena);
        boost::system::error_code ec;
        auto v = boost::json::parse(json, ec, &mr);
        if (ec || !v.is_object() || authpp::authjs_codec::check_claims(v.get_object(), f.now_s)) {
            st.SkipWithError("claims");
            break;
        }
        auto t = authpp::token_from_claims(v.get_object(), boost::json::storage_ptr());
        benchmark::DoNotOptimize(t);
    }
    probe.report(st);
}
BENCHMARK(BM_hot_claims_to_token);

// session_token → session (the session callback), with its ISO 8601 expiry.
void BM_hot_make_session(benchmark::State& st) {
    auto& f = fx();
    const auto token = authpp::token_from_claims(f.claims);
    const std::int64_t expires_ms = f.now_s * 1000 + f.cfg.options().session_max_age.count() * 1000;
    alloc_probe probe;
    for (auto _ : st) {
        auto s = authpp::core::make_session(token, expires_ms);
        benchmark::DoNotOptimize(s);
    }
    probe.report(st);
}
BENCHMARK(BM_hot_make_session);

void BM_hot_middleware(benchmark::State& st) {
    auto& f = fx();
    std::string_view path = request_path;
    for (auto _ : st) {
        benchmark::DoNotOptimize(path);
        bool m = f.cfg.protected_paths().matches(path);
        benchmark::DoNotOptimize(m);
    }
}
BENCHMARK(BM_hot_middleware);

// ---------------------------------------------------------------------------

void print_trace(const char* what, const std::vector<std::size_t>& sizes) {
    std::size_t total = 0;
    for (auto n : sizes) total += n;
    std::fprintf(stderr, "%s: %zu allocations, %zu bytes:", what, sizes.size(), total);
    for (auto n : sizes) std::fprintf(stderr, " %zu", n);
    std::fprintf(stderr, "\n");
}

void alloc_trace() {
    auto& f = fx();
    std::vector<std::size_t> sizes;
    sizes.reserve(4096);
    (void)f.cfg.resolve(f.header); // warm: per-thread buffers and contexts
    authpp_bench::start_trace(sizes);
    {
        auto r = f.cfg.resolve(f.header);
        benchmark::DoNotOptimize(r);
    }
    authpp_bench::stop_trace();
    print_trace("alloc trace, one request (resolve)", sizes);
    sizes.clear();
    authpp_bench::start_trace(sizes);
    {
        auto r = f.cfg.codec().decode(f.token, f.cookie_name, f.now_s);
        benchmark::DoNotOptimize(r);
    }
    authpp_bench::stop_trace();
    print_trace("alloc trace, one decode", sizes);
}

} // namespace

int main(int argc, char** argv) {
    return authpp_bench::bench_main(argc, argv, "bench_hot_path", [] {
        auto& f = fx();
        benchmark::AddCustomContext("cookie_header_bytes", std::to_string(f.header.size()));
        benchmark::AddCustomContext("cookies_in_header", std::to_string(f.cookies));
        benchmark::AddCustomContext("token_bytes", std::to_string(f.token.size()));
        benchmark::AddCustomContext("session_cookie", std::string(f.cookie_name));
        if (const char* t = std::getenv("AUTHPP_BENCH_ALLOC_TRACE"); t && *t && *t != '0') alloc_trace();
    });
}
