// Auth.js (next-auth v5) for the browser suite: an OpenID provider (the real
// oidc-provider of tests/integration, refresh-token rotation on, short access
// tokens) and the jwt callback of the reference, @imtbl/auth-next-server:
// when the access token has expired, refresh it, keeping every other claim.
//
// APP_REFRESH chooses who redeems the refresh token when this app finds it
// expired:
//   self      the reference's way: this app posts it to the token endpoint.
//             Nothing coordinates that with the C++ service: if both redeem
//             the same refresh token at once, the provider sees it used twice.
//   delegate  this app asks the C++ service (authpp) for the session with
//             the browser's cookies; authpp redeems the token once for every
//             concurrent caller (single flight, and successor records for the
//             late ones) and answers with the new session cookie, which this
//             app decodes and keeps.
import NextAuth from "next-auth";
import { decode } from "next-auth/jwt";
import { cookies } from "next/headers";

const issuer = process.env.OIDC_ISSUER;
const client = { id: "authpp-confidential", secret: "authpp-confidential-secret" };
const refreshMode = process.env.APP_REFRESH ?? "self";
const refreshBufferMs = Number(process.env.APP_REFRESH_BUFFER_S ?? 0) * 1000;
const sessionCookie = "authjs.session-token"; // plain http on loopback

// The reference's isTokenExpired(): a missing or invalid expiry counts as expired.
function expired(token) {
  const at = token.accessTokenExpires;
  if (typeof at !== "number" || Number.isNaN(at)) return true;
  return Date.now() >= at - refreshBufferMs;
}

async function refreshSelf(token) {
  const res = await fetch(`${issuer}/token`, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      authorization: "Basic " + Buffer.from(`${client.id}:${client.secret}`).toString("base64"),
    },
    body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: token.refreshToken }),
    cache: "no-store",
  });
  if (!res.ok) throw new Error(`token endpoint answered ${res.status}`);
  const t = await res.json();
  return {
    ...token,
    accessToken: t.access_token,
    refreshToken: t.refresh_token ?? token.refreshToken,
    idToken: t.id_token ?? token.idToken,
    accessTokenExpires: Date.now() + t.expires_in * 1000,
    error: undefined,
  };
}

// The session cookie's value from Set-Cookie lines: the whole cookie, or its
// chunks (.0, .1, ...) in order; cleared names (empty values) do not count.
function sessionFromSetCookie(lines) {
  let whole = "";
  const chunks = [];
  for (const line of lines) {
    const pair = line.split(";")[0];
    const eq = pair.indexOf("=");
    const name = pair.slice(0, eq).trim(), value = pair.slice(eq + 1);
    if (!value) continue;
    if (name === sessionCookie) whole = value;
    else if (name.startsWith(sessionCookie + ".")) chunks[Number(name.slice(sessionCookie.length + 1))] = value;
  }
  return whole || chunks.join("");
}

async function refreshByCpp(token) {
  const jar = await cookies();
  const res = await fetch(process.env.CPP_SESSION_URL, {
    headers: { cookie: jar.getAll().map((c) => `${c.name}=${c.value}`).join("; ") },
    cache: "no-store",
  });
  const value = sessionFromSetCookie(res.headers.getSetCookie());
  if (!res.ok || !value) throw new Error(`the C++ service answered ${res.status} without a new session`);
  const fresh = await decode({ token: value, secret: process.env.AUTH_SECRET, salt: sessionCookie });
  if (!fresh || fresh.error) throw new Error(`the C++ service's session: ${fresh?.error ?? "unreadable"}`);
  const { iat, exp, jti, ...claims } = fresh; // Auth.js sets these again when it encodes
  return { ...token, ...claims };
}

export const { handlers, auth, signIn, signOut } = NextAuth({
  trustHost: true,
  providers: [
    {
      id: "oidc",
      name: "Test provider",
      type: "oidc",
      issuer,
      clientId: client.id,
      clientSecret: client.secret,
      // The profile from userinfo: oidc-provider puts only `sub` in the ID
      // token when an access token comes with it.
      idToken: false,
      authorization: { params: { scope: "openid offline_access email profile", prompt: "consent" } },
    },
  ],
  callbacks: {
    async jwt({ token, account, profile, trigger, session }) {
      if (account) {
        return {
          ...token,
          sub: profile?.sub ?? token.sub,
          email: profile?.email,
          nickname: profile?.nickname,
          accessToken: account.access_token,
          refreshToken: account.refresh_token,
          idToken: account.id_token,
          accessTokenExpires: account.expires_at * 1000,
        };
      }
      // useSession().update({ big }) makes the session large enough to be
      // written in chunks (the suite's scenario 6).
      if (trigger === "update" && typeof session?.big === "string") token = { ...token, big: session.big };
      if (!expired(token)) return token;
      if (!token.refreshToken) return { ...token, error: "TokenExpired" };
      try {
        return refreshMode === "delegate" ? await refreshByCpp(token) : await refreshSelf(token);
      } catch (e) {
        console.error("[browser-app] token refresh failed:", e.message);
        return { ...token, error: "RefreshTokenError" };
      }
    },
    async session({ session, token }) {
      return {
        ...session,
        user: { ...session.user, sub: token.sub, email: token.email, nickname: token.nickname },
        accessToken: token.accessToken,
        accessTokenExpires: token.accessTokenExpires,
        bigLength: typeof token.big === "string" ? token.big.length : 0,
        ...(token.error && { error: token.error }),
      };
    },
  },
});
