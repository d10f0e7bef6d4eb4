// hardening_e2e.mjs — authpp-example-server against the probes of an outside
// attack, over raw TCP: unbounded request memory (a 200 MB chunk extension),
// Transfer-Encoding smuggling, a missing or doubled Host, a slow request,
// and an acceptor out of file descriptors. Each probe failed before the fix.
import fs from "node:fs";
import net from "node:net";
import { Child, check, equal, finish, freePort, need, sleep, step } from "./harness.mjs";

const binary = need("AUTHPP_EXAMPLE_SERVER");

async function start(extraEnv = {}, { fdLimit } = {}) {
    const port = await freePort();
    const env = {
        PATH: process.env.PATH,
        AUTH_SECRET: "hardening-test-secret-0123456789abcdef",
        AUTHPP_LISTEN: `127.0.0.1:${port}`,
        ...extraEnv,
    };
    // A low descriptor limit is set by the shell that then becomes the server.
    const s = fdLimit
        ? new Child("bash", ["-c", `ulimit -n ${fdLimit} && exec "$0"`, binary], { env })
        : new Child(binary, [], { env });
    await s.waitFor(/^READY /);
    s.port = port;
    s.origin = `http://127.0.0.1:${port}`;
    return s;
}

function rssKb(pid) {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return Number(m[1]);
}
/// CPU seconds the process has used (user + system).
function cpuSeconds(pid) {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (100 Hz)
}

/// Sends `bytes` on a fresh connection and collects everything the server
/// answers until it closes (or `ms` pass).
function exchange(port, bytes, ms = 5000) {
    return new Promise((resolve) => {
        const sock = net.connect(port, "127.0.0.1");
        let data = "";
        const t0 = Date.now();
        const timer = setTimeout(() => { sock.destroy(); resolve({ data, closed: false, ms: Date.now() - t0 }); }, ms);
        sock.on("data", (d) => { data += d.toString("latin1"); });
        sock.on("error", () => {});
        sock.on("close", () => { clearTimeout(timer); resolve({ data, closed: true, ms: Date.now() - t0 }); });
        sock.write(bytes);
    });
}
const statuses = (data) => [...data.matchAll(/^HTTP\/1\.[01] (\d{3})/gm)].map((m) => Number(m[1]));

const server = await start();
const pid = server.proc.pid;

await step("a 200 MB chunk extension is refused (413/431) and memory stays bounded", async () => {
    const idle = rssKb(pid);
    let peak = idle;
    const sampler = setInterval(() => { peak = Math.max(peak, rssKb(pid)); }, 20);
    const answer = await new Promise((resolve) => {
        const sock = net.connect(server.port, "127.0.0.1");
        let data = "", open = true, sent = 0;
        sock.on("data", (d) => { data += d.toString("latin1"); });
        sock.on("error", () => { open = false; });
        sock.on("close", () => { open = false; resolve({ data, sent }); });
        const block = Buffer.alloc(1 << 20, "a");
        (async () => {
            sock.write("POST /api/auth/session HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n1;ext=");
            while (open && sent < 200 * (1 << 20)) {
                sent += block.length;
                if (!sock.write(block)) await new Promise((r) => { sock.once("drain", r); sock.once("close", r); });
            }
            sock.end();
        })();
    });
    clearInterval(sampler);
    peak = Math.max(peak, rssKb(pid));
    console.log(`  RSS idle ${idle} kB, peak ${peak} kB (+${peak - idle} kB); ${answer.sent >> 20} MB sent before the close`);
    check(answer.sent < 200 * (1 << 20), "the server closed the connection before 200 MB");
    if (answer.data) check([413, 431].includes(statuses(answer.data)[0]), `the answer: ${statuses(answer.data)}`);
    check(peak - idle < 8 * 1024, `RSS grew by ${peak - idle} kB`);
    // Trailers are framing too.
    const late = await exchange(server.port,
        "POST /api/auth/session HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX-Trailer: " +
        "t".repeat(120 * 1024));
    check(late.closed, "closed");
    if (late.data) check([413, 431].includes(statuses(late.data)[0]), `status ${statuses(late.data)}`);
    const res = await fetch(`${server.origin}/`);
    equal(res.status, 200, "the server still answers");
});

