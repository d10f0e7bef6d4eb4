#!/usr/bin/env bash
# load.sh [BUILD_DIR] — wrk against authpp-example-server on loopback: a
# protected route with a valid session cookie (decode → jwt callback →
# middleware decision → page) vs the public `/` (no cookie work), printing
# requests/s and latency percentiles for each, and the protected/public ratio
# of requests/s.
#
# BUILD_DIR: a Release build with examples/authpp-example-server and
# examples/authpp-cookie (default: build/load, configured and built here).
# Environment: DURATION (default 10s), THREADS (wrk threads, default 2),
# CONNECTIONS (default 32), AUTHPP_THREADS (server threads, default 1).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${1:-$root/build/load}
duration=${DURATION:-10s} threads=${THREADS:-2} connections=${CONNECTIONS:-32}
command -v wrk >/dev/null || { echo "load: wrk is needed (apt-get install wrk)" >&2; exit 1; }
if [ $# -eq 0 ]; then
    cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DAUTHPP_BUILD_TESTS=OFF >/dev/null
    cmake --build "$build" --target authpp-example-server authpp-cookie -j "$(nproc)" >/dev/null
fi
server_bin=$build/examples/authpp-example-server
tool=$build/examples/authpp-cookie
[ -x "$server_bin" ] && [ -x "$tool" ] || { echo "load: no example server / authpp-cookie in $build" >&2; exit 1; }

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
origin=http://127.0.0.1:$port
secret=$(openssl rand -base64 32)
log=$(mktemp)
server_pid=''
cleanup() {
    local rc=$?
    set +e # a killed child's status must not replace ours
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
    rm -f "$log"
    exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# No provider: the session is fresh for an hour, so no refresh happens and
# the token endpoint (nothing listens there) is never called.
env -i PATH="$PATH" AUTH_SECRET="$secret" AUTHPP_LISTEN="127.0.0.1:$port" AUTHPP_CLIENT_ID=load \
    AUTHPP_AUTH_DOMAIN=http://127.0.0.1:9 AUTHPP_PROTECTED=/dashboard AUTHPP_THREADS="${AUTHPP_THREADS:-1}" \
    "$server_bin" >"$log" 2>&1 &
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

printf 'authpp-example-server (%s, %s server thread(s)), wrk -t%s -c%s -d%s, session cookie %d bytes\n' \
    "$(basename "$build")" "${AUTHPP_THREADS:-1}" "$threads" "$connections" "$duration" ${#cookie}
printf '%-44s %10s %9s %9s %9s %7s\n' route 'req/s' 'p50 µs' 'p90 µs' 'p99 µs' errors
run() { # label, wrk args...
    local label=$1; shift
    local line
    line=$(wrk -t"$threads" -c"$connections" -d"$duration" --latency -s "$root/bench/load/report.lua" "$@" | grep '^RESULT')
    eval "local ${line#RESULT }"
    printf '%-44s %10s %9s %9s %9s %7s\n' "$label" "$rps" "$p50_us" "$p90_us" "$p99_us" "$errors"
    [ "$errors" = 0 ] || { echo "load: $errors errors on $label" >&2; exit 1; }
    last_rps=$rps
}
run "GET /dashboard (protected, valid cookie)" -H "$header" "$origin/dashboard"
protected_rps=$last_rps
run "GET / (public, no cookie)" "$origin/"
public_rps=$last_rps
run "GET / (public, same cookie sent)" -H "$header" "$origin/"
awk -v p="$protected_rps" -v a="$public_rps" -v c="$last_rps" \
    'BEGIN { printf "protected/public requests/s: %.2f (against / with the same cookie: %.2f)\n", p / a, p / c }'
