// split_backend.mjs — a Directus-shaped backend for mode split, on loopback:
//
//   POST {prefix}/auth/login    {"email","password"}  → 200 {"data":{"access_token","expires","refresh_token"}}
//   POST {prefix}/auth/refresh  {"refresh_token"}     → 200, the same shape, a rotated pair
//                                                        (the old refresh token is refused from then on)
//   POST {prefix}/auth/logout   {"refresh_token"}     → 204 (200 {"data":null} with logoutStatus 200)
//
// and the same three under {prefix}/v2/ in another shape, for the custom
// preset: {"tokens":{"a":<access>,"r":<refresh>,"ttl":<ms>}} (logout: 204).
//
// Refused credentials or an unknown/redeemed refresh token → 401
// {"errors":[{"message":"Invalid user credentials.","extensions":{"code":"INVALID_CREDENTIALS"}}]};
// a body that is not JSON or misses a field → 400 INVALID_PAYLOAD; anything
// else → 404 ROUTE_NOT_FOUND.
//
// Tokens are opaque to authpp; here they count: access "acc-<n>", refresh
// "ref-<n>", one counter per backend for both (so two fresh backends fed the
// same requests issue the same tokens).
//
// It counts calls per endpoint ("/auth/refresh") and per redeemed token
// ("/auth/refresh ref-3", "/auth/logout ref-3"), keeps the last request per
// endpoint, and can be told to fail every call with a status or to drop the
// connection, to answer late, and to change the lifetime it issues.
import http from "node:http";

export const USERS = { "ada@example.com": "pw-ada", "bo@example.com": "pw-bo", "cy@example.com": "pw-cy" };

const INVALID_CREDENTIALS = { errors: [{ message: "Invalid user credentials.", extensions: { code: "INVALID_CREDENTIALS" } }] };
const invalidPayload = (message) => ({ errors: [{ message, extensions: { code: "INVALID_PAYLOAD" } }] });

