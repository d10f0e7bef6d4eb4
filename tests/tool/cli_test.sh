#!/usr/bin/env bash
# The authpp-cookie command-line contract: outputs, exit codes and streams.
# usage: cli_test.sh PATH_TO_authpp-cookie
set -u
tool=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
check() { # name, condition-command...
    local name=$1; shift
    if "$@"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $name"; fi
}
# run NAME STDIN ARGS...: sets rc, out, err
run() {
    local input=$1; shift
    printf '%s' "$input" | "$tool" "$@" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    out=$(cat "$tmp/out"); err=$(cat "$tmp/err")
}
lines() { [ -z "$1" ] && echo 0 || printf '%s\n' "$1" | wc -l; }

export AUTH_SECRET=cli-test-secret
unset AUTH_SECRET_1 AUTH_SECRET_2 AUTH_SECRET_3
now=1800000000

# encode --raw, then decode the bare token
run '{"sub":"u1","nested":{"a":[1,2,{"b":null}]},"name":"Zoë 😀"}' encode --raw --now $now --max-age 3600
check "encode --raw exits 0" [ $rc -eq 0 ]
token=$out
check "encode --raw prints one line" [ "$(lines "$out")" -eq 1 ]
check "token has five parts" [ "$(tr -cd . <<<"$token" | wc -c)" -eq 4 ]
run "$token" decode --now $now
check "decode bare JWE exits 0" [ $rc -eq 0 ]
check "decode prints one JSON line" [ "$(lines "$out")" -eq 1 ]
check "decode keeps claims" grep -q '"sub":"u1","nested":{"a":\[1,2,{"b":null}\]},"name":"Zoë 😀","iat":1800000000,"exp":1800003600,"jti":"' <<<"$out"
check "decode writes nothing to stderr" [ -z "$err" ]

# decode from a Cookie header line, among other cookies
run "Cookie: theme=dark; authjs.session-token=$token; other=1" decode --now $now
check "decode Cookie: line exits 0" [ $rc -eq 0 ]
check "decode Cookie: line gives claims" grep -q '"sub":"u1"' <<<"$out"
run "theme=dark; authjs.session-token=$token" decode --now $now
check "decode header without the Cookie: prefix" [ $rc -eq 0 ]

# expiry: 15 s tolerance
run "$token" decode --now $((now + 3600 + 14))
check "within tolerance decodes" [ $rc -eq 0 ]
run "$token" decode --now $((now + 3600 + 15))
check "expired exits 1" [ $rc -eq 1 ]
check "expired prints nothing on stdout" [ -z "$out" ]
check "expired says why in one line" [ "$(lines "$err")" -eq 1 ]
check "expired message mentions expiry" grep -qi expired <<<"$err"

# wrong secret, never echoed
AUTH_SECRET=another-secret run "$token" decode --now $now
check "wrong secret exits 1" [ $rc -eq 1 ]
check "wrong secret: stdout empty" [ -z "$out" ]
check "error does not leak the secret" bash -c '! grep -q "another-secret" <<<"$1"' _ "$err"

# rotation: AUTH_SECRET_1 is tried and, being first, encodes
AUTH_SECRET=new AUTH_SECRET_1=cli-test-secret run "$token" decode --now $now
check "old secret in AUTH_SECRET_1 still decodes" [ $rc -eq 0 ]
AUTH_SECRET_1=first run '{"sub":"r"}' encode --raw --now $now
rotated=$out
AUTH_SECRET=first run "$rotated" decode --now $now
check "AUTH_SECRET_1 is the one that encodes" [ $rc -eq 0 ]

# salts
run '{"sub":"s"}' encode --salt __Secure-authjs.session-token --now $now
check "secure salt encodes" [ $rc -eq 0 ]
check "secure cookie has Secure" grep -q '^__Secure-authjs.session-token=.*; Secure' <<<"$out"
secure_cookie=${out%%;*}
run "Cookie: $secure_cookie" decode --salt __Secure-authjs.session-token --now $now
check "secure salt decodes from a Cookie line" [ $rc -eq 0 ]
run "Cookie: $secure_cookie" decode --now $now
check "default salt does not find the secure cookie" [ $rc -eq 1 ]
run "${secure_cookie#*=}" decode --now $now
check "a token under the wrong salt is refused" [ $rc -eq 1 ]

