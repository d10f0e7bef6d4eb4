// server.mjs — the peer scripts/peer-bench.sh measures authpp-example-server
// against: Express 5 + @auth/express (pinned in package-lock.json; its
// @auth/core is the 0.41.3 authpp is byte-compatible with) reading the same
// Auth.js session cookie.
//
//   AUTH_SECRET=… node server.mjs getsession|decode PORT [--log]
//
//   /            public: a small HTML page, no cookie work
//   /dashboard   protected: the session → 200 HTML naming the user, else 307
//                to /login?returnTo=%2Fdashboard
//   /login       a placeholder for the redirect's target
//
// getsession: getSession(req, authConfig) from @auth/express, as its README
//   protects a route: the whole Auth.js session action in process (cookie
//   parse, decode, jwt and session callbacks, CSRF token, re-encryption of
//   the session with a new expiry) — the Set-Cookie headers it makes are
//   discarded by getSession.
// decode: the upper bound of any Auth.js-based peer: the session cookie
//   (chunks joined) decoded with decode() from @auth/core/jwt, salt = the
//   cookie name, and nothing else (no callbacks, no re-encryption).
//
// The configuration is the one authpp-example-server runs with, written as
// the reference configures Auth.js (tests/e2e/reference_authjs.mjs): the
// Credentials provider "immutable", JWT sessions for a year, idToken left out
// of the cookie, a jwt callback that refreshes the access token 60 s before
// it expires (the refresh itself is not reached while the token is fresh) and
// a session callback exposing the tokens. Plain http, so the session cookie is
// authjs.session-token.
//
// Listens on 127.0.0.1:PORT and prints "READY http://127.0.0.1:PORT". With
// --log, one line per request on stdout (method, path, status, time), as
// authpp-example-server writes (it has no switch to turn its log off);
// without it, no request log.
import { getSession } from "@auth/express";
import Credentials from "@auth/core/providers/credentials";
import { decode, encode as encodeJwt } from "@auth/core/jwt";
import express from "express";

function usage(msg) {
    if (msg) console.error(`server.mjs: ${msg}`);
    console.error("usage: AUTH_SECRET=… node server.mjs getsession|decode PORT [--log]");
    process.exit(2);
}

const [mode, portArg, ...rest] = process.argv.slice(2);
if (mode !== "getsession" && mode !== "decode") usage("the mode must be getsession or decode");
const port = Number(portArg);
if (!Number.isInteger(port) || port <= 0 || port > 65535) usage("PORT must be a port number");
const log = rest.includes("--log");
if (rest.some((a) => a !== "--log")) usage(`unexpected argument ${rest.find((a) => a !== "--log")}`);
const secret = process.env.AUTH_SECRET;
if (!secret) usage("AUTH_SECRET is not set");

const cookieName = "authjs.session-token"; // http: no __Secure- prefix; also the HKDF salt
const authDomain = process.env.AUTHPP_AUTH_DOMAIN || "https://auth.immutable.com";
const clientId = process.env.AUTHPP_CLIENT_ID || "mjtCL8mt06BtbxSkp2vbrYStKWnXVZfo";
const refreshBufferMs = 60 * 1000;

async function refreshAccessToken(token) {
    try {
        const res = await fetch(`${authDomain}/oauth/token`, {
            method: "POST",
            headers: { "content-type": "application/x-www-form-urlencoded" },
            body: new URLSearchParams({ grant_type: "refresh_token", client_id: clientId,
                                        refresh_token: token.refreshToken ?? "" }),
        });
        const t = await res.json();
        if (!res.ok || !t.access_token) throw new Error(t.error ?? `status ${res.status}`);
        return {
            ...token,
            accessToken: t.access_token,
            refreshToken: t.refresh_token ?? token.refreshToken,
            idToken: t.id_token ?? token.idToken,
            accessTokenExpires: Date.now() + (t.expires_in ?? 900) * 1000,
            error: undefined,
        };
    } catch {
        return { ...token, error: "RefreshTokenError" };
    }
}

const authConfig = {
    secret: [secret],
    trustHost: true,
    basePath: "/api/auth",
    session: { strategy: "jwt", maxAge: 365 * 24 * 60 * 60 },
    jwt: {
        async encode(params) {
            if (!params.token) return encodeJwt(params);
            const { idToken, ...cookieToken } = params.token;
            return encodeJwt({ ...params, token: cookieToken });
        },
    },
    providers: [
        Credentials({
            id: "immutable",
            name: "Immutable",
            credentials: { tokens: { label: "Tokens", type: "text" } },
            async authorize() {
                return null; // sign-in is not what is measured
            },
        }),
    ],
    callbacks: {
        async jwt({ token, user }) {
            if (user) return { ...token, ...user };
            if (typeof token.accessTokenExpires === "number" && Date.now() < token.accessTokenExpires - refreshBufferMs)
                return token;
            return refreshAccessToken(token);
        },
        async session({ session, token }) {
            return {
                ...session,
                user: { ...session.user, sub: token.sub, email: token.email, nickname: token.nickname },
                accessToken: token.accessToken,
                refreshToken: token.refreshToken,
                idToken: token.idToken,
                accessTokenExpires: token.accessTokenExpires,
                zkEvm: token.zkEvm,
                ...(token.error && { error: token.error }),
            };
        },
    },
};

