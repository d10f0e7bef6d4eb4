// refresh_race_e2e.mjs — the rotation race across processes, through the example
// server, against the real oidc-provider (rotation on, no reuse grace: a
// refresh token that comes back revokes the grant) and a real redis-server.
//
//   1. 100 concurrent requests carrying one expired cookie, split across two
//      authpp-example-server processes sharing Redis (AUTHPP_REDIS_URL):
//      exactly one refresh grant reaches the provider, and all 100 answer a
//      signed-in session with the same new access token.
//   2. The same with the token endpoint slowed beyond the lock's lease (the
//      lease is renewed, so the second process does not get in).
//   3. The same inside one process without Redis.
//   4. The lock holder killed (SIGKILL) mid-refresh: the other process takes
//      over after the lease and nobody is logged out.
//   5. Control: two processes with in-memory stores redeem twice and one
//      loses the session — the race the rest prevents.
//
// Environment (set by CMake): AUTHPP_EXAMPLE_SERVER, AUTHPP_FIXTURE_DIR,
// AUTHPP_REDIS_SERVER (the redis-server binary).
import { randomBytes } from "node:crypto";
import {
    Browser, check, credentialsTokens, equal, finish, freePort, need, sleep, startProvider, startRedis, startServer, step,
} from "./harness.mjs";

const binary = need("AUTHPP_EXAMPLE_SERVER");
const fixtureDir = need("AUTHPP_FIXTURE_DIR");
const redisBinary = need("AUTHPP_REDIS_SERVER");

const ACCESS_TTL = 2;
const LEASE_MS = 1000;
const REQUESTS = 100;
const redis = await startRedis(redisBinary);
const redisEnv = { AUTHPP_REDIS_URL: redis.url(0) };
const ports = [await freePort(), await freePort()];
const provider = await startProvider({
    fixtureDir, accessTtl: ACCESS_TTL, redirectUris: ports.map((p) => `http://127.0.0.1:${p}/api/auth/callback/immutable`),
});
const grants = async () => (await provider.command("count")).split(" ").slice(1).map(Number); // total ok failed

async function startServers(count, env) {
    const secret = randomBytes(32).toString("base64");
    const common = { AUTHPP_REFRESH_LEASE_MS: String(LEASE_MS), ...env };
    return Promise.all(ports.slice(0, count).map((port) => startServer({ binary, port, issuer: provider.issuer, secret, env: common })));
}

/// Signs in on `server` with real tokens; returns the browser (its cookie)
/// and the access token it started with, once that token has expired.
async function expiredSession(server, sub) {
    const b = new Browser();
    const { csrfToken } = await (await b.fetch(`${server.origin}/api/auth/csrf`)).json();
    const tokens = credentialsTokens(await provider.login(sub), sub);
    const res = await b.fetch(`${server.origin}/api/auth/callback/immutable`, { method: "POST", form: { csrfToken, tokens, callbackUrl: "/" } });
    equal(res.status, 302, "sign-in");
    await sleep((ACCESS_TTL + 1) * 1000);
    return { b, old: JSON.parse(tokens).accessToken };
}

/// `n` GET /api/auth/session with one cookie, spread round-robin over `servers`.
function burst(servers, cookie, n, offset = 0) {
    return Array.from({ length: n }, (_, i) => {
        const s = servers[(i + offset) % servers.length];
        return fetch(`${s.origin}/api/auth/session`, { headers: { cookie } }).then((r) => r.json(), (e) => ({ fetchError: e.message }));
    });
}

function allSignedInWithOneNewToken(sessions, old, what) {
    const bad = sessions.filter((s) => !s || s.fetchError || s.error || !s.accessToken);
    check(bad.length === 0, `${what}: every request signed in (${bad.length} not: ${JSON.stringify(bad.slice(0, 3))})`);
    const tokens = new Set(sessions.map((s) => s?.accessToken));
    equal(tokens.size, 1, `${what}: one access token among ${sessions.length} answers`);
    check(!tokens.has(old), `${what}: a new access token`);
    equal(new Set(sessions.map((s) => s?.refreshToken)).size, 1, `${what}: one rotated refresh token`);
}

