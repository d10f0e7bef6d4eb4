// database_e2e.mjs — the database session strategy through the example
// server (AUTHPP_SESSION_STRATEGY=database) on a real redis-server and the
// real oidc-provider: the cookie carries only an opaque id, the tokens live in
// Redis (shared by two server processes), a refresh updates them under the
// same id, Redis that stops answering for a moment signs nobody out, and
// sign-out ends one session and sign-out everywhere ends them all.
//
// Environment (set by CMake): AUTHPP_EXAMPLE_SERVER, AUTHPP_FIXTURE_DIR,
// AUTHPP_REDIS_SERVER; AUTHPP_E2E_REDIS_TLS=1 runs it all over rediss://
// (the server requiring a client certificate, the example server given
// AUTHPP_REDIS_CA_FILE, AUTHPP_REDIS_CERT_FILE and AUTHPP_REDIS_KEY_FILE).
import { randomBytes } from "node:crypto";
import {
    Browser, check, credentialsTokens, equal, finish, freePort, makeCerts, need, sleep, startProvider, startRedis,
    startServer, step,
} from "./harness.mjs";

const binary = need("AUTHPP_EXAMPLE_SERVER");
const fixtureDir = need("AUTHPP_FIXTURE_DIR");
const redisBinary = need("AUTHPP_REDIS_SERVER");

const ACCESS_TTL = 2;
const certs = process.env.AUTHPP_E2E_REDIS_TLS ? makeCerts(fixtureDir) : undefined;
const redis = await startRedis(redisBinary, { tls: certs });
const ports = [await freePort(), await freePort()];
const provider = await startProvider({
    fixtureDir, accessTtl: ACCESS_TTL, redirectUris: ports.map((p) => `http://127.0.0.1:${p}/api/auth/callback/immutable`),
});
const secret = randomBytes(32).toString("base64");
const env = { AUTHPP_SESSION_STRATEGY: "database", AUTHPP_REDIS_URL: redis.url(3) };
if (certs)
    Object.assign(env, {
        AUTHPP_REDIS_CA_FILE: `${certs}/ca.pem`,
        AUTHPP_REDIS_CERT_FILE: `${certs}/client.pem`,
        AUTHPP_REDIS_KEY_FILE: `${certs}/client.key`,
    });
const servers = await Promise.all(ports.map((port) => startServer({ binary, port, issuer: provider.issuer, secret, env })));
const [a, b] = servers;

async function signIn(server, sub) {
    const br = new Browser();
    const { csrfToken } = await (await br.fetch(`${server.origin}/api/auth/csrf`)).json();
    const tokens = credentialsTokens(await provider.login(sub), sub);
    const res = await br.fetch(`${server.origin}/api/auth/callback/immutable`, { method: "POST", form: { csrfToken, tokens, callbackUrl: "/" } });
    equal(res.status, 302, `sign-in of ${sub}`);
    return { br, tokens: JSON.parse(tokens) };
}
const sessionOf = async (server, cookie) =>
    (await fetch(`${server.origin}/api/auth/session`, { headers: { cookie } })).json();
const idOf = (br) => br.jar.get("authjs.session-token");

