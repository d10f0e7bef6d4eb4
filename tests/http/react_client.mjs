// react_client.mjs — the real next-auth/react (next-auth 5.0.0-beta.32, pinned)
// against authpp's wire_server: getCsrfToken, getProviders, signIn with
// client-obtained tokens, getSession, the SessionProvider's update() (a data
// merge and forceRefresh) and signOut, each result checked.
//
// The client runs unchanged in Node: a page's globals are stubbed (window,
// document: listeners only), fetch is a same-origin browser fetch with a
// cookie jar (wire.mjs), and SessionProvider is mounted with
// react-test-renderer so that update() — which only exists in its context
// value — is the real one. Because `window` exists, the client uses its
// relative base path (/api/auth) exactly as in a browser.
import { CookieJar, browserFetch, check, load, same, startProvider, startWireServer, summary } from "./wire.mjs";

const secret = "react-client-secret-0123456789abcdef";
const provider = await startProvider();
const server = await startWireServer({ secret, issuer: provider.issuer });
const { origin } = server;

// ---- a page of `origin` ---------------------------------------------------
const jar = new CookieJar();
const log = [];
const noop = () => {};
globalThis.window = { location: { href: `${origin}/app`, origin }, addEventListener: noop, removeEventListener: noop };
globalThis.document = { visibilityState: "visible", addEventListener: noop, removeEventListener: noop };
globalThis.fetch = browserFetch(origin, jar, log);
// Not an act() environment: the client's own async updates (fetch results,
// BroadcastChannel messages) reach React through its scheduler, as on a page.
globalThis.IS_REACT_ACT_ENVIRONMENT = false;
const consoleError = console.error;
console.error = (msg, ...rest) => (String(msg).startsWith("react-test-renderer is deprecated") ? undefined : consoleError(msg, ...rest));
process.env.NEXTAUTH_URL = `${origin}/api/auth`; // read when next-auth/react loads

const React = await load("react");
const TestRenderer = await load("react-test-renderer");
const nextAuth = await load("next-auth/react");
const { getCsrfToken, getProviders, getSession, signIn, signOut, SessionProvider, useSession } = nextAuth;

// The session context value as the app's components see it.
let ctx;
function Probe() {
    ctx = useSession();
    return null;
}
async function until(what, pred, ms = 10000) {
    const end = Date.now() + ms;
    while (!pred()) {
        if (Date.now() > end) return check(`${what} (timed out)`, false, ctx?.status);
        await new Promise((r) => setTimeout(r, 20));
    }
    return true;
}
const lastRequest = (path) => log.filter((e) => e.path.startsWith(path)).at(-1);

// ---- getCsrfToken ---------------------------------------------------------
const csrf = await getCsrfToken();
check("getCsrfToken returns a token", typeof csrf === "string" && /^[0-9a-f]{64}$/.test(csrf), csrf);
const csrfCookie = jar.get("authjs.csrf-token");
check("the CSRF cookie is token|hash of the token it returned", csrfCookie?.startsWith(`${csrf}%7C`) || csrfCookie?.startsWith(`${csrf}|`), csrfCookie);

// ---- getProviders ---------------------------------------------------------
same("getProviders", await getProviders(), {
    immutable: {
        id: "immutable",
        name: "Immutable",
        type: "credentials",
        signinUrl: `${origin}/api/auth/signin/immutable`,
        callbackUrl: `${origin}/api/auth/callback/immutable`,
    },
});

// ---- SessionProvider: signed out at first ----------------------------------
const root = TestRenderer.create(React.createElement(SessionProvider, null, React.createElement(Probe)));
await until("SessionProvider settles", () => ctx !== undefined && ctx.status !== "loading");
same("signed out at first: status", ctx.status, "unauthenticated");
same("signed out at first: data", ctx.data, null);
same("getSession() before sign-in", await getSession(), null);

// ---- signIn with refused tokens -------------------------------------------
const alice = await provider.tokens("alice");
const forged = { ...alice, profile: { ...alice.profile, sub: "mallory" } };
let r = await signIn("immutable", { tokens: JSON.stringify(forged), redirect: false, callbackUrl: `${origin}/dashboard` });
same("signIn with another user's sub: result", r, { error: "CredentialsSignin", code: "credentials", status: 200, ok: true, url: null });
check("…sent as next-auth/react sends it", lastRequest("/api/auth/callback/immutable")?.requestHeaders["x-auth-return-redirect"] === "1");
check("…and set no session", !jar.names().some((n) => n.includes("session-token")), jar.names());

