#!/usr/bin/env bash
# compile-cost.sh — what authpp costs a user's build: compiles the smallest
# asynchronous Beast server with authpp's whole surface (Auth.js actions,
# middleware, asio_auth: examples/beast_async_server.cpp) and the same server
# without authpp (bench/compile/bare_server.cpp), each alone, and prints the
# compiler's CPU seconds (user + system) and peak memory for each and the
# ratios to the bare server (issue 14's targets: header-only <= 3x the CPU
# and <= 1.5 GB; separate <= 1.5x and <= 1 GB). With <authpp/src.hpp> present it also compiles
# the server with AUTHPP_SEPARATE_COMPILATION, and the separately compiled
# part (once per program, src/separate_*.cpp, one translation unit each), then links and smoke-tests
# that server.
#
# Environment: CXX (default g++), CXXFLAGS (default -O2 -DNDEBUG; the flags
# every compile gets, with -std=c++20), OUT (a scratch directory; default a
# temporary one). Needs GNU time (/usr/bin/time; Debian's `time`), and node
# for the smoke test of the separately compiled server (skipped without).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cxx=${CXX:-g++}
read -r -a flags <<<"${CXXFLAGS:--O2 -DNDEBUG}"
[ -x /usr/bin/time ] || { echo "compile-cost: GNU time is needed (apt-get install time)" >&2; exit 1; }
out=${OUT:-}
if [ -z "$out" ]; then
    out=$(mktemp -d)
    trap 'rm -rf "$out"' EXIT
fi
mkdir -p "$out"

# The same include directories and definitions as the CMake targets.
common=(-std=c++20 "${flags[@]}" -I"$root/include" -DBOOST_JSON_DYN_LINK -DBOOST_JSON_NO_LIB)
measure() { # label, object, source, extra flags... → "label cpu_s peak_mb"
    local label=$1 obj=$2 src=$3
    shift 3
    local t
    t=$({ /usr/bin/time -f '%U %S %M' "$cxx" "${common[@]}" "$@" -c "$src" -o "$obj" 2>&1 >/dev/null; } | tail -1)
    read -r user sys kb <<<"$t"
    [[ $kb =~ ^[0-9]+$ ]] || { echo "compile-cost: compiling $src failed: $t" >&2; exit 1; }
    python3 -c "import sys; print(sys.argv[1], round(float(sys.argv[2]) + float(sys.argv[3]), 1), round(int(sys.argv[4]) / 1024))" \
        "$label" "$user" "$sys" "$kb"
}

printf 'compile cost of one translation unit (%s %s), load average %s\n' "$cxx" "${flags[*]}" \
    "$(cut -d' ' -f1-3 /proc/loadavg)"
results=$out/results
: >"$results"
measure bare "$out/bare.o" "$root/bench/compile/bare_server.cpp" >>"$results"
measure header-only "$out/header_only.o" "$root/examples/beast_async_server.cpp" >>"$results"
separate=no
if [ -f "$root/include/authpp/src.hpp" ]; then
    separate=yes
    measure separate "$out/separate.o" "$root/examples/beast_async_server.cpp" -DAUTHPP_SEPARATE_COMPILATION >>"$results"
    for src in "$root"/src/separate_*.cpp; do
        part=$(basename "$src" .cpp)
        part=${part#separate_}
        measure "src-$part" "$out/src_$part.o" "$src" -DAUTHPP_SEPARATE_COMPILATION >>"$results"
    done
fi
python3 - "$results" <<'PY'
import sys
rows = {}
for line in open(sys.argv[1]):
    label, cpu, mb = line.split()
    rows[label] = (float(cpu), int(mb))
bare = rows["bare"]
names = {"bare": "bare Beast coroutine server", "header-only": "the same with authpp, header-only",
         "separate": "the same, AUTHPP_SEPARATE_COMPILATION"}
names.update({k: f"  + once: src, {k[4:]}" for k in rows if k.startswith("src-")})
targets = {"header-only": (3.0, 1536), "separate": (1.5, 1024)}
print(f"{'translation unit':<40} {'CPU s':>7} {'peak MB':>8} {'CPU ratio':>10} {'memory ratio':>13}  target")
for label, (cpu, mb) in rows.items():
    t = ""
    if label in targets:
        rc, rm = targets[label]
        ok = cpu / bare[0] <= rc and mb <= rm
        t = f"<= {rc}x, <= {rm} MB: {'met' if ok else 'MISSED'}"
    ratio = f"{cpu / bare[0]:9.2f}x {mb / bare[1]:12.2f}x" if not label.startswith("src") else ""
    print(f"{names[label]:<40} {cpu:>7.1f} {mb:>8} {ratio:<24}  {t}")
PY
if [ "$separate" = yes ]; then
    # The separately compiled server links and answers like the header-only one.
    "$cxx" -o "$out/beast_async_server_separate" "$out/separate.o" "$out"/src_*.o \
        -lboost_json -lssl -lcrypto -lpthread
    if command -v node >/dev/null; then
        node "$root/tests/e2e/smoke.mjs" "$out/beast_async_server_separate"
    else
        echo "node not found: the separately compiled server was linked, not run"
    fi
fi
