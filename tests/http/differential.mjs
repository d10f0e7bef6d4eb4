// differential.mjs — one request sequence against authpp's wire_server and
// against the real Auth.js (reference_server.mjs: @auth/core Auth() set up as
// the reference), compared step by step: status, Location (origin
// normalised), Content-Type, Cache-Control, the Set-Cookie names with their
// attributes (Path, HttpOnly, SameSite, Secure, Domain, Max-Age and Expires
// present — not values), the JSON body's shape and the session's fields. Cookies and
// CSRF tokens are then fed across: each side must accept the other's.
//
// A difference is a failure unless it is listed in `documented` below with
// the docs/endpoints.md rule it follows; that entry asserts what authpp does.
import { CookieJar, check, parseSetCookie, same, startProvider, startWireServer, summary } from "./wire.mjs";
import { startReferenceServer } from "./reference_server.mjs";

const secret = "differential-secret-0123456789abcdef";
const provider = await startProvider();
const sides = {
    cpp: await startWireServer({ secret, issuer: provider.issuer }),
    ref: await startReferenceServer({ secret, issuer: provider.issuer }),
};
const jars = { cpp: new CookieJar(), ref: new CookieJar() };

// ---- one exchange, observed -------------------------------------------------
const norm = (s, origin) => (typeof s === "string" ? s.split(origin).join("ORIGIN") : s);
function normDeep(v, origin) {
    if (typeof v === "string") return norm(v, origin);
    if (Array.isArray(v)) return v.map((x) => normDeep(x, origin));
    if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, normDeep(x, origin)]));
    return v;
}
function shape(v) {
    if (v === null) return null;
    if (Array.isArray(v)) return v.map(shape);
    if (typeof v === "object") return Object.fromEntries(Object.keys(v).sort().map((k) => [k, shape(v[k])]));
    return typeof v;
}
function cookieAttrs(c) {
    const a = c.attrs;
    return {
        path: a.path ?? null,
        httponly: a.httponly === true,
        samesite: (a.samesite ?? "").toLowerCase() || null,
        secure: a.secure === true,
        domain: a.domain ?? null,
        maxAge: a["max-age"] !== undefined,
        expires: a.expires !== undefined,
        cleared: (a["max-age"] !== undefined && Number(a["max-age"]) <= 0) || (a.expires !== undefined && Date.parse(a.expires) <= Date.now()),
    };
}

/// Sends a request as the side's browser (its jar, unless `cookie` is given).
async function send(side, method, path, { form, json, cookie, headers = {}, store = true } = {}) {
    const { origin } = sides[side];
    const h = new Headers(headers);
    const c = cookie ?? jars[side].header();
    if (c) h.set("cookie", c);
    let body;
    if (form) (body = new URLSearchParams(form).toString()), h.set("content-type", "application/x-www-form-urlencoded");
    if (json) (body = JSON.stringify(json)), h.set("content-type", "application/json");
    if (body !== undefined) h.set("origin", origin);
    const res = await fetch(origin + path, { method, headers: h, body, redirect: "manual" });
    const setCookies = res.headers.getSetCookie().map(parseSetCookie);
    if (store) jars[side].store(res.headers.getSetCookie());
    const text = await res.text();
    let parsed;
    try {
        parsed = JSON.parse(text);
    } catch {
        parsed = undefined;
    }
    return {
        status: res.status,
        location: norm(res.headers.get("location"), origin),
        contentType: res.headers.get("content-type")?.replace(/;\s*charset=utf-8/i, "").toLowerCase() ?? null,
        cacheControl: res.headers.get("cache-control"),
        cookies: Object.fromEntries(setCookies.map((x) => [x.name, cookieAttrs(x)])),
        cookieValues: Object.fromEntries(setCookies.map((x) => [x.name, x.value])),
        json: parsed === undefined ? undefined : normDeep(parsed, origin),
        bodyShape: parsed === undefined ? (text ? "text" : "empty") : shape(parsed),
    };
}

// ---- the comparison -----------------------------------------------------------
const compared = ["status", "location", "contentType", "cacheControl", "cookies", "bodyShape"];
const differences = [];
const documentedSeen = [];

