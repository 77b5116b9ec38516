import "server-only";
import { decode, type JWT } from "next-auth/jwt";
import { cookies, headers } from "next/headers";
import { forbidden, redirect } from "next/navigation";
import { cache } from "react";
import { getConfig, type ConsoleRole } from "@/lib/config";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { getAuthOptions } from "./options";
import { can, type Permission } from "./permissions";
import { safeCallbackPath } from "./redirect";

/** The signed-in person, as the store knows them now. */
export type Actor = {
  id: string;
  email: string;
  name: string;
  role: ConsoleRole;
  authProvider: "local" | "oidc";
  /** OIDC groups from the last sign-in (grants can name groups). */
  groups: string[];
};

/** The session cookie's token. next-auth splits tokens over 4 KB into `<name>.0`, `<name>.1`, …
 * (ours are far smaller, but a large OIDC profile should not sign anyone out). */
async function sessionCookie(name: string): Promise<string | undefined> {
  const jar = await cookies();
  const whole = jar.get(name)?.value;
  if (whole) return whole;
  const chunks = jar
    .getAll()
    .filter((c) => c.name.startsWith(`${name}.`) && /^\d+$/.test(c.name.slice(name.length + 1)))
    .sort((a, b) => Number(a.name.slice(name.length + 1)) - Number(b.name.slice(name.length + 1)));
  return chunks.length ? chunks.map((c) => c.value).join("") : undefined;
}

/** The session token, decrypted and checked (signature and `exp`); null when absent or invalid.
 * Decoding only: next-auth's getServerSession would also re-encrypt the token and set the cookie
 * again on every request, for a rolling expiry we do not want (a session ends at sign-in time +
 * SWITCHBOARD_SESSION_MAX_AGE, however active it is). */
async function sessionToken(): Promise<JWT | null> {
  const options = getAuthOptions();
  const raw = await sessionCookie(options.useSecureCookies ? "__Secure-next-auth.session-token" : "next-auth.session-token");
  if (!raw) return null;
  try {
    return await decode({ token: raw, secret: options.secret! });
  } catch {
    return null;
  }
}

/** Resolves the session cookie to a user in the store, once per request. A session is valid only
 * while the user exists, is enabled, still has the session version the session began with (sign
 * out, disabling and password resets bump it), and is within the absolute session lifetime.
 * The cookie alone never authorizes anything. */
export const getActor = cache(async (): Promise<Actor | null> => {
  const token = await sessionToken();
  if (!token?.uid || !token.authAt) return null;
  const ageSeconds = Date.now() / 1000 - token.authAt;
  if (ageSeconds > getConfig().sessionMaxAgeSeconds) return null;
  const db = await getDb();
  const user = await db
    .selectFrom("users")
    .select(["id", "email", "name", "role", "auth_provider", "groups", "disabled_at", "session_version"])
    .where("id", "=", token.uid)
    .executeTakeFirst();
  if (!user || user.disabled_at || user.session_version !== token.sv) return null;
  let groups: string[] = [];
  try {
    groups = JSON.parse(user.groups) as string[];
  } catch {
    groups = [];
  }
  return { id: user.id, email: user.email, name: user.name, role: user.role, authProvider: user.auth_provider, groups };
});

export function hasPermission(actor: Actor, permission: Permission): boolean {
  return can(actor.role, permission);
}

/** For data-access functions: throws the 403 a route handler or action turns into a response. */
export function assertPermission(actor: Actor, permission: Permission): void {
  if (!can(actor.role, permission)) {
    throw new AppError("forbidden", `Your console role (${actor.role}) does not allow this (${permission}). Ask an administrator.`);
  }
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
