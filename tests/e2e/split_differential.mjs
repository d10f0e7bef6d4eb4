// split_differential.mjs — mode split next to the real @significa/auth-next,
// row by row.
//
// The reference is the published package (@significa/auth-next@1.4.1-test-ci-2,
// pinned in tests/interop/package-lock.json and installed by `npm ci` into the
// build tree): its CommonJS Auth class (lib/cjs/auth.js: ServerAuth and
// PagesRestrictions) with createDirectusHandlers({url}), exactly as its README
// wires them, served by a small node:http server with a Next.js-like shim
// (req.body parsed as Next's API routes parse it, req.cookies, res.status().json(),
// getServerSideProps redirects as 307). authpp is authpp-example-server with
// AUTHPP_MODE=split. Each side has its own Directus-shaped backend
// (split_backend.mjs), fed the same requests.
//
// Every row sends the same requests to both and compares status, JSON body
// (tokens and lifetimes normalised), Set-Cookie lines (name, kind of value,
// attributes other than SameSite/Secure/Max-Age, Expires as past or future),
// Location, Clear-Site-Data and the calls each made to its backend. Rows
// marked "same" assert equality; rows marked "differs" name the deliberate
// difference (C6.md, "Known bugs of the originals"), assert authpp's side and
// print the reference's.
//
// Environment (set by CMake): AUTHPP_EXAMPLE_SERVER, AUTHPP_INTEROP_WORK (the
// interop node tree with node_modules). `--reference-only` (no
// AUTHPP_EXAMPLE_SERVER needed) prints what the reference answers, row by row.
import http from "node:http";
import { createRequire } from "node:module";
import { parse as parseQuery } from "node:querystring";
import { Child, check, equal, finish, freePort, need, step } from "./harness.mjs";
import { requestInit, startDirectus } from "./split_backend.mjs";

const referenceOnly = process.argv.includes("--reference-only");
const binary = referenceOnly ? null : need("AUTHPP_EXAMPLE_SERVER");
const work = need("AUTHPP_INTEROP_WORK");

// ---- the reference ----
const require = createRequire(`${work}/package.json`);
const pkg = require("@significa/auth-next/package.json");
check(pkg.version === "1.4.1-test-ci-2", `@significa/auth-next ${pkg.version} installed, 1.4.1-test-ci-2 expected`);
const { Auth } = require("@significa/auth-next/lib/cjs/auth.js");
const { createDirectusHandlers } = require("@significa/auth-next/lib/cjs/directus.js");

// The reference calls the global fetch; every URL it asks for is noted (its
// URL joiner turns http://h into http:/h, which Node's WHATWG URL parser
// happens to repair).
const fetched = [];
const realFetch = globalThis.fetch;
globalThis.fetch = (url, init) => {
    fetched.push(String(url));
    return realFetch(url, init);
};

/// Next.js 12's API-route body parser (next/dist/server/api-utils/node.js parseBody):
/// JSON (empty: {}; invalid: 400 "Invalid JSON"), urlencoded via querystring, anything else the raw string.
function nextBody(req, raw) {
    const type = (req.headers["content-type"] || "text/plain").split(";")[0].trim().toLowerCase();
    if (type === "application/json" || type === "application/ld+json") {
        if (raw.length === 0) return { body: {} };
        try {
            return { body: JSON.parse(raw) };
        } catch {
            return { error: "Invalid JSON" };
        }
    }
    if (type === "application/x-www-form-urlencoded") return { body: parseQuery(raw) };
    return { body: raw };
}
/// Next's req.cookies (the `cookie` package's parse: first occurrence wins, values URI-decoded).
function nextCookies(header = "") {
    const out = {};
    for (const part of header.split(";")) {
        const eq = part.indexOf("=");
        if (eq < 0) continue;
        const k = part.slice(0, eq).trim();
        let v = part.slice(eq + 1).trim();
        if (v.startsWith('"') && v.endsWith('"')) v = v.slice(1, -1);
        if (k in out) continue;
        try {
            out[k] = decodeURIComponent(v);
        } catch {
            out[k] = v;
        }
    }
    return out;
}

