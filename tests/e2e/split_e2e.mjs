// split_e2e.mjs — mode split through authpp-example-server (AUTHPP_MODE=split)
// against a Directus-shaped backend on loopback (split_backend.mjs): login and
// its three cookies, refused and malformed logins, refresh with rotation, one
// backend refresh for twenty concurrent requests (in one process, and across
// two processes sharing a real redis-server), the successor record for a
// just-rotated token, outages that log nobody out, the auth and guest
// restrictions, refresh-if-due by the margin, logout, Secure on https, an API
// URL with a path, the custom preset with JSON pointers, and bad environments.
//
// Environment (set by CMake): AUTHPP_EXAMPLE_SERVER, AUTHPP_REDIS_SERVER.
import { randomBytes } from "node:crypto";
import { spawnSync } from "node:child_process";
import { Child, check, equal, finish, freePort, need, startRedis, step } from "./harness.mjs";
import { requestInit, startDirectus } from "./split_backend.mjs";

const binary = need("AUTHPP_EXAMPLE_SERVER");
const redisBinary = need("AUTHPP_REDIS_SERVER");

const ADA = { email: "ada@example.com", password: "pw-ada" };
const BO = { email: "bo@example.com", password: "pw-bo" };
const CY = { email: "cy@example.com", password: "pw-cy" };

/// The custom preset against the fixture's /v2 routes ({"tokens":{"a","r","ttl"}}).
const CUSTOM = {
    AUTHPP_SPLIT_PRESET: "custom",
    AUTHPP_SPLIT_LOGIN_PATH: "/v2/login",
    AUTHPP_SPLIT_REFRESH_PATH: "/v2/refresh",
    AUTHPP_SPLIT_LOGOUT_PATH: "/v2/logout",
    AUTHPP_SPLIT_PTR_ACCESS: "/tokens/a",
    AUTHPP_SPLIT_PTR_REFRESH: "/tokens/r",
    AUTHPP_SPLIT_PTR_EXPIRES: "/tokens/ttl",
};

async function startSplit(backend, env = {}) {
    const port = await freePort();
    const origin = `http://127.0.0.1:${port}`;
    const s = new Child(binary, [], {
        env: {
            PATH: process.env.PATH,
            AUTHPP_MODE: "split",
            AUTHPP_LISTEN: `127.0.0.1:${port}`,
            AUTHPP_SPLIT_API_URL: backend.url,
            AUTH_URL: origin,
            AUTHPP_THREADS: "2",
            ...env,
        },
    });
    await s.waitFor(/^READY /);
    s.origin = origin;
    return s;
}

/// One request; the answer read whole: { status, headers, text, json, cookies, location }.
async function call(server, path, opts = {}) {
    const res = await fetch(`${server.origin}${path}`, requestInit(opts));
    const text = await res.text();
    let parsed;
    try {
        parsed = JSON.parse(text);
    } catch {}
    return { status: res.status, headers: res.headers, text, json: parsed, cookies: res.headers.getSetCookie(), location: res.headers.get("location") };
}
const login = (server, who, extra = {}) => call(server, "/api/auth/login", { method: "POST", json: who, ...extra });

/// The Cookie header a browser sends after `r` (the cookies it set, non-empty).
const jar = (r) => r.cookies.map((c) => c.split(";")[0]).filter((p) => !p.endsWith("=")).join("; ");
const cookieValue = (r, name) => r.cookies.map((c) => c.split(";")[0]).find((p) => p.startsWith(`${name}=`))?.slice(name.length + 1);
const near = (a, b, tolerance, what) => check(Math.abs(a - b) <= tolerance, `${what}: ${a} is not within ${tolerance} of ${b}`);

const IMF = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;
const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const CLEARING = [
    "access_token=; Max-Age=0; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; SameSite=Lax",
    "refresh_token=; Max-Age=0; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax",
    "session=; Max-Age=0; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; SameSite=Lax",
];