/// Compares the observations of one step. `documented[field](cpp, ref)`
/// asserts a difference docs/endpoints.md describes; it is used only when
/// the field differs (and must then hold).
function compare(step, cpp, ref, documented = {}) {
    for (const f of compared) {
        const a = JSON.stringify(cpp[f]);
        const b = JSON.stringify(ref[f]);
        if (a === b) continue;
        if (documented[f]) {
            documentedSeen.push(`${step}: ${f} cpp=${a} ref=${b}`);
            check(`${step}: ${f} differs as documented`, documented[f](cpp[f], ref[f]), { cpp: cpp[f], ref: ref[f] });
            continue;
        }
        differences.push({ step, field: f, cpp: cpp[f], ref: ref[f] });
        check(`${step}: ${f} is the same as Auth.js's`, false, { cpp: cpp[f], ref: ref[f] });
    }
}
async function both(step, method, path, opts = {}, documented = {}) {
    const o = {};
    for (const side of ["cpp", "ref"]) o[side] = await send(side, method, path, typeof opts === "function" ? opts(side) : opts);
    compare(step, o.cpp, o.ref, documented);
    return o;
}
const csrfOf = (side) => decodeURIComponent(jars[side].get("authjs.csrf-token") ?? "").split("|")[0];

// authpp's sign-in page defaults to the reference's loginUrl (/login) where
// Auth.js, given no pages.signIn, uses its own {base}/signin (docs: Options).
const signInPage = (cpp, ref) =>
    typeof cpp === "string" && typeof ref === "string" && cpp.replace("ORIGIN/login?", "ORIGIN/api/auth/signin?") === ref;
const signInPageJson = (cpp, ref) => JSON.stringify(cpp) === JSON.stringify(ref); // same {url: string} shape

// ---- the sequence ---------------------------------------------------------------
const alice = await provider.tokens("alice");
const dashboard = (side) => `${sides[side].origin}/dashboard`;

let o = await both("GET /csrf", "GET", "/api/auth/csrf");
for (const side of ["cpp", "ref"]) check(`${side} GET /csrf token`, /^[0-9a-f]{64}$/.test(o[side].json?.csrfToken ?? ""), o[side].json);

o = await both("GET /providers", "GET", "/api/auth/providers");
same("GET /providers body", o.cpp.json, o.ref.json);

o = await both("GET /session (none)", "GET", "/api/auth/session");
same("GET /session (none) body", [o.cpp.json, o.ref.json], [null, null]);

o = await both("POST /callback bad CSRF", "POST", "/api/auth/callback/immutable",
    (side) => ({ form: { csrfToken: "0".repeat(64), callbackUrl: dashboard(side), tokens: JSON.stringify(alice) } }),
    { location: signInPage });
o = await both("POST /callback bad CSRF (X-Auth-Return-Redirect)", "POST", "/api/auth/callback/immutable",
    (side) => ({ form: { csrfToken: "wrong", callbackUrl: dashboard(side), tokens: JSON.stringify(alice) }, headers: { "x-auth-return-redirect": "1" } }));
check("bad CSRF: cpp url is the sign-in page with MissingCSRF", o.cpp.json?.url === "ORIGIN/login?error=MissingCSRF", o.cpp.json);
check("bad CSRF: ref url is the sign-in page with MissingCSRF", o.ref.json?.url === "ORIGIN/api/auth/signin?error=MissingCSRF", o.ref.json);

const forged = { ...alice, profile: { ...alice.profile, sub: "mallory" } };
o = await both("POST /callback bad tokens", "POST", "/api/auth/callback/immutable",
    (side) => ({ form: { csrfToken: csrfOf(side), callbackUrl: dashboard(side), tokens: JSON.stringify(forged) } }),
    { location: signInPage });
check("bad tokens: no session cookie on either side", !Object.keys({ ...o.cpp.cookies, ...o.ref.cookies }).some((n) => n.includes("session")), [o.cpp.cookies, o.ref.cookies]);
o = await both("POST /callback not JSON", "POST", "/api/auth/callback/immutable",
    (side) => ({ form: { csrfToken: csrfOf(side), callbackUrl: dashboard(side), tokens: "{not json" }, headers: { "x-auth-return-redirect": "1" } }));
check("tokens not JSON: CredentialsSignin on both", /error=CredentialsSignin&code=credentials$/.test(o.cpp.json?.url) && /error=CredentialsSignin&code=credentials$/.test(o.ref.json?.url), [o.cpp.json, o.ref.json]);

o = await both("POST /callback good", "POST", "/api/auth/callback/immutable",
    (side) => ({ form: { csrfToken: csrfOf(side), callbackUrl: dashboard(side), tokens: JSON.stringify(alice) } }));
