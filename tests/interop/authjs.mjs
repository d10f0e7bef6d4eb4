// authjs.mjs — the real Auth.js (@auth/core, pinned in package-lock.json),
// as a library for interop.mjs and as a command line for demo.sh.
//
//   node authjs.mjs encode [--salt NAME] [--max-age S] [--now S] [--enc A256CBC-HS512|A256GCM]
//       stdin: JSON claims. Prints the token @auth/core's encode() makes
//       (A256GCM: jose's EncryptJWT with the key Auth.js would derive).
//   node authjs.mjs decode [--salt NAME] [--now S]
//       stdin: a bare token, or one "Cookie: …" line (read with @auth/core's
//       getToken(), chunks and all). Prints the payload as one line of JSON.
//   node authjs.mjs chunk [--salt NAME] [--max-age S] [--now S]
//       stdin: a token. Prints the Set-Cookie values Auth.js would send for it.
//   node authjs.mjs header
//       stdin: a token. Prints its protected header, decoded, byte for byte.
//
// Secrets come from AUTH_SECRET and AUTH_SECRET_1..3, read by @auth/core's own
// setEnvDefaults(). --now fakes the clock (Date) for Auth.js and jose, so both
// implementations can be checked at the same instant.
import { decode, encode, getToken } from "@auth/core/jwt";
import { EncryptJWT, base64url, calculateJwkThumbprint, compactDecrypt } from "jose";
import { hkdfSync } from "node:crypto";
import { realpathSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";

export const SESSION = "authjs.session-token";
export const SECURE_SESSION = "__Secure-authjs.session-token";

// Internals of the pinned @auth/core that its package "exports" does not list.
const coreJwt = pathToFileURL(createRequire(import.meta.url).resolve("@auth/core/jwt"));
const { setEnvDefaults } = await import(new URL("./lib/utils/env.js", coreJwt));
const { SessionStore, defaultCookies } = await import(new URL("./lib/utils/cookie.js", coreJwt));
const { serialize: serializeCookie } = await import(new URL("./lib/vendored/cookie.js", coreJwt));

/// The secret list exactly as Auth.js builds it from an environment.
export function secretsFromEnv(env = process.env) {
    const config = { providers: [] };
    setEnvDefaults(env, config);
    return config.secret;
}

// ---- a fake clock: Date (and so Date.now and `new Date()`) frozen at `now`
const RealDate = globalThis.Date;
export async function atTime(now, fn) {
    if (now === undefined || now === null) return await fn();
    const ms = Number(now) * 1000;
    class FrozenDate extends RealDate {
        constructor(...args) {
            if (args.length === 0) super(ms);
            else super(...args);
        }
        static now() {
            return ms;
        }
    }
    globalThis.Date = FrozenDate;
    try {
        return await fn();
    } finally {
        globalThis.Date = RealDate;
    }
}

// ---- keys, derived the way @auth/core's jwt.js getDerivedEncryptionKey() does
const keyLength = { "A256CBC-HS512": 64, A256GCM: 32 };
export function deriveKey(secret, salt, enc = "A256CBC-HS512") {
    const len = keyLength[enc];
    if (!len) throw new Error(`unsupported enc ${enc}`);
    return new Uint8Array(hkdfSync("sha256", secret, salt, `Auth.js Generated Encryption Key (${salt})`, len));
}
export async function kidOf(key) {
    return calculateJwkThumbprint({ kty: "oct", k: base64url.encode(key) }, `sha${key.byteLength << 3}`);
}

/// @auth/core encode(); `enc` A256GCM (which encode() cannot make) is made
/// with jose exactly as encode() would, with the A256GCM key.
export async function authjsEncode({ claims, secret, salt, maxAge, now, enc = "A256CBC-HS512", kid = true }) {
    return atTime(now, async () => {
        if (enc === "A256CBC-HS512" && kid) return encode({ token: claims, secret, salt, maxAge });
        const secrets = Array.isArray(secret) ? secret : [secret];
        const key = deriveKey(secrets[0], salt, enc);
        const header = kid ? { alg: "dir", enc, kid: await kidOf(key) } : { alg: "dir", enc };
        return new EncryptJWT(claims)
            .setProtectedHeader(header)
            .setIssuedAt()
            .setExpirationTime(((Date.now() / 1000) | 0) + (maxAge ?? 30 * 24 * 60 * 60))
            .setJti(crypto.randomUUID())
            .encrypt(key);
    });
}

/// @auth/core decode(): the payload, or throws.
export async function authjsDecode({ token, secret, salt, now }) {
    return atTime(now, () => decode({ token, secret, salt }));
}

/// @auth/core getToken() on a request carrying `cookieHeader`: the payload, or null.
export async function authjsGetToken({ cookieHeader, secret, salt, now }) {
    const req = { headers: { cookie: cookieHeader } };
    return atTime(now, () =>
        getToken({ req, secret, salt, cookieName: salt, secureCookie: salt.startsWith("__Secure-"), logger: quiet })
    );
}

const quiet = { debug() {}, warn() {}, error() {} };

/// The Set-Cookie values Auth.js sends for session token `token`: its
/// SessionStore chunking, its cookie options, its cookie serializer.
export async function authjsSetCookies({ token, salt, maxAge = 30 * 24 * 60 * 60, now }) {
    return atTime(now, () => {
        const { options } = defaultCookies(salt.startsWith("__Secure-")).sessionToken;
        const store = new SessionStore({ name: salt, options }, {}, quiet);
        const expires = new Date(Date.now() + maxAge * 1000); // @auth/core fromDate(maxAge)
        return store.chunk(token, { expires }).map((c) => serializeCookie(c.name, c.value, c.options));
    });
}

/// The protected header of a compact JWE, decoded, as the exact text it holds.
export function headerText(token) {
    return Buffer.from(token.split(".")[0], "base64url").toString("utf8");
}

/// The decrypted plaintext of a token, as bytes (no JSON parse), by jose.
export async function plaintextBytes(token, secret, salt) {
    const enc = JSON.parse(headerText(token)).enc;
    const { plaintext } = await compactDecrypt(token, deriveKey(secret, salt, enc));
    return Buffer.from(plaintext);
}

// ---- command line
async function readStdin() {
    const chunks = [];
    for await (const c of process.stdin) chunks.push(c);
    return Buffer.concat(chunks).toString("utf8");
}

function parseArgs(argv) {
    const o = { salt: SESSION };
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        const v = () => {
            if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
            return argv[++i];
        };
        if (a === "--salt") o.salt = v();
        else if (a === "--max-age") o.maxAge = Number(v());
        else if (a === "--now") o.now = Number(v());
        else if (a === "--enc") o.enc = v();
        else throw new Error(`unknown option ${a}`);
    }
    return o;
}