/// A JSON answer of the handlers: status, body, Content-Type, Cache-Control: no-store.
function expectJson(r, status, body, what = "answer") {
    equal(r.status, status, `${what}: status`);
    check(/^application\/json/.test(r.headers.get("content-type") ?? ""), `${what}: Content-Type ${r.headers.get("content-type")}`);
    check(/no-store/.test(r.headers.get("cache-control") ?? ""), `${what}: Cache-Control ${r.headers.get("cache-control")}`);
    if (body !== undefined) equal(r.json, body, `${what}: body`);
}
function expectClearing(r, what = "clearing") {
    equal(r.cookies, CLEARING, `${what}: the three clearing Set-Cookie lines`);
    equal(r.headers.get("clear-site-data"), '"cookies"', `${what}: Clear-Site-Data`);
}
function expectNoCookies(r, what = "answer") {
    equal(r.cookies, [], `${what}: no Set-Cookie`);
    equal(r.headers.get("clear-site-data"), null, `${what}: no Clear-Site-Data`);
}
/// The three session cookies of a login or refresh: exact lines, in order.
/// Returns { access, refresh, session, expiresAt }.
function expectSessionCookies(r, { expires = 900000, secure = false, what = "session cookies" } = {}) {
    const S = secure ? "; Secure" : "";
    equal(r.cookies.length, 3, `${what}: three Set-Cookie lines (${JSON.stringify(r.cookies)})`);
    const [a, rf, se] = r.cookies;
    const ma = new RegExp(`^access_token=(acc-\\d+); Path=/; Expires=([^;]+)${S}; SameSite=Lax$`).exec(a);
    check(ma, `${what}: the access_token line: ${a}`);
    check(IMF.test(ma[2]), `${what}: Expires is an IMF-fixdate: ${ma[2]}`);
    const expiresAt = Date.parse(ma[2]);
    near(expiresAt, Date.now() + expires, 5000, `${what}: Expires = now + the lifetime`);
    const refresh = ma[1].replace("acc-", "ref-"); // the fixture issues acc-n with ref-n
    equal(rf, `refresh_token=${refresh}; Path=/; HttpOnly${S}; SameSite=Lax`, `${what}: the refresh_token line`);
    const ms = new RegExp(`^session=([^;]+); Path=/${S}; SameSite=Lax$`).exec(se);
    check(ms, `${what}: the session line: ${se}`);
    check(ISO_MS.test(ms[1]), `${what}: the indicator is ISO 8601 UTC with milliseconds: ${ms[1]}`);
    near(Date.parse(ms[1]), expiresAt, 1000, `${what}: the indicator and Expires agree`);
    return { access: ma[1], refresh, session: ms[1], expiresAt };
}
/// A login or refresh answer: 200 {accessToken, expires} + the three cookies.
function expectSession(r, opts = {}) {
    const what = opts.what ?? "session";
    expectJson(r, 200, undefined, what);
    const c = expectSessionCookies(r, opts);
    equal(Object.keys(r.json ?? {}).sort(), ["accessToken", "expires"], `${what}: the body's fields (${r.text})`);
    equal(r.json.accessToken, c.access, `${what}: accessToken = the access_token cookie`);
    check(typeof r.json.expires === "number", `${what}: expires is a number`);
    near(r.json.expires, opts.expires ?? 900000, 5000, `${what}: expires in ms`);
    check(!r.text.includes(c.refresh) && !/ref-\d/.test(r.text), `${what}: no refresh token in the body`);
    return c;
}
function expectHtml(r, what = "page") {
    equal(r.status, 200, `${what}: status`);
    check(/^text\/html/.test(r.headers.get("content-type") ?? ""), `${what}: Content-Type ${r.headers.get("content-type")}`);
}
const session = async (server, cookie) => {
    const r = await call(server, "/api/session", { cookie });
    equal(r.status, 200, "/api/session status");
    return r;
};

const backend = await startDirectus();
const server = await startSplit(backend);
/// A step on a backend back to normal (a failed step may leave it failing or slow).
const test = (name, fn) => step(name, async () => {
    backend.setFail(null);
    backend.setDelay(0);
    backend.setExpires(900000);
    backend.setLogoutStatus(204);
    await fn();
});
let rotated; // the refresh step's { old: cookie header, c: the new cookies }

