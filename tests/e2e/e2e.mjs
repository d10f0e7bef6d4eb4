// e2e.mjs — authpp-example-server end to end, on loopback, with the real
// OpenID provider (oidc-provider) and the real Auth.js (@auth/core Auth()):
//
//   sign-in by authorization code + PKCE; protected page; /api/me; refresh on
//   expiry; a cookie of the C++ server read by Auth.js and one of Auth.js read
//   by the C++ server; the next-auth/react request sequence; security probes
//   (CSRF, open redirects, protected routes); SIGTERM with a request in flight.
//
// Environment (set by CMake): AUTHPP_EXAMPLE_SERVER (the binary),
// AUTHPP_FIXTURE_DIR (provider.mjs + oidc-provider), AUTHPP_INTEROP_WORK
// (@auth/core).
import { randomBytes } from "node:crypto";
import {
    Browser, check, credentialsTokens, equal, finish, freePort, need, sleep, startProvider, startServer, step,
} from "./harness.mjs";
import { referenceAuthjs } from "./reference_authjs.mjs";

const binary = need("AUTHPP_EXAMPLE_SERVER");
const fixtureDir = need("AUTHPP_FIXTURE_DIR");
const interopDir = need("AUTHPP_INTEROP_WORK");

const ACCESS_TTL = 4; // seconds: long enough for a step, short enough to wait out
const SESSION = "authjs.session-token";
const secret = randomBytes(32).toString("base64");
const port = await freePort();
const origin = `http://127.0.0.1:${port}`;
const provider = await startProvider({
    fixtureDir, accessTtl: ACCESS_TTL, redirectUris: [`${origin}/api/auth/callback/immutable`],
});
const server = await startServer({ binary, port, issuer: provider.issuer, secret });
const authjs = await referenceAuthjs({ nodeDir: interopDir, secret, userinfoEndpoint: `${provider.issuer}/me` });
const api = (p) => `${origin}/api/auth${p}`;

async function csrf(b) {
    const res = await b.fetch(api("/csrf"));
    equal(res.status, 200, "GET /csrf status");
    return (await res.json()).csrfToken;
}
async function session(b) {
    const res = await b.fetch(api("/session"));
    equal(res.status, 200, "GET /session status");
    return res.json();
}
/// The authorization-code sign-in through the server, as a browser does it.
async function oauthSignIn(b, sub, callbackUrl = "/dashboard") {
    const token = await csrf(b);
    // prompt=consent, passed on to the provider as Auth.js does, because
    // oidc-provider grants offline_access (a refresh token) only with it.
    let res = await b.fetch(api("/signin/immutable?prompt=consent"), { method: "POST", form: { csrfToken: token, callbackUrl } });
    equal(res.status, 302, "POST /signin/immutable status");
    check(res.headers.get("location").startsWith(`${provider.issuer}/auth?`), `to the provider: ${res.headers.get("location")}`);
    const cb = await b.follow(res, { base: origin, sub, stopAt: api("/callback/immutable") });
    check(cb.location, "the provider redirected back to the callback");
    res = await b.fetch(cb.location);
    return res;
}

const alice = new Browser();
let aliceSession;

await step("sign in with authorization code + PKCE at the real provider", async () => {
    const res = await oauthSignIn(alice, "alice");
    equal(res.status, 302, "callback status");
    equal(res.headers.get("location"), `${origin}/dashboard`, "callback redirects to callbackUrl");
    check(alice.jar.has(SESSION), "a session cookie was set");
    check(!alice.jar.has("authjs.pkce.code_verifier") && !alice.jar.has("authjs.state"), "PKCE and state cookies cleared");
    aliceSession = await session(alice);
    equal(aliceSession.user.sub, "alice", "session user");
    check(aliceSession.accessToken && aliceSession.refreshToken, "session carries the tokens");
});

