#!/usr/bin/env bash
# demo-split.sh BUILD_DIR — mode split on loopback, curl as the browser: a
# Directus-shaped backend (tests/e2e/split_backend.mjs) and
# authpp-example-server with AUTHPP_MODE=split in front of it. Sign in and the
# three cookies, the protected page with and without a session, a token due
# within the margin refreshed on the way, five tabs refreshing at once (one
# backend refresh), an old refresh token replayed, a backend outage that logs
# nobody out, sign out.
# Every process started here is stopped on exit, whatever happens.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/demo-lib.sh"
mode_demo_setup demo-split.sh "$@"

# The backend runs as a coprocess: its stdin takes commands (fail, delay, expires, count).
start_backend "$root/tests/e2e/split_backend.mjs"

port=$(free_port)
origin=http://127.0.0.1:$port
AUTH_SECRET=$(node -p 'require("node:crypto").randomBytes(32).toString("base64")')
env -i PATH="$PATH" AUTHPP_MODE=split AUTHPP_LISTEN="127.0.0.1:$port" AUTHPP_SPLIT_API_URL="$api" \
    AUTH_URL="$origin" AUTH_SECRET="$AUTH_SECRET" AUTHPP_THREADS=2 "$server_bin" >"$tmp/server.log" 2>&1 &
server_pid=$!
wait_ready "$tmp/server.log"

step "A Directus-shaped backend (login, refresh with rotation, logout), and authpp-example-server in front of it"
show "backend $api   server $origin (AUTHPP_MODE=split, refresh margin 30 s)"

json() { node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const v=JSON.parse(s);const r=new Function("v","return "+process.argv[1])(v);console.log(typeof r==="string"?r:JSON.stringify(r))})' "$1"; }
jar=$tmp/cookies.txt
: >"$jar"
# curl as the browser with one cookie jar: prints the status; body in $tmp/body, headers in $tmp/headers
call() { curl -sS -b "$jar" -c "$jar" -o "$tmp/body" -D "$tmp/headers" -w '%{http_code}' "$@"; }
header() { grep -i "^$1:" "$tmp/headers" | tr -d '\r' | sed 's/^[^:]*: //'; }
set_cookies() { header set-cookie | sed 's/^/Set-Cookie: /'; }
cookie() { awk -v n="$1" '$6 == n { print $7 }' "${2:-$jar}"; } # a cookie's value in the jar
refreshes() { backend count /auth/refresh; }
# a refresh at the backend itself, not through authpp: prints the status, body in $tmp/body
direct_refresh() { curl -sS -o "$tmp/body" -w '%{http_code}' -H 'Content-Type: application/json' -d "{\"refresh_token\":\"$1\"}" "$api/auth/refresh"; }
iso_ms='[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z'

step "1. Sign in: POST /api/auth/login"
status=$(call -H 'Content-Type: application/json' -d '{"email":"ada@example.com","password":"pw-ada"}' "$origin/api/auth/login")
show "POST /api/auth/login {\"email\":\"ada@example.com\",…} → $status $(cat "$tmp/body")"
set_cookies | while IFS= read -r l; do show "│ $l"; done
[ "$status" = 200 ] || bad "expected 200"
lines=$(set_cookies || true)
[ "$(printf '%s\n' "$lines" | wc -l)" = 3 ] || bad "expected three Set-Cookie lines"
grep -q '^Set-Cookie: access_token=acc-[0-9]*; Path=/; Expires=[^;]*; SameSite=Lax$' <<<"$lines" || bad "the access_token line"
grep -q '^Set-Cookie: refresh_token=ref-[0-9]*; Path=/; HttpOnly; SameSite=Lax$' <<<"$lines" || bad "the refresh_token line"
grep -Eq "^Set-Cookie: session=$iso_ms; Path=/; SameSite=Lax\$" <<<"$lines" || bad "the session line"
grep -q 'ref-' "$tmp/body" && bad "a refresh token in the body"
good "access_token readable by the page, refresh_token HttpOnly (never in a body), session = the expiry"

step "2. The protected page /app, with the session and without"
status=$(call "$origin/app")
show "GET /app (with the cookies) → $status $(sed -n 's/.*<p>\(Signed in[^<]*\)<span[^>]*>\([^<]*\)<\/span>.*/\1\2/p' "$tmp/body")"
[ "$status" = 200 ] || bad "expected 200"
[ -z "$(header set-cookie)" ] || bad "a cookie was touched"
status=$(curl -s -o /dev/null -D "$tmp/headers" -w '%{http_code}' "$origin/app?tab=billing")
show "GET /app?tab=billing (no cookies) → $status  Location: $(header location)"
[ "$status" = 307 ] && [ "$(header location)" = "/login?returnTo=%2Fapp%3Ftab%3Dbilling" ] || bad "expected 307 to /login with returnTo"
good "auth restriction: 200 with a session (nothing refreshed: not due), else to /login with the path and query encoded"

