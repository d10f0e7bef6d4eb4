# demo-lib.sh — what the demo scripts print with (sourced, not run):
# step headings, indented lines, ✓ for a good outcome and ✗ (exit 1) for a
# bad one; colours only on a terminal.
bold=$'\e[1m' green=$'\e[32m' red=$'\e[31m' dim=$'\e[2m' off=$'\e[0m'
if [ ! -t 1 ]; then bold='' green='' red='' dim='' off=''; fi
step() { printf '\n%s== %s%s\n' "$bold" "$*" "$off"; }
show() { printf '   %s\n' "$@"; }
good() { printf '   %s✓ %s%s\n' "$green" "$*" "$off"; }
bad() {
    printf '   %s✗ %s%s\n' "$red" "$*" "$off"
    exit 1
}

# --- Node packages for the acts that need them (demo.sh, demo-browser.sh) -----

demo_lib_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# copy_if_changed FILE... DIR
copy_if_changed() {
    local dir=${*: -1}
    for f in "${@:1:$#-1}"; do cmp -s "$f" "$dir/$(basename "$f")" || cp "$f" "$dir/"; done
}
# npm_ci DIR — npm ci from DIR's package-lock.json, once per lock (the stamp
# tests/integration/npm_ci.cmake keeps, shared with the CTest fixtures).
npm_ci() {
    cmake -DDIR="$1" -DNPM="$(command -v npm)" -P "$demo_lib_dir/../tests/integration/npm_ci.cmake"
}

# --- the mode acts (demo-nal.sh, demo-split.sh) ------------------------------

# mode_demo_setup NAME BUILD_DIR — checks the arguments and tools; sets root,
# build, server_bin and tmp. On exit, however it comes, the backend and the
# server (backend_pid, server_pid) are stopped and tmp is removed.
mode_demo_setup() {
    local name=$1
    shift
    if [ $# -ne 1 ]; then
        echo "usage: $name BUILD_DIR" >&2
        exit 2
    fi
    root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
    build=$(cd "$1" && pwd)
    server_bin=$build/examples/authpp-example-server
    [ -x "$server_bin" ] || { echo "$name: no $server_bin (build the examples first)" >&2; exit 1; }
    command -v curl >/dev/null || { echo "$name: curl is needed" >&2; exit 1; }
    tmp=$(mktemp -d)
    backend_pid='' server_pid=''
    trap mode_demo_cleanup EXIT
    trap 'exit 130' INT TERM
}
mode_demo_cleanup() {
    local rc=$?
    set +e
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
    [ -n "$backend_pid" ] && kill "$backend_pid" 2>/dev/null && wait "$backend_pid" 2>/dev/null
    rm -rf "$tmp"
    exit $rc
}

# start_backend FIXTURE.mjs [ARGS…] — the backend fixture as a coprocess: its
# stdin takes commands, `backend CMD` prints its one-line answer. Sets api.
start_backend() {
    mkfifo "$tmp/to_backend" "$tmp/from_backend"
    node "$@" <"$tmp/to_backend" >"$tmp/from_backend" &
    backend_pid=$!
    exec 7>"$tmp/to_backend" 8<"$tmp/from_backend"
    read -r -t 30 ready <&8 || bad "the backend did not start"
    api=${ready#READY }
}
backend() { echo "$*" >&7 && read -r -t 30 line <&8 && printf '%s' "$line"; }

# A free loopback port.
free_port() {
    node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

# wait_ready LOG — until the server's log says READY (10 s), else ✗.
wait_ready() {
    for _ in $(seq 100); do grep -q '^READY ' "$1" && break; sleep 0.1; done
    grep -q '^READY ' "$1" || bad "the server did not start: $(cat "$1")"
}