async function main() {
    const [cmd, ...rest] = process.argv.slice(2);
    let o;
    try {
        o = parseArgs(rest);
    } catch (e) {
        console.error(`authjs.mjs: ${e.message}`);
        return 2;
    }
    const input = (await readStdin()).trim();
    const secret = secretsFromEnv();
    try {
        if (cmd === "encode") {
            if (!secret.length) throw new Error("no AUTH_SECRET");
            console.log(await authjsEncode({ claims: JSON.parse(input), secret, ...o }));
        } else if (cmd === "decode") {
            if (!secret.length) throw new Error("no AUTH_SECRET");
            let payload;
            if (/^cookie:/i.test(input) || /[=; ]/.test(input)) {
                const cookieHeader = input.replace(/^cookie:\s*/i, "");
                payload = await authjsGetToken({ cookieHeader, secret, ...o });
                if (!payload) throw new Error(`getToken() found no valid session cookie '${o.salt}'`);
            } else {
                payload = await authjsDecode({ token: input, secret, ...o });
            }
            console.log(JSON.stringify(payload));
        } else if (cmd === "chunk") {
            for (const line of await authjsSetCookies({ token: input, ...o })) console.log(line);
        } else if (cmd === "header") {
            console.log(headerText(input));
        } else {
            console.error("usage: node authjs.mjs encode|decode|chunk|header [--salt NAME] [--max-age S] [--now S] [--enc ENC]");
            return 2;
        }
    } catch (e) {
        console.error(`authjs.mjs: ${e.code ? e.code + ": " : ""}${e.message}`);
        return 1;
    }
    return 0;
}

if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
    process.exitCode = await main();
}
