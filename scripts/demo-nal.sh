#!/usr/bin/env bash
# demo-nal.sh BUILD_DIR — mode nal on loopback, curl as the client: a backend
# that validates opaque tokens (tests/e2e/nal_backend.mjs) and
# authpp-example-server with AUTHPP_MODE=nal in front of it. No token, a valid
# token (the handler sees the user), the cache, an expired token refreshed
# once for a burst of requests, a backend outage that logs nobody out.
# Every process started here is stopped on exit, whatever happens.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/demo-lib.sh"
mode_demo_setup demo-nal.sh "$@"

start_backend "$root/tests/e2e/nal_backend.mjs" standard

port=$(free_port)
origin=http://127.0.0.1:$port
env -i PATH="$PATH" AUTHPP_MODE=nal AUTHPP_LISTEN="127.0.0.1:$port" AUTHPP_NAL_API_URL="$api" \
    AUTHPP_THREADS=2 AUTHPP_PROTECTED=/dashboard "$server_bin" >"$tmp/server.log" 2>&1 &
server_pid=$!
wait_ready "$tmp/server.log"

step "A backend that says which tokens are valid (GET auth/me), and authpp-example-server in front of it"
show "backend $api   server $origin (AUTHPP_MODE=nal)"

# status and body of a request; extra curl arguments pass through
call() { curl -s -o "$tmp/body" -D "$tmp/headers" -w '%{http_code}' "$@"; }

step "1. No token"
status=$(call "$origin/api/whoami")
show "GET /api/whoami → $status $(cat "$tmp/body")"
[ "$status" = 401 ] || bad "expected 401"
status=$(call "$origin/dashboard")
show "GET /dashboard → $status $(grep -i '^location' "$tmp/headers" | tr -d '\r')"
[ "$status" = 307 ] || bad "expected 307"
good "the API answers 401, the protected page sends the visitor to /login"

step "2. A valid token: the handler sees the user, never the token"
status=$(call -H 'Cookie: userToken=user:ada' "$origin/api/whoami")
show "GET /api/whoami (userToken=user:ada) → $status $(cat "$tmp/body")"
grep -q '"authenticated":true' "$tmp/body" || bad "not signed in"
for _ in 1 2 3 4; do call -H 'Cookie: userToken=user:ada' "$origin/api/whoami" >/dev/null; done
n=$(backend calls "/auth/me user:ada")
show "five requests within 2 s → $n backend validation(s)"
[ "$n" = 1 ] || bad "expected one validation (the cache)"
good "validated once, then answered from the cache"

step "3. An expired token, twenty requests at once: one refresh, the same new cookie for all"
backend slow 150 >/dev/null
pids=()
for i in $(seq 20); do
    curl -s -o /dev/null -D "$tmp/h$i" -H 'Cookie: userToken=old:bob' "$origin/api/whoami" &
    pids+=($!)
done
wait "${pids[@]}"
backend slow 0 >/dev/null
cookies=$(cat "$tmp"/h* | grep -i '^set-cookie: userToken=' | cut -d';' -f1 | sed 's/^[Ss]et-[Cc]ookie: //' | sort -u)
show "Set-Cookie: $cookies"
n=$(backend calls "/auth/refresh")
show "backend refresh calls: $n"
[ "$n" = 1 ] || bad "expected one refresh"
[ "$(printf '%s\n' "$cookies" | wc -l)" = 1 ] || bad "expected one new cookie"
good "the expired token was redeemed once; every request got the new one"

step "4. The backend goes down: 503, and nobody is logged out"
backend fail 503 >/dev/null
status=$(call -H 'Cookie: userToken=user:cy' "$origin/api/whoami")
show "GET /api/whoami → $status $(cat "$tmp/body")"
[ "$status" = 503 ] || bad "expected 503"
grep -qi '^set-cookie' "$tmp/headers" && bad "a cookie was touched"
backend fail 0 >/dev/null
good "503, no Set-Cookie: the session survives the outage"

printf '\n%sMode nal: validated, cached, refreshed once, and no logout on an outage.%s\n' "$bold" "$off"
