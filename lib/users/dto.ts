import type { ConsoleRole } from "@/lib/config/schema";

/** What the UI and the API see of a user: never the password hash or the session version. */
export type UserDto = {
  id: string;
  email: string;
  name: string;
  role: ConsoleRole;
  authProvider: "local" | "oidc";
  disabled: boolean;
  lockedUntil: string | null;
  lastSignInAt: string | null;
  createdAt: string;
};

export const USER_COLUMNS = ["id", "email", "name", "role", "auth_provider", "disabled_at", "locked_until", "last_sign_in_at", "created_at"] as const;

export function toUserDto(row: {
  id: string;
  email: string;
  name: string;
  role: ConsoleRole;
  auth_provider: "local" | "oidc";
  disabled_at: string | null;
  locked_until: string | null;
  last_sign_in_at: string | null;
  created_at: string;
}): UserDto {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    authProvider: row.auth_provider,
    disabled: row.disabled_at !== null,
    lockedUntil: row.locked_until && row.locked_until > new Date().toISOString() ? row.locked_until : null,
    lastSignInAt: row.last_sign_in_at,
    createdAt: row.created_at,
  };
}
