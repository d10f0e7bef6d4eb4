import { auth, signOut } from "../auth";
import { abbreviated } from "./token";

export const dynamic = "force-dynamic";

export default async function Home() {
  const s = await auth();
  return (
    <main>
      <h1>Next.js app</h1>
      <dl>
        <dt>user</dt>
        <dd id="user">{s?.user?.sub ?? "(signed out)"}</dd>
        <dt>email</dt>
        <dd id="email">{s?.user?.email ?? ""}</dd>
        <dt>access token</dt>
        <dd id="access-token">{s ? abbreviated(s.accessToken) : ""}</dd>
        <dt>access token expires (ms)</dt>
        <dd id="access-token-expires">{s?.accessTokenExpires ?? ""}</dd>
        <dt>large claim</dt>
        <dd id="big">{s?.bigLength ?? 0}</dd>
        <dt>error</dt>
        <dd id="error">{s?.error ?? ""}</dd>
      </dl>
      <p>
        <a href="/cpp/dashboard">The C++ dashboard</a> · <a href="/client">useSession()</a>
      </p>
      {s && (
        <form
          action={async () => {
            "use server";
            await signOut({ redirectTo: "/" });
          }}
        >
          <button id="signout">Sign out (Next.js)</button>
        </form>
      )}
    </main>
  );
}
