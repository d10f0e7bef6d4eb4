-- report.lua — wrk's summary as one machine-readable line (scripts/load.sh):
-- requests/s, latency percentiles in microseconds, and every kind of error
-- (a non-2xx/3xx status counts: a refused cookie must not pass for speed).
done = function(summary, latency, requests)
    local e = summary.errors
    io.write(string.format("RESULT requests=%d rps=%.0f p50_us=%d p90_us=%d p99_us=%d max_us=%d errors=%d\n",
        summary.requests, summary.requests / (summary.duration / 1e6),
        latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
        e.connect + e.read + e.write + e.timeout + e.status))
end
