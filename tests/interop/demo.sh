#!/usr/bin/env bash
# demo.sh TOOL — authpp and the real Auth.js reading each other's session
# cookies, on the real clock, with a fresh random AUTH_SECRET.
#   1. the real Auth.js (@auth/core, pinned) makes a cookie; authpp-cookie decodes it
#   2. authpp-cookie makes a cookie; Auth.js's getToken() decodes it
#   3. a large session chunked by authpp, sent out of order; both read it
# Installs @auth/core with `npm ci` when needed, into $AUTHPP_INTEROP_WORK
# (default: next to the tool's build tree). Exits nonzero on any mismatch.
set -euo pipefail
if [ $# -ne 1 ]; then
    echo "usage: demo.sh /path/to/authpp-cookie" >&2
    exit 2
fi
tool=$(cd "$(dirname "$1")" && pwd)/${1##*/}
if [ ! -x "$tool" ]; then
    echo "demo: no authpp-cookie at '$1'" >&2
    exit 1
fi
work=${AUTHPP_INTEROP_WORK:-$(dirname "$(dirname "$tool")")/interop-node}
# shellcheck source=tests/interop/setup.sh disable=SC1091
. "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
interop_setup "$work"

authjs() { node "$work/authjs.mjs" "$@"; }
# same_json A B [CLAIMS]: A and B are the same JSON value, and when CLAIMS is
# given, A is exactly CLAIMS plus iat, exp and jti.
same_json() {
    node -e '
        const { isDeepStrictEqual } = require("node:util");
        const [a, b, c] = process.argv.slice(1).map((s) => (s ? JSON.parse(s) : undefined));
        if (!isDeepStrictEqual(a, b)) process.exit(1);
        if (c) {
            const { iat, exp, jti, ...rest } = a;
            if (!isDeepStrictEqual(rest, c) || typeof iat !== "number" || exp <= iat || typeof jti !== "string")
                process.exit(1);
        }' "$@"
}
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/demo-lib.sh"
abbrev() { # a long cookie line, shortened for the eye
    local s=$1
    if [ ${#s} -gt 150 ]; then s="${s:0:90}…${s: -56}"; fi
    printf '%s' "$s"
}

AUTH_SECRET=$(node -p 'require("node:crypto").randomBytes(32).toString("base64")')
export AUTH_SECRET
unset AUTH_SECRET_1 AUTH_SECRET_2 AUTH_SECRET_3
salt=authjs.session-token
claims='{"name":"Ada Lovelace","email":"ada@example.com","sub":"user-1815","picture":null,"greeting":"こんにちは 👋","roles":["admin","analyst"]}'
version=$(node -p "require('$work/node_modules/@auth/core/package.json').version")

step "The real Auth.js (@auth/core $version, Node $(node --version)) and authpp-cookie share a secret"
show "AUTH_SECRET=$AUTH_SECRET   ${dim}(fresh, random)${off}" "claims: $claims"

step "1. Auth.js encode() makes a session cookie"
js_token=$(authjs encode --salt "$salt" <<<"$claims")
js_cookie=$(authjs chunk --salt "$salt" <<<"$js_token")
show "Set-Cookie: $(abbrev "$js_cookie")" "${dim}(${#js_token}-byte JWE, header $(authjs header <<<"$js_token"))${off}"
step "   authpp-cookie decode reads it"
show "\$ authpp-cookie decode <<< \"Cookie: $salt=…\""
pp_out=$("$tool" decode --salt "$salt" <<<"Cookie: theme=dark; ${js_cookie%%;*}") || bad "authpp-cookie could not decode Auth.js's cookie"
show "$pp_out"
js_out=$(authjs decode --salt "$salt" <<<"$js_token")
same_json "$pp_out" "$js_out" "$claims" || bad "authpp's payload is not Auth.js's own, or not the claims + iat, exp, jti: $pp_out vs $js_out"
good "the same payload Auth.js's own decode() returns: your claims + iat, exp, jti"

step "2. authpp-cookie encode makes a session cookie"
mapfile -t pp_cookies < <("$tool" encode --salt "$salt" <<<"$claims")
[ ${#pp_cookies[@]} -eq 1 ] || bad "expected one Set-Cookie line, got ${#pp_cookies[@]}"
pp_token=${pp_cookies[0]%%;*}
pp_token=${pp_token#*=}
show "Set-Cookie: $(abbrev "${pp_cookies[0]}")"
[ "$(authjs header <<<"$pp_token")" = "$(authjs header <<<"$js_token")" ] ||
    bad "protected header differs from Auth.js's: $(authjs header <<<"$pp_token")"
good "protected header byte-identical to Auth.js's: $(authjs header <<<"$pp_token")"
expected_set_cookie=$(authjs chunk --salt "$salt" --now "$(node -p "JSON.parse(process.argv[1]).iat" "$("$tool" decode <<<"$pp_token")")" <<<"$pp_token")
[ "${pp_cookies[0]}" = "$expected_set_cookie" ] || bad "Set-Cookie differs from what Auth.js sends: $expected_set_cookie"
good "Set-Cookie byte-identical to the one Auth.js sends for this token"
step "   Auth.js getToken() reads it from a Cookie header"
show "\$ node authjs.mjs decode <<< \"Cookie: $salt=…\""
js_out=$(authjs decode --salt "$salt" <<<"Cookie: ${pp_cookies[0]%%;*}; theme=dark") || bad "Auth.js could not decode authpp's cookie"
show "$js_out"
pp_out=$("$tool" decode --salt "$salt" <<<"$pp_token")
same_json "$js_out" "$pp_out" "$claims" || bad "Auth.js's payload is not authpp's, or not the claims + iat, exp, jti: $js_out vs $pp_out"
good "exactly the claims authpp was given + iat, exp, jti"

step "3. A large session (an ~8 KB access token): chunked, sent out of order"
big=$(node -e '
    const c = JSON.parse(process.argv[1]);
    c.accessToken = require("node:crypto").randomBytes(6000).toString("base64url");
    console.log(JSON.stringify(c))' "$claims")
mapfile -t chunks < <("$tool" encode --salt "$salt" --max-age 3600 <<<"$big")
for c in "${chunks[@]}"; do
    name=${c%%=*} value=${c%%;*}
    value=${value#*=}
    show "Set-Cookie: $name=… (${#value} bytes); ${c#*; }"
done
[ ${#chunks[@]} -ge 2 ] || bad "expected chunks"
header="Cookie: "
for ((i = ${#chunks[@]} - 1; i >= 0; i--)); do header+="${chunks[i]%%;*}; "; done
header+="theme=dark"
show "Cookie: $(for ((i = ${#chunks[@]} - 1; i >= 0; i--)); do printf '%s=…; ' "${chunks[i]%%=*}"; done)theme=dark"
js_out=$(authjs decode --salt "$salt" <<<"$header") || bad "Auth.js could not read authpp's chunks"
pp_out=$("$tool" decode --salt "$salt" <<<"$header") || bad "authpp could not read its chunks out of order"
same_json "$js_out" "$pp_out" "$big" || bad "they disagree"
good "Auth.js getToken() and authpp-cookie decode both read the same $(( ${#big} ))-byte claims"
js_big=$(authjs encode --salt "$salt" <<<"$big")
mapfile -t js_chunks < <(authjs chunk --salt "$salt" <<<"$js_big")
header="Cookie: "
for ((i = ${#js_chunks[@]} - 1; i >= 0; i--)); do header+="${js_chunks[i]%%;*}; "; done
pp_out=$("$tool" decode --salt "$salt" <<<"$header") || bad "authpp could not read Auth.js's chunks"
same_json "$pp_out" "$(authjs decode --salt "$salt" <<<"$js_big")" "$big" || bad "they disagree"
good "and authpp reads the ${#js_chunks[@]} chunks Auth.js's SessionStore makes, out of order"

step "4. The wrong secret"
if out=$(AUTH_SECRET=not-the-secret "$tool" decode <<<"$js_token" 2>&1); then bad "authpp accepted a cookie sealed with another secret"; fi
good "authpp-cookie refuses Auth.js's cookie: ${out#authpp-cookie: }"
if out=$(AUTH_SECRET=not-the-secret authjs decode <<<"$pp_token" 2>&1); then bad "Auth.js accepted a cookie sealed with another secret"; fi
good "Auth.js refuses authpp's cookie: ${out#authjs.mjs: }"

printf '\n%sauthpp and Auth.js %s read each other'"'"'s session cookies.%s\n' "$bold" "$version" "$off"