step "3. The access token nears expiry: the next page refreshes it on the way"
backend expires 20000 >/dev/null
call -H 'Content-Type: application/json' -d '{"email":"ada@example.com","password":"pw-ada"}' "$origin/api/auth/login" >/dev/null
backend expires 900000 >/dev/null
old_access=$(cookie access_token) old_refresh=$(cookie refresh_token)
left=$(($(date -d "$(cookie session)" +%s) - $(date +%s)))
show "signed in again while the backend issues 20 s tokens (as if 14½ minutes had passed):"
show "access_token=$old_access, session=$(cookie session) — ${left} s left, within the 30 s margin"
before=$(refreshes)
status=$(call "$origin/api/session")
show "GET /api/session → $status $(cat "$tmp/body")"
set_cookies | while IFS= read -r l; do show "│ $l"; done
[ "$status" = 200 ] && [ "$(json v.authenticated <"$tmp/body")" = true ] || bad "expected an authenticated session"
[ "$(header set-cookie | wc -l)" = 3 ] || bad "expected the three new cookies"
[ "$(cookie access_token)" != "$old_access" ] && [ "$(cookie refresh_token)" != "$old_refresh" ] || bad "not refreshed"
n=$(($(refreshes) - before))
show "backend refresh calls: $n"
[ "$n" = 1 ] || bad "expected one refresh"
good "refreshed before answering: a new pair, a 15 min expiry, the new cookies on the response"

step "4. Five tabs refresh at once with the same cookie"
cp "$jar" "$tmp/tab2.txt" # a second tab that will come late with the cookie as it is now
before=$(refreshes)
old_refresh=$(cookie refresh_token)
backend delay 200 >/dev/null
pids=()
for i in 1 2 3 4 5; do
    curl -sS -b "$jar" -c "$tmp/jar$i" -o "$tmp/body$i" -w '%{http_code}\n' "$origin/api/auth/refresh" >"$tmp/status$i" &
    pids+=($!)
done
wait "${pids[@]}"
backend delay 0 >/dev/null
cp "$tmp/jar1" "$jar"
n=$(($(refreshes) - before))
statuses=$(cat "$tmp"/status? | tr '\n' ' ')
tokens=$(for i in 1 2 3 4 5; do json v.accessToken <"$tmp/body$i" || true; done | sort -u)
show "5 × GET /api/auth/refresh (refresh_token=$old_refresh) → ${statuses% }"
show "access tokens in the answers: $(printf '%s' "$tokens" | tr '\n' ' ')  backend refresh calls: $n ($old_refresh redeemed $(backend count "/auth/refresh $old_refresh") time)"
[ "${statuses% }" = "200 200 200 200 200" ] || bad "expected five 200"
[ "$n" = 1 ] || bad "expected one backend refresh"
[ "$(printf '%s\n' "$tokens" | wc -l)" = 1 ] || bad "expected one access token"
[ "$(cookie access_token)" = "$tokens" ] || bad "the cookie is not the new token"
good "one backend refresh (coordinated on the refresh token's SHA-256), every tab got the same rotated pair"

step "5. A late tab replays the refresh token that was just rotated"
before=$(refreshes)
status=$(curl -sS -b "$tmp/tab2.txt" -o "$tmp/body" -D "$tmp/headers" -w '%{http_code}' "$origin/api/auth/refresh")
show "GET /api/auth/refresh (refresh_token=$(cookie refresh_token "$tmp/tab2.txt")) → $status $(cat "$tmp/body")"
[ "$status" = 200 ] || bad "expected 200"
[ "$(json v.accessToken <"$tmp/body")" = "$tokens" ] || bad "expected the rotated access token"
header set-cookie | grep -q "^refresh_token=$(cookie refresh_token);" || bad "expected the rotated refresh token"
[ "$(refreshes)" = "$before" ] || bad "the backend was asked again"
status=$(direct_refresh "$old_refresh")
show "the backend, asked directly to refresh $old_refresh → $status $(cat "$tmp/body")"
[ "$status" = 401 ] || bad "expected the backend to refuse the redeemed token"
good "200 with the rotated tokens from the successor record, no backend call: the late tab is not logged out"

step "6. The backend goes down: 503, and nobody is logged out"
backend fail 503 >/dev/null
status=$(call "$origin/api/auth/refresh")
show "GET /api/auth/refresh → $status $(cat "$tmp/body")"
[ "$status" = 503 ] || bad "expected 503"
[ -z "$(header set-cookie)" ] && [ -z "$(header clear-site-data)" ] || bad "a cookie was touched"
status=$(call "$origin/app")
backend fail 0 >/dev/null
show "GET /app (still down) → $status; the cookies kept: access_token=$(cookie access_token) refresh_token=$(cookie refresh_token) session=$(cookie session)"
[ "$status" = 200 ] || bad "expected 200"
good "503, no Set-Cookie, no Clear-Site-Data: the session survives the outage"

step "7. Sign out: GET /api/auth/logout"
rt=$(cookie refresh_token)
status=$(call "$origin/api/auth/logout")
show "GET /api/auth/logout → $status $(cat "$tmp/body")"
set_cookies | while IFS= read -r l; do show "│ $l"; done
show "│ Clear-Site-Data: $(header clear-site-data)"
[ "$status" = 200 ] || bad "expected 200"
[ "$(header set-cookie | grep -c 'Max-Age=0')" = 3 ] || bad "expected three clearing lines"
header set-cookie | grep -q '^refresh_token=; Max-Age=0; .*HttpOnly' || bad "the refresh_token clearing line"
[ "$(header clear-site-data)" = '"cookies"' ] || bad "expected Clear-Site-Data"
[ "$(backend count "/auth/logout $rt")" = 1 ] || bad "the backend was not told"
status=$(direct_refresh "$rt")
show "the backend, asked directly to refresh $rt → $status $(cat "$tmp/body")"
[ "$status" = 401 ] || bad "expected the backend to refuse it"
good "the three cookies cleared, Clear-Site-Data, and the backend told once: $rt is dead"

printf '\n%sMode split: three cookies, refreshed once for every tab, no logout on a replay or an outage.%s\n' "$bold" "$off"