// ---- signIn ---------------------------------------------------------------
r = await signIn("immutable", { tokens: JSON.stringify(alice), redirect: false, callbackUrl: `${origin}/dashboard` });
same("signIn result", r, { error: undefined, code: undefined, status: 200, ok: true, url: `${origin}/dashboard` });
const post = lastRequest("/api/auth/callback/immutable");
check("signIn posted a form with csrfToken, callbackUrl, tokens",
    post?.requestHeaders["content-type"] === "application/x-www-form-urlencoded" &&
        new URLSearchParams(post.body).get("csrfToken") === csrf &&
        new URLSearchParams(post.body).get("tokens") === JSON.stringify(alice), post);
check("signIn set the session cookie", jar.get("authjs.session-token")?.split(".").length === 5, jar.names());
await until("SessionProvider sees the sign-in", () => ctx.status === "authenticated");
same("SessionProvider user after signIn", ctx.data?.user, { sub: "alice", email: "alice@example.com", nickname: "alice" });

// ---- getSession -----------------------------------------------------------
let s = await getSession();
same("getSession user", s?.user, { sub: "alice", email: "alice@example.com", nickname: "alice" });
same("getSession accessToken", s?.accessToken, alice.accessToken);
same("getSession refreshToken", s?.refreshToken, alice.refreshToken);
same("getSession accessTokenExpires", s?.accessTokenExpires, alice.accessTokenExpires);
check("getSession expires in the future (about a year)", Date.parse(s?.expires) > Date.now() + 364 * 86400e3, s?.expires);
check("getSession has no error", s && !("error" in s), s);
check("the cookie leaves idToken out, so GET /session has none", s && s.idToken === undefined, s?.idToken);

// ---- update(data): the synced-tokens merge ---------------------------------
const synced = Date.now() + 3600e3;
let u = await ctx.update({ accessTokenExpires: synced });
same("update({accessTokenExpires}) returns the merged session", u?.accessTokenExpires, synced);
same("…keeps the user", u?.user?.sub, "alice");
const upd = lastRequest("/api/auth/session");
check("update POSTed JSON {csrfToken, data}", upd?.method === "POST" && JSON.parse(upd.body).csrfToken === csrf &&
    JSON.parse(upd.body).data.accessTokenExpires === synced, upd);
same("getSession after update", (await getSession())?.accessTokenExpires, synced);

// ---- update({forceRefresh}): the server refreshes at the provider now -------
const [grantsBefore] = await provider.refreshCount();
u = await ctx.update({ forceRefresh: true });
const [grantsAfter, , failed] = await provider.refreshCount();
same("forceRefresh made one refresh grant", grantsAfter - grantsBefore, 1);
same("…which succeeded", failed, 0);
check("forceRefresh: a new access token", typeof u?.accessToken === "string" && u.accessToken !== alice.accessToken, u);
check("forceRefresh: a rotated refresh token", typeof u?.refreshToken === "string" && u.refreshToken !== alice.refreshToken, u);
check("forceRefresh: the new id token, right after the refresh", typeof u?.idToken === "string" && u.idToken.split(".").length === 3, u);
check("forceRefresh: no error", u && !("error" in u), u?.error);
s = await getSession();
same("getSession after forceRefresh has the refreshed access token", s?.accessToken, u?.accessToken);
same("SessionProvider holds the refreshed session", ctx.data?.accessToken, u?.accessToken);

// ---- update() without data is a plain GET /session -------------------------
u = await ctx.update();
same("update() returns the session", u?.user?.sub, "alice");
same("…fetched with GET", lastRequest("/api/auth/session")?.method, "GET");

// ---- signOut --------------------------------------------------------------
const out = await signOut({ redirect: false, callbackUrl: `${origin}/bye` });
same("signOut result", out, { url: `${origin}/bye` });
check("signOut cleared the session cookie", jar.get("authjs.session-token") === undefined, jar.names());
await until("SessionProvider sees the sign-out", () => ctx.status === "unauthenticated");
same("getSession after signOut", await getSession(), null);

// ---- a redirect the server refuses comes back as the base URL ---------------
const bob = await provider.tokens("bob");
r = await signIn("immutable", { tokens: JSON.stringify(bob), redirect: false, callbackUrl: "https://evil.example/steal" });
same("signIn with a foreign callbackUrl lands on the base URL", r?.url, origin);
same("…and signs in", (await getSession())?.user?.sub, "bob");

root.unmount();
server.stop();
provider.stop();
process.exit(summary("react_client"));
