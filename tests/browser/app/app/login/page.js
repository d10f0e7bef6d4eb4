import { signIn } from "../../auth";

export const dynamic = "force-dynamic";

// Where authpp's middleware sends anonymous visitors (AUTHPP_LOGIN_URL=/login,
// with returnTo); Auth.js then sends the browser back there after sign-in.
export default async function Login({ searchParams }) {
  const { returnTo } = await searchParams;
  const back = typeof returnTo === "string" && returnTo.startsWith("/") && !returnTo.startsWith("//") ? returnTo : "/";
  return (
    <main>
      <h1>Sign in</h1>
      <p>
        Afterwards: <code id="return-to">{back}</code>
      </p>
      <form
        action={async () => {
          "use server";
          await signIn("oidc", { redirectTo: back });
        }}
      >
        <button id="signin">Sign in with the test provider</button>
      </form>
    </main>
  );
}
