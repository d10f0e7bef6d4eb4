// story.mjs — the browser suite (CTest label `browser`): headless Chromium
// (Debian's, driven by puppeteer-core) on one origin where a reverse proxy
// (proxy.mjs) sends /cpp/* to authpp-example-server and everything else to a
// real Next.js app with Auth.js (app/, built by `next build`), both with the
// same AUTH_SECRET, signed in through the real oidc-provider's login form
// (refresh-token rotation on, access tokens of ACCESS_TTL seconds).
//
//   1 not signed in, the C++ page sends the browser to the Next.js sign-in;
//     sign in at the provider
//   2 the C++ page shows the user the Next.js page shows
//   3 the token expires, the C++ service refreshes it, the Next.js page shows
//     the new token; one refresh grant at the provider
//   4 next-auth/react's useSession() keeps working across the C++ refresh
//   6 a chunked session written by Next.js is read by the C++ service, and
//     one written by the C++ service (a refresh) is read by Next.js
//   3b both sides hit at the same moment with the expired token, the app
//     delegating its refresh to the C++ service: one refresh grant
//   5 sign-out on the C++ side signs the user out of Next.js, and sign-out
//     on the Next.js side closes the C++ page
//
// A screenshot per scenario goes to AUTHPP_SCREENSHOTS (default
// {AUTHPP_BROWSER_WORK}/screenshots). Environment (set by CMake):
// AUTHPP_EXAMPLE_SERVER, AUTHPP_FIXTURE_DIR (provider.mjs), AUTHPP_BROWSER_WORK
// (node_modules and the built app), AUTHPP_CHROMIUM.
import crypto from "node:crypto";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { Child, check, equal, finish, freePort, need, sleep, startProvider, startServer, step } from "../e2e/harness.mjs";
import { startProxy } from "./proxy.mjs";

const binary = need("AUTHPP_EXAMPLE_SERVER");
const fixtureDir = need("AUTHPP_FIXTURE_DIR");
const work = path.resolve(need("AUTHPP_BROWSER_WORK"));
const chromium = need("AUTHPP_CHROMIUM");
const shots = process.env.AUTHPP_SCREENSHOTS || path.join(work, "screenshots");
fs.mkdirSync(shots, { recursive: true });
for (const f of fs.readdirSync(shots)) if (f.endsWith(".png")) fs.rmSync(path.join(shots, f)); // this run's only
const puppeteer = createRequire(path.join(work, "package.json"))("puppeteer-core");

const ACCESS_TTL = 10; // seconds: long enough for a scenario's steps, short enough to wait for
const secret = crypto.randomBytes(32).toString("base64");
// Every port is taken when its server starts (the proxy first: the
// provider needs the origin), so that no two can be handed the same one.
const proxy = await startProxy({ prefix: "/cpp" });
const proxyPort = proxy.port;
// "localhost", not 127.0.0.1: Next.js's NextURL rewrites 127.0.0.1 to
// localhost, so Auth.js's callback would compute a redirect_uri other than
// the one its sign-in sent (the provider refuses the code).
const origin = `http://localhost:${proxyPort}`;

const provider = await startProvider({ fixtureDir, redirectUris: [`${origin}/api/auth/callback/oidc`], accessTtl: ACCESS_TTL });
const cppPort = await freePort();
const cpp = await startServer({
    binary,
    port: cppPort,
    issuer: provider.issuer,
    secret,
    env: { AUTH_URL: origin, AUTHPP_PATH_PREFIX: "/cpp", AUTHPP_LOGIN_URL: "/login", AUTHPP_ACCESS_LOG: "off" },
});

