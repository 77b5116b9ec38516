import "server-only";
import { getServerSession } from "next-auth";
import { headers } from "next/headers";
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

/** Resolves the session cookie to a user in the store, once per request. A session is valid only
 * while the user exists, is enabled, still has the session version the session began with (sign
 * out, disabling and password resets bump it), and is within the absolute session lifetime.
 * The cookie alone never authorizes anything. */
export const getActor = cache(async (): Promise<Actor | null> => {
  const session = await getServerSession(getAuthOptions());
  if (!session?.uid) return null;
  const ageSeconds = Date.now() / 1000 - session.authAt;
  if (!session.authAt || ageSeconds > getConfig().sessionMaxAgeSeconds) return null;
  const db = await getDb();
  const user = await db
    .selectFrom("users")
    .select(["id", "email", "name", "role", "auth_provider", "groups", "disabled_at", "session_version"])
    .where("id", "=", session.uid)
    .executeTakeFirst();
  if (!user || user.disabled_at || user.session_version !== session.sv) return null;
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