await step("Transfer-Encoding other than chunked alone: 400/501 and close, the body never served as a request", async () => {
    const smuggled = "GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n";
    const probes = [
        ["gzip", 400], ["chunked, gzip", 400], ["identity", 400], ["chunked, chunked", 400], ["gzip, chunked", 501],
    ];
    for (const [te, expected] of probes) {
        const body = te.endsWith("chunked") ? `${smuggled.length.toString(16)}\r\n${smuggled}\r\n0\r\n\r\n` : smuggled;
        const r = await exchange(server.port,
            `POST /api/auth/session HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: ${te}\r\n\r\n${body}`);
        equal(statuses(r.data), [expected], `Transfer-Encoding: ${te}`);
        check(r.closed, `closed after Transfer-Encoding: ${te}`);
    }
    const old = await exchange(server.port, `POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n${smuggled}`);
    equal(statuses(old.data), [400], "Transfer-Encoding in HTTP/1.0");
    await sleep(100);
    check(!server.lines.some((l) => l.includes("/smuggled")), "no smuggled request was served");
    // chunked alone still works.
    const ok = await exchange(server.port,
        "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n2\r\n{}\r\n0\r\n\r\n");
    equal(statuses(ok.data), [200], "plain chunked");
});

await step("HTTP/1.1 needs exactly one Host", async () => {
    let r = await exchange(server.port, "GET / HTTP/1.1\r\n\r\n");
    equal(statuses(r.data), [400], "no Host");
    check(r.closed, "closed");
    r = await exchange(server.port, "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n");
    equal(statuses(r.data), [400], "two Host fields");
    r = await exchange(server.port, "GET / HTTP/1.0\r\n\r\n");
    equal(statuses(r.data), [200], "HTTP/1.0 without Host");
    r = await exchange(server.port, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    equal(statuses(r.data), [200], "HTTP/1.1 with Host");
});

await step("a request trickling in is cut off after the request time-out, not the idle one", async () => {
    const slow = await start({ AUTHPP_REQUEST_TIMEOUT_MS: "1000" });
    const t0 = Date.now();
    const closed = await new Promise((resolve) => {
        const sock = net.connect(slow.port, "127.0.0.1");
        sock.on("error", () => {});
        sock.write("GET / HTTP/1.1\r\nHost: x\r\n");
        const drip = setInterval(() => sock.write("X-A: b\r\n"), 200); // always inside any idle time-out
        sock.on("close", () => { clearInterval(drip); resolve(Date.now() - t0); });
        setTimeout(() => { clearInterval(drip); sock.destroy(); resolve(-1); }, 8000);
    });
    check(closed > 0, "the server never closed the slow request");
    check(closed < 3000, `closed after ${closed} ms`);
    // A client that is merely slow to start a request still gets an answer.
    const late = await new Promise((resolve) => {
        const sock = net.connect(slow.port, "127.0.0.1");
        let data = "";
        sock.on("data", (d) => { data += d; });
        sock.on("error", () => {});
        sock.on("close", () => resolve(data));
        setTimeout(() => sock.write("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"), 1500);
    });
    equal(statuses(late), [200], "a request started after 1.5 s of idle");
    await slow.kill();
});

await step("out of file descriptors, the acceptor waits instead of spinning", async () => {
    const tight = await start({}, { fdLimit: 48 });
    const tpid = tight.proc.pid;
    const socks = [];
    for (let i = 0; i < 80; ++i) {
        const s = net.connect(tight.port, "127.0.0.1");
        s.on("error", () => {});
        socks.push(s);
    }
    await sleep(700);
    const c0 = cpuSeconds(tpid);
    await sleep(2000);
    const used = cpuSeconds(tpid) - c0;
    equal(tight.proc.exitCode, null, "the server is still running");
    console.log(`  CPU over 2 s with the descriptors exhausted: ${used.toFixed(2)} s`);
    check(used < 0.5, `the server used ${used.toFixed(2)} s of CPU in 2 s (spinning)`);
    const failures = tight.lines.filter((l) => l.includes("accept failed")).length;
    check(failures >= 1 && failures <= 2, `${failures} 'accept failed' log lines (one per burst)`);
    for (const s of socks) s.destroy();
    await sleep(500);
    const res = await fetch(`${tight.origin}/`);
    equal(res.status, 200, "serves again once descriptors are free");
    await tight.kill();
});

finish();
