// nal_backend.mjs — the backend mode nal asks about tokens, on loopback:
// GET auth/me, POST auth/refresh, POST auth/guest, answering in the shape of
// one response mapper (standard, django, dotnet, express). It counts calls
// per endpoint and per token, and can be told to fail or to be slow.
//
// Tokens are opaque to authpp; here their text says what they are:
//   user:<id>   a valid user token      admin:<id>  a valid token of type admin
//   guest:<n>   a valid guest token     old:<id>    expired: auth/me refuses it,
//   auth/refresh turns it into user:<id>-r<k> once (rotation: a second redemption is refused)
//   anything else: refused everywhere
import http from "node:http";

export async function startBackend({ shape = "standard", guestUser = "guest", guestPassword = "guest-pw" } = {}) {
    const counts = new Map(); // "path token" and "path" → n
    const redeemed = new Map(); // old token → the token it became
    let failWith = 0; // 0: answer; else this status for every call
    let delayMs = 0;
    let guests = 0;
    let rotations = 0;
    const exp = Math.floor(Date.now() / 1000) + 3600;

    const count = (k) => counts.set(k, (counts.get(k) ?? 0) + 1);
    const user = (token) => {
        const [kind, id] = token.split(":");
        if (!id) return null;
        if (kind === "user") return { id, name: `User ${id}`, type: "user" };
        if (kind === "admin") return { id, name: `Admin ${id}`, type: "admin" };
        if (kind === "guest") return { id: `g${id}`, type: "guest" };
        return null;
    };
    const shapes = {
        standard: {
            me: (u) => ({ success: true, data: { ...u, exp } }),
            refused: () => ({ success: false, message: "invalid token" }),
            refreshed: (t) => ({ success: true, data: { accessToken: t } }),
            guest: (t) => ({ success: true, data: { accessToken: t } }),
        },
        django: {
            me: ({ type, ...u }) => ({ user: u, is_guest: type === "guest", exp }),
            refused: () => ({ detail: "Given token not valid for any token type" }),
            refreshed: (t) => ({ access: t }),
            guest: (t) => ({ token: t }),
        },
        dotnet: {
            me: ({ type, ...u }) => ({
                isSuccess: true,
                result: { ...u, role: type === "guest" ? "Guest" : type === "admin" ? "Admin" : "User", expiresAt: new Date(exp * 1000).toISOString() },
            }),
            refused: () => ({ isSuccess: false, error: "Unauthorized" }),
            refreshed: (t) => ({ isSuccess: true, token: t }),
            guest: (t) => ({ isSuccess: true, token: t }),
        },
        express: {
            me: ({ type, ...u }) => ({ ok: true, payload: { ...u, isGuest: type === "guest", exp } }),
            refused: () => ({ ok: false }),
            refreshed: (t) => ({ newToken: t }),
            guest: (t) => ({ guestToken: t }),
        },
    };
    const s = shapes[shape];
    if (!s) throw new Error(`unknown shape ${shape}`);

    const server = http.createServer((req, res) => {
        let body = "";
        req.on("data", (c) => (body += c));
        req.on("end", async () => {
            const path = new URL(req.url, "http://x").pathname;
            const token = (req.headers.authorization ?? "").replace(/^Bearer /, "");
            count(path);
            count(`${path} ${token}`);
            const send = (status, json) => {
                res.writeHead(status, { "content-type": "application/json" });
                res.end(json === undefined ? "" : JSON.stringify(json));
            };
            if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
            if (failWith) return send(failWith, { error: "failing on command" });
            if (path === "/auth/me" && req.method === "GET") {
                const u = user(token);
                return u ? send(200, s.me(u)) : send(401, s.refused());
            }
            if (path === "/auth/refresh" && req.method === "POST") {
                const [kind, id] = token.split(":");
                if (kind !== "old" || !id || redeemed.has(token)) return send(401, s.refused());
                const next = `user:${id}-r${++rotations}`;
                redeemed.set(token, next);
                return send(200, s.refreshed(next));
            }
            if (path === "/auth/guest" && req.method === "POST") {
                let creds = {};
                try {
                    creds = JSON.parse(body);
                } catch {}
                if (creds.username !== guestUser || creds.password !== guestPassword) return send(401, s.refused());
                return send(200, s.guest(`guest:${++guests}`));
            }
            send(404, { error: "no such endpoint" });
        });
    });
    await new Promise((r) => server.listen(0, "127.0.0.1", r));
    const { port } = server.address();
    return {
        url: `http://127.0.0.1:${port}/`,
        calls: (key) => counts.get(key) ?? 0,
        reset: () => counts.clear(),
        fail: (status) => (failWith = status),
        slow: (ms) => (delayMs = ms),
        close: () => new Promise((r) => server.close(r)),
    };
}

// Run on its own (the demo): prints "READY <url>", then answers one line per
// command on stdin — "fail <status>" (0: answer again), "slow <ms>",
// "calls <key>" (e.g. "calls /auth/refresh").
if (import.meta.url === `file://${process.argv[1]}`) {
    const b = await startBackend({ shape: process.argv[2] ?? "standard" });
    console.log(`READY ${b.url}`);
    const readline = await import("node:readline");
    readline.createInterface({ input: process.stdin }).on("line", (line) => {
        const [cmd, ...rest] = line.trim().split(" ");
        const arg = rest.join(" ");
        if (cmd === "fail") b.fail(Number(arg)), console.log("ok");
        else if (cmd === "slow") b.slow(Number(arg)), console.log("ok");
        else if (cmd === "calls") console.log(String(b.calls(arg)));
        else console.log(`unknown command ${cmd}`);
    }).on("close", () => process.exit(0));
}