export async function startDirectus({ expires = 900000, logoutStatus = 204, prefix = "", users = USERS } = {}) {
    const counts = new Map(); // "path" and "path token" → n
    const last = new Map(); // path → { method, headers, body }
    const live = new Map(); // refresh token → email
    let failWith = null; // null: answer; a status: that for every call; "drop": destroy the connection
    let delayMs = 0;
    let issued = 0;

    const count = (k) => counts.set(k, (counts.get(k) ?? 0) + 1);
    const pair = (email) => {
        const n = ++issued;
        const t = { access: `acc-${n}`, refresh: `ref-${n}`, expires };
        live.set(t.refresh, email);
        return t;
    };
    const directus = (t) => ({ data: { access_token: t.access, expires: t.expires, refresh_token: t.refresh } });
    const v2 = (t) => ({ tokens: { a: t.access, r: t.refresh, ttl: t.expires } });
    const ROUTES = {
        "/auth/login": ["login", directus], "/auth/refresh": ["refresh", directus], "/auth/logout": ["logout", directus],
        "/v2/login": ["login", v2], "/v2/refresh": ["refresh", v2], "/v2/logout": ["logout", v2],
    };

    const server = http.createServer((req, res) => {
        let body = "";
        req.setEncoding("utf8");
        req.on("data", (c) => (body += c));
        req.on("end", async () => {
            const url = new URL(req.url, "http://x").pathname;
            // Counted and recorded without the prefix: "/auth/login" whatever the prefix.
            const inside = !prefix || url.startsWith(`${prefix}/`);
            const path = inside ? url.slice(prefix.length) : `outside ${url}`;
            count(path);
            if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
            const send = (status, json) => {
                if (res.destroyed) return;
                res.writeHead(status, json === undefined ? {} : { "content-type": "application/json; charset=utf-8" });
                res.end(json === undefined ? "" : JSON.stringify(json));
            };
            if (failWith === "drop") return req.socket.destroy();
            if (failWith) return send(failWith, { errors: [{ message: "Service Unavailable", extensions: { code: "SERVICE_UNAVAILABLE" } }] });

            const [route, shape] = (inside && ROUTES[path]) || [];
            if (req.method !== "POST" || !route) return send(404, { errors: [{ message: "Route not found", extensions: { code: "ROUTE_NOT_FOUND" } }] });

            let json;
            try {
                json = JSON.parse(body);
            } catch {}
            last.set(path, { method: req.method, headers: req.headers, body, json });
            if (!json || typeof json !== "object" || Array.isArray(json)) return send(400, invalidPayload("Invalid payload. Expected a JSON object."));

            if (route === "login") {
                const { email, password } = json;
                if (typeof email !== "string" || typeof password !== "string")
                    return send(400, invalidPayload('"email" and "password" are required'));
                if (!Object.hasOwn(users, email) || users[email] !== password) return send(401, INVALID_CREDENTIALS);
                return send(200, shape(pair(email)));
            }
            const token = json.refresh_token;
            if (typeof token !== "string" || !token) return send(400, invalidPayload("The refresh token is required in either the payload or cookie."));
            count(`${path} ${token}`);
            if (!live.has(token)) return send(401, INVALID_CREDENTIALS);
            const email = live.get(token);
            live.delete(token);
            if (route === "refresh") return send(200, shape(pair(email)));
            return logoutStatus === 200 ? send(200, { data: null }) : send(logoutStatus);
        });
    });
    await new Promise((r) => server.listen(0, "127.0.0.1", r));
    const { port } = server.address();
    const origin = `http://127.0.0.1:${port}`;
    const backend = {
        /// The Directus URL, no trailing slash (as Directus users write it).
        url: `${origin}${prefix}`,
        origin,
        port,
        counts,
        /// Calls to a path ("/auth/refresh") or of a token on it ("/auth/refresh ref-3").
        count: (key) => counts.get(key) ?? 0,
        /// The last request to a path: { method, headers, body, json }.
        last: (path) => last.get(path),
        reset: () => {
            counts.clear();
            last.clear();
        },
        /// null: answer again; a status (e.g. 503): every call answers it; "drop": every connection is destroyed.
        setFail: (status) => (failWith = status || null),
        setDelay: (ms) => (delayMs = ms),
        setExpires: (ms) => (expires = ms),
        setLogoutStatus: (status) => (logoutStatus = status),
        /// Whether a refresh token can still be redeemed.
        isLive: (token) => live.has(token),
        /// A direct call, as a client of the backend: { status, json }.
        post: async (path, json) => {
            const r = await fetch(`${backend.url}${path}`, {
                method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(json),
            });
            const text = await r.text();
            return { status: r.status, json: text ? JSON.parse(text) : undefined };
        },
        close: () => new Promise((r) => {
            server.closeAllConnections?.();
            server.close(r);
        }),
    };
    return backend;
}

// Run on its own: prints "READY <url>", then answers one line per command on
// stdin — "fail <status|drop|0>", "delay <ms>", "expires <ms>", "count <key>"
// (e.g. "count /auth/refresh"), "reset".
if (import.meta.url === `file://${process.argv[1]}`) {
    const b = await startDirectus({ prefix: process.argv[2] ?? "" });
    console.log(`READY ${b.url}`);
    const readline = await import("node:readline");
    readline.createInterface({ input: process.stdin }).on("line", (line) => {
        const [cmd, ...rest] = line.trim().split(" ");
        const arg = rest.join(" ");
        if (cmd === "fail") b.setFail(arg === "drop" ? "drop" : Number(arg)), console.log("ok");
        else if (cmd === "delay") b.setDelay(Number(arg)), console.log("ok");
        else if (cmd === "expires") b.setExpires(Number(arg)), console.log("ok");
        else if (cmd === "count") console.log(String(b.count(arg)));
        else if (cmd === "reset") b.reset(), console.log("ok");
        else console.log(`unknown command ${cmd}`);
    }).on("close", () => process.exit(0));
}

/// The fetch() options of one request to authpp or the reference, redirects
/// not followed: { method, cookie, and a body as json (a value, or a string
/// sent as is), form (fields) or body with its type }.
export function requestInit({ method = "GET", json, form, body, type, cookie } = {}) {
    const headers = {};
    if (cookie) headers.cookie = cookie;
    let payload;
    if (json !== undefined) {
        headers["content-type"] = "application/json";
        payload = typeof json === "string" ? json : JSON.stringify(json);
    } else if (form) {
        headers["content-type"] = "application/x-www-form-urlencoded";
        payload = new URLSearchParams(form).toString();
    } else if (body !== undefined) {
        if (type) headers["content-type"] = type;
        payload = body;
    }
    return { method, headers, body: payload, redirect: "manual" };
}
