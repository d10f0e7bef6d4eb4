#!/usr/bin/env bash
# load.sh [BUILD_DIR] — wrk against authpp-example-server on loopback: a
# protected route with a valid session cookie (decode or decode cache → jwt
# callback → middleware decision → page) vs the public `/` (no cookie work),
# with and without the same Cookie header, interleaved; prints requests/s,
# latency percentiles and the server's CPU time per request for each, and
# the protected/public ratios (the target: protected >= 0.9x the requests/s
# of / sent the same cookie). With taskset and 2+ CPUs the server runs on
# CPU 0 and wrk on CPU 1.
#
# BUILD_DIR: a Release build with examples/authpp-example-server and
# examples/authpp-cookie (default: build/load, configured and built here).
# Environment: DURATION (default 10s), THREADS (wrk threads, default 2),
# CONNECTIONS (default 32), AUTHPP_THREADS (server threads, default 1),
# ROUNDS (the three runs this many times, medians reported; default 1),
# DECODE_CACHE (on | off, the server's decode cache; default on),
# ACCESS_LOG (on | off, the server's line per request; default on).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${1:-$root/build/load}
duration=${DURATION:-10s} threads=${THREADS:-2} connections=${CONNECTIONS:-32} rounds=${ROUNDS:-1}
[[ $rounds =~ ^[1-9][0-9]*$ ]] || { echo "load: ROUNDS must be a positive number" >&2; exit 2; }
command -v wrk >/dev/null || { echo "load: wrk is needed (apt-get install wrk)" >&2; exit 1; }
if [ $# -eq 0 ]; then
    cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DAUTHPP_BUILD_TESTS=OFF >/dev/null
    cmake --build "$build" --target authpp-example-server authpp-cookie -j "$(nproc)" >/dev/null
fi
# shellcheck source=scripts/bench-lib.sh
. "$root/scripts/bench-lib.sh" # server_pin, wrk_pin, pin_note, cpu_ticks, clk_tck, wrk_run
server_bin=$build/examples/authpp-example-server
tool=$build/examples/authpp-cookie
[ -x "$server_bin" ] && [ -x "$tool" ] || { echo "load: no example server / authpp-cookie in $build" >&2; exit 1; }

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
origin=http://127.0.0.1:$port
secret=$(openssl rand -base64 32)
log=$(mktemp) results=$(mktemp)
server_pid=''
cleanup() {
    local rc=$?
    set +e # a killed child's status must not replace ours
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
    rm -f "$log" "$results"
    exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# No provider: the session is fresh for an hour, so no refresh happens and
# the token endpoint (nothing listens there) is never called.
env -i PATH="$PATH" AUTH_SECRET="$secret" AUTHPP_LISTEN="127.0.0.1:$port" AUTHPP_CLIENT_ID=load \
    AUTHPP_AUTH_DOMAIN=http://127.0.0.1:9 AUTHPP_PROTECTED=/dashboard AUTHPP_THREADS="${AUTHPP_THREADS:-1}" \
    AUTHPP_DECODE_CACHE="${DECODE_CACHE:-on}" AUTHPP_ACCESS_LOG="${ACCESS_LOG:-on}" \
    "${server_pin[@]}" "$server_bin" >"$log" 2>&1 &
server_pid=$!
for _ in $(seq 100); do grep -q '^READY' "$log" && break; sleep 0.1; done
grep -q '^READY' "$log" || { cat "$log" >&2; exit 1; }

now_ms=$(($(date +%s) * 1000))
claims=$(printf '{"sub":"load-user","email":"load@example.com","nickname":"load","accessToken":"%s","refreshToken":"%s","accessTokenExpires":%d}' \
    "$(openssl rand -hex 600)" "$(openssl rand -hex 24)" $((now_ms + 3600 * 1000)))
cookie=$(AUTH_SECRET=$secret "$tool" encode --max-age 86400 <<<"$claims" | head -1)
cookie=${cookie%%;*}
# A realistic browser Cookie header: a few unrelated cookies around the session.
header="Cookie: _ga=GA1.1.123456789.1700000000; theme=dark; $cookie; locale=en-GB; consent=1"
status=$(curl -s -o /dev/null -w '%{http_code}' -H "$header" "$origin/dashboard")
[ "$status" = 200 ] || { echo "load: the cookie is not accepted on /dashboard ($status)" >&2; exit 1; }
status=$(curl -s -o /dev/null -w '%{http_code}' "$origin/dashboard")
[ "$status" = 307 ] || { echo "load: /dashboard without a cookie answered $status, not 307" >&2; exit 1; }

printf 'authpp-example-server (%s, %s server thread(s), decode cache %s, access log %s), wrk -t%s -c%s -d%s, %s round(s)\n' \
    "$(basename "$build")" "${AUTHPP_THREADS:-1}" "${DECODE_CACHE:-on}" "${ACCESS_LOG:-on}" "$threads" "$connections" \
    "$duration" "$rounds"
printf 'session cookie %d bytes, Cookie header %d bytes; %s; load average %s\n' ${#cookie} $((${#header} - 8)) \
    "$pin_note" "$(cut -d' ' -f1-3 /proc/loadavg)"
for round in $(seq "$rounds"); do
    for route in protected public same-cookie; do
        case $route in
        protected) args=(-H "$header" "$origin/dashboard") ;;
        public) args=("$origin/") ;;
        same-cookie) args=(-H "$header" "$origin/") ;;
        esac
        t0=$(cpu_ticks "$server_pid")
        line=$(wrk_run "$duration" "${args[@]}")
        t1=$(cpu_ticks "$server_pid")
        echo "$route ${line#RESULT } cpu_s=$(((t1 - t0) * 1000 / clk_tck))e-3" >>"$results"
    done
done
python3 - "$results" <<'EOF'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    route, *fields = line.split()
    r = {k: float(v) for k, v in (f.split("=") for f in fields)}
    r["cpu_us"] = r["cpu_s"] * 1e6 / max(r["requests"], 1)
    rows.setdefault(route, []).append(r)
med = lambda route, field: statistics.median(x[field] for x in rows[route])
labels = {"protected": "GET /dashboard (protected, valid cookie)", "public": "GET / (public, no cookie)",
          "same-cookie": "GET / (public, same cookie sent)"}
print(f"{'route':<44} {'req/s':>10} {'p50 µs':>9} {'p90 µs':>9} {'p99 µs':>9} {'CPU µs/req':>11} {'errors':>7}")
errors = 0
for route, label in labels.items():
    e = sum(x["errors"] for x in rows[route])
    errors += e
    print(f"{label:<44} {med(route, 'rps'):>10.0f} {med(route, 'p50_us'):>9.0f} {med(route, 'p90_us'):>9.0f} "
          f"{med(route, 'p99_us'):>9.0f} {med(route, 'cpu_us'):>11.1f} {e:>7.0f}")
p, a, c = med("protected", "rps"), med("public", "rps"), med("same-cookie", "rps")
r = p / c
print(f"protected/public requests/s: {p / a:.2f} (against / with the same cookie: {r:.2f}, target >= 0.9: "
      f"{'met' if r >= 0.9 else 'MISSED'})")
print(f"server CPU per request, protected minus public with the same cookie: "
      f"{med('protected', 'cpu_us') - med('same-cookie', 'cpu_us'):.1f} µs")
if errors:
    sys.exit(f"load: {errors:.0f} errors (non-2xx/3xx answers or socket errors)")
EOF