await test("login: 200 {accessToken, expires}, exactly three Set-Cookie lines, no refresh token in a body", async () => {
    const r = await login(server, ADA);
    const c = expectSession(r, { what: "login" });
    equal(backend.count("/auth/login"), 1, "one backend login");
    const sent = backend.last("/auth/login");
    check(/^application\/json/.test(sent.headers["content-type"] ?? ""), `the backend got JSON: ${sent.headers["content-type"]}`);
    equal(sent.json, ADA, "the backend got {email, password}");
    check(backend.isLive(c.refresh), "the refresh cookie holds the backend's refresh token");
});

await test("login with a form body and with a query string", async () => {
    const f = await call(server, "/api/auth/login", { method: "POST", form: BO });
    expectSession(f, { what: "form login" });
    equal(backend.last("/auth/login").json, BO, "the backend got {email, password} as JSON");
    expectSession(await call(server, "/api/auth/login?next=%2Fapp", { method: "POST", json: BO }), { what: "login?next=..." });
});

await test("wrong password or unknown user: 401 Not authorized, no Set-Cookie", async () => {
    const before = backend.count("/auth/login");
    for (const who of [{ ...ADA, password: "nope" }, { email: "zed@example.com", password: "pw-zed" }]) {
        const r = await login(server, who);
        expectJson(r, 401, { message: "Not authorized" }, who.email);
        expectNoCookies(r, who.email);
    }
    equal(backend.count("/auth/login") - before, 2, "the backend was asked twice");
});

await test("bad payloads and methods: 400 Wrong payload, the backend not asked", async () => {
    const before = backend.count("/auth/login");
    const cases = [
        ["JSON without password", { method: "POST", json: { email: ADA.email } }],
        ["JSON with an empty email", { method: "POST", json: { email: "", password: "pw-ada" } }],
        ["JSON with an empty password", { method: "POST", json: { email: ADA.email, password: "" } }],
        ["unparseable JSON", { method: "POST", json: '{"email":"ada@example.com","password":' }],
        ["a JSON array", { method: "POST", json: "[]" }],
        ["a form without password", { method: "POST", form: { email: ADA.email } }],
        ["a form with an empty email", { method: "POST", form: { email: "", password: "pw-ada" } }],
        ["text/plain", { method: "POST", body: JSON.stringify(ADA), type: "text/plain" }],
        ["no body", { method: "POST" }],
        ["GET", { method: "GET" }],
        ["PUT with JSON", { method: "PUT", json: ADA }],
        ["DELETE", { method: "DELETE" }],
    ];
    for (const [what, init] of cases) {
        const r = await call(server, "/api/auth/login", init);
        expectJson(r, 400, { message: "Wrong payload" }, what);
        expectNoCookies(r, what);
    }
    equal(backend.count("/auth/login"), before, "no backend call");
});

await test("404 Not found for any other path under the base", async () => {
    for (const [method, path] of [["GET", "/api/auth"], ["GET", "/api/auth/nope"], ["POST", "/api/auth/login/x"], ["GET", "/api/auth/refresh/x"],
        ["GET", "/api/auth/logoutx"], ["GET", "/api/auth/session"], ["POST", "/api/auth/nope?x=1"]]) {
        const r = await call(server, path, { method, ...(method === "POST" ? { json: ADA } : {}) });
        expectJson(r, 404, { message: "Not found" }, `${method} ${path}`);
        expectNoCookies(r, path);
    }
});

await test("refresh (with a query string): 200, rotated cookies; the old refresh token then refused by the backend", async () => {
    const l = await login(server, BO);
    const old = expectSessionCookies(l);
    const before = backend.count("/auth/refresh");
    const r = await call(server, "/api/auth/refresh?x=1", { cookie: jar(l) });
    const c = expectSession(r, { what: "refresh" });
    check(c.access !== old.access && c.refresh !== old.refresh, "a new pair");
    equal(backend.count("/auth/refresh") - before, 1, "one backend refresh");
    equal(backend.last("/auth/refresh").json, { refresh_token: old.refresh }, "the backend got {refresh_token}");
    const direct = await backend.post("/auth/refresh", { refresh_token: old.refresh });
    equal(direct.status, 401, "the old refresh token, sent to the backend directly");
    equal(direct.json?.errors?.[0]?.extensions?.code, "INVALID_CREDENTIALS", "refused as invalid credentials");
    rotated = { old: jar(l), c };
});

