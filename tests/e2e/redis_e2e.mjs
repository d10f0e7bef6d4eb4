// redis_e2e.mjs — two authpp-example-server processes sharing a real
// redis-server (AUTHPP_REDIS_URL) get the same expired session cookie at the
// same moment: the provider sees ONE refresh grant and both answer with the
// same new tokens. The control: two servers with in-memory stores redeem the
// rotating refresh token twice, and one of them loses the session.
//
// Environment (set by CMake): AUTHPP_EXAMPLE_SERVER, AUTHPP_FIXTURE_DIR,
// AUTHPP_REDIS_SERVER (the redis-server binary).
import { randomBytes } from "node:crypto";
import {
    Browser, Child, check, credentialsTokens, equal, finish, freePort, need, sleep, startProvider, startServer, step,
} from "./harness.mjs";

const binary = need("AUTHPP_EXAMPLE_SERVER");
const fixtureDir = need("AUTHPP_FIXTURE_DIR");
const redisBinary = need("AUTHPP_REDIS_SERVER");

const ACCESS_TTL = 3;
const redisPort = await freePort();
const redis = new Child(redisBinary, ["--port", String(redisPort), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]);
await redis.waitFor(/Ready to accept connections/);
const ports = [await freePort(), await freePort()];
const provider = await startProvider({
    fixtureDir, accessTtl: ACCESS_TTL, redirectUris: ports.map((p) => `http://127.0.0.1:${p}/api/auth/callback/immutable`),
});
const grants = async () => (await provider.command("count")).split(" ").slice(1).map(Number); // total ok failed

/// Two servers (same secret), one session cookie signed in on the first,
/// both asked for the session at once after the access token expired.
async function race(env) {
    const secret = randomBytes(32).toString("base64");
    const servers = await Promise.all(ports.map((port) => startServer({ binary, port, issuer: provider.issuer, secret, env })));
    try {
        const b = new Browser();
        const origin = servers[0].origin;
        const { csrfToken } = await (await b.fetch(`${origin}/api/auth/csrf`)).json();
        const tokens = credentialsTokens(await provider.login("rita"), "rita");
        const res = await b.fetch(`${origin}/api/auth/callback/immutable`, { method: "POST", form: { csrfToken, tokens, callbackUrl: "/" } });
        equal(res.status, 302, "sign-in");
        const before = await grants();
        await sleep((ACCESS_TTL + 1) * 1000);
        await provider.command("mode slow 600"); // both requests are surely waiting on the one refresh
        const sessions = await Promise.all(servers.map(async (s) => {
            const r = await fetch(`${s.origin}/api/auth/session`, { headers: { cookie: b.cookieHeader() } });
            return r.json();
        }));
        await provider.command("mode normal");
        const after = await grants();
        return { sessions, delta: after.map((n, i) => n - before[i]), old: JSON.parse(tokens).accessToken };
    } finally {
        await Promise.all(servers.map((s) => s.kill()));
    }
}

await step("with AUTHPP_REDIS_URL: one refresh grant for two processes, the same new tokens on both", async () => {
    const { sessions, delta, old } = await race({ AUTHPP_REDIS_URL: `redis://127.0.0.1:${redisPort}/0` });
    equal(delta, [1, 1, 0], "refresh grants at the provider (total, ok, failed)");
    for (const s of sessions) {
        check(s && !s.error, `a live session on both: ${JSON.stringify(s?.error)}`);
        check(s.accessToken !== old, "a new access token");
    }
    equal(sessions[0].accessToken, sessions[1].accessToken, "the same new access token");
    equal(sessions[0].refreshToken, sessions[1].refreshToken, "the same rotated refresh token");
});

await step("control, in-memory stores: the rotating refresh token is redeemed twice and a session is lost", async () => {
    const { sessions, delta } = await race({});
    equal(delta[0], 2, `two refresh grants (${delta})`);
    check(delta[2] >= 1, `a refused one (${delta})`);
    check(sessions.some((s) => s?.error === "RefreshTokenError"), `one process lost the session: ${sessions.map((s) => s?.error)}`);
});

provider.kill();
redis.kill();
finish();
