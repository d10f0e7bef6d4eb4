#!/usr/bin/env bash
# demo-browser.sh BUILD_DIR [SCREENSHOTS_DIR] — the demo's act 5, and the
# browser suite (CTest runs it as browser.story): headless Chromium on one
# origin, where a reverse proxy sends /cpp/* to authpp-example-server and the
# rest to a real Next.js app with Auth.js; sign-in at the real oidc-provider,
# the C++ refresh seen by Next.js and useSession(), both sides at once, a
# chunked session both ways, sign-out both ways (tests/browser/story.mjs).
# A screenshot per scenario goes to SCREENSHOTS_DIR (default
# BUILD_DIR/browser-screenshots).
#
# Installs what it needs once, from the lock files: the provider's Node side
# (unless AUTHPP_FIXTURE_DIR names an installed one), then next, next-auth,
# react and puppeteer-core into AUTHPP_BROWSER_WORK (default
# BUILD_DIR/browser-node), where it builds the app with `next build` when its
# sources changed. The browser is Debian's chromium (AUTHPP_CHROMIUM, default
# the one on PATH); nothing is downloaded for it.
set -euo pipefail
if [ $# -lt 1 ] || [ $# -gt 2 ]; then
    echo "usage: demo-browser.sh BUILD_DIR [SCREENSHOTS_DIR]" >&2
    exit 2
fi
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=$(cd "$1" && pwd)
shots=${2:-$build/browser-screenshots}
server_bin=$build/examples/authpp-example-server
[ -x "$server_bin" ] || { echo "demo-browser: no $server_bin (build the examples first)" >&2; exit 1; }
chromium=${AUTHPP_CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}
[ -n "$chromium" ] || { echo "demo-browser: Debian's chromium is needed (apt-get install chromium)" >&2; exit 1; }

source "$root/scripts/demo-lib.sh" # copy_if_changed, npm_ci

provider_dir=${AUTHPP_FIXTURE_DIR:-}
if [ -z "$provider_dir" ]; then
    provider_dir=$build/demo-node # shared with act 2
    mkdir -p "$provider_dir"
    copy_if_changed "$root"/tests/integration/{package.json,package-lock.json,provider.mjs} "$provider_dir"
    npm_ci "$provider_dir"
fi

work=${AUTHPP_BROWSER_WORK:-$build/browser-node}
mkdir -p "$work"
copy_if_changed "$root"/tests/browser/{package.json,package-lock.json} "$work"
npm_ci "$work"
cmake -DSRC="$root/tests/browser/app" -DDIR="$work" -DNODE="$(command -v node)" -P "$root/tests/browser/next_build.cmake"

AUTHPP_EXAMPLE_SERVER=$server_bin AUTHPP_FIXTURE_DIR=$provider_dir AUTHPP_BROWSER_WORK=$work \
    AUTHPP_CHROMIUM=$chromium AUTHPP_SCREENSHOTS=$shots node "$root/tests/browser/story.mjs"
