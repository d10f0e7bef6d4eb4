// reference_server.mjs — the real Auth.js (@auth/core Auth(), 0.41.3 as
// pinned here, the version next-auth 5.0.0-beta.32 uses) configured as
// @imtbl/auth-next-server's createAuthConfig() (src/config.ts, refresh.ts),
// served over node:http on loopback: the reference differential.mjs holds
// authpp's wire_server against.
//
// Faithful to the reference except where the test provider differs from
// auth.immutable.com: userinfo is {issuer}/me and the token endpoint
// {issuer}/token (the reference builds {domain}/userinfo and
// {domain}/oauth/token). The client is the provider's public one, so a
// refresh sends client_id only, as the reference does.
import http from "node:http";
import { load } from "./wire.mjs";

const { Auth } = await load("@auth/core");
const { default: Credentials } = await load("@auth/core/providers/credentials");
const { encode } = await load("@auth/core/jwt");

const isTokenExpired = (expires, buffer = 60) =>
    typeof expires !== "number" || Number.isNaN(expires) || Date.now() >= expires - buffer * 1000;

function decodeJwtPayload(token) {
    try {
        const parts = token.split(".");
        return parts.length === 3 ? JSON.parse(Buffer.from(parts[1], "base64").toString("utf-8")) : undefined;
    } catch {
        return undefined;
    }
}

function extractZkEvmFromIdToken(idToken) {
    const p = idToken ? decodeJwtPayload(idToken) : undefined;
    if (p?.passport?.zkevm_eth_address && p?.passport?.zkevm_user_admin_address)
        return { ethAddress: p.passport.zkevm_eth_address, userAdminAddress: p.passport.zkevm_user_admin_address };
    return undefined;
}

async function refreshAccessToken(refreshToken, clientId, tokenUrl) {
    const response = await fetch(tokenUrl, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ grant_type: "refresh_token", client_id: clientId, refresh_token: refreshToken }),
    });
    if (!response.ok) {
        const text = await response.text();
        let message = `Token refresh failed with status ${response.status}`;
        try {
            const e = JSON.parse(text);
            message = e.error_description || e.error || message;
        } catch {
            if (text) message = text;
        }
        throw new Error(message);
    }
    const data = await response.json();
    if (!data.access_token || typeof data.access_token !== "string") throw new Error("Invalid token response: missing access_token");
    const exp = decodeJwtPayload(data.access_token)?.exp;
    return {
        accessToken: data.access_token,
        refreshToken: data.refresh_token || refreshToken,
        idToken: data.id_token,
        accessTokenExpires: exp ? exp * 1000 : Date.now() + 15 * 60 * 1000,
    };
}

/// The reference's configuration for Auth(), against the test provider.
export function referenceConfig({ secret, issuer, clientId = "authpp-public" }) {
    const tokenUrl = `${issuer}/token`;
    const refreshed = async (token) => {
        try {
            const r = await refreshAccessToken(token.refreshToken, clientId, tokenUrl);
            const zkEvm = extractZkEvmFromIdToken(r.idToken);
            return { ...token, ...r, zkEvm: zkEvm ?? token.zkEvm, error: undefined };
        } catch {
            return { ...token, error: "RefreshTokenError" };
        }
    };
    return {
        secret: [secret],
        trustHost: true,
        basePath: "/api/auth",
        session: { strategy: "jwt", maxAge: 365 * 24 * 60 * 60 },
        logger: { error() {}, warn() {}, debug() {} },
        jwt: {
            async encode(params) {
                if (!params.token) return encode(params);
                const { idToken, ...cookieToken } = params.token;
                return encode({ ...params, token: cookieToken });
            },
        },
        providers: [
            Credentials({
                id: "immutable",
                name: "Immutable",
                credentials: { tokens: { label: "Tokens", type: "text" } },
                async authorize(credentials) {
                    if (!credentials?.tokens || typeof credentials.tokens !== "string") return null;
                    let t;
                    try {
                        t = JSON.parse(credentials.tokens);
                    } catch {
                        return null;
                    }
                    if (!t.accessToken || typeof t.accessToken !== "string" || !t.profile || typeof t.profile !== "object" ||
                        !t.profile.sub || typeof t.profile.sub !== "string" || typeof t.accessTokenExpires !== "number" ||
                        Number.isNaN(t.accessTokenExpires))
                        return null;
                    let info;
                    try {
                        const res = await fetch(`${issuer}/me`, { headers: { Authorization: `Bearer ${t.accessToken}` } });
                        if (!res.ok) return null;
                        info = await res.json();
                    } catch {
                        return null;
                    }
                    if (info.sub !== t.profile.sub) return null;
                    return {
                        id: info.sub,
                        sub: info.sub,
                        email: info.email ?? t.profile.email,
                        nickname: info.nickname ?? t.profile.nickname,
                        accessToken: t.accessToken,
                        refreshToken: t.refreshToken,
                        idToken: t.idToken,
                        accessTokenExpires: t.accessTokenExpires,
                        zkEvm: t.zkEvm,
                    };
                },
            }),
        ],
        callbacks: {
            async jwt({ token, user, trigger, session: update }) {
                if (user) {
                    return {
                        ...token,
                        sub: user.sub,
                        email: user.email,
                        nickname: user.nickname,
                        accessToken: user.accessToken,
                        refreshToken: user.refreshToken,
                        idToken: user.idToken,
                        accessTokenExpires: user.accessTokenExpires,
                        zkEvm: user.zkEvm,
                    };
                }
                if (trigger === "update" && update) {
                    if (update.forceRefresh && token.refreshToken) return refreshed(token);
                    return {
                        ...token,
                        ...(update.accessToken ? { accessToken: update.accessToken } : {}),
                        ...(update.refreshToken ? { refreshToken: update.refreshToken } : {}),
                        ...(update.idToken ? { idToken: update.idToken } : {}),
                        ...(update.accessTokenExpires ? { accessTokenExpires: update.accessTokenExpires } : {}),
                        ...(update.zkEvm ? { zkEvm: update.zkEvm } : {}),
                        error: undefined,
                    };
                }
                if (!isTokenExpired(token.accessTokenExpires)) return token;
                if (token.refreshToken) return refreshed(token);
                return { ...token, error: "TokenExpired" };
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
}

/// Auth() behind node:http on 127.0.0.1; anything outside /api/auth is an
/// app page. Resolves to {origin, stop}.
export async function startReferenceServer(options) {
    const config = referenceConfig(options);
    const server = http.createServer(async (req, res) => {
        const chunks = [];
        for await (const c of req) chunks.push(c);
        const url = `http://${req.headers.host}${req.url}`;
        if (!req.url.startsWith("/api/auth")) {
            res.writeHead(200, { "content-type": "text/plain" }).end("app page\n");
            return;
        }
        const headers = new Headers();
        for (const [k, v] of Object.entries(req.headers)) headers.set(k, Array.isArray(v) ? v.join(", ") : v);
        const body = ["GET", "HEAD"].includes(req.method) ? undefined : Buffer.concat(chunks);
        const response = await Auth(new Request(url, { method: req.method, headers, body }), config);
        const out = {};
        response.headers.forEach((v, k) => {
            if (k !== "set-cookie") out[k] = v;
        });
        const setCookies = response.headers.getSetCookie();
        if (setCookies.length) out["set-cookie"] = setCookies;
        res.writeHead(response.status, out).end(Buffer.from(await response.arrayBuffer()));
    });
    server.keepAliveTimeout = 1000;
    await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
    return {
        origin: `http://127.0.0.1:${server.address().port}`,
        stop: () => (server.closeAllConnections(), server.close()),
    };
}
