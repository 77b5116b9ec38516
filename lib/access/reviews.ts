import "server-only";
import type { Kysely } from "kysely";
import { recordAudit } from "@/lib/audit/record";
import { assertPermission, type Actor } from "@/lib/auth/actor";
import { forgetGrantCredentials } from "@/lib/catalog/grants";
import { getDb } from "@/lib/db/client";
import { newId } from "@/lib/db/ids";
import type { Database } from "@/lib/db/schema";
import { badRequest } from "@/lib/errors";
import type { RequestMeta } from "@/lib/http/request-meta";
import type { AccessReviewList, LastReview, ListReviewQuery, ReviewDecision, ReviewGrantDto, ReviewInput, ReviewSummary } from "./review-schemas";

export type { AccessReviewList, LastReview, ReviewGrantDto, ReviewSummary } from "./review-schemas";

// Access reviews of standing grants (issue 15 §3): an administrator sees every standing grant
// (made by hand, not by an approved access request: grants.access_request_id is null) with when it
// was last used, and keeps it, turns it into eligibility (access on request), or removes it, many
// at once. "Last used" is read from the audit log (the switch writes one success row per console
// sign-in or credentials, target the role entry), so no new column has to be kept up to date on
// the switch's hot path. A review and every change it makes are one transaction with their audit
// events (recordAudit(event, trx)), as periodic access reviews are evidence for auditors
// (ISO/IEC 27001:2022 A.5.18 "Access rights": review at regular intervals).

const SWITCH_ACTIONS = ["session.console", "session.credentials"] as const;
const VIA = "access-review";

type Db = Kysely<Database>;

function standingGrants(db: Db) {
  return db
    .selectFrom("grants")
    .innerJoin("roles", "roles.id", "grants.role_id")
    .innerJoin("accounts", "accounts.id", "roles.account_id")
    .leftJoin("users", "users.id", "grants.user_id")
    .leftJoin("users as creators", "creators.id", "grants.created_by")
    .select([
      "grants.id",
      "grants.role_id",
      "grants.user_id",
      "grants.group_name",
      "grants.created_at",
      "grants.expires_at",
      "roles.role_name",
      "roles.path",
      "roles.display_name",
      "accounts.aws_account_id",
      "accounts.partition",
      "accounts.name as account_name",
      "accounts.id as account_ref",
      "users.email as user_email",
      "users.name as user_name",
      "creators.email as created_by",
    ])
    .where("grants.access_request_id", "is", null);
}

type GrantRow = Awaited<ReturnType<ReturnType<typeof standingGrants>["execute"]>>[number];

const roleArnOf = (r: GrantRow) => `arn:${r.partition}:iam::${r.aws_account_id}:role${r.path}${r.role_name}`;
const subjectOf = (r: GrantRow) => r.user_email ?? `group ${r.group_name}`;
/** As lib/catalog/grants.ts labels a grant in the audit log. */
const grantLabel = (r: GrantRow) => `${roleArnOf(r)} → ${subjectOf(r)}`;

function parseGroups(text: string): string[] {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value.filter((g): g is string => typeof g === "string") : [];
  } catch {
    return [];
  }
}