async function startReference(apiUrl) {
    // As the package's README wires it (default cookie names).
    const auth = new Auth({ serverHandlers: createDirectusHandlers({ url: apiUrl }) });
    const { withRestriction, withSessionRefresh } = auth.restrictions;
    const pages = {
        "/app": withRestriction((isAuthed) => (isAuthed ? false : "/login")), // withAuthRestriction
        "/login": withRestriction((isAuthed) => (isAuthed ? "/app" : false)), // withGuestRestriction
        "/": withSessionRefresh(),
    };
    const server = http.createServer((req, res) => {
        let raw = "";
        req.setEncoding("utf8");
        req.on("data", (c) => (raw += c));
        req.on("end", async () => {
            try {
                const url = new URL(req.url, "http://x");
                req.cookies = nextCookies(req.headers.cookie);
                if (url.pathname === "/api/auth" || url.pathname.startsWith("/api/auth/")) {
                    // pages/api/auth/[path].ts: export default auth.server.handler
                    const parsed = nextBody(req, raw);
                    if (parsed.error) {
                        res.statusCode = 400;
                        return res.end(parsed.error);
                    }
                    req.body = parsed.body;
                    res.status = (n) => ((res.statusCode = n), res);
                    res.json = (x) => {
                        res.setHeader("Content-Type", "application/json; charset=utf-8");
                        const s = JSON.stringify(x);
                        res.end(s === undefined ? undefined : s);
                    };
                    return await auth.server.handler(req, res);
                }
                const page = pages[url.pathname];
                if (!page) {
                    res.writeHead(404, { "content-type": "text/html" });
                    return res.end("404");
                }
                const result = await page({ req, res, resolvedUrl: url.pathname + url.search, query: Object.fromEntries(url.searchParams) });
                if (result.redirect) {
                    res.statusCode = result.redirect.permanent ? 308 : 307;
                    res.setHeader("Location", result.redirect.destination);
                    return res.end();
                }
                res.setHeader("Content-Type", "text/html; charset=utf-8");
                res.end(`<!doctype html><p>${url.pathname}</p>`);
            } catch (e) {
                // Next answers an exception from a handler with a 500.
                console.log(`       (reference threw: ${e.message})`);
                if (!res.headersSent) res.statusCode = 500;
                res.end("Internal Server Error");
            }
        });
    });
    await new Promise((r) => server.listen(0, "127.0.0.1", r));
    return { origin: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((r) => server.close(r)) };
}

// ---- the two sides ----
const sides = [];
{
    const backend = await startDirectus();
    const ref = await startReference(backend.url);
    sides.push({ name: "reference", origin: ref.origin, backend, close: ref.close });
}
if (!referenceOnly) {
    const backend = await startDirectus();
    const port = await freePort();
    const origin = `http://127.0.0.1:${port}`;
    const s = new Child(binary, [], {
        env: {
            PATH: process.env.PATH, AUTHPP_MODE: "split", AUTHPP_LISTEN: `127.0.0.1:${port}`,
            AUTHPP_SPLIT_API_URL: backend.url, AUTH_URL: origin, AUTHPP_THREADS: "2",
        },
    });
    await s.waitFor(/^READY /);
    sides.push({ name: "authpp", origin, backend, close: () => s.kill() });
}

/// One request: { status, body, cookies (raw lines), location, clear, meta: { type, cacheControl } }.
async function req(side, path, opts = {}) {
    const res = await realFetch(`${side.origin}${path}`, requestInit(opts));
    const text = await res.text();
    let parsed = text;
    try {
        parsed = JSON.parse(text);
    } catch {}
    // Pages are compared by kind: what a redirect or an HTML page says is the example's own.
    if (res.status >= 300 && res.status < 400) parsed = "(a redirect)";
    else if (/^text\/html/.test(res.headers.get("content-type") ?? "")) parsed = "(an HTML page)";
    return {
        status: res.status, body: parsed, cookies: res.headers.getSetCookie(), location: res.headers.get("location"),
        clear: res.headers.get("clear-site-data"),
        // not compared (see the attribute rows)
        meta: { type: res.headers.get("content-type"), cacheControl: res.headers.get("cache-control") },
    };
}
const ADA = { email: "ada@example.com", password: "pw-ada" };
const BO = { email: "bo@example.com", password: "pw-bo" };
const jarOf = (r) => r.cookies.map((c) => c.split(";")[0]).filter((p) => !p.endsWith("=")).join("; ");
/// A signed-in browser on `side`: its Cookie header and refresh token.
async function signIn(side, who = ADA) {
    const r = await req(side, "/api/auth/login", { method: "POST", json: who });
    check(r.status === 200 && r.cookies.length === 3, `${side.name}: sign-in for the row failed: ${r.status}`);
    const jar = jarOf(r);
    return { jar, refresh: /refresh_token=([^;]+)/.exec(jar)[1], access: /access_token=([^;]+)/.exec(jar)[1] };
}

