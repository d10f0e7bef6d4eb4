// bench/bench_refresh.cpp — one refresh-token exchange against a real OpenID
// provider on loopback (oidc-provider, rotation on), with the connection
// kept alive and reused, and with a new connection for every exchange; and a
// TLS GET on a loopback HTTPS server, reused and with a full handshake each
// time, to show what the pool saves when the provider is remote and on TLS.
//
// Needs AUTHPP_FIXTURE_DIR: a copy of tests/integration with node_modules
// (scripts/bench.sh prepares it). Each iteration redeems the refresh token
// the previous one returned, as a session would.
#include <authpp/blocking.hpp>

#include "../tests/support/child_process.hpp"

#include <benchmark/benchmark.h>

#include <boost/json/parse.hpp>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>

namespace {

std::string fixture_dir() {
    const char* d = std::getenv("AUTHPP_FIXTURE_DIR");
    if (!d) throw std::runtime_error("set AUTHPP_FIXTURE_DIR (scripts/bench.sh does)");
    return d;
}

std::int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

struct provider {
    authpp::test::child_process proc{{"node", fixture_dir() + "/provider.mjs"}, fixture_dir(), {{"ACCESS_TTL", "600"}}};
    std::string issuer;
    provider() {
        auto line = proc.read_line();
        if (!line.starts_with("READY ")) throw std::runtime_error("provider did not start: " + line);
        issuer = line.substr(6);
    }
    std::string refresh_token(const std::string& sub) {
        auto v = boost::json::parse(proc.command("login " + sub));
        return std::string(v.at("refresh_token").as_string());
    }
};

provider& the_provider() {
    static provider p;
    return p;
}

void refresh_loop(benchmark::State& state, bool reuse) {
    auto& p = the_provider();
    auto o = authpp::sandbox_options();
    o.client_id = "authpp-confidential";
    o.client_secret = "authpp-confidential-secret";
    o.token_endpoint = p.issuer + "/token";
    std::string rt = p.refresh_token(reuse ? "bench-reused" : "bench-fresh");
    authpp::blocking_transport t;
    for (auto _ : state) {
        if (!reuse) t.close_idle();
        auto r = authpp::oauth::refresh_access_token(t, o, rt, now_ms());
        if (!r.ok()) {
            state.SkipWithError(("refresh failed: " + r.error_text).c_str());
            break;
        }
        rt = r.tokens->refresh_token; // rotation: the next exchange redeems the new one
    }
    state.counters["pooled_after"] = static_cast<double>(t.idle_connections());
}

void BM_refresh_reused_connection(benchmark::State& s) { refresh_loop(s, true); }
void BM_refresh_new_connection(benchmark::State& s) { refresh_loop(s, false); }
BENCHMARK(BM_refresh_reused_connection)->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK(BM_refresh_new_connection)->Unit(benchmark::kMicrosecond)->UseRealTime();

struct tls_server {
    std::string dir = (std::filesystem::temp_directory_path() / ("authpp-bench-certs-" + std::to_string(getpid()))).string();
    std::unique_ptr<authpp::test::child_process> proc;
    std::string port;
    tls_server() {
        if (std::system(("bash '" + fixture_dir() + "/make_certs.sh' '" + dir + "'").c_str()) != 0)
            throw std::runtime_error("make_certs.sh failed");
        proc = std::make_unique<authpp::test::child_process>(std::vector<std::string>{
            "node", fixture_dir() + "/http_server.mjs", "--cert", dir + "/good.pem", "--key", dir + "/good.key"});
        port = proc->read_line().substr(6);
    }
    ~tls_server() {
        proc.reset();
        std::error_code ec;
        std::filesystem::remove_all(dir, ec);
    }
};

void tls_loop(benchmark::State& state, bool reuse) {
    static tls_server server;
    authpp::transport::transport_options to;
    to.ca_file = server.dir + "/ca.pem";
    authpp::blocking_transport t(to);
    authpp::http::request req;
    req.url = "https://127.0.0.1:" + server.port + "/json";
    for (auto _ : state) {
        if (!reuse) t.close_idle();
        authpp::error_code ec;
        auto r = t.send(req, ec);
        if (ec || r.status != 200) {
            state.SkipWithError(("TLS GET failed: " + ec.message()).c_str());
            break;
        }
    }
}

void BM_tls_get_reused_connection(benchmark::State& s) { tls_loop(s, true); }
void BM_tls_get_new_connection(benchmark::State& s) { tls_loop(s, false); }
BENCHMARK(BM_tls_get_reused_connection)->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK(BM_tls_get_new_connection)->Unit(benchmark::kMicrosecond)->UseRealTime();

} // namespace

BENCHMARK_MAIN();