await step("protected page and /api/me with the session; without it, 307 to /login and 401", async () => {
    let res = await alice.fetch(`${origin}/dashboard`);
    equal(res.status, 200, "/dashboard status");
    const html = await res.text();
    check(html.includes('<dd id="sub">alice</dd>'), "the dashboard shows the user");
    check(!html.includes(aliceSession.accessToken), "the dashboard does not print the access token");
    res = await alice.fetch(`${origin}/api/me`);
    equal(res.status, 200, "/api/me status");
    equal((await res.json()).user.sub, "alice", "/api/me user");

    const anonymous = new Browser();
    res = await anonymous.fetch(`${origin}/dashboard?tab=1`);
    equal(res.status, 307, "/dashboard without a cookie");
    equal(res.headers.get("location"), `${origin}/login?returnTo=%2Fdashboard%3Ftab%3D1`, "login redirect");
    res = await anonymous.fetch(`${origin}/api/me`);
    equal(res.status, 401, "/api/me without a cookie");
    equal((await res.json()).error, "Unauthorized", "/api/me error");
    res = await anonymous.fetch(`${origin}/`);
    equal(res.status, 200, "/ is public");
    res = await anonymous.fetch(`${origin}/login?returnTo=%2Fdashboard`);
    equal(res.status, 200, "/login");
    check((await res.text()).includes('action="/api/auth/signin/immutable?prompt=consent"'), "the login page posts to the sign-in action");
});

await step("a cookie of the C++ server is accepted by the real Auth.js Auth() (GET /api/auth/session)", async () => {
    const res = await authjs(new Request(api("/session"), { headers: { cookie: alice.cookieHeader() } }));
    equal(res.status, 200, "Auth.js status");
    const s = await res.json();
    check(s, "Auth.js sees a session");
    equal(s.user.sub, "alice", "same user");
    equal(s.user.email, aliceSession.user.email, "same email");
    equal(s.accessToken, aliceSession.accessToken, "same access token");
    equal(s.refreshToken, aliceSession.refreshToken, "same refresh token");
    equal(s.accessTokenExpires, aliceSession.accessTokenExpires, "same expiry");
});