// ---- normalisation ----
const tokenClass = (v) => v.replace(/\bacc-\d+\b/g, "<access>").replace(/\bref-\d+\b/g, "<refresh>");
function normBody(b) {
    if (b === "" || b === undefined) return "(empty)";
    const walk = (x, key) => {
        if (typeof x === "string") return tokenClass(x);
        if (typeof x === "number" && key === "expires") return "<ms>";
        if (Array.isArray(x)) return x.map((y) => walk(y));
        if (x && typeof x === "object") return Object.fromEntries(Object.keys(x).sort().map((k) => [k, walk(x[k], k)]));
        return x;
    };
    return walk(b);
}
function normCookie(line) {
    const [pair, ...attrs] = line.split(";").map((s) => s.trim());
    const eq = pair.indexOf("=");
    const name = pair.slice(0, eq);
    let value = pair.slice(eq + 1);
    if (/^(acc|ref)-\d+$/.test(value)) value = tokenClass(value);
    else if (value && !Number.isNaN(Date.parse(value))) value = "<date>";
    const kept = attrs
        .filter((a) => !/^(samesite|secure|max-age)\b/i.test(a))
        .map((a) => (/^expires=/i.test(a) ? `Expires=<${Date.parse(a.slice(8)) < Date.now() ? "past" : "future"}>` : a))
        .sort();
    return [`${name}=${value}`, ...kept].join("; ");
}
const normCookies = (lines) => (Array.isArray(lines) ? lines.map(normCookie) : lines);
/// How a field is compared (the others as they are).
const norm = { body: normBody, cookies: (x) => (x.length && Array.isArray(x[0]) ? x : normCookies(x)) };
const normalised = (f, x) => (norm[f] && x !== undefined ? norm[f](x) : x);
const counted = ["/auth/login", "/auth/refresh", "/auth/logout"];
const snapshot = (b) => counted.map((k) => b.count(k));

