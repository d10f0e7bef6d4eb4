# shellcheck shell=bash
# setup.sh — sourced by run.sh and demo.sh. Defines:
#
#   interop_setup WORKDIR
#       Checks that node and npm are there, copies the Node side of the
#       interop tests (package.json, package-lock.json, .npmrc, *.mjs) into WORKDIR
#       and runs `npm ci` there when its node_modules is missing or was
#       installed from another lock file. The source tree stays clean.
#
# scripts/run installs Node when it is missing; this only says so.

interop_src=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

interop_setup() {
    local work=$1
    if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
        echo "interop: node and npm are needed to run the real Auth.js (@auth/core)." >&2
        echo "         Install Node.js >= 18 (Debian: apt-get install nodejs npm), or run scripts/run test," >&2
        echo "         which installs them." >&2
        return 1
    fi
    local major
    major=$(node -p 'process.versions.node.split(".")[0]')
    if [ "$major" -lt 18 ]; then
        echo "interop: Node.js $(node --version) is too old; @auth/core needs >= 18." >&2
        return 1
    fi
    mkdir -p "$work"
    (
        # One setup at a time per WORKDIR (CTest may start several users at once).
        if command -v flock >/dev/null; then
            exec 9>"$work/.setup.lock"
            flock 9
        fi
        local f
        for f in "$interop_src/package.json" "$interop_src/package-lock.json" "$interop_src/.npmrc" "$interop_src"/*.mjs; do
            # Replace a file only when it changed, and atomically: a running
            # node may be reading the old one.
            cmp -s "$f" "$work/${f##*/}" && continue
            cp "$f" "$work/.${f##*/}.$$" && mv -f "$work/.${f##*/}.$$" "$work/${f##*/}"
        done
        local stamp=$work/node_modules/.authpp-interop-lock
        if [ -d "$work/node_modules/@auth/core" ] && cmp -s "$work/package-lock.json" "$stamp"; then
            exit 0
        fi
        echo "interop: npm ci in $work (installs the pinned @auth/core and @significa/auth-next)" >&2
        if ! (cd "$work" && npm ci --no-audit --no-fund --loglevel=error >npm-ci.log 2>&1); then
            echo "interop: npm ci failed (is the npm registry reachable?):" >&2
            tail -n 20 "$work/npm-ci.log" >&2
            exit 1
        fi
        cp "$work/package-lock.json" "$stamp"
    )
}
