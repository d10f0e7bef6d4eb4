#!/usr/bin/env bash
# cgi_test.sh AUTHPP_CGI — the CGI adapter example (examples/other_adapter):
# the request comes from CGI variables, the response goes out as CGI.
set -euo pipefail
cgi=$1
secret=$(openssl rand -base64 32)
fail() { echo "FAIL $*" >&2; exit 1; }
run() { env -i PATH="$PATH" AUTH_SECRET="$secret" HTTP_HOST=app.example SCRIPT_NAME=/api/auth "$@" "$cgi"; }

out=$(run REQUEST_METHOD=GET PATH_INFO=/csrf)
grep -q $'^Status: 200\r$' <<<"$out" || fail "GET /csrf: $out"
grep -q '^Set-Cookie: authjs.csrf-token=' <<<"$out" || fail "no CSRF cookie: $out"
grep -q '{"csrfToken":"[0-9a-f]\{64\}"}$' <<<"$out" || fail "no csrfToken: $out"

out=$(run REQUEST_METHOD=GET SCRIPT_NAME=/dashboard PATH_INFO= QUERY_STRING=a=1)
grep -q $'^Status: 307\r$' <<<"$out" || fail "GET /dashboard: $out"
grep -q $'^Location: /login?returnTo=%2Fdashboard%3Fa%3D1\r$' <<<"$out" || fail "Location: $out"

body='csrfToken=forged&callbackUrl=%2F'
out=$(printf '%s' "$body" | run REQUEST_METHOD=POST PATH_INFO=/signout CONTENT_TYPE=application/x-www-form-urlencoded \
    CONTENT_LENGTH=${#body})
grep -q 'MissingCSRF' <<<"$out" || fail "POST /signout without CSRF: $out"
echo "ok: CGI adapter (csrf, middleware redirect, CSRF refusal)"