same("sign-in redirects to callbackUrl", [o.cpp.location, o.ref.location], ["ORIGIN/dashboard", "ORIGIN/dashboard"]);

const sessions = await both("GET /session (signed in)", "GET", "/api/auth/session");
const { expires: cppExpires, ...cppSession } = sessions.cpp.json ?? {};
const { expires: refExpires, ...refSession } = sessions.ref.json ?? {};
same("the session fields and values", cppSession, refSession);
check("the session expiry agrees within 5 s", Math.abs(Date.parse(cppExpires) - Date.parse(refExpires)) < 5000, [cppExpires, refExpires]);
same("the session's user and tokens", cppSession.user, { sub: "alice", email: "alice@example.com", nickname: "alice" });

// ---- cross-feed: each reads the other's session cookie and CSRF pair --------------
for (const [from, to] of [["cpp", "ref"], ["ref", "cpp"]]) {
    const r = await send(to, "GET", "/api/auth/session", { cookie: `authjs.session-token=${jars[from].get("authjs.session-token")}`, store: false });
    const { expires, ...rest } = r.json ?? {};
    same(`${to} reads ${from}'s session cookie`, rest, from === "cpp" ? cppSession : refSession);
    // the other side's CSRF cookie + token, this side's session
    const csrfCookie = jars[from].get("authjs.csrf-token");
    const u = await send(to, "POST", "/api/auth/session", {
        cookie: `authjs.csrf-token=${csrfCookie}; authjs.session-token=${jars[to].get("authjs.session-token")}`,
        json: { csrfToken: csrfOf(from), data: { accessTokenExpires: alice.accessTokenExpires + 1 } },
        store: false,
    });
    same(`${to} accepts ${from}'s CSRF cookie and token`, [u.status, u.json?.accessTokenExpires], [200, alice.accessTokenExpires + 1]);
    check(`${to} keeps ${from}'s valid CSRF cookie (no new one)`, !("authjs.csrf-token" in u.cookies), u.cookies);
}

// ---- update ------------------------------------------------------------------
const synced = Date.now() + 3600e3;
o = await both("POST /session update", "POST", "/api/auth/session", (side) => ({ json: { csrfToken: csrfOf(side), data: { accessTokenExpires: synced } } }));
same("update merges accessTokenExpires", [o.cpp.json?.accessTokenExpires, o.ref.json?.accessTokenExpires], [synced, synced]);
o = await both("POST /session update bad CSRF", "POST", "/api/auth/session", { json: { csrfToken: "wrong", data: { accessTokenExpires: 1 } } });
same("update with a bad CSRF token", [o.cpp.json, o.ref.json], [o.ref.json, o.ref.json]);
o = await both("POST /session update, no data", "POST", "/api/auth/session", (side) => ({ json: { csrfToken: csrfOf(side) } }));

// forceRefresh: each side refreshes its own freshly signed-in user (the provider rotates).
for (const side of ["cpp", "ref"]) {
    const t = await provider.tokens(`refresh-${side}`);
    await send(side, "POST", "/api/auth/callback/immutable", { form: { csrfToken: csrfOf(side), callbackUrl: dashboard(side), tokens: JSON.stringify(t) } });
    jars[side].t = t;
}
const [before] = await provider.refreshCount();
o = await both("POST /session forceRefresh", "POST", "/api/auth/session", (side) => ({ json: { csrfToken: csrfOf(side), data: { forceRefresh: true } } }));
const [after, , failedGrants] = await provider.refreshCount();
same("forceRefresh: one refresh grant per side, none failed", [after - before, failedGrants], [2, 0]);
for (const side of ["cpp", "ref"]) {
    const s = o[side].json;
    check(`${side} forceRefresh: new tokens, id token in the answer, no error`,
        s?.accessToken !== jars[side].t.accessToken && s?.refreshToken !== jars[side].t.refreshToken && typeof s?.idToken === "string" && !("error" in s), s);
}

// ---- sign-out ----------------------------------------------------------------
o = await both("POST /signout", "POST", "/api/auth/signout", (side) => ({ form: { csrfToken: csrfOf(side), callbackUrl: `${sides[side].origin}/bye` } }));
same("sign-out redirects to callbackUrl", [o.cpp.location, o.ref.location], ["ORIGIN/bye", "ORIGIN/bye"]);
o = await both("GET /session (signed out)", "GET", "/api/auth/session");
same("signed out on both", [o.cpp.json, o.ref.json], [null, null]);
o = await both("POST /signout bad CSRF", "POST", "/api/auth/signout", { form: { csrfToken: "wrong" } }, { location: signInPage });