async function race({ count, env, slowMs }) {
    const servers = await startServers(count, env);
    try {
        const { b, old } = await expiredSession(servers[0], "rita");
        const before = await grants();
        await provider.command(`mode slow ${slowMs}`);
        const sessions = await Promise.all(burst(servers, b.cookieHeader(), REQUESTS));
        await provider.command("mode normal");
        const after = await grants();
        return { sessions, old, delta: after.map((n, i) => n - before[i]) };
    } finally {
        await Promise.all(servers.map((s) => s.kill()));
    }
}

await step(`${REQUESTS} requests over two processes sharing Redis: one refresh grant, one new token for all`, async () => {
    const { sessions, old, delta } = await race({ count: 2, env: redisEnv, slowMs: 300 });
    equal(delta, [1, 1, 0], "refresh grants at the provider (total, ok, failed)");
    allSignedInWithOneNewToken(sessions, old, "two processes");
});

await step(`the same with the token endpoint slowed to ${2.5 * LEASE_MS} ms, beyond the ${LEASE_MS} ms lease`, async () => {
    const { sessions, old, delta } = await race({ count: 2, env: redisEnv, slowMs: 2.5 * LEASE_MS });
    equal(delta, [1, 1, 0], "refresh grants at the provider (total, ok, failed)");
    allSignedInWithOneNewToken(sessions, old, "slow provider");
});

await step(`${REQUESTS} requests inside one process without Redis: one refresh grant`, async () => {
    const { sessions, old, delta } = await race({ count: 1, env: {}, slowMs: 300 });
    equal(delta, [1, 1, 0], "refresh grants at the provider (total, ok, failed)");
    allSignedInWithOneNewToken(sessions, old, "one process");
});

await step("the lock holder killed mid-refresh: the other process takes over after the lease, nobody logged out", async () => {
    const servers = await startServers(2, redisEnv);
    try {
        const { b, old } = await expiredSession(servers[0], "kim");
        const before = await grants();
        await provider.command("mode slow 3000"); // the holder's redemption hangs at the provider…
        const first = burst([servers[0]], b.cookieHeader(), REQUESTS / 2);
        await sleep(400); // …holding the lock
        const started = Date.now();
        const second = burst([servers[1]], b.cookieHeader(), REQUESTS / 2);
        await sleep(200);
        await servers[0].kill("SIGKILL"); // its request dies with it and never reaches the provider
        const survivors = await Promise.all(second);
        const waited = Date.now() - started;
        await provider.command("mode normal");
        const after = await grants();
        equal(after.map((n, i) => n - before[i]), [1, 1, 0], "refresh grants at the provider (total, ok, failed)");
        allSignedInWithOneNewToken(survivors, old, "after the takeover");
        check(waited >= LEASE_MS - 200, `the takeover waited for the lease (${waited} ms)`);
        const dead = await Promise.all(first);
        check(dead.every((s) => s.fetchError), "the killed process's own requests got no answer (a network error, not a logout)");
    } finally {
        await Promise.all(servers.map((s) => s.kill()));
    }
});

await step("control, two processes with in-memory stores: the rotating refresh token is redeemed twice and a session is lost", async () => {
    const servers = await startServers(2, {});
    try {
        const { b } = await expiredSession(servers[0], "lee");
        const before = await grants();
        await provider.command("mode slow 600");
        const sessions = await Promise.all(servers.map((s) => fetch(`${s.origin}/api/auth/session`, { headers: { cookie: b.cookieHeader() } }).then((r) => r.json())));
        await provider.command("mode normal");
        const delta = (await grants()).map((n, i) => n - before[i]);
        equal(delta[0], 2, `two refresh grants (${delta})`);
        check(delta[2] >= 1, `a refused one (${delta})`);
        check(sessions.some((s) => s?.error === "RefreshTokenError"), `one process lost the session: ${sessions.map((s) => s?.error)}`);
    } finally {
        await Promise.all(servers.map((s) => s.kill()));
    }
});

provider.kill();
redis.kill();
finish();