/// `next start` of the built app; `refresh`: the app's APP_REFRESH (auth.js).
async function startNext(refresh) {
    const nextPort = await freePort();
    const n = new Child(process.execPath, [path.join(work, "node_modules/next/dist/bin/next"), "start", "-p", String(nextPort), "-H", "127.0.0.1"], {
        cwd: path.join(work, "app"),
        env: {
            PATH: process.env.PATH,
            NODE_ENV: "production",
            NEXT_TELEMETRY_DISABLED: "1",
            AUTH_SECRET: secret,
            AUTH_URL: origin,
            OIDC_ISSUER: provider.issuer,
            APP_REFRESH: refresh,
            CPP_SESSION_URL: `http://127.0.0.1:${cppPort}/cpp/api/auth/session`,
        },
    });
    await n.waitFor(/Ready in/, { ms: 60000 });
    proxy.targets.rest = nextPort;
    return n;
}
proxy.targets.prefix = cppPort;
let next = await startNext("self");

const browser = await puppeteer.launch({
    executablePath: chromium,
    headless: true,
    args: ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--no-first-run", "--no-default-browser-check"],
    defaultViewport: { width: 800, height: 420 }, // the pages are short; fullPage grows it
});
process.on("exit", () => browser.process()?.kill("SIGKILL"));

/// A tab that reaches loopback only (the provider's page imports a web font:
/// nothing here may depend on the network).
async function tab() {
    const page = await browser.newPage();
    await page.setRequestInterception(true);
    const loopback = new Set(["127.0.0.1", "localhost"]);
    page.on("request", (r) => (loopback.has(new URL(r.url()).hostname) ? r.continue() : r.abort()));
    return page;
}
/// Input goes to the tab in front only (a background tab renders no frame to click in).
async function click(page, sel) {
    await page.bringToFront();
    await page.click(sel);
}
/// Waits until `fn` holds in the page. Polled on a timer: puppeteer's default
/// polls on requestAnimationFrame, which never runs in a background tab, so a
/// condition still false at the first look would wait out the time-out there.
const waitIn = (page, fn) => page.waitForFunction(fn, { polling: 50 });
const text = (page, sel) => page.$eval(sel, (e) => e.textContent.trim());
const shot = (page, name) => page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
const pathOf = (page) => new URL(page.url()).pathname;

/// The provider's refresh_token grants so far: { total, ok, failed }.
async function grants() {
    const [word, total, ok, failed] = (await provider.command("count")).split(" ");
    check(word === "OK", "provider count");
    return { total: Number(total), ok: Number(ok), failed: Number(failed) };
}
let expected = { total: 0, ok: 0, failed: 0 };
async function expectGrants(more, what) {
    expected = { total: expected.total + more, ok: expected.ok + more, failed: 0 };
    equal(await grants(), expected, `refresh grants at the provider ${what}`);
}

/// Polls `cond` (in this process) until it holds, or fails naming `what`.
async function until(cond, what, ms = 15000) {
    for (const end = Date.now() + ms; !cond(); await sleep(25))
        if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
}

/// From a Next.js /login page: the sign-in (a server action, whose redirect
/// the page follows by script), the provider's login and consent forms, back
/// on this origin.
async function signIn(page, sub, shotName) {
    await click(page, "#signin");
    await until(() => !page.url().startsWith(origin), "the provider's page");
    for (let hops = 0; hops < 4 && !page.url().startsWith(origin); ++hops) {
        await page.waitForSelector('button[type="submit"]');
        if (await page.$('input[name="login"]')) {
            await page.type('input[name="login"]', sub);
            await page.type('input[name="password"]', "any password");
            if (shotName) await shot(page, shotName);
        }
        await Promise.all([page.waitForNavigation(), click(page, 'button[type="submit"]')]);
    }
    check(page.url().startsWith(origin), `back on the app's origin after sign-in, not ${page.url()}`);
}

/// What the C++ dashboard shows.
async function cppView(page) {
    return {
        sub: await text(page, "#sub"),
        email: await text(page, "#email"),
        token: await text(page, "#access-token"),
        expires: Number(await text(page, "#access-token-expires")),
        error: await text(page, "#error"),
    };
}
/// Waits until the access token the C++ dashboard last showed has expired.
async function untilExpired(view) {
    await sleep(Math.max(0, view.expires - Date.now()) + 300);
}

const cppTab = await tab();
const nextTab = await tab();
let current; // the C++ dashboard's last view

