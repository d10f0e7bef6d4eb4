// nal_differential.mjs — mode nal next to next-api-layer, case by case.
//
// next-api-layer is not on npm (npm view next-api-layer: E404), so it cannot
// be run here; each row states what its source (GitHub dijinar/next-api-layer,
// src/proxy/*.ts, read for this table) does for the request, and what authpp
// does. Rows marked "same" assert that authpp does what the original does;
// rows marked "differs" name the deliberate difference (README, "Mode nal")
// and assert authpp's side. Every row runs against authpp-example-server
// (AUTHPP_MODE=nal) and the backend fixture.
//
// Environment (set by CMake): AUTHPP_EXAMPLE_SERVER.
import { Child, check, equal, finish, freePort, need, step } from "./harness.mjs";
import { startBackend } from "./nal_backend.mjs";

const binary = need("AUTHPP_EXAMPLE_SERVER");
const backend = await startBackend();
const port = await freePort();
const server = new Child(binary, [], {
    env: {
        PATH: process.env.PATH, AUTHPP_MODE: "nal", AUTHPP_LISTEN: `127.0.0.1:${port}`, AUTHPP_NAL_API_URL: backend.url,
        AUTHPP_PROTECTED: "/dashboard,/api/admin",
    },
});
await server.waitFor(/^READY /);
const origin = `http://127.0.0.1:${port}`;

const forged = Buffer.from(JSON.stringify({ id: "root" })).toString("base64");
const clearing = (res, name) => res.headers.getSetCookie().find((c) => c.startsWith(`${name}=;`));

// [name, kind, request, check of authpp's answer, what the original does]
const rows = [
    ["no token on an API route", "same", { path: "/api/whoami" }, async (r) => {
        equal(r.status, 401, "status");
        equal(await r.json(), { success: false, message: "Token not found" }, "body");
    }, "401 {success:false, message:'Token not found'} (handlers.ts, handleNoToken)"],
    ["no token on a protected page", "same", { path: "/dashboard" }, async (r) => {
        equal(r.status, 307, "status");
        equal(new URL(r.headers.get("location"), origin).pathname, "/login", "to /login");
    }, "307 to /login (an absolute URL there, a path here: the same target)"],
    ["no token on a public page", "same", { path: "/" }, async (r) => equal(r.status, 200, "passes"),
        "passes without identity"],
    ["a valid user token", "same", { path: "/api/whoami", cookie: "userToken=user:ada" }, async (r) => {
        const b = await r.json();
        equal(b.user?.id, "ada", "x-auth-user: standard base64 of the user JSON, decoded by the handler");
    }, "passes with x-auth-user = base64(JSON.stringify(userData))"],
    ["a forged x-auth-user without a token, public page", "same", { path: "/", headers: { "x-auth-user": forged } },
        async (r) => equal(r.status, 200, "passes"), "the client's copy is stripped (since v0.3.0)"],
    ["an expired token that refreshes", "same", { path: "/api/whoami", cookie: "userToken=old:bo" }, async (r) => {
        const b = await r.json();
        equal(b.refreshed, true, "x-refreshed-token for the handler");
        check(r.headers.getSetCookie().some((c) => c.startsWith("userToken=user%3Abo-r")), "the new user cookie");
    }, "validates the new token, sets the user cookie, x-refreshed-token request header"],
    ["a refused refresh on an API route", "same", { path: "/api/whoami", cookie: "userToken=bogus" }, async (r) => {
        equal(r.status, 401, "status");
        check(clearing(r, "userToken"), "the user cookie cleared");
    }, "handleNoToken after the failed refresh: 401 'Token not found', the user cookie deleted"],
    ["a signed-in user on /login", "same", { path: "/login", cookie: "userToken=user:cy" }, async (r) => {
        equal(r.status, 307, "status");
        equal(new URL(r.headers.get("location"), origin).pathname, "/", "home");
    }, "307 to /"],
    ["the backend answers 503", "differs: an outage is never a logout", { path: "/api/whoami", cookie: "userToken=user:di", fail: 503 },
        async (r) => {
            equal(r.status, 503, "503");
            equal(r.headers.getSetCookie().length, 0, "no cookie touched");
        }, "non-2xx is 'invalid': refresh, which fails too, then handleNoToken clears the cookie (a logout)"],
    ["the backend answers 429", "differs: 408 and 429 are transient", { path: "/api/whoami", cookie: "userToken=user:ed", fail: 429 },
        async (r) => equal(r.status, 503, "503"), "429 is 'invalid' like any non-2xx (then as above)"],
    ["a bearer token", "differs: bearer tokens are read", { path: "/api/whoami", headers: { authorization: "Bearer user:fy" } },
        async (r) => equal((await r.json()).user?.id, "fy", "validated"), "ignored: cookies only, so 401 'Token not found'"],
    ["a guest token on a protected API route", "differs: guests get 403 there",
        { path: "/api/admin/users", cookie: "guestToken=guest:1" },
        async (r) => equal(r.status, 403, "403"), "passes: guests are never refused on API routes"],
    ["/apiary without a token", "differs: routes match on segment boundaries", { path: "/apiary" },
        async (r) => equal(r.status, 404, "a page, not an API route (no such page here)"),
        "pathname.startsWith('/api'): an API route, 401"],
    ["the clearing Set-Cookie", "differs: Max-Age=0 and the attributes kept", { path: "/api/whoami", cookie: "userToken=bogus2" },
        async (r) => {
            const c = clearing(r, "userToken");
            check(c && /Max-Age=0/.test(c) && /HttpOnly/.test(c) && /SameSite=Lax/.test(c), `attributes: ${c}`);
        }, "name=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT (no Max-Age, HttpOnly, SameSite)"],
    ["x-auth-token-type for the handler", "differs: added", { path: "/api/whoami", cookie: "userToken=admin:gi" },
        async (r) => equal((await r.json()).tokenType, "admin", "the type"), "not sent (the type goes to the afterAuth hook only)"],
];

for (const [name, kind, req, verify, original] of rows) {
    await step(`${kind.startsWith("same") ? "same   " : "differs"} ${name}`, async () => {
        backend.fail(req.fail ?? 0);
        const headers = { ...(req.headers ?? {}) };
        if (req.cookie) headers.cookie = req.cookie;
        const r = await fetch(`${origin}${req.path}`, { redirect: "manual", headers });
        backend.fail(0);
        console.log(`       next-api-layer: ${original}${kind.startsWith("differs") ? `\n       authpp: ${kind.slice(9)}` : ""}`);
        await verify(r);
    });
}

await backend.close();
finish();
