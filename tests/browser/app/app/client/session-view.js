"use client";
import { useSession } from "next-auth/react";
import { useState } from "react";
import { abbreviated } from "../token";

export default function SessionView() {
  const { data, status, update } = useSession();
  const [updates, setUpdates] = useState(0);
  const run = (arg) => update(arg).then(() => setUpdates((n) => n + 1));
  return (
    <main>
      <dl>
        <dt>status</dt>
        <dd id="status">{status}</dd>
        <dt>user</dt>
        <dd id="user">{data?.user?.sub ?? ""}</dd>
        <dt>access token</dt>
        <dd id="access-token">{data ? abbreviated(data.accessToken) : ""}</dd>
        <dt>large claim</dt>
        <dd id="big">{data?.bigLength ?? 0}</dd>
        <dt>error</dt>
        <dd id="error">{data?.error ?? ""}</dd>
        <dt>updates</dt>
        <dd id="updates">{updates}</dd>
      </dl>
      <button id="update" onClick={() => run()}>
        update()
      </button>{" "}
      <button id="big-button" onClick={() => run({ big: "x".repeat(3000) })}>
        update() with a 3000-character claim
      </button>
    </main>
  );
}
