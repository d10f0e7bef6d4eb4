// nal_e2e.mjs — mode nal through authpp-example-server (AUTHPP_MODE=nal)
// against a backend on loopback (nal_backend.mjs): no token, a valid token,
// the validation cache, de-duplication under load, refresh by cookie and by
// bearer (one refresh for twenty requests), a refused refresh, an outage that
// logs nobody out, allowed types, guests, auth routes, forged identity
// headers, every mapper preset, the audit log, and bad environments.
//
// Two server processes sharing a real redis-server redeem one expired token
// once between them, and the one that did not redeem it adopts the result.
//
// Environment (set by CMake): AUTHPP_EXAMPLE_SERVER, AUTHPP_REDIS_SERVER.
import { randomBytes } from "node:crypto";
import { spawnSync } from "node:child_process";
import { Child, check, equal, finish, freePort, need, sleep, startRedis, step } from "./harness.mjs";
import { startBackend } from "./nal_backend.mjs";

const binary = need("AUTHPP_EXAMPLE_SERVER");
const redisBinary = need("AUTHPP_REDIS_SERVER");

async function startNal(backend, env = {}) {
    const port = await freePort();
    const s = new Child(binary, [], {
        env: {
            PATH: process.env.PATH,
            AUTHPP_MODE: "nal",
            AUTHPP_LISTEN: `127.0.0.1:${port}`,
            AUTHPP_NAL_API_URL: backend.url,
            AUTHPP_NAL_AUDIT: "stdout",
            AUTHPP_THREADS: "2",
            ...env,
        },
    });
    await s.waitFor(/^READY /);
    s.origin = `http://127.0.0.1:${port}`;
    return s;
}
const get = (server, path, headers = {}) => fetch(`${server.origin}${path}`, { redirect: "manual", headers });
const whoami = async (server, headers) => {
    const r = await get(server, "/api/whoami", headers);
    return { status: r.status, body: await r.json(), res: r };
};
const cookies = (res) => res.headers.getSetCookie();