await test("the just-rotated refresh token: 200 with the rotated tokens (successor record), no second backend call", async () => {
    check(rotated, "needs the refresh step");
    const before = backend.count("/auth/refresh");
    const r = await call(server, "/api/auth/refresh", { cookie: rotated.old });
    const c = expectSession(r, { what: "successor" });
    equal(c.access, rotated.c.access, "the rotated access token");
    equal(c.refresh, rotated.c.refresh, "the rotated refresh token");
    equal(backend.count("/auth/refresh"), before, "no backend call");
});

await test("refresh without a refresh cookie, with a refused one, or by another method", async () => {
    const before = backend.count("/auth/refresh");
    for (const cookie of [undefined, "access_token=acc-1; session=2030-01-01T00:00:00.000Z"]) {
        const r = await call(server, "/api/auth/refresh", { cookie });
        expectJson(r, 401, { message: "Not authorized" }, `cookies: ${cookie}`);
        expectClearing(r, `cookies: ${cookie}`);
    }
    equal(backend.count("/auth/refresh"), before, "no backend call without a refresh cookie");
    const refused = await call(server, "/api/auth/refresh", { cookie: "refresh_token=ref-unknown" });
    expectJson(refused, 401, { message: "Not authorized" }, "a refused refresh token");
    expectClearing(refused, "a refused refresh token");
    equal(backend.count("/auth/refresh ref-unknown"), 1, "the backend was asked");
    for (const method of ["POST", "PUT", "DELETE"]) {
        const r = await call(server, "/api/auth/refresh", { method, cookie: "refresh_token=ref-unknown" });
        expectJson(r, 400, { message: "Invalid request" }, method);
    }
    equal(backend.count("/auth/refresh ref-unknown"), 1, "no backend call for another method");
});

await test("20 concurrent refreshes with one cookie: one backend refresh, 20×200 with the same access token", async () => {
    const l = await login(server, CY);
    const old = expectSessionCookies(l);
    const before = backend.count("/auth/refresh");
    backend.setDelay(200);
    const all = await Promise.all(Array.from({ length: 20 }, () => call(server, "/api/auth/refresh", { cookie: jar(l) })));
    backend.setDelay(0);
    equal(all.map((r) => r.status), Array(20).fill(200), "statuses");
    equal(backend.count("/auth/refresh") - before, 1, "one backend refresh");
    equal(backend.count(`/auth/refresh ${old.refresh}`), 1, "the token redeemed once");
    equal(new Set(all.map((r) => r.json.accessToken)).size, 1, "one access token in the bodies");
    equal(new Set(all.map((r) => cookieValue(r, "access_token"))).size, 1, "one access_token cookie");
    equal(new Set(all.map((r) => cookieValue(r, "refresh_token"))).size, 1, "one refresh_token cookie");
    check(all[0].json.accessToken !== old.access, "a new access token");
    expectSessionCookies(all[19]);
});

await test("transient failure (503, a dropped connection): 503 Service unavailable, no Set-Cookie, the session survives", async () => {
    const l = await login(server, ADA);
    const c = expectSessionCookies(l);
    for (const fail of [503, 500, "drop"]) {
        backend.setFail(fail);
        const r = await call(server, "/api/auth/refresh", { cookie: jar(l) });
        const li = await login(server, ADA);
        backend.setFail(null);
        expectJson(r, 503, { message: "Service unavailable" }, `refresh, backend ${fail}`);
        expectNoCookies(r, `refresh, backend ${fail}`);
        expectJson(li, 503, { message: "Service unavailable" }, `login, backend ${fail}`);
        expectNoCookies(li, `login, backend ${fail}`);
    }
    check(backend.isLive(c.refresh), "the refresh token was not redeemed");
    expectSession(await call(server, "/api/auth/refresh", { cookie: jar(l) }), { what: "refresh after the outage" });
});