// ---- the rows ----
// { name, differs: { field: reason }, setup?(side) → ctx, run(side, ctx) → observation, check?(authpp's observation),
//   backend?: { fail, delay, expires } while the row runs }
const notAuthorized = { message: "Not authorized" };
const rows = [
    {
        name: "login with JSON", differs: { body: "the reference answers 200 with an empty body (res.json(undefined)); authpp {accessToken, expires}" },
        run: (s) => req(s, "/api/auth/login", { method: "POST", json: ADA }),
        check: (o) => equal(Object.keys(o.body).sort(), ["accessToken", "expires"], "authpp's body"),
    },
    {
        name: "login with a form body", differs: { body: "empty body in the reference (as above)" },
        run: (s) => req(s, "/api/auth/login", { method: "POST", form: BO }),
        check: (o) => equal(o.status, 200, "status"),
    },
    { name: "login, wrong password", run: (s) => req(s, "/api/auth/login", { method: "POST", json: { ...ADA, password: "x" } }) },
    { name: "login, unknown user", run: (s) => req(s, "/api/auth/login", { method: "POST", json: { email: "zed@example.com", password: "x" } }) },
    { name: "login, JSON without password", run: (s) => req(s, "/api/auth/login", { method: "POST", json: { email: ADA.email } }) },
    { name: "login, empty email", run: (s) => req(s, "/api/auth/login", { method: "POST", json: { email: "", password: "pw-ada" } }) },
    { name: "login, text/plain body", run: (s) => req(s, "/api/auth/login", { method: "POST", body: JSON.stringify(ADA), type: "text/plain" }) },
    { name: "login by GET", run: (s) => req(s, "/api/auth/login") },
    { name: "login by PUT with JSON", run: (s) => req(s, "/api/auth/login", { method: "PUT", json: ADA }) },
    {
        name: "login, unparseable JSON", differs: { body: "Next's body parser answers 400 with the text 'Invalid JSON'; authpp 400 {message:'Wrong payload'}" },
        run: (s) => req(s, "/api/auth/login", { method: "POST", json: '{"email":' }),
        check: (o) => equal(o.body, { message: "Wrong payload" }, "body"),
    },
    {
        name: "login, backend 503", backend: { fail: 503 },
        differs: { status: "an outage is not a refused login: 503, not 401", body: "{message:'Service unavailable'}" },
        run: (s) => req(s, "/api/auth/login", { method: "POST", json: ADA }),
        check: (o) => equal([o.status, o.body], [503, { message: "Service unavailable" }], "authpp"),
    },
    {
        name: "login with a query string",
        differs: {
            status: "the reference routes on req.url with its query (404); authpp on the path", body: "404 vs a login", cookies: "none vs the session",
            calls: "none vs one login",
        },
        run: (s) => req(s, "/api/auth/login?next=%2Fapp", { method: "POST", json: ADA }),
        check: (o) => equal([o.status, o.cookies.length], [200, 3], "authpp logs in"),
    },
    { name: "GET /api/auth/nope", run: (s) => req(s, "/api/auth/nope") },
    { name: "POST /api/auth/login/x", run: (s) => req(s, "/api/auth/login/x", { method: "POST", json: ADA }) },
    {
        name: "refresh", differs: { body: "the reference returns the refresh token in the body; authpp {accessToken, expires} only" },
        setup: (s) => signIn(s), run: (s, c) => req(s, "/api/auth/refresh", { cookie: c.jar }),
        check: (o) => equal(Object.keys(o.body).sort(), ["accessToken", "expires"], "no refreshToken in authpp's body"),
    },
    { name: "refresh without a refresh cookie", run: (s) => req(s, "/api/auth/refresh", { cookie: "access_token=acc-1" }) },
    { name: "refresh by POST", setup: (s) => signIn(s), run: (s, c) => req(s, "/api/auth/refresh", { method: "POST", cookie: c.jar }) },
    { name: "refresh with a refused token", run: (s) => req(s, "/api/auth/refresh", { cookie: "refresh_token=ref-bogus" }) },
    {
        name: "refresh, backend 503", backend: { fail: 503 },
        differs: {
            status: "an outage is never a logout: 503, not 401", body: "{message:'Service unavailable'}", cookies: "kept, not cleared",
            clear: "no Clear-Site-Data",
        },
        setup: (s) => signIn(s), run: (s, c) => req(s, "/api/auth/refresh", { cookie: c.jar }),
        check: (o) => equal([o.status, o.cookies, o.clear], [503, [], null], "authpp"),
    },
    {
        name: "5 concurrent refreshes with one cookie", backend: { delay: 100 },
        differs: {
            statuses: "the reference redeems the token 5 times: one 200, four 401 with clearing (the other tabs are logged out); authpp one refresh, 5×200",
            bodies: "as statuses", cookies: "the distinct Set-Cookie sets: the rotated cookies, and clearing in the reference", clears: "as cookies",
            calls: "5 backend refreshes vs 1",
        },
        setup: (s) => signIn(s),
        run: async (s, c) => {
            const all = await Promise.all(Array.from({ length: 5 }, () => req(s, "/api/auth/refresh", { cookie: c.jar })));
            const distinct = (f) => [...new Set(all.map((r) => JSON.stringify(f(r))))].sort().map((x) => JSON.parse(x));
            return {
                statuses: all.map((r) => r.status).sort(), bodies: distinct((r) => normBody(r.body)),
                cookies: distinct((r) => normCookies(r.cookies)), clears: all.map((r) => r.clear ?? "none").sort(),
            };
        },
        check: (o) => {
            equal(o.statuses, [200, 200, 200, 200, 200], "statuses");
            equal(o.bodies.length, 1, "one body (one access token)");
            equal(o.calls, [0, 1, 0], "one backend refresh");
        },
    },
    {
        name: "the just-rotated refresh token",
        differs: {
            status: "authpp serves the successor record (200 with the rotated tokens); the reference asks the backend, which refuses: 401",
            body: "as status", cookies: "the rotated cookies vs clearing", clear: "as cookies", calls: "no backend call vs a refused one",
        },
        setup: async (s) => {
            const c = await signIn(s);
            const r = await req(s, "/api/auth/refresh", { cookie: c.jar });
            check(r.status === 200, `${s.name}: the first refresh failed: ${r.status}`);
            return c;
        },
        run: (s, c) => req(s, "/api/auth/refresh", { cookie: c.jar }),
        check: (o) => equal([o.status, o.cookies.length, o.calls], [200, 3, [0, 0, 0]], "authpp"),
    },
    { name: "logout", setup: (s) => signIn(s), run: (s, c) => req(s, "/api/auth/logout", { cookie: c.jar }) },
    { name: "logout without a refresh cookie", run: (s) => req(s, "/api/auth/logout", { cookie: "access_token=acc-1" }) },
    { name: "logout by POST", setup: (s) => signIn(s), run: (s, c) => req(s, "/api/auth/logout", { method: "POST", cookie: c.jar }) },
    { name: "logout with a refused token", run: (s) => req(s, "/api/auth/logout", { cookie: "refresh_token=ref-bogus" }) },
    {
        name: "logout, backend 503", backend: { fail: 503 },
        differs: { status: "503 Service unavailable (the cookies cleared all the same), not 401", body: "{message:'Service unavailable'}" },
        setup: (s) => signIn(s), run: (s, c) => req(s, "/api/auth/logout", { cookie: c.jar }),
        check: (o) => equal([o.status, o.body, o.cookies.length], [503, { message: "Service unavailable" }, 3], "authpp"),
    },
    {
        name: "/app without a session", differs: { location: "returnTo form-encoded (%2Fapp); the reference appends it unencoded" },
        run: (s) => req(s, "/app"),
        check: (o) => equal([o.status, o.location], [307, "/login?returnTo=%2Fapp"], "authpp"),
    },
    {
        name: "/app?a=1&b=2 without a session", differs: { location: "returnTo form-encoded; unencoded, its & splits the query in the reference" },
        run: (s) => req(s, "/app?a=1&b=2"),
        check: (o) => equal([o.status, o.location], [307, "/login?returnTo=%2Fapp%3Fa%3D1%26b%3D2"], "authpp"),
    },
    { name: "/app with a fresh session", setup: (s) => signIn(s), run: (s, c) => req(s, "/app", { cookie: c.jar }) },
    {
        name: "/app with only a refresh cookie",
        differs: {
            status: "the reference refreshes, then answers 'no session' (it looks at the old access cookie): 307 to /login; authpp 200",
            location: "as status", body: "as status",
        },
        setup: (s) => signIn(s), run: (s, c) => req(s, "/app", { cookie: `refresh_token=${c.refresh}` }),
        check: (o) => equal([o.status, o.cookies.length], [200, 3], "authpp: signed in, the refreshed cookies set"),
    },
    { name: "/login with a session", setup: (s) => signIn(s), run: (s, c) => req(s, "/login", { cookie: c.jar }) },
    { name: "/login without a session", run: (s) => req(s, "/login") },
    {
        name: "/login with a refused refresh cookie", differs: { cookies: "authpp clears the cookies of a definitively refused session; the reference leaves them" },
        run: (s) => req(s, "/login", { cookie: "refresh_token=ref-bogus" }),
        check: (o) => equal([o.status, o.cookies.length], [200, 3], "authpp: the login page, three clearing lines"),
    },
    {
        name: "/ with a fresh session (refresh-if-due)",
        differs: { cookies: "the reference's withSessionRefresh refreshes on every request; authpp only when due", calls: "1 refresh vs 0" },
        setup: (s) => signIn(s), run: (s, c) => req(s, "/", { cookie: c.jar }),
        check: (o) => equal([o.status, o.cookies, o.calls], [200, [], [0, 0, 0]], "authpp"),
    },
    {
        name: "/app with a session expiring within the 30 s margin",
        differs: { cookies: "authpp refreshes when the indicator is within the margin; the reference only when the access cookie is missing", calls: "1 refresh vs 0" },
        setup: async (s) => {
            s.backend.setExpires(20000);
            try {
                return await signIn(s);
            } finally {
                s.backend.setExpires(900000);
            }
        },
        run: (s, c) => req(s, "/app", { cookie: c.jar }),
        check: (o) => equal([o.status, o.cookies.length, o.calls], [200, 3, [0, 1, 0]], "authpp"),
    },
    {
        name: "the session cookies, attribute by attribute",
        differs: {
            raw: "SameSite=Lax (the reference has none); Secure only on https (the reference always); the indicator ISO 8601 with ms (the reference Date.toUTCString())",
            headers: "Cache-Control: no-store (the reference none)",
        },
        run: async (s) => {
            const r = await req(s, "/api/auth/login", { method: "POST", json: BO });
            return { status: r.status, raw: r.cookies, headers: { "content-type": r.meta.type, "cache-control": r.meta.cacheControl } };
        },
        check: (o) => {
            check(/^access_token=acc-\d+; Path=\/; Expires=[^;]+; SameSite=Lax$/.test(o.raw[0]), `access: ${o.raw[0]}`);
            check(/^refresh_token=ref-\d+; Path=\/; HttpOnly; SameSite=Lax$/.test(o.raw[1]), `refresh: ${o.raw[1]}`);
            check(/^session=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z; Path=\/; SameSite=Lax$/.test(o.raw[2]), `session: ${o.raw[2]}`);
            equal(o.headers["cache-control"], "no-store", "Cache-Control");
        },
    },
    {
        name: "the clearing cookies, attribute by attribute",
        differs: { raw: "Max-Age=0, the epoch as Expires and SameSite=Lax, no Secure on http (the reference: Secure, Expires one ms ago)" },
        run: async (s) => {
            const r = await req(s, "/api/auth/refresh");
            return { status: r.status, raw: r.cookies, clear: r.clear };
        },
        check: (o) => equal(o.raw, [
            "access_token=; Max-Age=0; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; SameSite=Lax",
            "refresh_token=; Max-Age=0; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax",
            "session=; Max-Age=0; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; SameSite=Lax",
        ], "authpp's clearing lines"),
    },
    {
        name: "the backend URL",
        differs: { url: "the reference's joiner (sanitizeUrl) collapses every '//', scheme included: it asks for http:/127.0.0.1:…; Node's fetch repairs that, other clients would not" },
        run: async (s) => {
            const from = fetched.length;
            const r = await req(s, "/api/auth/login", { method: "POST", json: ADA });
            const asked = fetched.slice(from).filter((u) => u.includes("/auth/login") && !u.startsWith(s.origin));
            return { status: r.status, url: s.name === "reference" ? asked : [`${s.backend.url}/auth/login (as received: ${s.backend.last("/auth/login")?.method} /auth/login)`] };
        },
        check: (o) => equal(o.status, 200, "authpp reached the backend"),
    },
];

