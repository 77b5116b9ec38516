import "server-only";
import { hkdfSync } from "node:crypto";
import { jwtDecrypt } from "jose";
import type { JWT } from "next-auth/jwt";
import { cookies, headers } from "next/headers";
import { forbidden, redirect } from "next/navigation";
import type { RequestCookies } from "next/dist/server/web/spec-extension/cookies";
import { cache } from "react";
import { getConfig } from "@/lib/config";
import { getDb } from "@/lib/db/client";
import { preparedQuery } from "@/lib/db/prepared";
import { getAuthOptions } from "./options";
import type { Actor } from "./actor";
import { PERSON_COLUMNS, personOf } from "./person";
import { can, type Permission } from "./permissions";
import { safeCallbackPath } from "./redirect";

/** A request's cookies, as Next.js parses them: `cookies()` inside a Next.js request, or the same
 * parser (`RequestCookies` over the request's headers) where the console answers a request itself
 * (lib/http/fast-route.ts). One parser, so both see the same cookies in the same header. */
export type CookieJar = Pick<RequestCookies, "get" | "getAll">;

/** The session cookie's token. next-auth splits tokens over 4 KB into `<name>.0`, `<name>.1`, …
 * (ours are far smaller, but a large OIDC profile should not sign anyone out). */
function sessionCookie(jar: CookieJar, name: string): string | undefined {
  const whole = jar.get(name)?.value;
  if (whole) return whole;
  const chunks = jar
    .getAll()
    .filter((c) => c.name.startsWith(`${name}.`) && /^\d+$/.test(c.name.slice(name.length + 1)))
    .sort((a, b) => Number(a.name.slice(name.length + 1)) - Number(b.name.slice(name.length + 1)));
  return chunks.length ? chunks.map((c) => c.value).join("") : undefined;
}

/** next-auth seals its session token as a JWE (`dir`, A256GCM) under a key it derives from the
 * secret with HKDF-SHA256 (RFC 5869: empty salt, the info string below, 32 bytes), and its
 * decode() derives that key again on every call: an HKDF that costs several times the decryption
 * itself, on every request. The key depends on the secret alone, so it is derived once. */
const NEXT_AUTH_KEY_INFO = "NextAuth.js Generated Encryption Key";
let derived: { secret: string; key: Uint8Array } | undefined;

function sessionKey(secret: string): Uint8Array {
  if (derived?.secret !== secret) derived = { secret, key: new Uint8Array(hkdfSync("sha256", secret, "", NEXT_AUTH_KEY_INFO, 32)) };
  return derived.key;
}

/** The session token, decrypted and checked as next-auth's decode() checks it (jose's jwtDecrypt:
 * authenticated decryption, then `exp` with a 15-second clock tolerance), and held to the one
 * algorithm pair next-auth seals with; null when absent or invalid. Decoding only: next-auth's
 * getServerSession would also re-encrypt the token and set the cookie again on every request, for
 * a rolling expiry we do not want (a session ends at sign-in time + SWITCHBOARD_SESSION_HOURS,
 * however active it is). */
async function sessionToken(jar: CookieJar): Promise<JWT | null> {
  const options = getAuthOptions();
  const raw = sessionCookie(jar, options.useSecureCookies ? "__Secure-next-auth.session-token" : "next-auth.session-token");
  if (!raw) return null;
  try {
    const { payload } = await jwtDecrypt(raw, sessionKey(options.secret!), {
      clockTolerance: 15,
      keyManagementAlgorithms: ["dir"],
      contentEncryptionAlgorithms: ["A256GCM"],
    });
    return payload as JWT;
  } catch {
    return null;
  }
}

/** Writes of last_seen_at are spread out: once a minute is precise enough for an idle timeout
 * counted in minutes, and keeps a busy session from writing on every request. */
const LAST_SEEN_RESOLUTION_MS = 60_000;

/** The person and their console session: on every request, so built once (lib/db/prepared.ts). */
const actorQuery = preparedQuery((db, arg) =>
  db
    .selectFrom("users")
    .innerJoin("console_sessions", "console_sessions.user_id", "users.id")
    .select([
      ...PERSON_COLUMNS,
      "users.session_version",
      "console_sessions.created_at",
      "console_sessions.last_seen_at",
      "console_sessions.step_up_at",
      "console_sessions.ended_at",
    ])
    .where("users.id", "=", arg("userId"))
    .where("console_sessions.id", "=", arg("sessionId")),
);

/** Resolves the session cookie to a user in the store, once per request. A session is valid only
 * while the user exists, is enabled, still has the session version the session began with (sign
 * out, disabling and password resets bump it), is within the absolute session lifetime, and its
 * row in console_sessions has not ended or gone idle (SWITCHBOARD_IDLE_MINUTES).
 * The cookie alone never authorizes anything. */
export const getActor = cache(async (): Promise<Actor | null> => actorFromCookies(await cookies()));

/** getActor's check, for a request's cookies however they were read. */
export async function actorFromCookies(jar: CookieJar): Promise<Actor | null> {
  const token = await sessionToken(jar);
  if (!token?.uid || !token.authAt || !token.sid) return null;
  const config = getConfig();
  const now = Date.now();
  if (now >= token.authAt * 1000 + config.sessionMaxAgeSeconds * 1000) return null;
  const db = await getDb();
  const [row] = await actorQuery(db, { userId: token.uid, sessionId: token.sid });
  if (!row || row.disabled_at || row.session_version !== token.sv || row.ended_at) return null;
  // The store's row is the authority on when the session began (the cookie says the same, and
  // the earlier of the two counts).
  const signedInAt = Math.min(token.authAt * 1000, Date.parse(row.created_at));
  const endsAt = signedInAt + config.sessionMaxAgeSeconds * 1000;
  if (now >= endsAt) return null;
  const lastSeen = Date.parse(row.last_seen_at);
  if (now - lastSeen > config.sessionIdleSeconds * 1000) return null;
  if (now - lastSeen >= LAST_SEEN_RESOLUTION_MS) {
    await db.updateTable("console_sessions").set({ last_seen_at: new Date(now).toISOString() }).where("id", "=", token.sid).execute();
  }
  const steppedUp = row.step_up_at ? Date.parse(row.step_up_at) : 0;
  return {
    ...(await personOf(db, row)),
    session: { id: token.sid, signedInAt, endsAt, verifiedAt: Math.max(signedInAt, steppedUp) },
  };
}

/** For pages: signed out → the sign-in page, then back here; lacking the permission → 403. */
export async function requirePage(permission?: Permission): Promise<Actor> {
  const actor = await getActor();
  if (!actor) {
    // proxy.ts passes the requested path along; without it (proxy bypassed) we return home.
    const path = safeCallbackPath((await headers()).get("x-switchboard-path"));
    redirect(`/signin?callbackUrl=${encodeURIComponent(path)}`);
  }
  if (permission && !can(actor.role, permission)) forbidden();
  return actor;
}
