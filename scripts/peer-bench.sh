#!/usr/bin/env bash
# peer-bench.sh [BUILD_DIR] — authpp-example-server against its peer,
# Express 5 + @auth/express (bench/peer, pinned by its lock file), both
# reading the same Auth.js session cookie on loopback: wrk on the protected
# /dashboard (valid cookie) and the public /, interleaved, then a table of
# requests/s, latency percentiles and each server's CPU time per request, and
# the ratios authpp/peer (the targets: >= 50x the peer's requests/s on the
# protected route, p99 <= 1/20 of the peer's). On a shared machine the CPU
# time per request is the steadier figure; the CPU % column says whether a
# server was saturated or waited for wrk.
#
# The peer runs twice: `getsession` (getSession(req, authConfig) as
# @auth/express protects a route: the whole Auth.js session action, with its
# CSRF token and re-encryption, whose cookies it discards) and `decode`
# (decode() from @auth/core/jwt alone: the upper bound of any Auth.js peer).
# One server thread each (AUTHPP_THREADS=1; node runs JavaScript on one), and
# with taskset and 2+ CPUs every server is pinned to CPU 0 (node's libuv
# pool, where WebCrypto runs, included) and wrk to CPU 1.
#
# The request log, alike on both sides: ACCESS_LOG=on (the default) has
# authpp-example-server (AUTHPP_ACCESS_LOG) and the peer (--log) write the
# same one line per request, to files; ACCESS_LOG=off turns both off.
#
# BUILD_DIR: a Release build with examples/authpp-example-server and
# examples/authpp-cookie (default: build/load, configured and built here, as
# scripts/load.sh does); bench/peer is installed with `npm ci` into
# BUILD_DIR/peer (again whenever its lock file changes).
# Environment: DURATION (default 10s), THREADS (wrk threads, default 2),
# CONNECTIONS (default 32), WARMUP (an unmeasured wrk run per server first,
# default 2s; 0 skips), ROUNDS (the interleaved sequence this many times,
# medians reported; default 1), ACCESS_LOG (on | off, default on).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${1:-$root/build/load}
duration=${DURATION:-10s} threads=${THREADS:-2} connections=${CONNECTIONS:-32}
warmup=${WARMUP:-2s} rounds=${ROUNDS:-1} access_log=${ACCESS_LOG:-on}
case "$access_log" in on | off) ;; *) echo "peer-bench: ACCESS_LOG must be on or off" >&2; exit 2 ;; esac
for c in wrk node npm curl python3 openssl; do
    command -v "$c" >/dev/null || { echo "peer-bench: $c is needed" >&2; exit 1; }
