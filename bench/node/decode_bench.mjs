// decode_bench.mjs — times the real Auth.js decode (@auth/core/jwt, pinned in
// package-lock.json) on the token bench_decode wrote, for the C++/Node ratio
// scripts/bench.sh prints.
//
//   node decode_bench.mjs TOKEN_JSON [--warmup N] [--iterations N]
//
// TOKEN_JSON is the file bench_decode writes when AUTHPP_BENCH_TOKEN_OUT is
// set: {"token","salt","secret","sub"}. After the warm-up, every call is timed
// on its own (wall clock, awaited one after another, as a server handling one
// request would) and the median is reported; cpu_ns_per_op is the process's
// CPU time over the timed calls divided by their number (jose's WebCrypto may
// use other threads, which that counts too). Prints one line of JSON.
import { decode } from "@auth/core/jwt";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

function usage(msg) {
    if (msg) console.error(`decode_bench: ${msg}`);
    console.error("usage: node decode_bench.mjs TOKEN_JSON [--warmup N] [--iterations N]");
    process.exit(2);
}

const args = process.argv.slice(2);
let file;
let warmup = 1000;
let iterations = 5000;
for (let i = 0; i < args.length; ++i) {
    const a = args[i];
    if (a === "--warmup" || a === "--iterations") {
        const n = Number(args[++i]);
        if (!Number.isInteger(n) || n <= 0) usage(`${a} needs a positive integer`);
        if (a === "--warmup") warmup = n;
        else iterations = n;
    } else if (!file && !a.startsWith("--")) file = a;
    else usage(`unexpected argument ${a}`);
}
if (!file) usage();

const { token, salt, secret, sub } = JSON.parse(readFileSync(file, "utf8"));
const params = { token, salt, secret };

// The token must decode to what the C++ side encoded, or nothing is measured.
const payload = await decode(params);
if (!payload || payload.sub !== sub) {
    console.error("decode_bench: @auth/core did not decode the token to the expected claims");
    process.exit(1);
}

for (let i = 0; i < warmup; ++i) await decode(params);

const samples = new Float64Array(iterations);
const cpu0 = process.cpuUsage();
const wall0 = process.hrtime.bigint();
for (let i = 0; i < iterations; ++i) {
    const t0 = process.hrtime.bigint();
    await decode(params);
    samples[i] = Number(process.hrtime.bigint() - t0);
}
const wall = Number(process.hrtime.bigint() - wall0);
const cpu = process.cpuUsage(cpu0);

samples.sort();
const at = (q) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))];
const median = samples.length % 2 ? samples[(samples.length - 1) / 2]
                                  : (samples[samples.length / 2 - 1] + samples[samples.length / 2]) / 2;
const corePkg = new URL("./package.json", import.meta.resolve("@auth/core"));
const version = JSON.parse(readFileSync(fileURLToPath(corePkg), "utf8")).version;

console.log(JSON.stringify({
    name: "@auth/core decode",
    auth_core: version,
    node: process.version,
    token_bytes: token.length,
    warmup,
    iterations,
    median_ns: Math.round(median),
    p10_ns: Math.round(at(0.1)),
    p90_ns: Math.round(at(0.9)),
    mean_ns: Math.round(wall / iterations),
    cpu_ns_per_op: Math.round(((cpu.user + cpu.system) * 1000) / iterations),
}));
