import "server-only";
import type { Kysely } from "kysely";
import type { Explanation } from "@/lib/aws/explain-denial";
import { isForeignKeyViolation } from "@/lib/db/errors";
import type { Database, Flag, RoleHealthSource } from "@/lib/db/schema";
import { HEALTH_WHY, type HealthWhy, type RoleHealth } from "./health";

// The store's record of whether each role entry works (role_health, migration 0007): written by
// every conclusive test of the entry, read with the entry (lib/catalog/role-queries.ts) and by
// the menu. Only results about the entry are kept: AWS throttling the console, AWS being
// unreachable, or the console's own STS budget say nothing about the role, and leave the last
// result as it was.

export type HealthResult = { ok: true; reason: string } | { ok: false; code: string; why: HealthWhy; reason: string };

/** The columns role-queries selects (left-joined: all null when the entry was never tested). */
export type HealthColumns = {
  health_ok: Flag | null;
  health_code: string | null;
  health_why: string | null;
  health_reason: string | null;
  health_tested_at: string | null;
  health_source: RoleHealthSource | null;
};

export function healthOf(r: HealthColumns): RoleHealth | null {
  if (r.health_ok === null || r.health_tested_at === null || r.health_source === null) return null;
  const ok = r.health_ok === 1;
  return {
    ok,
    code: r.health_code ?? (ok ? "ok" : "aws_denied"),
    why: ok ? null : asWhy(r.health_why),
    reason: r.health_reason ?? "",
    testedAt: r.health_tested_at,
    source: r.health_source,
  };
}

function asWhy(value: string | null): HealthWhy {
  return (HEALTH_WHY as readonly string[]).includes(value ?? "") ? (value as HealthWhy) : "unknown";
}

/** The short kind of a denial, from its explanation. The trust-policy kind covers three cases the
 * explanation tells apart only in its sentence (lib/aws/explain-denial.ts, TrustAnalysis): no
 * statement names the broker at all, one does but under conditions the request did not meet,
 * or a Deny matched. lib/catalog/role-health.test.ts holds each sentence to its kind. */
export function healthWhy(explanation: Explanation | undefined): HealthWhy {
  switch (explanation?.kind) {
    case "trust-policy":
      if (/explicitly denies/.test(explanation.summary)) return "explicit_deny";
      if (/only under conditions/.test(explanation.summary)) return "trust_conditions";
      return "not_trusted";
    case "caller-permission":
      return "broker_permission";
    case "external-id":
      return "external_id";
    case "mfa":
      return "mfa";
    case "source-identity":
      return "source_identity";
    case "session-tags":
      return "session_tags";
    case "duration":
      return "duration";
    case "role-missing":
      return "no_such_role";
    case "service-control-policy":
      return "scp";
    case "resource-control-policy":
      return "rcp";
    default:
      return "unknown";
  }
}

/** Whether a person's failed switch says the entry itself is broken, for everyone: nothing in
 * these depends on who switched (the session name, the source identity's value, the duration
 * they asked for). A trust condition, a Deny, a SourceIdentity pattern or an SCP can name one
 * person, and a duration is one person's request: those failures stay the person's and are not
 * recorded as the entry's. */
const ABOUT_THE_ENTRY: ReadonlySet<HealthWhy> = new Set(["not_trusted", "external_id", "no_such_role", "mfa"]);

export function failureIsAboutTheEntry(why: HealthWhy): boolean {
  return ABOUT_THE_ENTRY.has(why);
}

/** Keeps a test's result as the entry's health (one row per entry, replaced). Unsafe: it checks
 * no caller; every caller has just tested the entry, with the caller's permission checked there
 * or (the background re-test) on behalf of the console itself. An entry removed meanwhile is no
 * error: the foreign key refuses the row. */
export async function unsafeRecordHealth(db: Kysely<Database>, roleId: string, result: HealthResult, source: RoleHealthSource, testedAt = new Date().toISOString()): Promise<void> {
  const values = {
    ok: (result.ok ? 1 : 0) as Flag,
    code: result.ok ? "ok" : result.code,
    why: result.ok ? null : result.why,
    reason: result.reason.slice(0, 2000),
    tested_at: testedAt,
    source,
  };
  await ignoringRemovedEntry(db.insertInto("role_health").values({ role_id: roleId, ...values }).onConflict((oc) => oc.column("role_id").doUpdateSet(values)).execute());
}

/** The entry was removed between its test and this write: nothing left to describe. */
async function ignoringRemovedEntry(write: Promise<unknown>): Promise<void> {
  try {
    await write;
  } catch (err) {
    if (!isForeignKeyViolation(err)) throw err;
  }
}

/** How long a success keeps standing before a successful switch writes it again: a switch is
 * evidence, but writing on every switch would cost the store a write per switch for a time that
 * no one needs to the second. */
export const SWITCH_REFRESH_MS = 60 * 60_000;

/** A switch assumed the role: the entry works. Written only when the stored result says
 * otherwise, or is older than SWITCH_REFRESH_MS (one conditional statement, after the answer). */
export async function unsafeRecordSwitchSuccess(db: Kysely<Database>, roleId: string, reason: string, now = Date.now()): Promise<void> {
  const testedAt = new Date(now).toISOString();
  const staleBefore = new Date(now - SWITCH_REFRESH_MS).toISOString();
  const values = { ok: 1 as Flag, code: "ok", why: null, reason, tested_at: testedAt, source: "switch" as const };
  await ignoringRemovedEntry(
    db
      .insertInto("role_health")
      .values({ role_id: roleId, ...values })
      .onConflict((oc) =>
        oc
          .column("role_id")
          .doUpdateSet(values)
          .where((eb) => eb.or([eb("role_health.ok", "=", 0), eb("role_health.tested_at", "<", staleBefore)])),
      )
      .execute(),
  );
}