// ---- the run ----
const show = (x) => JSON.stringify(x);
for (const row of rows) {
    const differs = row.differs ?? {};
    const label = Object.keys(differs).length ? "differs" : "same   ";
    await step(`${label} ${row.name}`, async () => {
        const obs = [];
        for (const side of sides) {
            const b = side.backend;
            b.setFail(null);
            b.setDelay(0);
            b.setExpires(900000);
            const ctx = row.setup ? await row.setup(side) : undefined;
            if (row.backend?.fail) b.setFail(row.backend.fail);
            if (row.backend?.delay) b.setDelay(row.backend.delay);
            const before = snapshot(b);
            let o;
            try {
                o = await row.run(side, ctx);
            } finally {
                b.setFail(null);
                b.setDelay(0);
            }
            o.calls = snapshot(b).map((n, i) => n - before[i]);
            obs.push(o);
        }
        const [ref, ours] = obs;
        if (referenceOnly) {
            for (const f of Object.keys(ref)) if (f !== "meta") console.log(`       ${f}: ${show(normalised(f, ref[f]))}`);
            return;
        }
        for (const [f, why] of Object.entries(differs)) {
            console.log(`       differs in ${f}: ${why}`);
            console.log(`         reference: ${show(normalised(f, ref[f]))}\n         authpp:    ${show(normalised(f, ours[f]))}`);
        }
        for (const f of new Set([...Object.keys(ref), ...Object.keys(ours)])) {
            if (f in differs || f === "meta") continue;
            equal(normalised(f, ours[f]), normalised(f, ref[f]), `${f} (authpp vs the reference)`);
        }
        if (row.check) await row.check(ours);
    });
}

for (const s of sides) {
    await s.close();
    await s.backend.close();
}
finish();
