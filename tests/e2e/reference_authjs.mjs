// reference_authjs.mjs — the real Auth.js (@auth/core Auth(), pinned by
// tests/interop/package-lock.json) configured as the reference
// @imtbl/auth-next-server configures it (src/config.ts): the Credentials
// provider "immutable" that takes client-obtained `tokens` and checks them at
// the userinfo endpoint, the jwt callback that stores the tokens on sign-in,
// the session callback that exposes them, idToken left out of the cookie.
//
//   const authjs = await referenceAuthjs({ nodeDir, secret, userinfoEndpoint });
//   const res = await authjs(new Request(url, init));   // a web Response
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

export async function referenceAuthjs({ nodeDir, secret, userinfoEndpoint, maxAge = 365 * 24 * 60 * 60 }) {
    const require = createRequire(join(nodeDir, "package.json"));
    const load = (name) => import(pathToFileURL(require.resolve(name)).href);
    const { Auth } = await load("@auth/core");
    const { default: Credentials } = await load("@auth/core/providers/credentials");
    const { encode } = await load("@auth/core/jwt");

    const config = {
        secret: [secret],
        trustHost: true,
        basePath: "/api/auth",
        session: { strategy: "jwt", maxAge },
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
                    const t = JSON.parse(credentials.tokens);
                    if (!t.accessToken || !t.profile?.sub || typeof t.accessTokenExpires !== "number") return null;
                    const res = await fetch(userinfoEndpoint, { headers: { authorization: `Bearer ${t.accessToken}` } });
                    if (!res.ok) return null;
                    const info = await res.json();
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
            async jwt({ token, user }) {
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
                return token; // (refresh is the C++ side's business in these tests)
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
    return (request) => Auth(request, config);
}
