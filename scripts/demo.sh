#!/usr/bin/env bash
# demo.sh BUILD_DIR — authpp end to end on loopback, with curl as the browser:
#
#   act 1  the session cookie: authpp and the real Auth.js read each other's
#          (tests/interop/demo.sh)
#   act 2  a real OpenID provider (oidc-provider, pinned) and
#          authpp-example-server: sign in by authorization code + PKCE, open
#          the protected page and /api/me, let the access token expire and
#          watch it refresh, sign in with client-obtained tokens (the
#          Credentials path), sign out
#   act 3  mode nal (scripts/demo-nal.sh): a backend that validates opaque
#          tokens, authpp-example-server with AUTHPP_MODE=nal in front of it
#   act 4  mode split (scripts/demo-split.sh): a Directus-shaped backend,
#          authpp-example-server with AUTHPP_MODE=split in front of it: sign
#          in, the three cookies, refresh on the way, five tabs at once, an
#          outage, sign out
#   act 5  a real browser (scripts/demo-browser.sh): headless Chromium, a
#          Next.js app with Auth.js and authpp-example-server on one origin —
#          sign-in, the C++ refresh seen by Next.js, both sides at once, a
#          chunked session, sign-out both ways; one screenshot per scenario in
#          DEMO_SCREENSHOTS (default BUILD_DIR/browser-screenshots)
#
# BUILD_DIR holds examples/authpp-example-server and examples/authpp-cookie.
# Every process started here is stopped on exit, whatever happens.
# DEMO_SKIP_ACT1=1 skips act 1; ACCESS_TTL (default 5) sets the token lifetime.
set -euo pipefail
if [ $# -ne 1 ]; then
    echo "usage: demo.sh BUILD_DIR" >&2
    exit 2
fi
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=$(cd "$1" && pwd)
server_bin=$build/examples/authpp-example-server
for t in "$server_bin" "$build/examples/authpp-cookie"; do
    [ -x "$t" ] || { echo "demo: no $t (build the examples first)" >&2; exit 1; }
done
command -v curl >/dev/null || { echo "demo: curl is needed" >&2; exit 1; }

source "$(dirname "${BASH_SOURCE[0]}")/demo-lib.sh"
act() { printf '\n%s%s%s\n' "$bold" "$*" "$off"; }
abbrev() { local s=$1; [ ${#s} -gt 24 ] && s="${s:0:12}…${s: -6}"; printf '%s' "$s"; }
json() { node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const v=JSON.parse(s);const r=new Function("v","return "+process.argv[1])(v);console.log(typeof r==="string"?r:JSON.stringify(r))})' "$1"; }

if [ "${DEMO_SKIP_ACT1:-0}" != 1 ]; then
    act "Act 1 — the session cookie, shared with the real Auth.js"
    bash "$root/tests/interop/demo.sh" "$build/examples/authpp-cookie"
fi

act "Act 2 — authpp-example-server with a real OpenID provider, curl as the browser"

# ---- the provider's Node side, installed once from its lock file
work=$build/demo-node
mkdir -p "$work"
copy_if_changed "$root"/tests/integration/{package.json,package-lock.json,provider.mjs} "$work"
echo "demo: npm ci in $work when its lock changed (installs the pinned oidc-provider)" >&2
npm_ci "$work"

tmp=$(mktemp -d)
provider_pid='' server_pid=''
cleanup() {
    local rc=$?
    set +e # a killed child's status must not replace ours
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
    [ -n "$provider_pid" ] && kill "$provider_pid" 2>/dev/null && wait "$provider_pid" 2>/dev/null
    rm -rf "$tmp"
    exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port=$(free_port)
origin=http://127.0.0.1:$port
ttl=${ACCESS_TTL:-5}

# The provider runs as a coprocess: its stdin takes commands (login, count).
mkfifo "$tmp/to_provider" "$tmp/from_provider"
(cd "$work" && PORT=0 ACCESS_TTL=$ttl REDIRECT_URIS="$origin/api/auth/callback/immutable" \
    exec node provider.mjs <"$tmp/to_provider" >"$tmp/from_provider" 2> >(grep -v 'Unsupported runtime' >&2)) &
provider_pid=$!
exec 7>"$tmp/to_provider" 8<"$tmp/from_provider"
provider() { echo "$*" >&7 && read -r -t 30 line <&8 && printf '%s' "$line"; }
read -r -t 30 ready <&8 || bad "the provider did not start"
issuer=${ready#READY }

step "An OpenID provider (oidc-provider, refresh-token rotation on, access tokens live ${ttl} s)"
show "issuer $issuer   clients authpp-confidential / authpp-post / authpp-public (PKCE required)"

AUTH_SECRET=$(node -p 'require("node:crypto").randomBytes(32).toString("base64")')
: >"$tmp/server.log"
env -i PATH="$PATH" AUTH_SECRET="$AUTH_SECRET" AUTHPP_LISTEN="127.0.0.1:$port" AUTHPP_ISSUER="$issuer" \
    AUTHPP_CLIENT_ID=authpp-confidential AUTHPP_CLIENT_SECRET=authpp-confidential-secret \
    AUTHPP_SCOPE="openid offline_access email profile" AUTHPP_SIGNIN_PARAMS=prompt=consent \
    AUTHPP_REFRESH_BUFFER_S=0 AUTHPP_PROTECTED=/dashboard \
    "$server_bin" >"$tmp/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 100); do grep -q '^READY' "$tmp/server.log" && break; sleep 0.1; done
grep -q '^READY' "$tmp/server.log" || { cat "$tmp/server.log"; bad "the server did not start"; }
step "authpp-example-server on $origin (OpenID discovery at start-up, AUTH_SECRET fresh and random)"
show "${dim}AUTHPP_ISSUER=$issuer AUTHPP_CLIENT_ID=authpp-confidential AUTHPP_PROTECTED=/dashboard …${off}"

seen=1
server_log() { # the server's log lines since the last call
    local n
    n=$(wc -l <"$tmp/server.log")
    [ "$n" -gt "$seen" ] && sed -n "$((seen + 1)),${n}p" "$tmp/server.log" | sed "s/^/   ${dim}[server] /; s/\$/${off}/"
    seen=$n
}
jar=$tmp/cookies.txt
: >"$jar"
# curl as the browser: one cookie jar; prints "STATUS REDIRECT_URL", body in $tmp/body
browse() { curl -sS -b "$jar" -c "$jar" -o "$tmp/body" -w '%{http_code} %{redirect_url}\n' "$@"; }
session_cookie() { awk '$6 == "authjs.session-token" { print $7 }' "$jar"; }

step "1. Not signed in: the protected page sends the browser to /login"
read -r status location < <(browse "$origin/dashboard")
show "GET /dashboard → $status  Location: $location"
[ "$status" = 307 ] && [ "$location" = "$origin/login?returnTo=%2Fdashboard" ] || bad "expected 307 to /login"
good "middleware: redirect with returnTo"
server_log

step "2. Sign in: authorization code + PKCE at the provider"
browse "$origin/api/auth/csrf" >/dev/null
csrf=$(json v.csrfToken <"$tmp/body")
show "GET  /api/auth/csrf → csrfToken $(abbrev "$csrf") (and its double-submit cookie)"
read -r status location < <(browse -X POST --data-urlencode "csrfToken=$csrf" --data-urlencode "callbackUrl=/dashboard" \
    "$origin/api/auth/signin/immutable?prompt=consent")
show "POST /api/auth/signin/immutable → $status  Location: ${location%%\?*}?client_id=…&code_challenge=…&code_challenge_method=S256&state=…"
[ "$status" = 302 ] && [[ $location == "$issuer/auth?"* ]] || bad "expected a redirect to the provider"
url=$location
for _ in $(seq 16); do
    [[ $url == "$origin/api/auth/callback/immutable"* ]] && break
    read -r status next < <(browse "$url")
    if [ -z "$next" ]; then # a form of the provider's development interactions
        action=$(grep -o '<form[^>]*action="[^"]*"' "$tmp/body" | head -1 | sed 's/.*action="//; s/"$//; s/&amp;/\&/g')
        prompt=$(grep -o 'name="prompt" value="[a-z]*"' "$tmp/body" | head -1 | sed 's/.*value="//; s/"$//')
        [ -n "$action" ] && [ -n "$prompt" ] || bad "unexpected provider page ($status)"
        [[ $action == http* ]] || action=$issuer$action
        if [ "$prompt" = login ]; then
            show "provider: login form → alice"
            read -r status next < <(browse -X POST -d prompt=login -d login=alice -d password=any "$action")
        else
            show "provider: consent form → allow"
            read -r status next < <(browse -X POST -d "prompt=$prompt" "$action")
        fi
    fi
    url=$next
done
[[ $url == "$origin/api/auth/callback/immutable"* ]] || bad "the provider did not redirect back"
read -r status location < <(browse "$url")
show "GET  /api/auth/callback/immutable?code=…&state=… → $status  Location: $location"
[ "$status" = 302 ] && [ -n "$(session_cookie)" ] || bad "no session cookie after the callback"
good "session cookie set: authjs.session-token=$(abbrev "$(session_cookie)") ($(session_cookie | tr -d "\n" | wc -c)-byte JWE)"
server_log

step "3. The protected page and the JSON API"
read -r status _ < <(browse "$origin/dashboard")
show "GET /dashboard → $status"
[ "$status" = 200 ] || bad "expected 200"
sed -n 's/.*<dt>\([^<]*\)<\/dt><dd[^>]*>\([^<]*\)<\/dd>.*/   │ \1: \2/p' "$tmp/body"
read -r status _ < <(browse "$origin/api/me")
show "GET /api/me → $status $(cat "$tmp/body")"
[ "$status" = 200 ] || bad "expected 200"
good "signed in as $(json v.user.sub <"$tmp/body")"
server_log

step "4. The access token expires; the next request refreshes it at the provider"
browse "$origin/api/auth/session" >/dev/null
before=$(json v.accessToken <"$tmp/body")
before_refresh=$(json v.refreshToken <"$tmp/body")
show "access token $(abbrev "$before"), expires in $(($(json v.accessTokenExpires <"$tmp/body") / 1000 - $(date +%s))) s — waiting $((ttl + 1)) s"
sleep $((ttl + 1))
read -r status _ < <(browse "$origin/api/auth/session")
after=$(json v.accessToken <"$tmp/body")
after_refresh=$(json v.refreshToken <"$tmp/body")
show "GET /api/auth/session → $status  access token $(abbrev "$after"), expires in $(($(json v.accessTokenExpires <"$tmp/body") / 1000 - $(date +%s))) s, error: $(json 'v.error || "none"' <"$tmp/body")"
[ "$after" != "$before" ] && [ "$after_refresh" != "$before_refresh" ] || bad "the token was not refreshed"
good "new access token, rotated refresh token, new cookie; provider: $(provider count) (refresh grants: total ok failed)"
server_log

step "5. Sign out"
browse "$origin/api/auth/csrf" >/dev/null
csrf=$(json v.csrfToken <"$tmp/body")
read -r status location < <(browse -X POST --data-urlencode "csrfToken=$csrf" --data-urlencode "callbackUrl=/" "$origin/api/auth/signout")
show "POST /api/auth/signout → $status  Location: $location"
[ -z "$(session_cookie)" ] || bad "the session cookie is still there"
read -r status location < <(browse "$origin/dashboard")
show "GET /dashboard → $status  Location: $location"
[ "$status" = 307 ] || bad "expected 307"
good "session cookie cleared; the protected page is closed again"
server_log

step "6. Sign in with client-obtained tokens (the reference's Credentials provider), as next-auth/react does"
tokens=$(provider login bob | json '({accessToken: v.access_token, refreshToken: v.refresh_token, idToken: v.id_token,
    accessTokenExpires: Date.now() + v.expires_in * 1000, profile: {sub: "bob", email: "bob@example.com"}})')
show "the client got tokens from the provider itself (PKCE): accessToken $(abbrev "$(json v.accessToken <<<"$tokens")")"
browse "$origin/api/auth/csrf" >/dev/null
csrf=$(json v.csrfToken <"$tmp/body")
read -r status _ < <(browse -X POST -H 'X-Auth-Return-Redirect: 1' --data-urlencode "csrfToken=$csrf" \
    --data-urlencode "tokens=$tokens" --data-urlencode "callbackUrl=$origin/dashboard" "$origin/api/auth/callback/immutable")
show "POST /api/auth/callback/immutable (X-Auth-Return-Redirect: 1) → $status $(cat "$tmp/body")"
[ "$status" = 200 ] && [ -n "$(session_cookie)" ] || bad "no session"
read -r status _ < <(browse "$origin/api/me")
show "GET /api/me → $status $(cat "$tmp/body")"
[ "$(json v.user.sub <"$tmp/body")" = bob ] || bad "expected bob"
good "the userinfo endpoint vouched for the token; signed in as bob"
server_log

step "7. Refused: a forged CSRF token, an open redirect"
read -r status location < <(browse -X POST -d csrfToken=forged -d callbackUrl=/ "$origin/api/auth/signout")
show "POST /api/auth/signout with a forged csrfToken → $status  Location: $location"
[ -n "$(session_cookie)" ] || bad "signed out by a forged request"
browse "$origin/api/auth/csrf" >/dev/null
csrf=$(json v.csrfToken <"$tmp/body")
read -r status _ < <(browse -X POST -H 'X-Auth-Return-Redirect: 1' --data-urlencode "csrfToken=$csrf" \
    --data-urlencode "callbackUrl=https://evil.example/" "$origin/api/auth/signout")
show "POST /api/auth/signout callbackUrl=https://evil.example/ → $status $(cat "$tmp/body")"
[[ $(json v.url <"$tmp/body") == "$origin"* ]] || bad "redirected off-site"
good "still signed in after the forgery; the sign-out stays on $origin"
server_log

step "8. SIGTERM: the server stops accepting, finishes what is in flight, exits 0"
kill -TERM "$server_pid"
rc=0
wait "$server_pid" || rc=$?
server_pid=''
server_log
[ "$rc" = 0 ] || bad "exit code $rc"
good "exit code 0"

printf '\n%sSigned in with a real OpenID provider, refreshed, signed out — cookies Auth.js can read.%s\n' "$bold" "$off"

act "Act 3 — mode nal: tokens a backend validates (next-api-layer)"
bash "$root/scripts/demo-nal.sh" "$build"

act "Act 4 — mode split: split cookies, the backend's tokens (@significa/auth-next)"
bash "$root/scripts/demo-split.sh" "$build"

act "Act 5 — a real browser: a Next.js app with Auth.js and the C++ service on one origin"
shots=${DEMO_SCREENSHOTS:-$build/browser-screenshots}
bash "$root/scripts/demo-browser.sh" "$build" "$shots"
printf '\n%sThe screenshots of act 5 are in %s%s\n' "$bold" "$shots" "$off"