await step("1 not signed in: the C++ page sends the browser to the Next.js sign-in; sign-in at the provider", async () => {
    await cppTab.goto(`${origin}/cpp/dashboard`);
    equal(pathOf(cppTab), "/login", "redirected to the Next.js sign-in page");
    equal(new URL(cppTab.url()).searchParams.get("returnTo"), "/cpp/dashboard", "returnTo");
    equal(await text(cppTab, "#return-to"), "/cpp/dashboard", "the Next.js page read returnTo");
    await shot(cppTab, "1a-cpp-page-sends-to-nextjs-sign-in");
    await signIn(cppTab, "alice", "1b-provider-login-form");
    equal(pathOf(cppTab), "/cpp/dashboard", "back on the C++ page");
    current = await cppView(cppTab);
    equal([current.sub, current.email, current.error], ["alice", "alice@example.com", ""], "the C++ page's session");
    await shot(cppTab, "1c-cpp-dashboard-after-sign-in");
});

await step("2 the C++ page shows the same user the Next.js page shows", async () => {
    await nextTab.goto(`${origin}/`);
    equal(await text(nextTab, "#user"), current.sub, "user");
    equal(await text(nextTab, "#email"), current.email, "email");
    equal(await text(nextTab, "#access-token"), current.token, "access token");
    equal(Number(await text(nextTab, "#access-token-expires")), current.expires, "access token expiry");
    await shot(nextTab, "2-nextjs-page-same-user");
    await expectGrants(0, "after sign-in");
});

/// The access token expires and the C++ page refreshes it (one grant).
async function refreshByCpp(what) {
    await untilExpired(current);
    const before = current;
    await cppTab.reload();
    current = await cppView(cppTab);
    check(current.token !== before.token, `the C++ service refreshed the token (${what})`);
    check(current.expires > before.expires, "a later expiry");
    equal(current.error, "", "no error after the refresh");
    await expectGrants(1, `after the C++ refresh (${what})`);
}

await step("3 the access token expires; the C++ service refreshes it; the Next.js page shows the new token", async () => {
    await refreshByCpp("scenario 3");
    await shot(cppTab, "3a-cpp-dashboard-refreshed");
    await nextTab.reload();
    equal(await text(nextTab, "#access-token"), current.token, "the Next.js page shows the C++ service's new token");
    equal(await text(nextTab, "#error"), "", "no error on the Next.js side");
    await shot(nextTab, "3b-nextjs-page-after-cpp-refresh");
    await expectGrants(0, "after the Next.js page read the refreshed cookie (it did not refresh again)");
});

const clientTab = await tab();
await step("4 next-auth/react's useSession() keeps working across the C++ refresh", async () => {
    await clientTab.goto(`${origin}/client`);
    await waitIn(clientTab, () => document.querySelector("#status")?.textContent === "authenticated");
    equal(await text(clientTab, "#access-token"), current.token, "useSession() sees the session");
    await refreshByCpp("scenario 4");
    await click(clientTab, "#update");
    await waitIn(clientTab, () => document.querySelector("#updates")?.textContent === "1");
    equal(await text(clientTab, "#status"), "authenticated", "still authenticated");
    equal(await text(clientTab, "#access-token"), current.token, "useSession() has the C++ service's new token");
    equal(await text(clientTab, "#error"), "", "no error");
    await shot(clientTab, "4-use-session-after-cpp-refresh");
    await expectGrants(0, "after update()");
});

/// The session cookie's names in the browser, sorted.
async function sessionCookies(page) {
    const all = await page.cookies(origin);
    return all.filter((c) => c.name.startsWith("authjs.session-token")).map((c) => c.name).sort();
}