/** Every standing grant, with its last use and last review. */
export async function listStandingGrants(actor: Actor, query: ListReviewQuery, now: number = Date.now()): Promise<AccessReviewList> {
  assertPermission(actor, "grants.manage");
  const db = await getDb();
  const rows = await standingGrants(db).orderBy("accounts.name").orderBy("roles.display_name").orderBy("grants.created_at").execute();
  const standingRoleIds = db.selectFrom("grants").select("grants.role_id").where("grants.access_request_id", "is", null);
  const standingIds = db.selectFrom("grants").select("grants.id").where("grants.access_request_id", "is", null);

  const [uses, members, kept, review] = await Promise.all([
    // The last successful switch per person and role entry (of the entries standing grants name).
    db
      .selectFrom("audit_events")
      .select(["actor_id", "target_id", (eb) => eb.fn.max("at").as("last_at")])
      .where("action", "in", [...SWITCH_ACTIONS])
      .where("outcome", "=", "success")
      .where("target_type", "=", "role")
      .where("actor_id", "is not", null)
      .where("target_id", "in", standingRoleIds)
      .groupBy(["actor_id", "target_id"])
      .execute(),
    // Who is in which group now (users.groups: what single sign-on sent at their last sign-in).
    rows.some((r) => r.group_name !== null) ? db.selectFrom("users").select(["id", "email", "groups"]).where("groups", "<>", "[]").execute() : Promise.resolve([]),
    db
      .selectFrom("audit_events")
      .select(["target_id", "at", "actor_email"])
      .where("action", "=", "grant.keep")
      .where("target_type", "=", "grant")
      .where("target_id", "in", standingIds)
      .orderBy("id")
      .execute(),
    db.selectFrom("audit_events").select(["at", "actor_email", "details"]).where("action", "=", "access_review.complete").orderBy("id", "desc").limit(1).executeTakeFirst(),
  ]);

  const lastUse = new Map<string, string>();
  for (const u of uses) if (u.actor_id && u.target_id && u.last_at) lastUse.set(`${u.actor_id}\u0000${u.target_id}`, String(u.last_at));
  const emailOf = new Map<string, string>();
  const membersOf = new Map<string, string[]>();
  for (const m of members) {
    emailOf.set(m.id, m.email);
    for (const group of parseGroups(m.groups)) membersOf.set(group, [...(membersOf.get(group) ?? []), m.id]);
  }
  const lastKept = new Map<string, { at: string; by: string | null }>();
  for (const k of kept) if (k.target_id) lastKept.set(k.target_id, { at: k.at, by: k.actor_email });

  const cutoff = new Date(now - query.unusedDays * 86_400_000).toISOString();
  const grants = rows.map((r): ReviewGrantDto => {
    let lastUsedAt: string | null = null;
    let lastUsedBy: string | null = null;
    if (r.user_id) {
      lastUsedAt = lastUse.get(`${r.user_id}\u0000${r.role_id}`) ?? null;
      lastUsedBy = lastUsedAt ? r.user_email : null;
    } else if (r.group_name) {
      for (const member of membersOf.get(r.group_name) ?? []) {
        const at = lastUse.get(`${member}\u0000${r.role_id}`);
        if (at && (!lastUsedAt || at > lastUsedAt)) {
          lastUsedAt = at;
          lastUsedBy = emailOf.get(member) ?? null;
        }
      }
    }
    return {
      id: r.id,
      roleId: r.role_id,
      roleLabel: r.display_name,
      roleName: r.role_name,
      roleArn: roleArnOf(r),
      accountName: r.account_name,
      accountRef: r.account_ref,
      awsAccountId: r.aws_account_id,
      user: r.user_id ? { id: r.user_id, email: r.user_email!, name: r.user_name! } : null,
      group: r.group_name,
      grantedAt: r.created_at,
      grantedBy: r.created_by,
      expiresAt: r.expires_at,
      lastUsedAt,
      lastUsedBy,
      // Unused for the whole window: a grant younger than it has not had the chance to be used.
      unused: r.created_at < cutoff && (lastUsedAt === null || lastUsedAt < cutoff),
      lastKept: lastKept.get(r.id) ?? null,
    };
  });

  let lastReview: LastReview | null = null;
  if (review) {
    const d = parseDetails(review.details);
    lastReview = { at: review.at, by: review.actor_email, kept: count(d.kept), converted: count(d.converted), removed: count(d.removed) };
  }
  return { asOf: new Date(now).toISOString(), unusedDays: query.unusedDays, grants, lastReview };
}

function parseDetails(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === "object" ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
const count = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : 0);

/** Applies a review's decisions: all of them or none. Every grant named must still be a standing
 * grant (what the administrator reviewed is what is changed); otherwise a 400 and nothing changes.
 * Keep records a `grant.keep` event; remove deletes the grant (`grant.delete`); convert deletes it
 * and makes the same subject eligible for the role entry (`grant.delete` and, unless they were
 * eligible already, `eligibility.create`). One `access_review.complete` event carries the counts. */
