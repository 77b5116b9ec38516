// Test support for the guard's own tests: a signed-in request without a Next.js request scope.
// The session cookie is real (next-auth's JWT encoding, checked against a real store); only
// next/headers, which needs the framework's request scope, is stood in for by this jar:
//
//   vi.mock("next/headers", async () => (await import("@/lib/http/testing")).nextHeadersStub());
//   sessionJar.cookie = await encode({ token: …, secret });
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";

export const TEST_NEXTAUTH_SECRET = "a-test-secret-that-is-long-enough-0123456789";

/** The session cookie the next request carries (undefined: signed out). */
export const sessionJar: { cookie: string | undefined } = { cookie: undefined };

/** next/headers as the guard reads it: the jar's cookie under next-auth's (non-secure) name. */
export function nextHeadersStub() {
  const name = "next-auth.session-token";
  return {
    cookies: async () => ({
      get: (asked: string) => (asked === name && sessionJar.cookie ? { name, value: sessionJar.cookie } : undefined),
      getAll: () => (sessionJar.cookie ? [{ name, value: sessionJar.cookie }] : []),
    }),
    headers: async () => new Headers(),
  };
}

/** A fresh SQLite store and next-auth settings for this test file (read on first use), plus any
 * other settings; the environment is put back when the file ends. */
export function signedInTestEnv(name: string, extra: Record<string, string> = {}): void {
  const dir = mkdtempSync(join(tmpdir(), `switchboard-${name}-`));
  const saved = { ...process.env };
  Object.assign(process.env, {
    DATABASE_URL: `file:${join(dir, "store.db")}`,
    NEXTAUTH_SECRET: TEST_NEXTAUTH_SECRET,
    NEXTAUTH_URL: "http://localhost:3000",
    ...extra,
  });
  afterAll(() => {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  });
}

/** A person in the test's store, signed in now: their console_sessions row, and next-auth's
 * session cookie for it in the jar (returned too, for requests that carry it themselves). */
export async function signInTestUser(email: string, role: "admin" | "operator" | "auditor"): Promise<string> {
  const [{ addTestUser }, { getDb }, { newId }, { encode }] = await Promise.all([import("@/lib/auth/testing"), import("@/lib/db/client"), import("@/lib/db/ids"), import("next-auth/jwt")]);
  const user = await addTestUser(email, role);
  const now = new Date().toISOString();
  const sid = newId();
  await (await getDb()).insertInto("console_sessions").values({ id: sid, user_id: user.id, created_at: now, last_seen_at: now, ended_at: null }).execute();
  sessionJar.cookie = await encode({ token: { uid: user.id, sv: 1, sid, authAt: Math.floor(Date.now() / 1000) }, secret: process.env.NEXTAUTH_SECRET! });
  return sessionJar.cookie;
}
