import "server-only";
import { assertPermission, type Actor } from "@/lib/auth/actor";
import { getDb } from "@/lib/db/client";
import type { Environment } from "@/lib/domain/environments";
import type { Partition } from "@/lib/domain/partitions";
import { nowIso } from "@/lib/db/time";
import { requestableRoleEntries, ROLE_ENTRY_COLUMNS, roleEntryFields, usableRoleEntries } from "./menu";
import { accessEndsAt, accessEndsOf, grantedTo } from "./visibility";

// "Your roles", the home page of anyone who switches: the roles they pinned, used lately, or were
// granted. For an operator that is every role they may use (they may use only what is granted);
// for an administrator, who may use every role, only the ones that are theirs — pinned, used, or
// granted to them by name or group — not the whole catalog.

export type YourRole = {
  id: string;
  /** IAM role name. */
  name: string;
  label: string;
  color: string;
  /** The region a switch uses by default. */
  region: string;
  requiresExternalId: boolean;
  account: { id: string; name: string; environment: Environment; partition: Partition };
  pinned: boolean;
  lastUsedAt: string | null;
  /** Present only when the entry failed its last test (lib/catalog/health.ts), as the menu shows it. */
  health?: { why: string; reason: string; testedAt: string };
  /** Present only when access ends by itself (every grant of theirs in it expires), as the menu has it. */
  accessEndsAt?: string;
};

/** A role the person may ask for (access on request) and cannot use now, as the menu's "Ask for
 * access" group has it. */
export type YourRequestable = {
  id: string;
  name: string;
  label: string;
  color: string;
  account: { id: string; name: string; environment: Environment };
  /** A request of theirs for it is waiting for approval. */
  pending: boolean;
};

export type YourRoles = {
  pinned: YourRole[];
  /** Used lately and not pinned, most recent first. */
  recent: YourRole[];
  /** Everything else of theirs, by account then name. */
  others: YourRole[];
  /** How many more there are than the lists hold (the Switch Role menu has them all). */
  more: number;
  /** The first REQUESTABLE_LIMIT roles they may ask for, and how many more there are. */
  requestable: YourRequestable[];
  requestableMore: number;
  /** When this was read (epoch ms): "used 5 min ago" counts from here, on the server and in the
   * browser alike. */
  asOf: number;
};

/** How many recent roles the page lists, as the menu's Recent group does. */
export const RECENT_LIMIT = 5;
/** The page lists at most this many roles one may ask for; the Requests page has them all. */
export const REQUESTABLE_LIMIT = 10;
/** The page lists at most this many roles; the menu searches them all. */
export const YOUR_ROLES_LIMIT = 200;

export async function getYourRoles(actor: Actor, limit = YOUR_ROLES_LIMIT): Promise<YourRoles> {
  assertPermission(actor, "sessions.create");
  const asOf = Date.now();
  const db = await getDb();
  const now = nowIso();
  // The person's roles: usable by them (the menu's query, lib/catalog/menu.ts), and pinned, used,
  // or granted to them.
  const theirs = () =>
    usableRoleEntries(db, actor, now).where((eb) =>
      eb.or([
        eb("role_usage.pinned", "=", 1),
        eb("role_usage.last_used_at", "is not", null),
        eb.exists(eb.selectFrom("grants").select("grants.id").whereRef("grants.role_id", "=", "roles.id").where(grantedTo(actor, now))),
      ]),
    );
  const rows = await theirs()
    .select(ROLE_ENTRY_COLUMNS)
    .select(accessEndsAt(actor, now))
    // Pinned, then the most recent, then the rest by account and name: what matters most stays
    // when there are more than the limit.
    .orderBy("role_usage.pinned", (ob) => ob.desc().nullsLast())
    .orderBy("role_usage.last_used_at", (ob) => ob.desc().nullsLast())
    .orderBy("accounts.name")
    .orderBy("roles.display_name")
    .orderBy("roles.id")
    .limit(limit + 1)
    .execute();

  let more = 0;
  if (rows.length > limit) {
    rows.pop();
    const counted = await theirs()
      .select((eb) => eb.fn.countAll<number | string>().as("n"))
      .executeTakeFirstOrThrow();
    more = Number(counted.n) - limit;
  }

  const roles: YourRole[] = rows.map((r) => {
    const ends = accessEndsOf(actor, r.access_ends_at);
    return {
      ...roleEntryFields(r),
      account: { id: r.aws_account_id, name: r.account_name, environment: r.environment, partition: r.partition },
      ...(ends ? { accessEndsAt: ends } : {}),
    };
  });
  const pinned = roles.filter((r) => r.pinned).sort((a, b) => a.label.localeCompare(b.label));
  const recent = roles.filter((r) => !r.pinned && r.lastUsedAt).slice(0, RECENT_LIMIT);
  const listed = new Set([...pinned, ...recent].map((r) => r.id));
  const others = roles
    .filter((r) => !listed.has(r.id))
    .sort((a, b) => a.account.name.localeCompare(b.account.name) || a.label.localeCompare(b.label));
  const asked = await requestableRoleEntries(db, actor, now);
  const requestable = asked.slice(0, REQUESTABLE_LIMIT).map((r) => ({
    id: r.id,
    name: r.role_name,
    label: r.display_name,
    color: r.color ?? r.account_color,
    account: { id: r.aws_account_id, name: r.account_name, environment: r.environment },
    pending: r.pending,
  }));
  return { pinned, recent, others, more, asOf, requestable, requestableMore: asked.length - requestable.length };
}