const backend = await startBackend();
const server = await startNal(backend);
try {
    await step("no token, guest tokens off: API 401, protected page 307 to /login, public page 200", async () => {
        const api = await whoami(server);
        equal(api.status, 401, "API");
        equal(api.body, { success: false, message: "Token not found" }, "the body");
        const page = await get(server, "/dashboard");
        equal(page.status, 307, "protected page");
        equal(page.headers.get("location"), "/login", "to the login page");
        equal((await get(server, "/")).status, 200, "public page");
        equal(backend.calls("/auth/me"), 0, "no backend call");
    });

    await step("a valid user token: the handler sees the user; the dashboard names them", async () => {
        const w = await whoami(server, { cookie: "userToken=user:ada" });
        equal(w.status, 200, "status");
        equal(w.body.authenticated, true, "authenticated");
        equal(w.body.guest, false, "not a guest");
        equal(w.body.tokenType, "user", "type");
        equal(w.body.user?.id, "ada", "the user from x-auth-user");
        equal(w.body.refreshed, false, "not refreshed");
        check(!JSON.stringify(w.body).includes("user:ada"), "the token itself is never echoed");
        const page = await get(server, "/dashboard", { cookie: "userToken=user:ada" });
        equal(page.status, 200, "dashboard");
        check((await page.text()).includes("User ada"), "names the user");
    });

    await step("the cache: repeats within 2 s make no call; after it, one", async () => {
        backend.reset();
        for (let i = 0; i < 5; ++i) await whoami(server, { cookie: "userToken=user:bob" });
        equal(backend.calls("/auth/me user:bob"), 1, "one validation for five requests");
        await sleep(2100);
        await whoami(server, { cookie: "userToken=user:bob" });
        equal(backend.calls("/auth/me user:bob"), 2, "asked again after the TTL");
    });

    await step("de-duplication: 20 concurrent requests with one fresh token make one validation", async () => {
        backend.reset();
        backend.slow(200);
        const all = await Promise.all(Array.from({ length: 20 }, () => whoami(server, { cookie: "userToken=user:cy" })));
        backend.slow(0);
        check(all.every((w) => w.status === 200 && w.body.user?.id === "cy"), "all signed in");
        equal(backend.calls("/auth/me user:cy"), 1, "one validation");
    });

    await step("refresh by cookie: 20 concurrent requests with one expired token make one refresh", async () => {
        backend.reset();
        backend.slow(100);
        const all = await Promise.all(Array.from({ length: 20 }, () => whoami(server, { cookie: "userToken=old:dee" })));
        backend.slow(0);
        check(all.every((w) => w.status === 200 && w.body.refreshed && w.body.user?.id?.startsWith("dee-r")), "all refreshed");
        equal(backend.calls("/auth/refresh"), 1, "one refresh");
        const set = all.map((w) => cookies(w.res).find((c) => c.startsWith("userToken=")));
        // The same new token everywhere (Expires may tick over a second between responses).
        equal(new Set(set.map((c) => c?.split(";")[0])).size, 1, "every response carries the same new cookie");
        check(set[0].includes("HttpOnly") && /SameSite=Lax/i.test(set[0]), "HttpOnly, SameSite=Lax");
        check(!/Secure/.test(set[0]), "no Secure on plain http");
    });

    await step("refresh by bearer: the new token comes back as x-refreshed-token, no cookie", async () => {
        const w = await whoami(server, { authorization: "Bearer old:eve" });
        equal(w.status, 200, "status");
        equal(w.body.refreshed, true, "refreshed");
        check(/^user:eve-r\d+$/.test(w.res.headers.get("x-refreshed-token") ?? ""), "x-refreshed-token");
        equal(cookies(w.res).length, 0, "no Set-Cookie");
    });

    await step("a refused refresh: API 401 and the user cookie cleared", async () => {
        const w = await whoami(server, { cookie: "userToken=bogus" });
        equal(w.status, 401, "status");
        check(cookies(w.res).some((c) => /^userToken=;/.test(c) && /Max-Age=0/.test(c)), "the user cookie cleared");
    });

    await step("backend down: 503 for the API and the protected page, no cookie touched", async () => {
        backend.fail(503);
        const w = await whoami(server, { cookie: "userToken=user:zed; guestToken=guest:1" });
        equal(w.status, 503, "API");
        equal(w.body, { success: false, message: "Connection error occurred." }, "the body");
        equal(cookies(w.res).length, 0, "no Set-Cookie");
        const page = await get(server, "/dashboard", { cookie: "userToken=old:zed" });
        equal(page.status, 503, "protected page");
        equal(cookies(page).length, 0, "no Set-Cookie after a refresh that could not happen either");
        backend.fail(429);
        equal((await whoami(server, { cookie: "userToken=user:zz" })).status, 503, "429 is transient too");
        backend.fail(0);
        equal((await whoami(server, { cookie: "userToken=user:zed" })).status, 200, "and back");
    });

    await step("forged identity headers are removed", async () => {
        const forged = Buffer.from(JSON.stringify({ id: "root" })).toString("base64");
        const w = await whoami(server, { "x-auth-user": forged, "x-auth-token-type": "admin", "x-refreshed-token": "t" });
        equal(w.status, 401, "no token: refused");
        const signed = await whoami(server, { cookie: "userToken=user:fay", "X-Auth-User": forged });
        equal(signed.body.user?.id, "fay", "the decision's user, not the client's");
        equal(signed.body.refreshed, false, "no client-sent x-refreshed-token");
    });

    await step("a signed-in user on /login is sent home", async () => {
        const r = await get(server, "/login", { cookie: "userToken=user:gus" });
        equal(r.status, 307, "status");
        equal(r.headers.get("location"), "/", "home");
        equal((await get(server, "/login")).status, 200, "anonymous: the login page");
    });

    await step("the audit log: one line per event, never a token", async () => {
        const audit = server.lines.filter((l) => l.startsWith("AUDIT "));
        check(audit.length > 10, `audit lines: ${audit.length}`);
        const events = audit.map((l) => JSON.parse(l.slice(6)));
        check(events.some((e) => e.type === "auth:success" && e.userId === "ada"), "auth:success for ada");
        check(events.some((e) => e.type === "auth:refresh"), "auth:refresh");
        check(events.some((e) => e.type === "auth:fail"), "auth:fail");
        for (const l of server.lines) check(!/(user|old|admin|guest):[a-z]/.test(l.replace(/"type":"auth:guest"/, "")),
            `no token in a log line: ${l.slice(0, 80)}`);
    });
} catch (e) {
    console.log(`FAIL ${e.stack}`);
}

await step("allowed types: a user token is refused where only admins may go", async () => {
    const s = await startNal(backend, { AUTHPP_NAL_ALLOWED_TYPES: "admin" });
    const w = await whoami(s, { cookie: "userToken=user:hal" });
    equal(w.status, 403, "API");
    equal(w.body, { success: false, message: "You are not authorized for this action" }, "the body");
    check(cookies(w.res).some((c) => /^userToken=;/.test(c)), "the cookie cleared");
    equal((await whoami(s, { cookie: "userToken=admin:ivy" })).body.tokenType, "admin", "admins pass");
    await s.kill();
});

await step("AUTHPP_NAL_CACHE_TTL_MS=0: every request asks the backend", async () => {
    const s = await startNal(backend, { AUTHPP_NAL_CACHE_TTL_MS: "0" });
    backend.reset();
    for (let i = 0; i < 3; ++i) equal((await whoami(s, { cookie: "userToken=user:nocache" })).status, 200, "signed in");
    equal(backend.calls("/auth/me user:nocache"), 3, "three validations for three requests");
    await s.kill();
});

await step("guest tokens on: a visitor gets one; a guest is kept out of the dashboard", async () => {
    const s = await startNal(backend, { AUTHPP_NAL_GUEST_USERNAME: "guest", AUTHPP_NAL_GUEST_PASSWORD: "guest-pw" });
    const w = await whoami(s);
    equal(w.status, 200, "status");
    equal(w.body.guest, true, "a guest");
    const c = cookies(w.res).find((x) => x.startsWith("guestToken="));
    check(c && /Max-Age=3600/.test(c), `a guest cookie for an hour: ${c}`);
    const page = await get(s, "/dashboard", { cookie: c.split(";")[0] });
    equal(page.status, 307, "guest on the dashboard");
    const again = await whoami(s, { cookie: c.split(";")[0] });
    equal(again.body.guest, true, "the guest cookie validates as a guest");
    await s.kill();
});