done
[[ $rounds =~ ^[1-9][0-9]*$ ]] || { echo "peer-bench: ROUNDS must be a positive number" >&2; exit 2; }
if [ $# -eq 0 ]; then
    cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DAUTHPP_BUILD_TESTS=OFF >/dev/null
    cmake --build "$build" --target authpp-example-server authpp-cookie -j "$(nproc)" >/dev/null
fi
build=$(cd "$build" && pwd)
server_bin=$build/examples/authpp-example-server
tool=$build/examples/authpp-cookie
[ -x "$server_bin" ] && [ -x "$tool" ] || { echo "peer-bench: no example server / authpp-cookie in $build" >&2; exit 1; }

# The peer, into the build tree; npm ci again whenever the lock file differs
# from the one installed (as scripts/bench.sh installs bench/node).
peer_dir=$build/peer
mkdir -p "$peer_dir"
cp "$root"/bench/peer/package.json "$root"/bench/peer/package-lock.json "$root"/bench/peer/server.mjs "$peer_dir"/
if ! cmp -s "$peer_dir/package-lock.json" "$peer_dir/node_modules/.authpp-installed-lock"; then
    (cd "$peer_dir" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null) ||
        { echo "peer-bench: npm ci failed in $peer_dir" >&2; exit 1; }
    cp "$peer_dir/package-lock.json" "$peer_dir/node_modules/.authpp-installed-lock"
fi

# shellcheck source=scripts/bench-lib.sh
. "$root/scripts/bench-lib.sh" # server_pin, wrk_pin, pin_note, cpu_ticks, clk_tck, wrk_run

read -r port_authpp port_peer port_decode < <(python3 -c '
import socket
ss = [socket.socket() for _ in range(3)]
for s in ss: s.bind(("127.0.0.1", 0))
print(*(s.getsockname()[1] for s in ss))')
secret=$(openssl rand -base64 32)
tmp=$(mktemp -d)
pids=()
cleanup() {
    local rc=$?
    set +e # a killed child's status must not replace ours
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null; done
    rm -rf "$tmp"
    exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

wait_ready() { # name, log
    for _ in $(seq 150); do grep -q '^READY' "$2" && return 0; sleep 0.1; done
    echo "peer-bench: $1 did not start:" >&2
    cat "$2" >&2
    exit 1
}

# No provider: the session is fresh for an hour, so no refresh happens and
# the token endpoint (nothing listens there) is never called.
env -i PATH="$PATH" AUTH_SECRET="$secret" AUTHPP_LISTEN="127.0.0.1:$port_authpp" AUTHPP_CLIENT_ID=load \
    AUTHPP_AUTH_DOMAIN=http://127.0.0.1:9 AUTHPP_PROTECTED=/dashboard AUTHPP_THREADS=1 \
    AUTHPP_ACCESS_LOG="$access_log" "${server_pin[@]}" "$server_bin" >"$tmp/authpp.log" 2>&1 &
pids+=($!)
declare -A pid_of=([authpp]=$!)
peer_args=()
[ "$access_log" = off ] || peer_args=(--log)
for mode in getsession decode; do
    port=$port_peer
    [ $mode = decode ] && port=$port_decode
    (cd "$peer_dir" && exec env -i PATH="$PATH" HOME="$tmp" NODE_ENV=production AUTH_SECRET="$secret" \
        AUTHPP_CLIENT_ID=load AUTHPP_AUTH_DOMAIN=http://127.0.0.1:9 \
        "${server_pin[@]}" node server.mjs $mode "$port" "${peer_args[@]}") >"$tmp/peer-$mode.log" 2>&1 &
    pids+=($!)
    if [ $mode = decode ]; then pid_of[peer-decode]=$!; else pid_of[peer]=$!; fi
done
wait_ready authpp-example-server "$tmp/authpp.log"
wait_ready "the peer (getsession)" "$tmp/peer-getsession.log"
wait_ready "the peer (decode)" "$tmp/peer-decode.log"

now_ms=$(($(date +%s) * 1000))
claims=$(printf '{"sub":"load-user","email":"load@example.com","nickname":"load","accessToken":"%s","refreshToken":"%s","accessTokenExpires":%d}' \
    "$(openssl rand -hex 600)" "$(openssl rand -hex 24)" $((now_ms + 3600 * 1000)))
cookie=$(AUTH_SECRET=$secret "$tool" encode --max-age 86400 <<<"$claims" | head -1)
cookie=${cookie%%;*}
# A realistic browser Cookie header: a few unrelated cookies around the session.
header="Cookie: _ga=GA1.1.123456789.1700000000; theme=dark; $cookie; locale=en-GB; consent=1"

declare -A origin=([authpp]=http://127.0.0.1:$port_authpp [peer]=http://127.0.0.1:$port_peer
                   [peer-decode]=http://127.0.0.1:$port_decode)
for s in authpp peer peer-decode; do
    o=${origin[$s]}
    body=$(curl -s -w '\n%{http_code}' -H "$header" "$o/dashboard")
    [ "${body##*$'\n'}" = 200 ] && grep -q '>load-user<' <<<"$body" ||
        { echo "peer-bench: $s does not accept authpp's cookie on /dashboard (${body##*$'\n'})" >&2; exit 1; }
    status=$(curl -s -o /dev/null -w '%{http_code}' "$o/dashboard")
    [ "$status" = 307 ] || { echo "peer-bench: $s answered $status on /dashboard without a cookie, not 307" >&2; exit 1; }
    status=$(curl -s -o /dev/null -w '%{http_code}' "$o/")
    [ "$status" = 200 ] || { echo "peer-bench: $s answered $status on /, not 200" >&2; exit 1; }
done

if [ "$warmup" != 0 ]; then # node's JIT, and every server's first allocations
    for s in authpp peer peer-decode; do wrk_run "$warmup" -H "$header" "${origin[$s]}/dashboard" >/dev/null; done
fi

version() { python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["version"])' "$peer_dir/node_modules/$1/package.json"; }
printf 'authpp-example-server (%s, 1 server thread) vs Express %s + @auth/express %s (@auth/core %s, node %s)\n' \
    "$(basename "$build")" "$(version express)" "$(version @auth/express)" "$(version @auth/core)" "$(node --version)"
printf 'wrk -t%s -c%s -d%s, %s round(s), session cookie %d bytes, %s; request log: %s; load average %s\n' \
    "$threads" "$connections" "$duration" "$rounds" ${#cookie} \
    "$pin_note" \
    "$([ "$access_log" = off ] && echo 'no request log on either side' || echo 'one line per request on both')" \
    "$(cut -d' ' -f1-3 /proc/loadavg)"

results=$tmp/results
: >"$results"
for round in $(seq "$rounds"); do
    for run in "authpp protected" "peer protected" "authpp public" "peer public" "peer-decode protected"; do
        read -r s route <<<"$run"
        t0=$(cpu_ticks "${pid_of[$s]}") w0=$(date +%s%N)
        if [ "$route" = protected ]; then
            line=$(wrk_run "$duration" -H "$header" "${origin[$s]}/dashboard")
        else
            line=$(wrk_run "$duration" "${origin[$s]}/")
        fi
        t1=$(cpu_ticks "${pid_of[$s]}") w1=$(date +%s%N)
        echo "$s $route $round ${line#RESULT } cpu_s=$(((t1 - t0) * 1000 / clk_tck))e-3 wall_s=$(((w1 - w0) / 1000000))e-3" \
            >>"$results"
        printf '  round %s: %-22s %s\n' "$round" "$run" "${line#RESULT }" >&2
    done
done

python3 - "$results" "$rounds" "$(cut -d' ' -f1-3 /proc/loadavg)" <<'EOF'
import statistics, sys

rows = {}
for line in open(sys.argv[1]):
    server, route, _round, *fields = line.split()
    r = dict(f.split("=") for f in fields)
    rows.setdefault((server, route), []).append({k: float(v) for k, v in r.items()})

def med(key, field):
    return statistics.median(x[field] for x in rows[key])

errors = sum(x["errors"] for v in rows.values() for x in v)
names = {"authpp": "authpp-example-server", "peer": "Express + getSession", "peer-decode": "Express + decode only"}
paths = {"protected": "/dashboard (valid cookie)", "public": "/"}
for v in rows.values():
    for x in v:
        x["cpu_us"] = x["cpu_s"] * 1e6 / x["requests"]  # server CPU per request
        x["cpu_pct"] = 100 * x["cpu_s"] / x["wall_s"]   # of one CPU, while wrk ran

print(f"{'server':<24} {'route':<26} {'req/s':>9} {'p50 µs':>9} {'p99 µs':>9} {'CPU µs/req':>11} {'CPU %':>6} "
      f"{'errors':>7}")
for key in [("authpp", "protected"), ("peer", "protected"), ("peer-decode", "protected"),
            ("authpp", "public"), ("peer", "public")]:
    print(f"{names[key[0]]:<24} {paths[key[1]]:<26} {med(key, 'rps'):>9.0f} {med(key, 'p50_us'):>9.0f} "
          f"{med(key, 'p99_us'):>9.0f} {med(key, 'cpu_us'):>11.1f} {med(key, 'cpu_pct'):>6.0f} "
          f"{sum(x['errors'] for x in rows[key]):>7.0f}")
print(f"(CPU µs/req and CPU %: the server process's user + system time over the run, all its threads; "
      f"load average at the end {sys.argv[3]}" + (f"; medians of {sys.argv[2]} rounds)" if int(sys.argv[2]) > 1 else ")"))

a, p, d = ("authpp", "protected"), ("peer", "protected"), ("peer-decode", "protected")
def verdict(ok):
    return "met" if ok else "MISSED"
r = med(a, "rps") / med(p, "rps")
print(f"protected, authpp/peer requests/s:  {r:7.1f}x   target >= 50x   {verdict(r >= 50)}")
r = med(p, "p99_us") / med(a, "p99_us")
print(f"protected, peer/authpp p99:         {r:7.1f}x   target >= 20x   {verdict(r >= 20)}")
print(f"protected, peer/authpp CPU per request: {med(p, 'cpu_us') / med(a, 'cpu_us'):5.1f}x   "
      f"(peer-decode/authpp {med(d, 'cpu_us') / med(a, 'cpu_us'):.1f}x)")
print(f"protected, authpp/peer-decode req/s: {med(a, 'rps') / med(d, 'rps'):5.1f}x   "
      f"p99 peer-decode/authpp {med(d, 'p99_us') / med(a, 'p99_us'):.1f}x   (the peer's upper bound)")
print(f"authpp protected/public requests/s: {med(a, 'rps') / med(('authpp', 'public'), 'rps'):6.2f}   "
      f"(peer: {med(p, 'rps') / med(('peer', 'public'), 'rps'):.3f})")
if errors:
    sys.exit(f"peer-bench: {errors:.0f} errors (non-2xx/3xx answers or socket errors); see the rows above")
EOF
