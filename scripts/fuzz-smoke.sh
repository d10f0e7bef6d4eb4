#!/usr/bin/env bash
# scripts/fuzz-smoke.sh BUILD_DIR SECONDS
#
# Runs every libFuzzer target built in BUILD_DIR (configured with clang and
# -DAUTHPP_BUILD_FUZZ=ON) for SECONDS each, one after the other, on a copy of
# its seed corpus tests/fuzz/corpus/<target>/ in a temporary directory (the
# checkout stays clean; inputs found on the way are thrown away), with the
# dictionary tests/fuzz/<target>.dict when there is one. Prints one line per
# target; exits 1 when any target crashes, leaks or times out, naming the
# input that did it (kept under BUILD_DIR/fuzz-artifacts/<target>/, with the
# run's log). Environment: AUTHPP_FUZZ_MAX_LEN (default 16384).
set -euo pipefail

if [ $# -ne 2 ] || ! [[ $2 =~ ^[1-9][0-9]*$ ]]; then
    echo "usage: scripts/fuzz-smoke.sh BUILD_DIR SECONDS   (SECONDS: a positive integer)" >&2
    exit 2
fi
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=$(cd "$1" && pwd)
seconds=$2
max_len=${AUTHPP_FUZZ_MAX_LEN:-16384}
corpus_root=$root/tests/fuzz/corpus
bin_dir=$build/tests/fuzz
artifacts=$build/fuzz-artifacts

# One target per seed corpus directory.
targets=()
for d in "$corpus_root"/*/; do
    targets+=("$(basename "$d")")
done
if [ ${#targets[@]} -eq 0 ]; then
    echo "fuzz-smoke: no seed corpora under $corpus_root" >&2
    exit 1
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/authpp-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT

failed=()
for t in "${targets[@]}"; do
    bin=$bin_dir/$t
    if [ ! -x "$bin" ]; then
        echo "fuzz-smoke: $t: not built ($bin missing; configure with CXX=clang++ -DAUTHPP_BUILD_FUZZ=ON)" >&2
        failed+=("$t")
        continue
    fi
    mkdir -p "$work/$t" "$artifacts/$t"
    cp -R "$corpus_root/$t/." "$work/$t/"
    dict=()
    [ -f "$root/tests/fuzz/$t.dict" ] && dict=(-dict="$root/tests/fuzz/$t.dict")
    log=$work/$t.log
    rc=0
    "$bin" -max_total_time="$seconds" -max_len="$max_len" -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 -artifact_prefix="$artifacts/$t/" "${dict[@]}" "$work/$t" >"$log" 2>&1 || rc=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
    if [ "$rc" -ne 0 ]; then
        artifact=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)
        cp "$log" "$artifacts/$t/last-run.log"
        tail -n 40 "$log" >&2
        printf 'fuzz-smoke: %-22s FAILED (exit %s) after %s runs; input: %s; log: %s\n' "$t" "$rc" \
            "${runs:-?}" "${artifact:-none written}" "$artifacts/$t/last-run.log" >&2
        failed+=("$t")
    else
        printf '%-22s %10s runs  %7s exec/s  %4s corpus files\n' "$t" "${runs:-?}" "${speed:-?}" \
            "$(find "$work/$t" -type f | wc -l)"
    fi
done

if [ ${#failed[@]} -ne 0 ]; then
    echo "fuzz-smoke: failed: ${failed[*]}" >&2
    exit 1
fi
echo "fuzz-smoke: ${#targets[@]} targets, ${seconds}s each, no crash"