for (const shape of ["django", "dotnet", "express"]) {
    await step(`mapper preset ${shape}`, async () => {
        const b = await startBackend({ shape });
        const s = await startNal(b, { AUTHPP_NAL_MAPPER: shape, AUTHPP_NAL_GUEST_USERNAME: "guest", AUTHPP_NAL_GUEST_PASSWORD: "guest-pw" });
        const w = await whoami(s, { cookie: "userToken=user:jo" });
        equal(w.body.authenticated, true, "valid");
        equal(w.body.user?.id, "jo", "the user");
        const r = await whoami(s, { cookie: "userToken=old:jo" });
        check(r.body.refreshed && r.body.user?.id?.startsWith("jo-r"), `refreshed: ${JSON.stringify(r.body)}`);
        const g = await whoami(s);
        equal(g.body.guest, true, "a guest token from the preset's field");
        const refused = await whoami(s, { cookie: "userToken=nope" });
        equal(refused.body.guest, true, "a refused token: on as a new guest");
        check(cookies(refused.res).some((c) => /^userToken=;/.test(c)), "and the user cookie cleared");
        await s.kill();
        await b.close();
    });
}

await step("two processes sharing Redis: 20 requests with one expired token, split between them → one refresh", async () => {
    const redis = await startRedis(redisBinary);
    const env = { AUTHPP_REDIS_URL: redis.url(5), AUTH_SECRET: randomBytes(32).toString("base64") };
    const [p1, p2] = await Promise.all([startNal(backend, env), startNal(backend, env)]);
    backend.reset();
    backend.slow(300);
    const all = await Promise.all(Array.from({ length: 20 }, (_, i) => whoami(i % 2 ? p2 : p1, { cookie: "userToken=old:kit" })));
    backend.slow(0);
    check(all.every((w) => w.status === 200 && w.body.refreshed), `all refreshed: ${all.map((w) => w.status)}`);
    equal(backend.calls("/auth/refresh"), 1, "one refresh across both processes");
    const set = new Set(all.map((w) => cookies(w.res).find((c) => c.startsWith("userToken="))?.split(";")[0]));
    equal(set.size, 1, "both processes hand out the same new token");
    // Later, the other process with the old cookie adopts the successor record.
    const late = await whoami(p2, { cookie: "userToken=old:kit" });
    equal(late.body.refreshed, true, "a late request is refreshed too");
    equal(backend.calls("/auth/refresh"), 1, "from the successor record, not a second redemption");
    await Promise.all([p1.kill(), p2.kill(), redis.kill()]);
});

await step("bad environments exit 2 with one line naming the variable, never a password", async () => {
    const base = { PATH: process.env.PATH, AUTHPP_MODE: "nal", AUTHPP_NAL_API_URL: backend.url, AUTHPP_LISTEN: "127.0.0.1:0" };
    const cases = [
        [{ AUTHPP_MODE: "bogus" }, /AUTHPP_MODE/],
        [{ AUTHPP_NAL_API_URL: "" }, /AUTHPP_NAL_API_URL/],
        [{ AUTHPP_NAL_API_URL: "backend:8000" }, /AUTHPP_NAL_API_URL/],
        [{ AUTHPP_NAL_CACHE_TTL_MS: "soon" }, /AUTHPP_NAL_CACHE_TTL_MS/],
        [{ AUTHPP_NAL_CACHE_MAX: "-1" }, /AUTHPP_NAL_CACHE_MAX/],
        [{ AUTHPP_NAL_MAPPER: "laravel" }, /AUTHPP_NAL_MAPPER/],
        [{ AUTHPP_NAL_AUDIT: "syslog" }, /AUTHPP_NAL_AUDIT/],
        [{ AUTHPP_NAL_GUEST_PASSWORD: "s3cret-pw" }, /AUTHPP_NAL_GUEST_USERNAME/],
        [{ AUTHPP_NAL_AUTH_ROUTES: "login" }, /AUTHPP_NAL_AUTH_ROUTES/],
        [{ AUTHPP_PROTECTED: "dashboard" }, /AUTHPP_PROTECTED/],
    ];
    for (const [env, re] of cases) {
        const r = spawnSync(binary, [], { env: { ...base, ...env }, encoding: "utf8", timeout: 10000 });
        equal(r.status, 2, `exit code for ${JSON.stringify(env)}`);
        const lines = r.stderr.trim().split("\n");
        equal(lines.length, 1, `one line for ${JSON.stringify(env)}`);
        check(re.test(lines[0]), `names the variable: ${lines[0]}`);
        check(!lines[0].includes("s3cret-pw"), "no password echoed");
    }
});

await backend.close();
finish();
