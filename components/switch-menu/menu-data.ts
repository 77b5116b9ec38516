// The menu's data as it arrives from GET /api/v1/me/menu, checked before the menu trusts it:
// a role pointing at a missing account would otherwise break rendering far from the cause.
import type { MenuAccount, MenuData, MenuRole } from "@/lib/catalog/menu-types";

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;
const isString = (v: unknown): v is string => typeof v === "string";

function isAccount(v: unknown): v is MenuAccount {
  return isObject(v) && isString(v.id) && isString(v.name) && (v.alias === null || isString(v.alias)) && isString(v.environment) && isString(v.color) && isString(v.partition);
}

function isRole(v: unknown, accounts: number): v is MenuRole {
  return (
    isObject(v) &&
    isString(v.id) &&
    typeof v.a === "number" &&
    Number.isInteger(v.a) &&
    v.a >= 0 &&
    v.a < accounts &&
    isString(v.name) &&
    isString(v.label) &&
    isString(v.color) &&
    isString(v.region) &&
    typeof v.pinned === "boolean" &&
    (v.lastUsedAt === null || isString(v.lastUsedAt)) &&
    typeof v.uses === "number" &&
    typeof v.requiresExternalId === "boolean" &&
    (v.health === undefined || isHealth(v.health))
  );
}

function isHealth(v: unknown): boolean {
  return isObject(v) && isString(v.why) && isString(v.reason) && isString(v.testedAt);
}

/** The data, with malformed entries dropped; null when it is not menu data at all. */
export function parseMenuData(value: unknown): MenuData | null {
  if (!isObject(value) || !Array.isArray(value.accounts) || !Array.isArray(value.roles)) return null;
  if (!value.accounts.every(isAccount)) return null;
  const accounts = value.accounts as MenuAccount[];
  const roles = (value.roles as unknown[]).filter((r): r is MenuRole => isRole(r, accounts.length));
  return { accounts, roles, lastRoleId: isString(value.lastRoleId) ? value.lastRoleId : null };
}