await step("6 a chunked session: written by Next.js, read by C++; written by C++ (a refresh), read by Next.js", async () => {
    await click(clientTab, "#big-button");
    await waitIn(clientTab, () => document.querySelector("#updates")?.textContent === "2");
    equal(await text(clientTab, "#big"), "3000", "the large claim is in the session");
    const chunked = ["authjs.session-token.0", "authjs.session-token.1"];
    equal(await sessionCookies(clientTab), chunked, "Next.js wrote the session in two chunks");
    await cppTab.reload();
    const read = await cppView(cppTab);
    equal([read.sub, read.error], ["alice", ""], "the C++ service read the chunked session");
    if (read.token === current.token) {
        // Still the same access token: the C++ service refreshes it now and
        // writes the large session back, in chunks.
        await refreshByCpp("scenario 6");
    } else {
        current = read; // it had expired meanwhile: that reload was the refresh
        await expectGrants(1, "after the C++ refresh (scenario 6)");
    }
    equal(await sessionCookies(cppTab), chunked, "the C++ service wrote the session in two chunks");
    await nextTab.reload();
    equal(await text(nextTab, "#big"), "3000", "Next.js read the large claim from the C++ service's chunks");
    equal(await text(nextTab, "#access-token"), current.token, "and its new access token");
    equal(await text(nextTab, "#error"), "", "no error");
    await shot(nextTab, "6-nextjs-reads-chunks-written-by-cpp");
});

await step("3b both sides at the same moment, the app delegating its refresh to the C++ service: one refresh grant", async () => {
    await next.kill();
    next = await startNext("delegate");
    await untilExpired(current);
    const tabs = [cppTab, await tab(), nextTab, await tab()];
    const urls = [`${origin}/cpp/dashboard`, `${origin}/cpp/dashboard`, `${origin}/`, `${origin}/`];
    await Promise.all(tabs.map((t, i) => t.goto(urls[i])));
    const tokens = await Promise.all(tabs.map((t) => text(t, "#access-token")));
    check(tokens[0] !== current.token, "the token was refreshed");
    equal(new Set(tokens).size, 1, `every tab shows the same new token (${tokens.join(", ")})`);
    for (const t of tabs) equal(await text(t, "#error"), "", "no error");
    await expectGrants(1, "after four requests on both sides at once");
    current = await cppView(cppTab);
    await nextTab.reload();
    equal(await text(nextTab, "#access-token"), current.token, "the browser keeps the new token");
    await expectGrants(0, "after the reload");
    await shot(tabs[3], "3c-both-sides-at-once-one-refresh");
    await Promise.all([tabs[1].close(), tabs[3].close()]);
});

await step("5 sign-out on the C++ side signs out of Next.js; sign-out on the Next.js side closes the C++ page", async () => {
    await cppTab.goto(`${origin}/cpp/dashboard`);
    await waitIn(cppTab, () => document.querySelector("[name=csrfToken]")?.value !== "");
    await Promise.all([cppTab.waitForNavigation(), click(cppTab, "#signout")]);
    equal(await sessionCookies(cppTab), [], "no session cookie left");
    await nextTab.goto(`${origin}/`);
    equal(await text(nextTab, "#user"), "(signed out)", "the Next.js page after the C++ sign-out");
    await shot(nextTab, "5a-nextjs-signed-out-by-cpp");

    await cppTab.goto(`${origin}/cpp/dashboard`);
    equal(pathOf(cppTab), "/login", "the C++ page sends to sign-in again");
    await signIn(cppTab, "alice");
    equal(pathOf(cppTab), "/cpp/dashboard", "signed in again");
    await nextTab.goto(`${origin}/`);
    equal(await text(nextTab, "#user"), "alice", "the Next.js page sees the new sign-in");
    await click(nextTab, "#signout");
    await waitIn(nextTab, () => document.querySelector("#user")?.textContent === "(signed out)");
    equal(await sessionCookies(nextTab), [], "no session cookie left");
    await cppTab.goto(`${origin}/cpp/dashboard`);
    equal(pathOf(cppTab), "/login", "the C++ page after the Next.js sign-out");
    await shot(cppTab, "5b-cpp-page-closed-by-nextjs-sign-out");
    await expectGrants(0, "at the end");
});

console.log(`screenshots: ${shots}`);
await browser.close();
await proxy.close();
next.kill();
cpp.kill();
provider.kill();
finish();
