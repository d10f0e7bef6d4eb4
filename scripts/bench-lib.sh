# bench-lib.sh — what scripts/load.sh and scripts/peer-bench.sh share (sourced
# after they set root, threads and connections).

# With taskset and 2+ CPUs the servers run on CPU 0 and wrk on CPU 1, so the
# two do not take turns on one core: server_pin / wrk_pin are the commands
# to put in front (empty otherwise), pin_note says which it was.
server_pin=() wrk_pin=() pin_note='not pinned (no taskset or 1 CPU)'
if command -v taskset >/dev/null && [ "$(nproc)" -ge 2 ]; then
    server_pin=(taskset -c 0) wrk_pin=(taskset -c 1) pin_note='servers on CPU 0, wrk on CPU 1'
fi

# A server's CPU time so far (user + system, every thread), in clock ticks:
# what it spent per request does not depend on how busy the shared machine
# was, which requests/s does. (env, taskset and the subshell exec, so each
# pid is the server's own.)
cpu_ticks() {
    local stat
    stat=$(<"/proc/$1/stat")
    stat=${stat##*) } # past the command name
    read -r -a f <<<"$stat"
    echo $((f[11] + f[12]))
}
clk_tck=$(getconf CLK_TCK)

# One wrk run on wrk's CPU: duration, wrk args... → the RESULT line of
# bench/load/report.lua (requests, rps, latency percentiles, errors).
wrk_run() {
    "${wrk_pin[@]}" wrk -t"$threads" -c"$connections" -d"$1" --latency -s "$root/bench/load/report.lua" "${@:2}" |
        grep '^RESULT'
}
