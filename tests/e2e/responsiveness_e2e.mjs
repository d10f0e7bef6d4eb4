// responsiveness_e2e.mjs — a slow Redis must not stall the server: with one
// server thread (AUTHPP_THREADS=1), database sessions in Redis, and Redis
// behind a proxy that delays every reply by 200 ms, a public `GET /` answers
// in well under 100 ms while 10 database-session requests wait on the Store.
// (Before the Store became an asynchronous step, each of those requests held
// the only thread for two round trips: GET / waited seconds.)
//
// Environment (set by CMake): AUTHPP_EXAMPLE_SERVER, AUTHPP_FIXTURE_DIR,
// AUTHPP_REDIS_SERVER.
import { randomBytes } from "node:crypto";
import net from "node:net";
import {
    Browser, check, credentialsTokens, equal, finish, freePort, need, startProvider, startRedis, startServer, step,
} from "./harness.mjs";

const binary = need("AUTHPP_EXAMPLE_SERVER");
const fixtureDir = need("AUTHPP_FIXTURE_DIR");
const redisBinary = need("AUTHPP_REDIS_SERVER");
const DELAY_MS = 200;

/// A TCP proxy to `port` that holds every chunk from the server DELAY_MS
/// before passing it on, in order (requests go through at once).
async function delayingProxy(port) {
    const sockets = new Set();
    const server = net.createServer((client) => {
        const upstream = net.connect(port, "127.0.0.1");
        sockets.add(client).add(upstream);
        let last = Promise.resolve();
        client.on("data", (d) => upstream.write(d));
        upstream.on("data", (d) => {
            const due = Date.now() + DELAY_MS;
            last = last.then(() => new Promise((r) => setTimeout(() => {
                if (!client.destroyed) client.write(d);
                r();
            }, Math.max(0, due - Date.now()))));
        });
        const close = () => {
            client.destroy();
            upstream.destroy();
        };
        client.on("error", close).on("close", close);
        upstream.on("error", close).on("close", close);
    });
    await new Promise((r) => server.listen(0, "127.0.0.1", r));
    return {
        port: server.address().port,
        close: () => {
            for (const s of sockets) s.destroy();
            server.close();
        },
    };
}

const redis = await startRedis(redisBinary);
const proxy = await delayingProxy(Number(new URL(redis.url()).port));
const port = await freePort();
const provider = await startProvider({
    fixtureDir, accessTtl: 3600, redirectUris: [`http://127.0.0.1:${port}/api/auth/callback/immutable`],
});
const server = await startServer({
    binary, port, issuer: provider.issuer, secret: randomBytes(32).toString("base64"),
    env: {
        AUTHPP_SESSION_STRATEGY: "database",
        AUTHPP_REDIS_URL: `redis://127.0.0.1:${proxy.port}/4`,
        AUTHPP_THREADS: "1",
    },
});

const timed = async (fn) => {
    const t0 = performance.now();
    const value = await fn();
    return { ms: performance.now() - t0, value };
};

try {
    let cookie;
    await step("sign-in with a database session, through the slow Redis", async () => {
        const br = new Browser();
        const { csrfToken } = await (await br.fetch(`${server.origin}/api/auth/csrf`)).json();
        const tokens = credentialsTokens(await provider.login("ada"), "ada");
        const res = await br.fetch(`${server.origin}/api/auth/callback/immutable`,
            { method: "POST", form: { csrfToken, tokens, callbackUrl: "/" } });
        equal(res.status, 302, "sign-in");
        cookie = br.cookieHeader();
        const me = await timed(async () => (await fetch(`${server.origin}/api/me`, { headers: { cookie } })).json());
        equal(me.value?.user?.sub, "ada", "the session is read back");
        check(me.ms >= 2 * DELAY_MS - 20, `a database-session request takes two delayed round trips (${me.ms.toFixed(0)} ms)`);
    });

    await step("a public GET / answers in under 100 ms while 10 database-session requests are in flight", async () => {
        const inFlight = Array.from({ length: 10 }, () =>
            timed(async () => (await fetch(`${server.origin}/api/me`, { headers: { cookie } })).json()));
        await new Promise((r) => setTimeout(r, 50)); // they are all waiting on Redis now
        const publicTimes = [];
        for (let i = 0; i < 5; ++i) {
            const p = await timed(async () => (await fetch(`${server.origin}/`)).status);
            equal(p.value, 200, "GET /");
            publicTimes.push(p.ms);
        }
        const done = await Promise.all(inFlight);
        for (const d of done) equal(d.value?.user?.sub, "ada", "every database-session request got its session");
        const worst = Math.max(...publicTimes);
        const slowest = Math.max(...done.map((d) => d.ms));
        console.log(`     GET / worst ${worst.toFixed(1)} ms (all: ${publicTimes.map((t) => t.toFixed(1)).join(", ")}); ` +
            `database-session requests ${Math.min(...done.map((d) => d.ms)).toFixed(0)}–${slowest.toFixed(0)} ms`);
        check(worst < 100, `GET / took ${worst.toFixed(1)} ms while the store was slow`);
        check(slowest >= 2 * DELAY_MS - 20, "the database-session requests really waited on the store");
    });
} finally {
    proxy.close();
}
finish();
