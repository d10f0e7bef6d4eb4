// wire.mjs — what react_client.mjs and differential.mjs share: the helper
// processes (the OpenID provider of tests/integration, authpp's wire_server),
// real tokens in the shape the Credentials provider takes, a browser-like
// cookie jar around fetch, and a small check() that counts failures.
//
// Environment (set by tests/http/CMakeLists.txt): AUTHPP_WIRE_SERVER,
// AUTHPP_FIXTURE_DIR (provider.mjs + oidc-provider), AUTHPP_HTTP_NODE (the
// pinned next-auth, @auth/core, react).
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { join } from "node:path";
import readline from "node:readline";
import { pathToFileURL } from "node:url";
import { isDeepStrictEqual } from "node:util";

export function env(name) {
    const v = process.env[name];
    if (!v) throw new Error(`${name} is not set (run through ctest)`);
    return v;
}

/// Imports a package installed in AUTHPP_HTTP_NODE (these scripts live in the source tree).
export async function load(name) {
    const require = createRequire(join(env("AUTHPP_HTTP_NODE"), "package.json"));
    return import(pathToFileURL(require.resolve(name)).href);
}

// ---- checks ---------------------------------------------------------------
let failures = 0;
let passes = 0;
export function check(what, ok, detail) {
    if (ok) {
        ++passes;
        return true;
    }
    ++failures;
    console.error(`FAIL ${what}${detail === undefined ? "" : `: ${typeof detail === "string" ? detail : JSON.stringify(detail)}`}`);
    return false;
}
export const same = (what, got, want) => check(what, isDeepStrictEqual(got, want), { got, want });
export function summary(name) {
    console.log(`${name}: ${passes} checks passed, ${failures} failed`);
    return failures === 0 ? 0 : 1;
}

// ---- helper processes -----------------------------------------------------
const children = new Set();
process.on("exit", () => {
    for (const c of children) c.kill("SIGKILL");
});

/// A child process whose stdout is read line by line.
function start(argv, opts) {
    const child = spawn(argv[0], argv.slice(1), { stdio: ["pipe", "pipe", "inherit"], ...opts });
    children.add(child);
    child.on("exit", () => children.delete(child));
    const lines = [];
    const waiters = [];
    readline.createInterface({ input: child.stdout }).on("line", (l) => {
        const w = waiters.shift();
        if (w) w(l);
        else lines.push(l);
    });
    const readLine = (ms = 30000) =>
        lines.length
            ? Promise.resolve(lines.shift())
            : new Promise((resolve, reject) => {
                  const t = setTimeout(() => reject(new Error(`${argv[0]}: no output in ${ms} ms`)), ms);
                  waiters.push((l) => (clearTimeout(t), resolve(l)));
              });
    return { child, readLine, stop: () => child.kill("SIGKILL") };
}

/// The OpenID provider (provider.mjs), access tokens living `accessTtl` s.
export async function startProvider({ accessTtl = 600 } = {}) {
    const dir = env("AUTHPP_FIXTURE_DIR");
    const p = start([process.execPath, join(dir, "provider.mjs")], {
        cwd: dir,
        env: { ...process.env, ACCESS_TTL: String(accessTtl) },
    });
    const ready = await p.readLine();
    if (!ready.startsWith("READY ")) throw new Error(`provider: ${ready}`);
    const issuer = ready.slice(6);
    const command = async (c) => (p.child.stdin.write(c + "\n"), p.readLine(60000));
    return {
        issuer,
        command,
        stop: p.stop,
        /// Real tokens (authorization code + PKCE at the provider, public
        /// client) as the reference's Credentials provider takes them.
        async tokens(sub) {
            const t = JSON.parse(await command(`login ${sub} authpp-public`));
            if (!t.access_token) throw new Error(`login ${sub}: ${JSON.stringify(t)}`);
            return {
                accessToken: t.access_token,
                refreshToken: t.refresh_token,
                idToken: t.id_token,
                accessTokenExpires: Date.now() + t.expires_in * 1000,
                profile: { sub, email: `${sub}@example.com`, nickname: sub },
            };
        },
        /// [refresh grants, succeeded, failed] so far.
        async refreshCount() {
            const line = await command("count");
            return line.split(" ").slice(1).map(Number);
        },
    };
}

/// authpp's wire_server; its origin is http://127.0.0.1:<port>.
export async function startWireServer({ secret, issuer }) {
    const p = start([env("AUTHPP_WIRE_SERVER")], {
        env: { ...process.env, AUTH_SECRET: secret, AUTHPP_ISSUER: issuer },
    });
    const ready = await p.readLine();
    if (!ready.startsWith("READY ")) throw new Error(`wire_server: ${ready}`);
    return { origin: `http://127.0.0.1:${ready.slice(6)}`, stop: p.stop };
}

// ---- cookies --------------------------------------------------------------

/// One Set-Cookie value → {name, value, attrs: {path, httponly, samesite, secure, max-age, expires, …}}.
export function parseSetCookie(line) {
    const [pair, ...rest] = line.split(";");
    const eq = pair.indexOf("=");
    const attrs = {};
    for (const a of rest) {
        const i = a.indexOf("=");
        const k = (i < 0 ? a : a.slice(0, i)).trim().toLowerCase();
        attrs[k] = i < 0 ? true : a.slice(i + 1).trim();
    }
    return { name: pair.slice(0, eq).trim(), value: pair.slice(eq + 1).trim(), attrs };
}

/// A browser's cookie store for one site, as far as these tests need one:
/// Set-Cookie stores or (expired / Max-Age<=0) removes; every request sends all.
export class CookieJar {
    constructor() {
        this.cookies = new Map();
    }
    store(setCookies) {
        for (const line of setCookies) {
            const c = parseSetCookie(line);
            const maxAge = c.attrs["max-age"];
            const expires = c.attrs.expires ? Date.parse(c.attrs.expires) : NaN;
            if ((maxAge !== undefined && Number(maxAge) <= 0) || expires <= Date.now()) this.cookies.delete(c.name);
            else this.cookies.set(c.name, c.value);
        }
    }
    header() {
        return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    }
    get(name) {
        return this.cookies.get(name);
    }
    names() {
        return [...this.cookies.keys()].sort();
    }
}

/// fetch as a page of `origin` makes it: relative URLs resolved against the
/// page, the jar's cookies sent and stored (credentials: same-origin), an
/// Origin header on requests other than GET/HEAD. Records every exchange.
export function browserFetch(origin, jar, log = []) {
    const realFetch = globalThis.fetch;
    const fn = async (input, init = {}) => {
        const url = new URL(input instanceof Request ? input.url : String(input), origin);
        const method = (init.method || "GET").toUpperCase();
        const headers = new Headers(init.headers || {});
        if (url.origin === origin) {
            const cookie = jar.header();
            if (cookie) headers.set("cookie", cookie);
            if (method !== "GET" && method !== "HEAD") headers.set("origin", origin);
        }
        const body = init.body === undefined ? undefined : String(init.body);
        const res = await realFetch(url, { ...init, method, headers, body });
        if (url.origin === origin) jar.store(res.headers.getSetCookie());
        log.push({ method, path: url.pathname + url.search, requestHeaders: Object.fromEntries(headers), body, status: res.status });
        return res;
    };
    fn.realFetch = realFetch;
    return fn;
}
