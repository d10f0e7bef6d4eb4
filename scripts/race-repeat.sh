#!/usr/bin/env bash
# scripts/race-repeat.sh BUILD_DIR [RUNS]
#
# Runs the refresh race tests (refresh_race.*: one process with blocking
# threads and async operations, two worker processes sharing Redis, a lock
# holder killed mid-refresh; e2e.refresh_race: the same through two
# authpp-example-server processes; each against the real OpenID provider
# with a normal and a slowed token endpoint) RUNS times (default 20) and
# prints how many runs each test passed. The build dir must have
# been built (targets test_refresh_race_inprocess, race_worker,
# test_refresh_race_multiprocess) and configured with the integration tests.
# Exits 1 when any run failed; the failing runs' logs are kept under
# BUILD_DIR/race-repeat/.
set -euo pipefail

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
    echo "usage: scripts/race-repeat.sh BUILD_DIR [RUNS]" >&2
    exit 2
fi
build=$(cd "$1" && pwd)
runs=${2:-20}
logs=$build/race-repeat
rm -rf "$logs" && mkdir -p "$logs"

# The npm fixture once, then only the race tests.
ctest --test-dir "$build" -R '^integration\.npm_ci$' >/dev/null

declare -A passed
tests=$(ctest --test-dir "$build" -N -FA '.*' -R '^(refresh_race\.|e2e\.refresh_race$)' | sed -n 's/^ *Test *#[0-9]*: //p')
[ -n "$tests" ] || { echo "no refresh_race tests in $build" >&2; exit 2; }
for t in $tests; do passed[$t]=0; done
failed=0
for i in $(seq 1 "$runs"); do
    for t in $tests; do
        if ctest --test-dir "$build" -R "^${t//./\\.}\$" -FA '.*' --output-on-failure >"$logs/$t.$i.log" 2>&1; then
            passed[$t]=$((passed[$t] + 1))
            rm -f "$logs/$t.$i.log"
        else
            failed=1
            echo "run $i: $t FAILED (log: $logs/$t.$i.log)"
        fi
    done
done
for t in $tests; do echo "$t: ${passed[$t]}/$runs passed"; done
exit $failed