await test("backend unreachable (nothing listening): 503 Service unavailable", async () => {
    const s = await startSplit({ url: `http://127.0.0.1:${await freePort()}` });
    const li = await login(s, ADA);
    expectJson(li, 503, { message: "Service unavailable" }, "login");
    expectNoCookies(li, "login");
    const r = await call(s, "/api/auth/refresh", { cookie: "refresh_token=ref-1" });
    expectJson(r, 503, { message: "Service unavailable" }, "refresh");
    expectNoCookies(r, "refresh");
    await s.kill();
});

await test("restrictions without a session: /app → 307 /login?returnTo=<encoded>, /login and / → 200", async () => {
    const before = backend.count("/auth/refresh");
    for (const [path, to] of [["/app", "/login?returnTo=%2Fapp"], ["/app?a=1&b=2", "/login?returnTo=%2Fapp%3Fa%3D1%26b%3D2"]]) {
        const r = await call(server, path);
        equal(r.status, 307, `${path}: status`);
        equal(r.location, to, `${path}: Location`);
    }
    const withAccessOnly = await call(server, "/app", { cookie: "access_token=acc-1; session=2030-01-01T00:00:00.000Z" });
    equal(withAccessOnly.status, 307, "an access cookie without a refresh cookie is no session");
    expectHtml(await call(server, "/login"), "/login");
    expectHtml(await call(server, "/"), "/");
    equal((await session(server)).json, { authenticated: false, expires: null }, "/api/session");
    equal(backend.count("/auth/refresh"), before, "no backend call");
});

await test("restrictions with a session: /app → 200, /login → 307 /app, nothing refreshed while not due", async () => {
    const l = await login(server, ADA);
    const c = expectSessionCookies(l);
    const before = backend.count("/auth/refresh");
    const app = await call(server, "/app?a=1", { cookie: jar(l) });
    expectHtml(app, "/app");
    equal(app.cookies, [], "/app: no Set-Cookie");
    const lp = await call(server, "/login?returnTo=%2Fapp", { cookie: jar(l) });
    equal(lp.status, 307, "/login: status");
    equal(lp.location, "/app", "/login: to /app, no returnTo");
    expectHtml(await call(server, "/", { cookie: jar(l) }), "/");
    const s = await session(server, jar(l));
    equal(s.json.authenticated, true, "/api/session: authenticated");
    check(ISO_MS.test(s.json.expires ?? ""), `/api/session: expires is ISO 8601: ${s.json.expires}`);
    near(Date.parse(s.json.expires), Date.parse(c.session), 1000, "/api/session: the session's expiry");
    equal(backend.count("/auth/refresh"), before, "no backend refresh");
});

await test("only a refresh cookie: refreshed on the way, the new cookies on the response", async () => {
    const before = backend.count("/auth/refresh");
    const a = expectSessionCookies(await login(server, ADA));
    const app = await call(server, "/app", { cookie: `refresh_token=${a.refresh}` });
    expectHtml(app, "/app");
    const c = expectSessionCookies(app, { what: "/app's cookies" });
    check(c.refresh !== a.refresh, "rotated");
    const b = expectSessionCookies(await login(server, BO));
    const lp = await call(server, "/login", { cookie: `refresh_token=${b.refresh}` });
    equal(lp.status, 307, "/login: status");
    equal(lp.location, "/app", "/login: to /app");
    expectSessionCookies(lp, { what: "/login's cookies" });
    equal(backend.count("/auth/refresh") - before, 2, "two backend refreshes");
});

await test("a refused refresh on the way: no session, the cookies cleared", async () => {
    const app = await call(server, "/app", { cookie: "refresh_token=ref-bogus" });
    equal(app.status, 307, "/app: status");
    equal(app.location, "/login?returnTo=%2Fapp", "/app: Location");
    equal(app.cookies, CLEARING, "/app: cleared");
    const lp = await call(server, "/login", { cookie: "access_token=acc-x; refresh_token=ref-bogus2" });
    expectHtml(lp, "/login");
    equal(lp.cookies, CLEARING, "/login: cleared");
    const s = await session(server, "refresh_token=ref-bogus3");
    equal(s.json, { authenticated: false, expires: null }, "/api/session");
    equal(s.cookies, CLEARING, "/api/session: cleared");
});

