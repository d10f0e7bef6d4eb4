#!/usr/bin/env bash
# scripts/bench.sh BUILD_DIR — build the benchmarks (Release, -O2), run them,
# time @auth/core's decode in Node on the same token, and print the figures
# DESIGN.md ("Targets for the hot path") asks for: medians and the ratios to
# the floors, to Node, and of the whole hot path to the decode alone.
#
# Needs cmake, a C++20 compiler, libbenchmark-dev, OpenSSL 3, Boost 1.81,
# python3, and node + npm for the Node comparison (skipped, with a note, when
# they are missing or `npm ci` fails). `scripts/run bench` installs them.
# Environment: JOBS (default: nproc), AUTHPP_BENCH_REPETITIONS (default 10),
#              AUTHPP_BENCH_ARGS (more Google Benchmark flags for both binaries).
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: scripts/bench.sh BUILD_DIR" >&2; exit 2; }
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
mkdir -p "$1"
build=$(cd "$1" && pwd)
jobs=${JOBS:-$(nproc)}
reps=${AUTHPP_BENCH_REPETITIONS:-10}
read -r -a extra_args <<<"${AUTHPP_BENCH_ARGS:-}"

say() { printf '\n== %s\n' "$*"; }
run() { printf '$ %s\n' "$*"; "$@"; }

say "configure and build (Release, -O2) in $build"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS_RELEASE="-O2 -DNDEBUG" \
    -DAUTHPP_BUILD_BENCH=ON -DAUTHPP_BUILD_TESTS=OFF -DAUTHPP_BUILD_EXAMPLES=OFF -DAUTHPP_BUILD_FUZZ=OFF \
    -DAUTHPP_SANITIZE=OFF >/dev/null
cmake --build "$build" -j "$jobs" --target authpp_bench_decode authpp_bench_hot_path authpp_bench_refresh >/dev/null

bench_flags=(--benchmark_repetitions="$reps" --benchmark_report_aggregates_only=true
             --benchmark_out_format=json "${extra_args[@]}")

say "decode against its floors"
rm -f "$build/bench_token.json" "$build/bench_decode.json" "$build/bench_hot_path.json" "$build/bench_node.json" \
    "$build/bench_refresh.json"
(cd "$build" && AUTHPP_BENCH_TOKEN_OUT=bench_token.json \
    run bench/authpp_bench_decode "${bench_flags[@]}" --benchmark_out=bench_decode.json)

say "the whole hot path for a fresh token, next to the decode alone"
(cd "$build" && AUTHPP_BENCH_ALLOC_TRACE=1 \
    run bench/authpp_bench_hot_path "${bench_flags[@]}" --benchmark_out=bench_hot_path.json)

say "@auth/core decode in Node on the same token"
node_dir=$build/node
if command -v node >/dev/null && command -v npm >/dev/null; then
    mkdir -p "$node_dir"
    cp "$root"/bench/node/package.json "$root"/bench/node/package-lock.json "$root"/bench/node/decode_bench.mjs \
        "$node_dir"/
    # npm ci again whenever the lock file differs from the one installed.
    if ! cmp -s "$node_dir/package-lock.json" "$node_dir/node_modules/.authpp-installed-lock"; then
        if (cd "$node_dir" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null); then
            cp "$node_dir/package-lock.json" "$node_dir/node_modules/.authpp-installed-lock"
        else
            echo "npm ci failed in $node_dir: no Node comparison" >&2
        fi
    fi
    if [ -f "$node_dir/node_modules/.authpp-installed-lock" ]; then
        printf '$ node decode_bench.mjs %s\n' "$build/bench_token.json"
        (cd "$node_dir" && node decode_bench.mjs "$build/bench_token.json" | tee "$build/bench_node.json") ||
            { echo "the Node benchmark failed: no Node comparison" >&2; rm -f "$build/bench_node.json"; }
    fi
else
    echo "node or npm not found: no Node comparison" >&2
fi

say "refresh round trip against a real OpenID provider, with and without connection reuse"
fixture_dir=$build/integration
if command -v node >/dev/null && command -v npm >/dev/null && command -v openssl >/dev/null; then
    mkdir -p "$fixture_dir"
    for f in package.json package-lock.json provider.mjs http_server.mjs make_certs.sh; do
        cp "$root/tests/integration/$f" "$fixture_dir/"
    done
    cmake -DDIR="$fixture_dir" -DNPM="$(command -v npm)" -P "$root/tests/integration/npm_ci.cmake"
    (cd "$build" && AUTHPP_FIXTURE_DIR=$fixture_dir \
        run bench/authpp_bench_refresh --benchmark_repetitions=5 --benchmark_report_aggregates_only=true \
            --benchmark_out_format=json --benchmark_out=bench_refresh.json "${extra_args[@]}") ||
        { echo "the refresh benchmark failed" >&2; rm -f "$build/bench_refresh.json"; }
else
    echo "node, npm or openssl not found: no refresh benchmark" >&2
fi

say "summary"
python3 - "$build" "$reps" <<'EOF'
import json, os, sys

build, reps = sys.argv[1], sys.argv[2]
scale = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}

loads = {}

def medians(path):
    with open(path) as f:
        doc = json.load(f)
    loads[os.path.basename(path)] = doc["context"].get("load_avg", [])
    out = {}
    for b in doc["benchmarks"]:
        if b.get("run_type") == "aggregate" and b.get("aggregate_name") == "median":
            if b.get("error_occurred"):
                sys.exit(f"{b['run_name']}: {b.get('error_message')}")
            k = scale[b.get("time_unit", "ns")]
            out[b["run_name"]] = {"cpu": b["cpu_time"] * k, "real": b["real_time"] * k,
                                  "allocs": b.get("allocs_per_iter"), "ossl": b.get("ossl_allocs_per_iter")}
    return out