export async function applyReview(actor: Actor, input: ReviewInput, meta: RequestMeta): Promise<ReviewSummary> {
  assertPermission(actor, "grants.manage");
  const db = await getDb();
  const reviewId = newId();
  const at = new Date().toISOString();
  const decisionOf = new Map<string, ReviewDecision>(input.decisions.map((d) => [d.grantId, d.decision]));
  const ids = [...decisionOf.keys()];
  const summary: ReviewSummary = { reviewId, at, kept: 0, converted: 0, removed: 0, eligibilityCreated: 0, eligibilityExisting: 0 };
  const changed: GrantRow[] = [];

  await db.transaction().execute(async (trx) => {
    const rows = await standingGrants(trx).where("grants.id", "in", ids).execute();
    if (rows.length !== ids.length) {
      const found = new Set(rows.map((r) => r.id));
      const missing = ids.filter((id) => !found.has(id));
      const first = missing.slice(0, 3).join(", ") + (missing.length > 3 ? ", …" : "");
      throw badRequest(
        `${missing.length === 1 ? "One grant in this review is" : `${missing.length} grants in this review are`} not a standing grant any more (removed, or made by an access request): ${first}. Nothing was changed; reload the page and decide again.`,
        { decisions: "Unknown or non-standing grant id" },
      );
    }
    const details = (extra: Record<string, string | number | boolean | null> = {}) => ({ via: VIA, reviewId, ...extra });
    for (const row of rows) {
      const decision = decisionOf.get(row.id)!;
      const target = { type: "grant", id: row.id, label: grantLabel(row) };
      if (decision === "keep") {
        summary.kept++;
        await recordAudit({ action: "grant.keep", outcome: "success", actor, target, awsAccountId: row.aws_account_id, request: meta, details: details() }, trx);
        continue;
      }
      await trx.deleteFrom("grants").where("id", "=", row.id).execute();
      changed.push(row);
      if (decision === "remove") {
        summary.removed++;
        await recordAudit({ action: "grant.delete", outcome: "success", actor, target, awsAccountId: row.aws_account_id, request: meta, details: details() }, trx);
        continue;
      }
      summary.converted++;
      await recordAudit({ action: "grant.delete", outcome: "success", actor, target, awsAccountId: row.aws_account_id, request: meta, details: details({ convertedTo: "eligibility" }) }, trx);
      let existing = trx.selectFrom("role_eligibility").select("id").where("role_id", "=", row.role_id);
      existing = row.user_id ? existing.where("user_id", "=", row.user_id) : existing.where("group_name", "=", row.group_name);
      if (await existing.executeTakeFirst()) {
        summary.eligibilityExisting++;
        continue;
      }
      const eligibilityId = newId();
      await trx
        .insertInto("role_eligibility")
        .values({ id: eligibilityId, role_id: row.role_id, user_id: row.user_id, group_name: row.user_id ? null : row.group_name, created_by: actor.id, created_at: at })
        .execute();
      summary.eligibilityCreated++;
      await recordAudit(
        {
          action: "eligibility.create",
          outcome: "success",
          actor,
          target: { type: "eligibility", id: eligibilityId, label: `${roleArnOf(row)} → ${subjectOf(row)}` },
          awsAccountId: row.aws_account_id,
          request: meta,
          details: details({ grantId: row.id }),
        },
        trx,
      );
    }
    await recordAudit(
      {
        action: "access_review.complete",
        outcome: "success",
        actor,
        target: { type: "access_review", id: reviewId, label: `${ids.length} standing grant${ids.length === 1 ? "" : "s"}` },
        request: meta,
        details: { kept: summary.kept, converted: summary.converted, removed: summary.removed, eligibilityCreated: summary.eligibilityCreated, ...(input.unusedDays ? { unusedDays: input.unusedDays } : {}) },
      },
      trx,
    );
  });
  forgetGrantCredentials(changed.map((r) => ({ roleId: r.role_id, user: r.user_id ? { id: r.user_id } : null })));
  return summary;
}
