#!/usr/bin/env bash
# scripts/fuzz-volume.sh BUILD_DIR CORPUS_DIR (--runs N | --seconds S) [TARGET...]
#
# Fuzzing at volume: runs every libFuzzer target built in BUILD_DIR
# (configured with clang and -DAUTHPP_BUILD_FUZZ=ON), or the TARGETs named,
# one after the other, each for N executions (or S seconds), growing a
# corpus that lives in CORPUS_DIR/<target>/ — outside the repository, so it
# keeps growing across runs without touching the checkout (seeded from
# tests/fuzz/corpus/<target>/ on first use). Uses the dictionary
# tests/fuzz/<target>.dict when there is one.
#
# Prints, per target, the executions done, exec/s, corpus size and the
# crash-free verdict; a crash, leak or time-out keeps the input under
# CORPUS_DIR/artifacts/<target>/ with the log, and the script exits 1 at the
# end. Meant for the background (nice it): these machines have 2 cores.
#
#   CXX=clang++ cmake -S . -B build/fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo \
#       -DAUTHPP_BUILD_FUZZ=ON -DAUTHPP_BUILD_TESTS=OFF -DAUTHPP_BUILD_EXAMPLES=OFF
#   cmake --build build/fuzz
#   nice scripts/fuzz-volume.sh build/fuzz ~/.cache/authpp-fuzz --runs 10000000
# Environment: AUTHPP_FUZZ_MAX_LEN (default 16384).
set -euo pipefail

usage() {
    echo "usage: scripts/fuzz-volume.sh BUILD_DIR CORPUS_DIR (--runs N | --seconds S) [TARGET...]" >&2
    exit 2
}
[ $# -ge 4 ] || usage
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=$(cd "$1" && pwd) || usage
corpus=$2
case $3 in
--runs) limit=(-runs="$4") ;;
--seconds) limit=(-max_total_time="$4") ;;
*) usage ;;
esac
[[ $4 =~ ^[1-9][0-9]*$ ]] || usage
shift 4
case "$(cd "$(dirname "$corpus")" 2>/dev/null && pwd)/" in
"$root"/*) echo "fuzz-volume: keep CORPUS_DIR outside the repository ($root)" >&2; exit 2 ;;
esac
mkdir -p "$corpus"
corpus=$(cd "$corpus" && pwd)
max_len=${AUTHPP_FUZZ_MAX_LEN:-16384}

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    for d in "$root"/tests/fuzz/corpus/*/; do targets+=("$(basename "$d")"); done
fi

failed=()
for t in "${targets[@]}"; do
    bin=$build/tests/fuzz/$t
    if [ ! -x "$bin" ]; then
        echo "fuzz-volume: $t: not built ($bin)" >&2
        failed+=("$t")
        continue
    fi
    dir=$corpus/$t
    if [ ! -d "$dir" ]; then
        mkdir -p "$dir"
        cp -R "$root/tests/fuzz/corpus/$t/." "$dir/" 2>/dev/null || true
    fi
    mkdir -p "$corpus/artifacts/$t"
    dict=()
    [ -f "$root/tests/fuzz/$t.dict" ] && dict=(-dict="$root/tests/fuzz/$t.dict")
    log=$corpus/artifacts/$t/last-run.log
    rc=0
    start=$(date +%s)
    "$bin" "${limit[@]}" -max_len="$max_len" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$corpus/artifacts/$t/" "${dict[@]}" "$dir" >"$log" 2>&1 || rc=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
    files=$(find "$dir" -type f | wc -l)
    if [ "$rc" -ne 0 ]; then
        artifact=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)
        printf '%-22s FAILED (exit %s) after %s runs; input: %s; log: %s\n' "$t" "$rc" "${runs:-?}" \
            "${artifact:-none written}" "$log"
        failed+=("$t")
    else
        printf '%-22s %11s runs  %7s exec/s  %6s corpus files  %5ss  no crash\n' "$t" "${runs:-?}" "${speed:-?}" \
            "$files" "$(($(date +%s) - start))"
    fi
done

if [ ${#failed[@]} -ne 0 ]; then
    echo "fuzz-volume: failed: ${failed[*]}" >&2
    exit 1
fi
echo "fuzz-volume: ${#targets[@]} targets, no crash"