await test("a transient refresh failure on the way keeps the session while the access cookie is there", async () => {
    const c = expectSessionCookies(await login(server, BO));
    const due = `access_token=${c.access}; refresh_token=${c.refresh}; session=${new Date(Date.now() + 5000).toISOString()}`;
    backend.setFail(503);
    const app = await call(server, "/app", { cookie: due });
    const bare = await call(server, "/app", { cookie: `refresh_token=${c.refresh}` });
    backend.setFail(null);
    expectHtml(app, "/app with the access cookie");
    check(!app.cookies.some((x) => /Max-Age=0/.test(x)), `nothing cleared: ${app.cookies}`);
    equal(bare.status, 307, "/app without the access cookie: no session");
    check(!bare.cookies.some((x) => /Max-Age=0/.test(x)), `nothing cleared: ${bare.cookies}`);
    check(backend.isLive(c.refresh), "the refresh token was not redeemed");
});

await test("refresh-if-due by the 30 s margin: a 20 s token is refreshed by the next request, a 15 min one is not", async () => {
    backend.setExpires(20000);
    const l = await login(server, CY);
    backend.setExpires(900000);
    const short = expectSessionCookies(l, { expires: 20000 });
    let before = backend.count("/auth/refresh");
    const s = await session(server, jar(l));
    equal(s.json.authenticated, true, "authenticated");
    equal(backend.count("/auth/refresh") - before, 1, "refreshed: 20 s ≤ 30 s margin");
    const c = expectSessionCookies(s, { what: "/api/session's cookies" });
    check(c.access !== short.access, "a new access token");
    near(Date.parse(s.json.expires), Date.parse(c.session), 1000, "expires: the refreshed session's");
    before = backend.count("/auth/refresh");
    const again = await session(server, jar(s));
    equal(again.json.authenticated, true, "authenticated");
    equal(again.cookies, [], "no Set-Cookie");
    equal(backend.count("/auth/refresh"), before, "not refreshed: 15 min > 30 s margin");
    // Due for the other reasons: the access cookie or the indicator missing, an unreadable indicator.
    let cur = c;
    for (const [what, cookie] of [
        ["no access cookie", (x) => `refresh_token=${x.refresh}; session=${x.session}`],
        ["no indicator", (x) => `access_token=${x.access}; refresh_token=${x.refresh}`],
        ["an unreadable indicator", (x) => `access_token=${x.access}; refresh_token=${x.refresh}; session=tomorrow`],
        ["an expired indicator", (x) => `access_token=${x.access}; refresh_token=${x.refresh}; session=2001-01-01T00:00:00.000Z`],
    ]) {
        before = backend.count("/auth/refresh");
        const r = await call(server, "/", { cookie: cookie(cur) });
        expectHtml(r, `/ with ${what}`);
        equal(backend.count("/auth/refresh") - before, 1, `${what}: refreshed`);
        cur = expectSessionCookies(r, { what: `${what}: the cookies` });
    }
});

await test("AUTHPP_SPLIT_REFRESH_MARGIN_S=5: a 20 s token is not due", async () => {
    const s = await startSplit(backend, { AUTHPP_SPLIT_REFRESH_MARGIN_S: "5" });
    backend.setExpires(20000);
    const l = await login(s, ADA);
    backend.setExpires(900000);
    expectSessionCookies(l, { expires: 20000 });
    const before = backend.count("/auth/refresh");
    const r = await session(s, jar(l));
    equal(r.json.authenticated, true, "authenticated");
    equal(r.cookies, [], "no Set-Cookie");
    equal(backend.count("/auth/refresh"), before, "not refreshed");
    await s.kill();
});

