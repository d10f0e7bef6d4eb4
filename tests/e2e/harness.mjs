// harness.mjs — what the end-to-end tests drive: the OpenID provider
// (tests/integration/provider.mjs), authpp-example-server, and a browser
// (a cookie jar over fetch, redirects by hand). Every process started here is
// killed when the test process ends, however it ends.
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";

const children = new Set();
function killAll() {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
}
process.on("exit", killAll);
for (const s of ["SIGINT", "SIGTERM"]) process.on(s, () => process.exit(130));
process.on("uncaughtException", (e) => {
    console.error(e);
    process.exit(1);
});

/// A child process whose stdout lines can be awaited.
export class Child {
    constructor(cmd, args, { cwd, env } = {}) {
        this.proc = spawn(cmd, args, { cwd, env, stdio: ["pipe", "pipe", "inherit"] });
        children.add(this.proc);
        this.lines = [];
        this.waiters = [];
        this.exited = new Promise((resolve) =>
            this.proc.on("exit", (code, signal) => {
                children.delete(this.proc);
                resolve({ code, signal });
                for (const w of this.waiters.splice(0)) w.reject(new Error(`${cmd} exited (${code ?? signal})`));
            }),
        );
        readline.createInterface({ input: this.proc.stdout }).on("line", (line) => {
            this.lines.push(line);
            for (const w of this.waiters.splice(0)) w.check();
        });
    }
    /// The first line (from `from` on) matching `re`, within `ms`.
    waitFor(re, { from = 0, ms = 15000 } = {}) {
        return new Promise((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error(`no line matching ${re} in ${ms} ms`)), ms);
            const w = {
                check: () => {
                    const i = this.lines.findIndex((l, k) => k >= from && re.test(l));
                    if (i >= 0) {
                        clearTimeout(timer);
                        resolve({ line: this.lines[i], index: i });
                    } else this.waiters.push(w);
                },
                reject: (e) => {
                    clearTimeout(timer);
                    reject(e);
                },
            };
            w.check();
        });
    }
    /// One command line on stdin; its answer is the next line.
    async command(line) {
        const from = this.lines.length;
        this.proc.stdin.write(line + "\n");
        return (await this.waitFor(/./, { from, ms: 30000 })).line;
    }
    kill(signal = "SIGTERM") {
        this.proc.kill(signal);
        return this.exited;
    }
}

export async function freePort() {
    const s = net.createServer();
    await new Promise((r) => s.listen(0, "127.0.0.1", r));
    const { port } = s.address();
    await new Promise((r) => s.close(r));
    return port;
}

/// provider.mjs: READY <issuer>.
/// The test PKI (make_certs.sh in the fixture dir), made in a temp dir that
/// goes when the test process ends.
export function makeCerts(fixtureDir) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "authpp-e2e-certs-"));
    process.on("exit", () => fs.rmSync(dir, { recursive: true, force: true }));
    execFileSync("bash", [path.join(fixtureDir, "make_certs.sh"), dir], { stdio: "inherit" });
    return dir;
}

/// A redis-server on a free loopback port, nothing persisted; url(db) names
/// it. With `tls` (a makeCerts dir) it listens with TLS only, requires a
/// client certificate, and url(db) is a rediss:// URL.
export async function startRedis(binary, { tls } = {}) {
    const port = await freePort();
    const listen = tls
        ? ["--port", "0", "--tls-port", String(port), "--tls-cert-file", `${tls}/good.pem`, "--tls-key-file",
           `${tls}/good.key`, "--tls-ca-cert-file", `${tls}/ca.pem`, "--tls-auth-clients", "yes"]
        : ["--port", String(port)];
    const r = new Child(binary, [...listen, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]);
    await r.waitFor(/Ready to accept connections/);
    r.url = (db = 0) => `${tls ? "rediss" : "redis"}://127.0.0.1:${port}/${db}`;
    return r;
}

export async function startProvider({ fixtureDir, redirectUris, accessTtl = 4 }) {
    const p = new Child("node", ["provider.mjs"], {
        cwd: fixtureDir,
        env: { ...process.env, PORT: "0", ACCESS_TTL: String(accessTtl), REDIRECT_URIS: redirectUris.join(",") },
    });
    const { line } = await p.waitFor(/^READY /);
    p.issuer = line.slice(6);
    /// Tokens from the provider's own authorization-code flow (client-obtained tokens).
    p.login = async (sub, client = "authpp-confidential") => {
        const answer = await p.command(`login ${sub} ${client}`);
        if (!answer.startsWith("{")) throw new Error(`provider login: ${answer}`);
        return JSON.parse(answer);
    };
    return p;
}

export const CLIENT = { id: "authpp-confidential", secret: "authpp-confidential-secret" };