await step("a cookie issued by the real Auth.js (Credentials sign-in) is accepted by the C++ server", async () => {
    const tokens = credentialsTokens(await provider.login("bob"), "bob");
    const js = new Browser();
    const keep = (res) => (js.keep(res), res);
    let res = keep(await authjs(new Request(api("/csrf"))));
    const { csrfToken } = await res.json();
    res = keep(await authjs(new Request(api("/callback/immutable"), {
        method: "POST",
        headers: { cookie: js.cookieHeader(), "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ csrfToken, tokens, callbackUrl: `${origin}/dashboard` }),
    })));
    equal(res.status, 302, "Auth.js sign-in status");
    check(js.jar.has(SESSION), `Auth.js set a session cookie (to ${res.headers.get("location")})`);
    const cpp = await session(js);
    check(cpp, "the C++ server sees a session");
    equal(cpp.user.sub, "bob", "same user");
    equal(cpp.accessToken, JSON.parse(tokens).accessToken, "same access token");
    equal(cpp.refreshToken, JSON.parse(tokens).refreshToken, "same refresh token");
    res = await js.fetch(`${origin}/dashboard`);
    equal(res.status, 200, "the C++ middleware lets Auth.js's cookie through");
});

await step("the access token expires and is refreshed at the provider (rotation)", async () => {
    const before = await provider.command("count");
    await sleep((ACCESS_TTL + 1) * 1000);
    const s = await session(alice);
    check(!s.error, `no error after refresh: ${s.error}`);
    check(s.accessToken !== aliceSession.accessToken, "a new access token");
    check(s.refreshToken !== aliceSession.refreshToken, "a rotated refresh token");
    check(s.accessTokenExpires > Date.now(), "the new token is live");
    const after = await provider.command("count");
    check(Number(after.split(" ")[2]) > Number(before.split(" ")[2]), `the provider saw a refresh grant (${before} → ${after})`);
    const res = await alice.fetch(`${origin}/api/me`);
    equal(res.status, 200, "/api/me after refresh");
    aliceSession = s;
});

await step("next-auth/react's requests: csrf, credentials callback (JSON url), session, update, signout", async () => {
    const b = new Browser();
    const tokens = credentialsTokens(await provider.login("carol"), "carol");
    const token = await csrf(b);
    const json = { "X-Auth-Return-Redirect": "1" };
    let res = await b.fetch(api("/callback/immutable"), {
        method: "POST", headers: json, form: { tokens, csrfToken: token, callbackUrl: `${origin}/dashboard` },
    });
    equal(res.status, 200, "signIn() status");
    equal(await res.json(), { url: `${origin}/dashboard` }, "signIn() body");
    let s = await session(b);
    equal(s.user.sub, "carol", "session after signIn()");
    res = await b.fetch(api("/session"), { method: "POST", json: { csrfToken: token, data: { nickname: "C" } } });
    equal(res.status, 200, "update() status");
    check((await res.json()).user.sub === "carol", "update() returns the session");
    res = await b.fetch(api("/providers"));
    check((await res.json()).immutable, "providers lists immutable");
    res = await b.fetch(api("/signout"), { method: "POST", headers: json, form: { csrfToken: token, callbackUrl: `${origin}/` } });
    equal(res.status, 200, "signOut() status");
    equal(await res.json(), { url: `${origin}/` }, "signOut() body");
    check(!b.jar.has(SESSION), "the session cookie is cleared");
    equal(await session(b), null, "no session after signOut()");
});

await step("probes: POST without CSRF is refused and changes nothing", async () => {
    const b = new Browser();
    const tokens = credentialsTokens(await provider.login("mallory"), "mallory");
    let res = await b.fetch(api("/callback/immutable"), { method: "POST", form: { tokens, callbackUrl: "/dashboard" } });
    check(res.status === 302 && /error=MissingCSRF/.test(res.headers.get("location")), `sign-in without CSRF: ${res.status} ${res.headers.get("location")}`);
    check(!b.jar.has(SESSION), "no session cookie");
    res = await alice.fetch(api("/signout"), { method: "POST", form: { csrfToken: "forged", callbackUrl: "/" } });
    check(res.status === 302 && /MissingCSRF/.test(res.headers.get("location")), `sign-out with a forged token: ${res.status}`);
    check(alice.jar.has(SESSION) && (await session(alice))?.user?.sub === "alice", "still signed in");
    res = await alice.fetch(api("/session"), { method: "POST", json: { data: { nickname: "x" } } });
    equal(res.status, 400, "update without CSRF");
});

await step("probes: open redirects are refused (callbackUrl stays on this origin)", async () => {
    for (const evil of ["//evil.com", "https://evil.com", "/\\evil.com", "%2F%2Fevil.com", "http://evil.com@127.0.0.1/"]) {
        const b = new Browser();
        const token = await csrf(b);
        const tokens = credentialsTokens(await provider.login("dave"), "dave");
        const res = await b.fetch(api("/callback/immutable"), {
            method: "POST", headers: { "X-Auth-Return-Redirect": "1" }, form: { tokens, csrfToken: token, callbackUrl: evil },
        });
        const { url } = await res.json();
        check(new URL(url, origin).origin === origin, `callbackUrl ${evil} → ${url}`);
        const out = await b.fetch(api("/signout"), {
            method: "POST", headers: { "X-Auth-Return-Redirect": "1" }, form: { csrfToken: token, callbackUrl: evil },
        });
        const signedOut = await out.json();
        check(new URL(signedOut.url, origin).origin === origin, `signout callbackUrl ${evil} → ${signedOut.url}`);
    }
});

await step("oversized requests are refused before any auth work: 431 and 413", async () => {
    let res = await fetch(`${origin}/dashboard`, { headers: { cookie: `big=${"x".repeat(20000)}` } });
    equal(res.status, 431, "a 20 KB Cookie header");
    res = await fetch(api("/signout"), {
        method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "a=" + "x".repeat(100000),
    });
    equal(res.status, 413, "a 100 KB body");
    res = await fetch(`${origin}/`);
    equal(res.status, 200, "the server still answers");
});

await step("a session over the cookie budget is not written; pages and sign-out keep working; a 431 clears stuck chunks", async () => {
    // Before: a 20 KB access token in an update gave 27 KB of cookies, and
    // every later request, sign-out included, answered 431.
    const b = new Browser();
    const tokens = credentialsTokens(await provider.login("dave"), "dave");
    const token = await csrf(b);
    let res = await b.fetch(api("/callback/immutable"), {
        method: "POST", form: { tokens, csrfToken: token, callbackUrl: `${origin}/dashboard` },
    });
    equal(res.status, 302, "credentials sign-in");
    const before = b.jar.get(SESSION);
    check(before, "a session cookie");
    res = await b.fetch(api("/session"), { method: "POST", json: { csrfToken: token, data: { accessToken: "a".repeat(20000) } } });
    equal(res.status, 413, "the oversized update");
    equal((await res.json()).error, "SessionTooLarge", "its error");
    equal(b.jar.get(SESSION), before, "the browser keeps the old cookie");
    check(b.cookieHeader().length < 8192, `cookies stay small: ${b.cookieHeader().length} bytes`);
    res = await b.fetch(`${origin}/dashboard`);
    equal(res.status, 200, "the dashboard still answers");
    res = await b.fetch(api("/signout"), { method: "POST", form: { csrfToken: token } });
    equal(res.status, 302, "sign-out");
    check(!b.jar.has(SESSION), "signed out");
    check(server.lines.filter((l) => l.startsWith("warning: ")).length === 1, "the refusal is logged once");
    // A browser still carrying 27 KB of chunks (as the writer made them
    // before) gets them expired with the 431, and can use the site again.
    const stuck = new Browser();
    for (let i = 0; i < 7; ++i) stuck.jar.set(`${SESSION}.${i}`, "x".repeat(3900));
    res = await stuck.fetch(`${origin}/dashboard`);
    equal(res.status, 431, "headers too large");
    check(![...stuck.jar.keys()].some((k) => k.startsWith(SESSION)), "every session chunk expired by the 431");
    res = await stuck.fetch(`${origin}/dashboard`);
    equal(res.status, 307, "then an ordinary visit: to the login page");
});

await step("one log line per request, and no cookie or token in the log", async () => {
    const log = server.lines.join("\n");
    check(/^GET \/dashboard 200 /m.test(log), "a line for GET /dashboard");
    check(/^POST \/api\/auth\/signin\/immutable 302 /m.test(log), "a line for the sign-in");
    check(!/[?]/.test(server.lines.filter((l) => /^[A-Z]+ \//.test(l)).join("")), "no query strings (codes) in the log");
    for (const secretish of [aliceSession.accessToken, aliceSession.refreshToken, alice.jar.get(SESSION), secret])
        check(!log.includes(secretish.slice(0, 24)), "a token or cookie leaked into the log");
});

await step("SIGTERM: the request in flight finishes, then exit 0", async () => {
    const b = new Browser();
    const tokens = credentialsTokens(await provider.login("erin"), "erin");
    const token = await csrf(b);
    await b.fetch(api("/callback/immutable"), { method: "POST", form: { tokens, csrfToken: token, callbackUrl: "/" } });
    await sleep((ACCESS_TTL + 1) * 1000);
    await provider.command("mode slow 1500"); // the refresh the next request needs takes 1.5 s
    const inFlight = b.fetch(`${origin}/api/me`);
    await sleep(400);
    const exited = server.kill("SIGTERM");
    const res = await inFlight;
    equal(res.status, 200, "the request in flight got its answer");
    equal((await res.json()).user.sub, "erin", "and it is the refreshed session");
    equal((await exited).code, 0, "exit code");
    check(server.lines.some((l) => /SIGTERM: stopping/.test(l)), "it said it was stopping");
    await provider.command("mode normal");
    const refused = await fetch(`${origin}/`).then(() => "answered", () => "refused");
    equal(refused, "refused", "nothing listens any more");
});

await step("a bad configuration is refused at start-up with the variable's name", async () => {
    for (const [env, words] of [
        [{ AUTHPP_LISTEN: "nonsense" }, /AUTHPP_LISTEN/],
        [{ AUTH_SECRET: "" }, /AUTH_SECRET/],
        [{ AUTHPP_REFRESH_BUFFER_S: "-3" }, /AUTHPP_REFRESH_BUFFER_S/],
        // Checked before the provider is asked: refused even when it does not answer.
        [{ AUTHPP_ISSUER: "http://127.0.0.1:1", AUTHPP_REDIS_URL: "redis-cluster://:hunter2@h1/3" }, /AUTHPP_REDIS_URL/],
        [{ AUTHPP_ISSUER: "http://127.0.0.1:1", AUTHPP_REDIS_URL: "redis-sentinel://:hunter2@h1" }, /AUTHPP_REDIS_URL/],
        // The Sentinels' password goes with a sentinel URL only.
        [{ AUTHPP_ISSUER: "http://127.0.0.1:1", AUTHPP_REDIS_URL: "redis://h1", AUTHPP_REDIS_SENTINEL_PASSWORD: "hunter2" }, /AUTHPP_REDIS_SENTINEL_PASSWORD/],
    ]) {
        const { spawnSync } = await import("node:child_process");
        const r = spawnSync(binary, [], { env: { PATH: process.env.PATH, AUTH_SECRET: secret, ...env }, encoding: "utf8" });
        equal(r.status, 2, `exit code for ${JSON.stringify(env)}`);
        check(words.test(r.stderr), `message for ${JSON.stringify(env)}: ${r.stderr}`);
        check(!r.stderr.includes("hunter2"), "no password in the message");
    }
});

provider.kill();
finish();