# Set-Cookie output and chunking
run '{"sub":"small"}' encode --now $now --max-age 60
check "small cookie: one Set-Cookie line" [ "$(lines "$out")" -eq 1 ]
check "Set-Cookie attributes" grep -qE '^authjs\.session-token=[A-Za-z0-9_.-]+; Path=/; Expires=Fri, 15 Jan 2027 08:01:00 GMT; HttpOnly; SameSite=Lax$' <<<"$out"
big=$(python3 -c 'import json; print(json.dumps({"sub":"big","blob":"x"*6000}))')
run "$big" encode --now $now
chunks=$out
check "big cookie: chunked into 3 lines" [ "$(lines "$out")" -eq 3 ]
check "chunk names .0 .1 .2" [ "$(cut -d= -f1 <<<"$out" | tr '\n' ' ')" = "authjs.session-token.0 authjs.session-token.1 authjs.session-token.2 " ]
header=$(cut -d';' -f1 <<<"$out" | tac | paste -sd';' | sed 's/;/; a=b; /')
run "Cookie: $header" decode --now $now
check "chunks out of order decode" [ $rc -eq 0 ]
check "chunked payload intact" grep -q '"blob":"xxxxxxxx' <<<"$out"
missing=$(cut -d';' -f1 <<<"$chunks" | sed -n '1p;3p' | paste -sd';')
run "Cookie: $missing" decode --now $now
check "a missing chunk exits 1" [ $rc -eq 1 ]
check "missing chunk is named" grep -qi chunk <<<"$err"

# failures and usage
run 'not a token' decode
check "garbage exits 1" [ $rc -eq 1 ]
check "garbage: stdout empty" [ -z "$out" ]
run '' decode
check "empty input exits 1" [ $rc -eq 1 ]
run "$token" decode --bogus
check "unknown option exits 2" [ $rc -eq 2 ]
run "$token" decode --now
check "missing option value exits 2" [ $rc -eq 2 ]
run "$token" decode --now yesterday
check "bad --now exits 2" [ $rc -eq 2 ]
run '' frobnicate
check "unknown command exits 2" [ $rc -eq 2 ]
run ''
check "no command exits 2" [ $rc -eq 2 ]
run '[1,2]' encode
check "encode of a non-object exits 1" [ $rc -eq 1 ]
run '{"a":' encode
check "encode of broken JSON exits 1" [ $rc -eq 1 ]
AUTH_SECRET= run "$token" decode
check "no secret exits 1" [ $rc -eq 1 ]
check "no secret says AUTH_SECRET" grep -q AUTH_SECRET <<<"$err"
# Expiry arithmetic that does not fit: refused, never a wrapped-around date
# (before: "Expires=… -292277022657", undefined behaviour).
run '{"sub":"t"}' encode --now 9223372036854775807 --max-age 1
check "overflowing now + max-age exits 1" [ $rc -eq 1 ]
check "overflowing now + max-age prints nothing" [ -z "$out" ]
check "overflowing now + max-age says out of range" grep -q "out of range" <<<"$err"
run '{"sub":"t"}' encode --raw --now 9223372036854775807 --max-age 1
check "overflowing --raw exits 1" [ $rc -eq 1 ]
run '{"sub":"t"}' encode --now 253402300800 --max-age 0
check "an Expires past year 9999 exits 1" [ $rc -eq 1 ]
check "an Expires past year 9999 prints no cookie" [ -z "$out" ]
run '{"sub":"t"}' encode --now 253402300000 --max-age 799
check "an Expires on 9999-12-31 is written" grep -q "Expires=Fri, 31 Dec 9999 23:59:59 GMT" <<<"$out"

head -c 100000 /dev/urandom | base64 -w0 >"$tmp/garbage"
"$tool" decode <"$tmp/garbage" >"$tmp/out" 2>"$tmp/err"; rc=$?
check "100 KB garbage exits 1" [ $rc -eq 1 ]
check "100 KB garbage: stdout empty" [ ! -s "$tmp/out" ]

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