// ---- error page ------------------------------------------------------------------
for (const e of ["Configuration", "AccessDenied", "Verification", "Default", "Bogus"])
    await both(`GET /error?error=${e}`, "GET", `/api/auth/error?error=${e}`);

// ---- cookies and bodies off the happy path ----------------------------------------
o = await both("GET /csrf with a valid CSRF cookie", "GET", "/api/auth/csrf");
same("a valid CSRF cookie is kept (token unchanged)", [o.cpp.json?.csrfToken, o.ref.json?.csrfToken], [csrfOf("cpp"), csrfOf("ref")]);
o = await both("GET /session with a garbage session cookie", "GET", "/api/auth/session", (side) => ({ cookie: `authjs.csrf-token=${jars[side].get("authjs.csrf-token")}; authjs.session-token=garbage`, store: false }));
same("a garbage session cookie reads as no session", [o.cpp.json, o.ref.json], [null, null]);
o = await both("GET /session with a foreign callback-url cookie", "GET", "/api/auth/session", (side) => ({ cookie: `authjs.csrf-token=${jars[side].get("authjs.csrf-token")}; authjs.callback-url=https%3A%2F%2Fevil.com`, store: false }));
same("a foreign callback-url cookie is replaced by the base URL", [o.cpp.cookieValues["authjs.callback-url"], o.ref.cookieValues["authjs.callback-url"]].map((v) => v && decodeURIComponent(v).replace(/:\d+$/, "")), ["http://127.0.0.1", "http://127.0.0.1"]);
o = await both("POST /signout callbackUrl in the query", "POST", "/api/auth/signout?callbackUrl=%2Fq", (side) => ({ form: { csrfToken: csrfOf(side) }, store: false }));
same("callbackUrl from the query", [o.cpp.location, o.ref.location], ["ORIGIN/q", "ORIGIN/q"]);
o = await both("POST /callback with a JSON body", "POST", "/api/auth/callback/immutable", (side) => ({ json: { csrfToken: csrfOf(side), callbackUrl: "/json", tokens: JSON.stringify(alice) }, store: false }));
same("a JSON body signs in too", [o.cpp.location, o.ref.location], ["ORIGIN/json", "ORIGIN/json"]);
o = await both("POST /callback accessTokenExpires not a number", "POST", "/api/auth/callback/immutable",
    (side) => ({ form: { csrfToken: csrfOf(side), tokens: JSON.stringify({ ...alice, accessTokenExpires: "soon" }) }, headers: { "x-auth-return-redirect": "1" }, store: false }));
same("a malformed token set is CredentialsSignin", [o.cpp.json?.url?.split("?")[1], o.ref.json?.url?.split("?")[1]], ["error=CredentialsSignin&code=credentials", "error=CredentialsSignin&code=credentials"]);
await both("POST /callback/unknown", "POST", "/api/auth/callback/unknown", (side) => ({ form: { csrfToken: csrfOf(side) }, store: false }), { location: signInPage });
await both("POST /signin/immutable", "POST", "/api/auth/signin/immutable", (side) => ({ form: { csrfToken: csrfOf(side) }, store: false }));
await both("GET /session/ (trailing slash)", "GET", "/api/auth/session/", { store: false });
await both("GET /api/auth", "GET", "/api/auth", { store: false });
o = await both("GET /session?callbackUrl=//evil.com", "GET", "/api/auth/session?callbackUrl=%2F%2Fevil.com", { store: false });

// The jwt callback on GET /session: expired without a refresh token → TokenExpired.
const stale = { ...alice, refreshToken: undefined, accessTokenExpires: Date.now() - 1000 };
for (const side of ["cpp", "ref"])
    await send(side, "POST", "/api/auth/callback/immutable", { form: { csrfToken: csrfOf(side), callbackUrl: "/", tokens: JSON.stringify(stale) } });