/// The session cookie's value from a Cookie header, its chunks
/// (name.0, name.1, …) joined in order as Auth.js writes them.
function sessionCookie(header) {
    if (!header) return undefined;
    let whole;
    const chunks = [];
    for (const part of header.split(";")) {
        const eq = part.indexOf("=");
        if (eq < 0) continue;
        const name = part.slice(0, eq).trim();
        if (name === cookieName) whole = part.slice(eq + 1).trim();
        else if (name.startsWith(cookieName + ".")) {
            const i = Number(name.slice(cookieName.length + 1));
            if (Number.isInteger(i) && i >= 0) chunks[i] = part.slice(eq + 1).trim();
        }
    }
    return chunks.length ? chunks.join("") : whole;
}

/// { user, expires, accessToken, accessTokenExpires, error } or null.
async function session(req) {
    if (mode === "getsession") return getSession(req, authConfig);
    const token = sessionCookie(req.headers.cookie);
    if (!token) return null;
    try {
        const p = await decode({ token, secret, salt: cookieName });
        if (!p?.sub) return null;
        return {
            user: { sub: p.sub, email: p.email, nickname: p.nickname },
            expires: p.exp ? new Date(p.exp * 1000).toISOString() : "",
            accessToken: p.accessToken,
            accessTokenExpires: p.accessTokenExpires,
            error: p.error,
        };
    } catch {
        return null; // unreadable, tampered or expired
    }
}

const escapes = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
const esc = (s) => String(s ?? "").replace(/[&<>"']/g, (c) => escapes[c]);
const abbreviate = (t) => (typeof t === "string" ? `${esc(t.slice(0, 10))}… (${t.length} chars)` : "(none)");

/// The same page authpp-example-server writes (app.hpp's page()).
function page(res, title, body, status = 200) {
    res.status(status).type("text/html; charset=utf-8").send(
        `<!doctype html><html><head><meta charset="utf-8"><title>${esc(title)}</title></head>` +
            `<body><h1>${esc(title)}</h1>\n${body}\n</body></html>\n`);
}

const app = express();
app.disable("x-powered-by");
if (log) {
    app.use((req, res, next) => {
        const started = process.hrtime.bigint();
        res.on("finish", () => {
            const us = Number((process.hrtime.bigint() - started) / 1000n);
            process.stdout.write(`${req.method} ${req.path} ${res.statusCode} ${Math.floor(us / 1000)}.` +
                                 `${String(us % 1000).padStart(3, "0")} ms\n`);
        });
        next();
    });
}

app.get("/", (req, res) => {
    page(res, "authpp example", `<p>A public page. <a href="/dashboard">Dashboard</a> (protected),
<a href="/api/me">/api/me</a> (JSON), <a href="/api/auth/session">/api/auth/session</a>.</p>`);
});

app.get("/login", (req, res) => {
    page(res, "Sign in", "<p>Sign-in is not part of this benchmark.</p>");
});

app.get("/dashboard", async (req, res, next) => {
    let s;
    try {
        s = await session(req);
    } catch (e) {
        return next(e);
    }
    if (!s?.user) return res.redirect(307, "/login?returnTo=%2Fdashboard");
    let body = `<dl>\n<dt>user</dt><dd id="sub">${esc(s.user.sub)}</dd>\n`;
    body += `<dt>email</dt><dd id="email">${esc(s.user.email)}</dd>\n`;
    body += `<dt>session expires</dt><dd>${esc(s.expires)}</dd>\n`;
    body += `<dt>access token</dt><dd id="access-token">${abbreviate(s.accessToken)}</dd>\n`;
    body += `<dt>access token expires (ms)</dt><dd id="access-token-expires">${esc(s.accessTokenExpires ?? "?")}</dd>\n`;
    body += `<dt>error</dt><dd id="error">${esc(s.error)}</dd>\n</dl>\n`;
    body += `<form method="post" action="/api/auth/signout"><input type="hidden" name="csrfToken"><button>Sign out</button></form>`;
    page(res, "Dashboard", body);
});

app.use((req, res) => page(res, "Not found", "<p>No such page.</p>", 404));

const server = app.listen(port, "127.0.0.1", (err) => {
    if (err) {
        console.error(`server.mjs: ${err.message}`);
        process.exit(1);
    }
    console.log(`READY http://127.0.0.1:${port}`);
});
const stop = () => server.close(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
