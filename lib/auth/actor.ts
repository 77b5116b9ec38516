// The signed-in person and the checks made on them, apart from how a session is read
// (lib/auth/guard.ts, which needs next/headers and next-auth). Data-access code, scripts and
// tests import this module, so they run outside a Next.js request.
import type { ConsoleRole } from "@/lib/config/schema";
import { AppError } from "@/lib/errors";
import { can, type Permission } from "./permissions";

/** The signed-in person, as the store knows them now. */
export type Actor = {
  id: string;
  email: string;
  name: string;
  role: ConsoleRole;
  authProvider: "local" | "oidc";
  /** OIDC groups from the last sign-in (grants can name groups). */
  groups: string[];
  /** RoleSessionName and SourceIdentity of this person's AWS sessions: fixed when the user was
   * created, never taken from anything they can change (lib/users/aws-identity.ts). */
  awsIdentity: string;
  /** This sign-in. */
  session: {
    id: string;
    /** When the person signed in (epoch ms). */
    signedInAt: number;
    /** When the session ends however active it is (epoch ms): no AWS session may outlive it. */
    endsAt: number;
    /** The last time they proved who they are: the sign-in or a later step-up (epoch ms). */
    verifiedAt: number;
  };
  /** Set when the request came with a personal access token instead of a console session
   * (lib/tokens/): then `session` is the token's (it ends when the token expires). */
  token?: { id: string; name: string; scope: "read" | "switch" };
};

/** How recent a sign-in (or step-up) must be for creating roles and changing trust (ASVS 7.5.3). */
export const STEP_UP_WINDOW_MS = 15 * 60_000;

export function needsStepUp(actor: Actor, now = Date.now()): boolean {
  return now - actor.session.verifiedAt > STEP_UP_WINDOW_MS;
}

export function hasPermission(actor: Actor, permission: Permission): boolean {
  return can(actor.role, permission);
}

/** For data-access functions: throws the 403 a route handler or action turns into a response. */
export function assertPermission(actor: Actor, permission: Permission): void {
  if (!can(actor.role, permission)) {
    throw new AppError("forbidden", `Your console role (${actor.role}) does not allow this (${permission}). Ask an administrator.`);
  }
}