dec = medians(os.path.join(build, "bench_decode.json"))
hot = medians(os.path.join(build, "bench_hot_path.json"))
node_path = os.path.join(build, "bench_node.json")
node = json.load(open(node_path)) if os.path.exists(node_path) else None

def t(ns):
    return f"{ns / 1000:8.3f} µs" if ns >= 1000 else f"{ns:8.1f} ns"

def allocs(m):
    if m["allocs"] is None:
        return ""
    s = f"{m['allocs']:g} allocs"
    if m["ossl"] is not None and m["ossl"] >= 0:
        s += f" + {m['ossl']:g} OpenSSL"
    return s

def verdict(ok):
    return "met" if ok else "MISSED"

def row(label, m):
    print(f"  {label:<44} {t(m['cpu'])} cpu {t(m['real'])} real   {allocs(m)}")

print(f"Medians of {reps} repetitions. C++ ratios use CPU time (both sides in one binary; this machine is")
print("shared, so wall-clock carries other processes' load); Node is compared on wall-clock, as it is timed,")
print("with the CPU-time ratio beside it. Load average (1/5/15 min) when each binary started: " +
      "; ".join(f"{k}: " + "/".join(f"{x:.2f}" for x in v) for k, v in loads.items()) + ".")
print("(libbenchmark's \"built as DEBUG\" warning is about Debian's libbenchmark itself; the timing loop is")
print("inline in benchmark.h and the code measured is built -O2 -DNDEBUG.)")
print()
d, a, b = dec["BM_authpp_decode"], dec["BM_floor_raw"], dec["BM_floor_crypto"]
row("decode  (authjs_codec::decode)", d)
row("floor (a) base64url+HMAC+AES-CBC+JSON parse", a)
row("floor (b) SHA-512 + AES-256-CBC", b)
r_b = d["cpu"] / b["cpu"]
print(f"  decode / floor (b)   {r_b:6.2f}x   target <= 1.5x   {verdict(r_b <= 1.5)}")
print(f"  decode / floor (a)   {d['cpu'] / a['cpu']:6.2f}x")
if node:
    sp = node["median_ns"] / d["real"]
    print(f"  Node @auth/core {node['auth_core']} decode (node {node['node']}): "
          f"median {t(node['median_ns']).strip()} wall, {t(node['cpu_ns_per_op']).strip()} CPU per op")
    print(f"  Node / decode        {sp:6.0f}x   target >= 100x   {verdict(sp >= 100)}"
          f"   (wall/wall; CPU/CPU: {node['cpu_ns_per_op'] / d['cpu']:.0f}x)")
else:
    print("  Node / decode        n/a (no Node measurement)")
print()
h, hn, hd = hot["BM_hot_path"], hot["BM_hot_path_no_cache"], hot["BM_decode"]
row("hot path, decode cache hit (the default)", h)
row("hot path, decode cache off", hn)
row("decode alone, same token, same binary", hd)
r_h = hn["cpu"] / hd["cpu"]
print(f"  hot path (cache off) / decode    {r_h:6.2f}x   target < 2x     {verdict(r_h < 2)}")
print(f"  hot path (cache hit) / decode    {h['cpu'] / hd['cpu']:6.2f}x   "
      f"(the cache saves {t(hn['cpu'] - h['cpu']).strip()} per request)")
if "BM_hot_path_middleware" in hot:
    m = hot["BM_hot_path_middleware"]
    row("run_middleware(), decode cache hit", m)
    print(f"  allocations: {m['allocs']:g} C++ (the session straight from the cached token)")
if "BM_cache_hit" in hot:
    c = hot["BM_cache_hit"]
    row("decode cache hit alone (find + claim check)", c)
    print(f"  cache hit            {t(c['cpu']).strip():>10}   target < 300 ns   {verdict(c['cpu'] < 300)}")
print(f"  allocations per request: {h['allocs']:g} C++ + {h['ossl']:g} OpenSSL with the cache, "
      f"{hn['allocs']:g} C++ + {hn['ossl']:g} OpenSSL without"
      f"   (decode alone: {hd['allocs']:g} C++ + {hd['ossl']:g} OpenSSL)")
print()
print("Pieces (where the time goes):")
for name in ("BM_authpp_decrypt", "BM_hmac_sha512", "BM_floor_sha512", "BM_floor_aes_cbc", "BM_base64url_decode_ct",
             "BM_json_parse_payload", "BM_json_parse_payload_arena", "BM_check_claims"):
    if name in dec:
        row(name, dec[name])
for name in ("BM_hot_cookie_lookup", "BM_hot_decrypt", "BM_hot_claims_to_token", "BM_hot_make_session",
             "BM_hot_middleware"):
    if name in hot:
        row(name, hot[name])
refresh_path = os.path.join(build, "bench_refresh.json")
if os.path.exists(refresh_path):
    ref = medians(refresh_path)
    print()
    print("Refresh round trip (blocking_transport, loopback, medians of 5, wall-clock):")
    for name in ("BM_refresh_reused_connection", "BM_refresh_new_connection",
                 "BM_tls_get_reused_connection", "BM_tls_get_new_connection"):
        if name in ref:
            print(f"  {name:<44} {t(ref[name]['real'])} real")
    pairs = (("refresh", "BM_refresh_new_connection", "BM_refresh_reused_connection"),
             ("TLS GET", "BM_tls_get_new_connection", "BM_tls_get_reused_connection"))
    for label, new, reused in pairs:
        if new in ref and reused in ref:
            print(f"  {label}, new connection / reused   {ref[new]['real'] / ref[reused]['real']:5.2f}x")
EOF