/// authpp-example-server with a clean environment plus `env`.
export async function startServer({ binary, port, issuer, secret, env = {} }) {
    const s = new Child(binary, [], {
        env: {
            PATH: process.env.PATH,
            AUTH_SECRET: secret,
            AUTHPP_LISTEN: `127.0.0.1:${port}`,
            AUTHPP_ISSUER: issuer,
            AUTHPP_CLIENT_ID: CLIENT.id,
            AUTHPP_CLIENT_SECRET: CLIENT.secret,
            AUTHPP_SCOPE: "openid offline_access email profile",
            AUTHPP_REFRESH_BUFFER_S: "0",
            AUTHPP_SIGNIN_PARAMS: "prompt=consent",
            ...env,
        },
    });
    await s.waitFor(/^READY /);
    s.origin = `http://127.0.0.1:${port}`;
    return s;
}

/// The Immutable `tokens` JSON a client posts to the Credentials provider.
export function credentialsTokens(tokenResponse, sub) {
    return JSON.stringify({
        accessToken: tokenResponse.access_token,
        refreshToken: tokenResponse.refresh_token,
        idToken: tokenResponse.id_token,
        accessTokenExpires: Date.now() + tokenResponse.expires_in * 1000,
        profile: { sub, email: `${sub}@example.com`, nickname: sub },
    });
}

/// A browser on 127.0.0.1: one cookie jar for every port (as browsers do),
/// no automatic redirects.
export class Browser {
    constructor() {
        this.jar = new Map();
    }
    cookieHeader() {
        return [...this.jar].map(([k, v]) => `${k}=${v}`).join("; ");
    }
    keep(res) {
        for (const c of res.headers.getSetCookie()) {
            const [pair, ...attrs] = c.split(";");
            const eq = pair.indexOf("=");
            const name = pair.slice(0, eq).trim();
            const expired = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a)) ||
                attrs.some((a) => /^\s*expires=/i.test(a) && Date.parse(a.split("=")[1]) < Date.now());
            if (expired) this.jar.delete(name);
            else this.jar.set(name, pair.slice(eq + 1));
        }
    }
    async fetch(url, { method = "GET", form, json, headers = {} } = {}) {
        const init = { method, redirect: "manual", headers: { ...headers } };
        if (this.jar.size) init.headers.cookie = this.cookieHeader();
        if (form) {
            init.headers["content-type"] = "application/x-www-form-urlencoded";
            init.body = new URLSearchParams(form).toString();
        } else if (json !== undefined) {
            init.headers["content-type"] = "application/json";
            init.body = JSON.stringify(json);
        }
        const res = await fetch(url, init);
        this.keep(res);
        return res;
    }
    /// Follows redirects from `res`, filling the provider's development
    /// login and consent forms, until a response that is not a redirect or a
    /// redirect to `stopAt`.
    async follow(res, { base, sub, stopAt }) {
        for (let hops = 0; hops < 16; ++hops) {
            const location = res.headers.get("location");
            if (res.status >= 300 && res.status < 400 && location) {
                const next = new URL(location, base);
                if (stopAt && next.href.startsWith(stopAt)) return { res, location: next.href };
                base = next.href;
                res = await this.fetch(next.href);
                continue;
            }
            const html = await res.text();
            const action = /<form[^>]*action="([^"]+)"/.exec(html);
            const prompt = /name="prompt" value="(\w+)"/.exec(html);
            if (!action || !prompt) return { res, html };
            const form = prompt[1] === "login" ? { prompt: "login", login: sub, password: "any" } : { prompt: prompt[1] };
            res = await this.fetch(new URL(action[1].replaceAll("&amp;", "&"), base).href, { method: "POST", form });
        }
        throw new Error("too many redirects");
    }
}

// ---- a small test runner: named steps, in order, a summary, exit code ----
const results = [];
export async function step(name, fn) {
    const t0 = Date.now();
    try {
        await fn();
        results.push([true, name]);
        console.log(`ok   ${name} (${Date.now() - t0} ms)`);
    } catch (e) {
        results.push([false, name]);
        console.log(`FAIL ${name}: ${e.stack || e}`);
    }
}
export function finish() {
    const failed = results.filter(([ok]) => !ok).length;
    console.log(`\n${results.length - failed} passed, ${failed} failed`);
    killAll();
    process.exit(failed ? 1 : 0);
}

export function check(cond, message) {
    if (!cond) throw new Error(message);
}
export function equal(a, b, what) {
    const sa = JSON.stringify(a), sb = JSON.stringify(b);
    if (sa !== sb) throw new Error(`${what}: ${sa} !== ${sb}`);
}
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
/// An environment variable CMake sets, or a clear exit.
export function need(name) {
    if (process.env[name]) return process.env[name];
    console.error(`${name} is not set (run through ctest)`);
    process.exit(2);
}
