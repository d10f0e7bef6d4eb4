import { SessionProvider } from "next-auth/react";
import SessionView from "./session-view";

export const dynamic = "force-dynamic";

// next-auth/react on its own: the session comes from GET /api/auth/session
// (no server-side session passed in), refetched when the buttons ask.
export default function ClientPage() {
  return (
    <SessionProvider refetchOnWindowFocus={false}>
      <h1>useSession()</h1>
      <SessionView />
    </SessionProvider>
  );
}