o = await both("GET /session, expired, no refresh token", "GET", "/api/auth/session");
same("expired without a refresh token: TokenExpired on both", [o.cpp.json?.error, o.ref.json?.error], ["TokenExpired", "TokenExpired"]);
// …and with one: refreshed on the spot (each side its own user; the provider rotates).
for (const side of ["cpp", "ref"]) {
    const t = await provider.tokens(`expired-${side}`);
    await send(side, "POST", "/api/auth/callback/immutable", { form: { csrfToken: csrfOf(side), callbackUrl: "/", tokens: JSON.stringify({ ...t, accessTokenExpires: Date.now() - 1000 }) } });
    jars[side].t = t;
}
o = await both("GET /session, expired, refreshed", "GET", "/api/auth/session");
for (const side of ["cpp", "ref"])
    check(`${side} refreshed the expired session on GET /session`, o[side].json?.accessToken !== jars[side].t.accessToken && !("error" in o[side].json) && o[side].json?.accessTokenExpires > Date.now(), o[side].json);

// ---- pages and what is no action -----------------------------------------------
// GET /signin: Auth.js renders its HTML sign-in page; authpp has none and
// redirects to the sign-in page (docs: Not built), relative, as Auth.js does
// when pages.signIn is set (lib/pages/index.js).
o = await both("GET /signin", "GET", "/api/auth/signin?callbackUrl=%2Fdashboard", {}, {
    status: (cpp, ref) => cpp === 302 && ref === 200,
    location: (cpp, ref) => cpp === `/login?${new URLSearchParams({ callbackUrl: `${sides.cpp.origin}/dashboard` })}` && ref === null,
    contentType: (cpp, ref) => cpp === null && ref === "text/html",
    bodyShape: (cpp, ref) => cpp === "empty" && ref === "text",
});
o = await both("GET /signout", "GET", "/api/auth/signout");
for (const side of ["cpp", "ref"]) check(`${side} GET /signout is HTML`, o[side].contentType === "text/html" && o[side].status === 200, o[side]);
await both("GET /nope", "GET", "/api/auth/nope");
await both("PUT /session", "PUT", "/api/auth/session");

// ---- open-redirect probes --------------------------------------------------------
// Auth.js's redirect callback prefixes any "/…" with the base URL, so a probe
// stays on the origin with an odd path, and one that is no URL at all
// (%2F%2F…) throws: the action fails with error=Configuration. authpp refuses
// every probe to the base URL and performs the action (docs: Redirects —
// "everything else falls back to the base URL"). Neither may leave the origin.
// Each probe starts from the same cookies on both sides (the CSRF pair only).
const onOrigin = (u) => u === "ORIGIN" || (typeof u === "string" && u.startsWith("ORIGIN/"));
const stricter = (cpp, ref) => cpp === "ORIGIN" && onOrigin(ref);
const configurationError = "ORIGIN/api/auth/error?error=Configuration";
for (const probe of ["//evil.com", "https://evil.com", "/\\evil.com", "%2F%2Fevil.com", "/%2F%2Fevil.com", "http://127.0.0.1.evil.com/"]) {
    const csrfOnly = (side) => `authjs.csrf-token=${jars[side].get("authjs.csrf-token")}`;
    // Where Auth.js threw, it set no cookies; authpp set what the action sets.
    const refThrew = (cpp, ref) => JSON.stringify(ref) === "{}" && "authjs.callback-url" in cpp;
    for (const [action, extra] of [["signout", {}], ["callback/immutable", { tokens: JSON.stringify(alice) }]]) {
        for (const xr of [false, true]) {
            const step = `POST /${action} callbackUrl=${probe}${xr ? " (X-Auth-Return-Redirect)" : ""}`;
            o = await both(step, "POST", `/api/auth/${action}`, (side) => ({
                cookie: csrfOnly(side),
                store: false,
                form: { csrfToken: csrfOf(side), callbackUrl: probe, ...extra },
                headers: xr ? { "x-auth-return-redirect": "1" } : {},
            }), { location: (cpp, ref) => stricter(cpp, ref) || (cpp === "ORIGIN" && ref === null), cookies: refThrew });
            const target = (side) => (xr ? o[side].json?.url : o[side].location);
            check(`${step}: authpp answers the base URL`, target("cpp") === "ORIGIN", o.cpp);
            check(`${step}: Auth.js stays on the origin`, onOrigin(target("ref")), o.ref);
            if (target("ref") === configurationError) check(`${step}: only %2F%2F… makes Auth.js throw`, probe.startsWith("%2F"), o.ref);
        }
    }
}

for (const s of Object.values(sides)) s.stop();
provider.stop();
console.log("documented differences seen:\n  " + documentedSeen.join("\n  "));
if (differences.length) console.log("undocumented differences:\n" + differences.map((d) => JSON.stringify(d)).join("\n"));
process.exit(summary("differential"));
