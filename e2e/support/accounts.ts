// Console users the end-to-end tests sign in as.
export const ADMIN = { email: "admin@example.com", password: "switchboard-e2e-admin", name: "Ada Admin" };

/** A unique email per test, so tests never trip over each other's users. */
export function uniqueEmail(prefix: string): string {
  return `${prefix}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}@example.com`;
}