await test("logout: the backend told, 200 OK + clearing; without a cookie or refused 401 + clearing; outage 503 + clearing", async () => {
    const c = expectSessionCookies(await login(server, ADA));
    const r = await call(server, "/api/auth/logout", { cookie: `access_token=${c.access}; refresh_token=${c.refresh}; session=${c.session}` });
    expectJson(r, 200, { message: "OK" }, "logout");
    expectClearing(r, "logout");
    equal(backend.count(`/auth/logout ${c.refresh}`), 1, "the backend told once");
    equal(backend.last("/auth/logout").json, { refresh_token: c.refresh }, "with {refresh_token}");
    check(!backend.isLive(c.refresh), "the refresh token is dead");

    const before = backend.count("/auth/logout");
    const none = await call(server, "/api/auth/logout", { cookie: `access_token=${c.access}` });
    expectJson(none, 401, { message: "Not authorized" }, "no refresh cookie");
    expectClearing(none, "no refresh cookie");
    equal(backend.count("/auth/logout"), before, "the backend not asked");
    const refused = await call(server, "/api/auth/logout", { cookie: `refresh_token=${c.refresh}` });
    expectJson(refused, 401, { message: "Not authorized" }, "a refused token");
    expectClearing(refused, "a refused token");
    equal(backend.count(`/auth/logout ${c.refresh}`), 2, "the backend asked");
    for (const method of ["POST", "DELETE"]) {
        const m = await call(server, "/api/auth/logout", { method, cookie: `refresh_token=${c.refresh}` });
        expectJson(m, 400, { message: "Invalid request" }, method);
    }

    backend.setLogoutStatus(200);
    const d = expectSessionCookies(await login(server, BO));
    const ok200 = await call(server, "/api/auth/logout", { cookie: `refresh_token=${d.refresh}` });
    backend.setLogoutStatus(204);
    expectJson(ok200, 200, { message: "OK" }, "backend 200");
    expectClearing(ok200, "backend 200");

    const e = expectSessionCookies(await login(server, CY));
    for (const fail of [503, "drop"]) {
        backend.setFail(fail);
        const down = await call(server, "/api/auth/logout", { cookie: `refresh_token=${e.refresh}` });
        backend.setFail(null);
        expectJson(down, 503, { message: "Service unavailable" }, `backend ${fail}`);
        expectClearing(down, `backend ${fail}`);
    }
});

await test("an https AUTH_URL: Secure on every session cookie", async () => {
    const s = await startSplit(backend, { AUTH_URL: "https://app.example.test" });
    const r = await login(s, ADA);
    expectSession(r, { secure: true, what: "login on https" });
    const f = await call(s, "/api/auth/refresh", { cookie: jar(r) });
    expectSession(f, { secure: true, what: "refresh on https" });
    await s.kill();
});

await test("an API URL with a path and a trailing slash: {url}/auth/* under that path", async () => {
    const b = await startDirectus({ prefix: "/directus" });
    const s = await startSplit(b, { AUTHPP_SPLIT_API_URL: `${b.url}/` });
    const l = await login(s, BO);
    expectSession(l, { what: "login" });
    const r = await call(s, "/api/auth/refresh", { cookie: jar(l) });
    expectSession(r, { what: "refresh" });
    expectJson(await call(s, "/api/auth/logout", { cookie: jar(r) }), 200, { message: "OK" }, "logout");
    equal([b.count("/auth/login"), b.count("/auth/refresh"), b.count("/auth/logout")], [1, 1, 1], "one call to each, under /directus");
    equal([...b.counts.keys()].filter((k) => k.startsWith("outside")), [], "nothing outside /directus");
    await s.kill();
    await b.close();
});

await test("the custom preset: other paths, JSON pointers into another shape", async () => {
    const s = await startSplit(backend, CUSTOM);
    const before = { login: backend.count("/auth/login"), v2: backend.count("/v2/login") };
    backend.setExpires(600000);
    const l = await login(s, ADA);
    const c = expectSession(l, { expires: 600000, what: "login" });
    equal(backend.count("/v2/login") - before.v2, 1, "the custom login path");
    equal(backend.count("/auth/login"), before.login, "not the Directus one");
    const r = await call(s, "/api/auth/refresh", { cookie: jar(l) });
    backend.setExpires(900000);
    const n = expectSession(r, { expires: 600000, what: "refresh" });
    check(n.refresh !== c.refresh, "rotated");
    equal(backend.count(`/v2/refresh ${c.refresh}`), 1, "the custom refresh path");
    const o = await call(s, "/api/auth/logout", { cookie: jar(r) });
    expectJson(o, 200, { message: "OK" }, "logout");
    expectClearing(o, "logout");
    equal(backend.count(`/v2/logout ${n.refresh}`), 1, "the custom logout path");
    await s.kill();
});