try {
    let ada, adaCookie;
    await step("sign-in: the cookie is an opaque 43-character id, the session is read by the other process", async () => {
        ada = await signIn(a, "ada");
        const id = idOf(ada.br);
        check(/^[A-Za-z0-9_-]{43}$/.test(id ?? ""), `an opaque id, not a JWE: ${id?.slice(0, 12)}…`);
        adaCookie = ada.br.cookieHeader();
        const s = await sessionOf(b, adaCookie);
        equal(s?.user?.sub, "ada", "the second process sees the user");
        equal(s.accessToken, ada.tokens.accessToken, "with the tokens stored at sign-in");
    });

    await step("refresh: new tokens stored under the same id; the old cookie reads them too", async () => {
        await sleep((ACCESS_TTL + 1) * 1000);
        const before = (await provider.command("count")).split(" ").map(Number)[1];
        const res = await ada.br.fetch(`${b.origin}/api/auth/session`);
        const s = await res.json();
        check(s && !s.error && s.accessToken && s.accessToken !== ada.tokens.accessToken, `refreshed: ${s?.error}`);
        equal(idOf(ada.br), adaCookie.match(/authjs\.session-token=([^;]+)/)[1], "the same session id");
        const after = (await provider.command("count")).split(" ").map(Number)[1];
        equal(after - before, 1, "one refresh grant");
        const again = await sessionOf(a, adaCookie);
        equal(again.accessToken, s.accessToken, "the other process, with the cookie as it was, reads the new token");
        equal(again.refreshToken, s.refreshToken, "and the rotated refresh token: nothing to redeem twice");
    });

    await step("Redis stopped for a moment: no session then, but the cookie is kept and the session comes back", async () => {
        process.kill(redis.proc.pid, "SIGSTOP"); // commands now time out (500 ms): the store cannot be asked
        let res;
        try {
            res = await fetch(`${a.origin}/api/auth/session`, { headers: { cookie: adaCookie } });
        } finally {
            process.kill(redis.proc.pid, "SIGCONT");
        }
        const body = await res.json();
        check(!body?.user, `no session while Redis does not answer: ${JSON.stringify(body)?.slice(0, 80)}`);
        const cleared = res.headers.getSetCookie().filter((c) => c.startsWith("authjs.session-token"));
        equal(cleared.length, 0, "the session cookie is not cleared (a failover must not sign anyone out)");
        await sleep(300);
        const back = await sessionOf(a, adaCookie);
        equal(back?.user?.sub, "ada", "the same cookie reads the session once Redis answers");
    });

    await step("sign-out ends that session only: its cookie replayed afterwards names no session", async () => {
        const other = await signIn(a, "ada");
        const cookie = other.br.cookieHeader();
        const { csrfToken } = await (await other.br.fetch(`${a.origin}/api/auth/csrf`)).json();
        const res = await other.br.fetch(`${a.origin}/api/auth/signout`, { method: "POST", form: { csrfToken } });
        equal(res.status, 302, "sign-out");
        equal(await sessionOf(b, cookie), null, "the replayed cookie has no session");
        equal((await sessionOf(b, adaCookie))?.user?.sub, "ada", "ada's first session is untouched");
    });

    await step("sign-out everywhere ends every session of the user, and only that user's", async () => {
        const second = await signIn(b, "ada");
        const bob = await signIn(a, "bob");
        const { csrfToken } = await (await ada.br.fetch(`${a.origin}/api/auth/csrf`)).json();

        let res = await ada.br.fetch(`${a.origin}/api/signout-everywhere`, { method: "POST", form: { csrfToken: "forged" } });
        equal(res.status, 403, "a forged CSRF token is refused");
        equal((await sessionOf(a, adaCookie))?.user?.sub, "ada", "nothing ended by the refused request");

        res = await ada.br.fetch(`${a.origin}/api/signout-everywhere`, { method: "POST", form: { csrfToken } });
        equal(res.status, 200, "sign-out everywhere");
        equal(await sessionOf(a, adaCookie), null, "ada's first session ended");
        equal(await sessionOf(b, second.br.cookieHeader()), null, "ada's session on the other process ended");
        equal((await sessionOf(b, bob.br.cookieHeader()))?.user?.sub, "bob", "bob is still signed in");
        const fresh = await signIn(b, "ada");
        equal((await sessionOf(a, fresh.br.cookieHeader()))?.user?.sub, "ada", "ada can sign in again");
    });

    await step("the JWT server (no AUTHPP_SESSION_STRATEGY) refuses sign-out everywhere with 501", async () => {
        const port = await freePort();
        const jwt = await startServer({ binary, port, issuer: provider.issuer, secret, env: {} });
        try {
            const br = new Browser();
            const { csrfToken } = await (await br.fetch(`${jwt.origin}/api/auth/csrf`)).json();
            const res = await br.fetch(`${jwt.origin}/api/signout-everywhere`, { method: "POST", form: { csrfToken } });
            equal(res.status, 501, "not with JWT sessions");
        } finally {
            await jwt.kill();
        }
    });
} finally {
    await Promise.all(servers.map((s) => s.kill()));
    provider.kill();
    redis.kill();
}
finish();
