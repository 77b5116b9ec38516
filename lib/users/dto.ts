import type { ConsoleRole } from "@/lib/config/schema";
import type { SignInDelay } from "@/lib/ratelimit/sign-in";

/** What the UI and the API see of a user: never the password hash or the session version. */
export type UserDto = {
  id: string;
  email: string;
  name: string;
  role: ConsoleRole;
  authProvider: "local" | "oidc";
  disabled: boolean;
  /** While failed sign-ins make this person wait: when their next attempt is allowed. The wait
   * ends by itself; an administrator can clear it (POST /api/v1/users/{id}/clear-sign-in-lock). */
  lockedUntil: string | null;
  /** Failed password sign-ins in a row. */
  failedSignIns: number;
  lastSignInAt: string | null;
  createdAt: string;
};

// locked_until and failed_sign_ins are no longer used: sign-in delays live with the rate
// limiters (lib/ratelimit/sign-in.ts), which every console instance shares.
export const USER_COLUMNS = ["id", "email", "name", "role", "auth_provider", "disabled_at", "last_sign_in_at", "created_at"] as const;

/** `signIn`: the person's sign-in delay, where the caller looked it up (listUsers does). */
export function toUserDto(
  row: {
    id: string;
    email: string;
    name: string;
    role: ConsoleRole;
    auth_provider: "local" | "oidc";
    disabled_at: string | null;
    last_sign_in_at: string | null;
    created_at: string;
  },
  signIn: SignInDelay = { failures: 0, delayedUntil: null },
): UserDto {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    authProvider: row.auth_provider,
    disabled: row.disabled_at !== null,
    lockedUntil: signIn.delayedUntil,
    failedSignIns: signIn.failures,
    lastSignInAt: row.last_sign_in_at,
    createdAt: row.created_at,
  };
}
