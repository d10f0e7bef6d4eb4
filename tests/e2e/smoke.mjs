// smoke.mjs BINARY — the two small example servers (beast_async_server,
// beast_blocking_server) answer the Auth.js actions and apply the middleware.
import { Child, check, equal, finish, freePort, step } from "./harness.mjs";

const binary = process.argv[2];
const port = await freePort();
const origin = `http://127.0.0.1:${port}`;
const server = new Child(binary, ["127.0.0.1", String(port)], {
    env: { PATH: process.env.PATH, AUTH_SECRET: "smoke-test-secret-0123456789abcdef" },
});
await server.waitFor(/^listening on /);

await step(`${binary.split("/").pop()}: actions, middleware, page`, async () => {
    let res = await fetch(`${origin}/api/auth/csrf`);
    equal(res.status, 200, "GET /api/auth/csrf");
    check(/^[0-9a-f]{64}$/.test((await res.json()).csrfToken), "a CSRF token");
    check(res.headers.getSetCookie().some((c) => c.startsWith("authjs.csrf-token=")), "its cookie");
    res = await fetch(`${origin}/dashboard`, { redirect: "manual" });
    equal(res.status, 307, "GET /dashboard without a session");
    equal(res.headers.get("location"), `${origin}/login?returnTo=%2Fdashboard`, "to the login page");
    res = await fetch(`${origin}/`);
    equal(await res.text(), "Hello, stranger\n", "the public page");
    res = await fetch(`${origin}/api/auth/session`);
    equal(await res.json(), null, "no session");
});
finish();