await test("two processes sharing Redis: 20 concurrent refreshes split between them → one backend refresh, one token", async () => {
    const redis = await startRedis(redisBinary);
    const env = { AUTHPP_REDIS_URL: redis.url(4), AUTH_SECRET: randomBytes(32).toString("base64") };
    const [p1, p2] = await Promise.all([startSplit(backend, env), startSplit(backend, env)]);
    const l = await login(p1, BO);
    const old = expectSessionCookies(l);
    const before = backend.count("/auth/refresh");
    backend.setDelay(300);
    const all = await Promise.all(Array.from({ length: 20 }, (_, i) => call(i % 2 ? p2 : p1, "/api/auth/refresh", { cookie: jar(l) })));
    backend.setDelay(0);
    equal(all.map((r) => r.status), Array(20).fill(200), "statuses");
    equal(backend.count("/auth/refresh") - before, 1, "one backend refresh across both processes");
    equal(backend.count(`/auth/refresh ${old.refresh}`), 1, "the token redeemed once");
    const tokens = new Set(all.map((r) => r.json.accessToken));
    equal(tokens.size, 1, "one access token from both processes");
    equal(new Set(all.map((r) => cookieValue(r, "refresh_token"))).size, 1, "one refresh_token cookie");
    // Later, each process with the old cookie serves the successor record.
    for (const p of [p2, p1]) {
        const late = await call(p, "/api/auth/refresh", { cookie: jar(l) });
        const c = expectSession(late, { what: "late" });
        equal(c.access, [...tokens][0], "the same rotated token");
    }
    equal(backend.count("/auth/refresh") - before, 1, "still one backend refresh");
    await Promise.all([p1.kill(), p2.kill(), redis.kill()]);
});

await test("bad environments exit 2 with one stderr line naming the variable", async () => {
    const base = { PATH: process.env.PATH, AUTHPP_MODE: "split", AUTHPP_SPLIT_API_URL: backend.url, AUTHPP_LISTEN: "127.0.0.1:0" };
    const cases = [
        [{ AUTHPP_MODE: "bogus" }, /AUTHPP_MODE/],
        [{ AUTHPP_SPLIT_API_URL: null }, /AUTHPP_SPLIT_API_URL/],
        [{ AUTHPP_SPLIT_API_URL: "" }, /AUTHPP_SPLIT_API_URL/],
        [{ AUTHPP_SPLIT_API_URL: "directus:8055" }, /AUTHPP_SPLIT_API_URL/],
        [{ AUTHPP_SPLIT_API_URL: "/auth" }, /AUTHPP_SPLIT_API_URL/],
        [{ AUTHPP_SPLIT_PRESET: "bogus" }, /AUTHPP_SPLIT_PRESET/],
        [{ ...CUSTOM, AUTHPP_SPLIT_PTR_ACCESS: "data/x" }, /AUTHPP_SPLIT_PTR_ACCESS/],
        [{ AUTHPP_SPLIT_REFRESH_MARGIN_S: "abc" }, /AUTHPP_SPLIT_REFRESH_MARGIN_S/],
    ];
    for (const [change, re] of cases) {
        const env = { ...base, ...change };
        for (const k of Object.keys(env)) if (env[k] === null) delete env[k];
        const r = spawnSync(binary, [], { env, encoding: "utf8", timeout: 10000 });
        equal(r.status, 2, `exit code for ${JSON.stringify(change)}`);
        const lines = r.stderr.trim().split("\n");
        equal(lines.length, 1, `one line for ${JSON.stringify(change)}: ${r.stderr}`);
        check(re.test(lines[0]), `names the variable: ${lines[0]}`);
    }
});

await server.kill();
await backend.close();
finish();
