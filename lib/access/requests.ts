import "server-only";
import type { Kysely } from "kysely";
import { recordAudit, type AuditAction } from "@/lib/audit/record";
import { assertPermission, hasPermission, type Actor } from "@/lib/auth/actor";
import { roleArnOf } from "@/lib/catalog/role-dto";
import { grantedTo } from "@/lib/catalog/visibility";
import { getConfig } from "@/lib/config";
import { getDb } from "@/lib/db/client";
import { newId } from "@/lib/db/ids";
import type { Database } from "@/lib/db/schema";
import { AppError, badRequest, conflict, forbidden, notFound } from "@/lib/errors";
import type { RequestMeta } from "@/lib/http/request-meta";
import { credentialCache } from "@/lib/sessions/credential-cache";
import { enqueueWebhookEvent, kickWebhookDelivery } from "@/lib/webhooks/enqueue";
import { describeDuration, type AccessEvent, type AccessEventType } from "./events";
import { approversOf, describeApprovers, isApprover, isEligible, readPolicy, type Policy } from "./policy";
import { ticketMatches, type ApproveInput, type CreateAccessRequestInput, type ExtendInput, type ListAccessRequestsQuery, type ReviewInput } from "./schemas";
import type { AccessDecisionDto, AccessRequestDto, AccessRequestStatus, RequestableRoleDto } from "./types";

// Access on request (issue 15 §2): a person eligible for a role entry asks for it for a time, with
// a reason; approvers named by the entry's policy decide; an approval makes a grant that expires
// (grants.access_request_id), so the grant check every switch makes — which compares expiry with
// the clock on every request (lib/catalog/visibility.ts) — ends the access on time with no job.
// Ending it early moves that expiry to now. What must happen *after* access ends (the person's
// live AWS sessions revoked, the expiry announced) is ./expiry.ts's work, claimed per request.
//
// Every step is one transaction with its audit row and its webhook deliveries: a step is never
// half-recorded, and nobody is told of a change that rolled back. Refusals are audited too and
// make no AWS call. Tests move the clock with fake timers: everything here reads Date.now().

const iso = (ms: number) => new Date(ms).toISOString();

const REQUEST_COLUMNS = [
  "access_requests.id",
  "access_requests.role_id",
  "access_requests.requester_id",
  "access_requests.kind",
  "access_requests.extends_id",
  "access_requests.status",
  "access_requests.reason",
  "access_requests.ticket",
  "access_requests.requested_seconds",
  "access_requests.granted_seconds",
  "access_requests.approvals_required",
  "access_requests.revoke_on_end",
  "access_requests.created_at",
  "access_requests.decided_at",
  "access_requests.starts_at",
  "access_requests.ends_at",
  "access_requests.ended_at",
  "access_requests.end_comment",
  "access_requests.revocation_state",
  "access_requests.revocation_attempts",
  "access_requests.revoked_at",
  "access_requests.review_state",
  "access_requests.reviewed_at",
  "access_requests.review_comment",
  "roles.display_name",
  "roles.role_name",
  "roles.path",
  "accounts.name as account_name",
  "accounts.aws_account_id",
  "accounts.partition",
  "accounts.environment",
  "requester.email as requester_email",
  "requester.name as requester_name",
  "ender.email as ended_by_email",
  "reviewer.email as reviewed_by_email",
] as const;

function requestQuery(db: Kysely<Database>) {
  return db
    .selectFrom("access_requests")
    .innerJoin("roles", "roles.id", "access_requests.role_id")
    .innerJoin("accounts", "accounts.id", "roles.account_id")
    .innerJoin("users as requester", "requester.id", "access_requests.requester_id")
    .leftJoin("users as ender", "ender.id", "access_requests.ended_by")
    .leftJoin("users as reviewer", "reviewer.id", "access_requests.reviewed_by")
    .select(REQUEST_COLUMNS);
}

type Row = Awaited<ReturnType<ReturnType<typeof requestQuery>["executeTakeFirstOrThrow"]>>;

/** "approved" whose end has passed is expired, whether or not the job has marked it. */
export function effectiveStatus(row: { status: string; ends_at: string | null }, now = Date.now()): AccessRequestStatus {
  if (row.status === "approved" && row.ends_at && Date.parse(row.ends_at) <= now) return "expired";
  return row.status as AccessRequestStatus;
}

const roleLabelOf = (row: Row) => `${row.account_name} / ${row.display_name}`;
const roleArnOfRow = (row: Row) => roleArnOf(row.partition, row.aws_account_id, row.path, row.role_name);

async function decisionsOf(db: Kysely<Database>, ids: readonly string[]): Promise<Map<string, Array<AccessDecisionDto & { approverId: string | null }>>> {
  const map = new Map<string, Array<AccessDecisionDto & { approverId: string | null }>>();
  if (ids.length === 0) return map;
  const rows = await db.selectFrom("access_request_decisions").selectAll().where("request_id", "in", [...ids]).orderBy("at").execute();
  for (const r of rows) {
    const list = map.get(r.request_id) ?? [];
    list.push({ approverId: r.approver_id, approverEmail: r.approver_email, decision: r.decision, comment: r.comment, grantedSeconds: r.granted_seconds, at: r.at });
    map.set(r.request_id, list);
  }
  return map;
}

function toDto(row: Row, decisions: Array<AccessDecisionDto & { approverId: string | null }>, actor: Actor, policy: Policy, now: number): AccessRequestDto {
  const status = effectiveStatus(row, now);
  const mine = row.requester_id === actor.id;
  const approver = !mine && isApprover(actor, policy);
  const decided = decisions.some((d) => d.approverId === actor.id);
  const active = status === "approved";
  return {
    id: row.id,
    kind: row.kind,
    status,
    role: { id: row.role_id, displayName: row.display_name, roleName: row.role_name, roleArn: roleArnOfRow(row), accountName: row.account_name, awsAccountId: row.aws_account_id, environment: row.environment },
    requester: { id: row.requester_id, email: row.requester_email, name: row.requester_name },
    reason: row.reason,
    ticket: row.ticket,
    requestedSeconds: row.requested_seconds,
    grantedSeconds: row.granted_seconds,
    approvalsRequired: row.approvals_required,
    decisions: decisions.map(({ approverId: _id, ...d }) => d),
    createdAt: row.created_at,
    decidedAt: row.decided_at,
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    endedAt: row.ended_at,
    endedBy: row.ended_by_email,
    endComment: row.end_comment,
    extendsId: row.extends_id,
    revokeOnEnd: row.revoke_on_end === 1,
    revocation: { state: row.revocation_state, revokedAt: row.revoked_at, attempts: row.revocation_attempts },
    review: row.review_state ? { state: row.review_state, by: row.reviewed_by_email, at: row.reviewed_at, comment: row.review_comment } : null,
    can: {
      approve: status === "pending" && approver && !decided,
      deny: status === "pending" && approver && !decided,
      withdraw: mine && (status === "pending" || (active && row.kind !== "extension")),
      end: active && row.kind !== "extension" && !mine && (approver || hasPermission(actor, "grants.manage")),
      extend: mine && active && row.kind !== "extension",
      review: row.kind === "break_glass" && row.review_state === "pending" && approver,
    },
  };
}

/** Who may see a request: the requester, its approvers, and those who run or read the console. */
function maySee(actor: Actor, row: Row, policy: Policy): boolean {
  return row.requester_id === actor.id || isApprover(actor, policy) || hasPermission(actor, "grants.manage") || hasPermission(actor, "audit.read");
}

/** The event the webhooks deliver for a step of a request. */
function eventOf(type: AccessEventType, row: Row, actor: Actor | null, over: Partial<Row> = {}, comment?: string): AccessEvent {
  const r = { ...row, ...over };
  const base = getConfig().baseUrl;
  return {
    id: newId(),
    type,
    at: new Date().toISOString(),
    actor: actor ? { email: actor.email, name: actor.name } : null,
    request: {
      id: r.id,
      kind: r.kind,
      status: effectiveStatus(r),
      role: { id: r.role_id, displayName: r.display_name, roleArn: roleArnOfRow(r), accountName: r.account_name, awsAccountId: r.aws_account_id },
      requester: { email: r.requester_email, name: r.requester_name },
      reason: r.reason,
      ticket: r.ticket,
      requestedSeconds: r.requested_seconds,
      grantedSeconds: r.granted_seconds,
      startsAt: r.starts_at,
      endsAt: r.ends_at,
    },
    ...(comment ? { comment } : {}),
    links: { request: `${base}/requests/${r.id}`, switch: `${base}/switch/${r.role_id}`, console: base },
  };
}

type Audit = { action: AuditAction; outcome: "success" | "denied" | "failure"; reason?: string; details?: Record<string, string | number | boolean | null> };

function auditOf(actor: Actor | null, row: Pick<Row, "id" | "role_id" | "aws_account_id"> & Partial<Row>, meta: RequestMeta | undefined, a: Audit) {
  return {
    action: a.action,
    outcome: a.outcome,
    actor,
    target: { type: "access_request", id: row.id, label: row.display_name && row.account_name ? `${row.account_name} / ${row.display_name}${row.requester_email ? ` for ${row.requester_email}` : ""}` : row.id },
    awsAccountId: row.aws_account_id,
    request: meta,
    ...(a.reason ? { reason: a.reason } : {}),
    details: { accessRequestId: row.id, roleId: row.role_id, ...a.details },
  };
}

/** Refuses, after recording the refusal (no AWS call was made, none will be). */
async function refuse(actor: Actor, row: Row | null, action: AuditAction, meta: RequestMeta, err: AppError): Promise<never> {
  await recordAudit(
    row
      ? auditOf(actor, row, meta, { action, outcome: "denied", reason: err.message })
      : { action, outcome: "denied", actor, request: meta, reason: err.message },
  );
  throw err;
}

async function loadRow(db: Kysely<Database>, id: string): Promise<Row | undefined> {
  return requestQuery(db).where("access_requests.id", "=", id).executeTakeFirst();
}

/** The request, if the caller may see it (404 otherwise: a request's existence is not public).
 * A step attempted on a request the caller may not see (`attempt`) is audited as refused. */
async function visibleRow(db: Kysely<Database>, actor: Actor, id: string, attempt?: { action: AuditAction; meta: RequestMeta }): Promise<{ row: Row; policy: Policy }> {
  const row = await loadRow(db, id);
  if (!row) throw notFound("No such access request.");
  const policy = await readPolicy(db, row.role_id);
  if (!maySee(actor, row, policy)) {
    if (attempt) await recordAudit(auditOf(actor, row, attempt.meta, { action: attempt.action, outcome: "denied", reason: "Not a request this person asked for, approves or may read." }));
    throw notFound("No such access request.");
  }
  return { row, policy };
}

/** Takes the request's row for this transaction: on Postgres a row lock (an UPDATE), on SQLite
 * the write lock. Two approvers deciding at once then run one after the other, each seeing the
 * other's decision, so "two approvals" is counted exactly once. */
async function lockRow(trx: Kysely<Database>, id: string): Promise<void> {
  await trx.updateTable("access_requests").set((eb) => ({ status: eb.ref("status") })).where("id", "=", id).execute();
}

/** Gives the requester the entry until `endsAt`: the grant this request owns (an expired grant of
 * theirs in the entry is replaced; a grant in force means they need no request). */
async function grantUntil(trx: Kysely<Database>, row: Row, endsAt: string, byId: string | null, now: number): Promise<void> {
  await trx.deleteFrom("grants").where("role_id", "=", row.role_id).where("user_id", "=", row.requester_id).where("expires_at", "<=", iso(now)).execute();
  // An administrator may have granted the entry to them while the request waited (one grant per
  // person and entry): a grant that already lasts as long is left as it is; a shorter one now
  // lasts until this request's end, and ends with it.
  const held = await trx.selectFrom("grants").select(["id", "expires_at"]).where("role_id", "=", row.role_id).where("user_id", "=", row.requester_id).executeTakeFirst();
  if (held) {
    if (held.expires_at !== null && held.expires_at < endsAt) await trx.updateTable("grants").set({ expires_at: endsAt, access_request_id: row.id }).where("id", "=", held.id).execute();
    return;
  }
  await trx
    .insertInto("grants")
    .values({ id: newId(), role_id: row.role_id, user_id: row.requester_id, group_name: null, created_by: byId, created_at: iso(now), expires_at: endsAt, access_request_id: row.id })
    .execute();
}

/** Access the person has in the entry now, other than through this request (a standing grant, a
 * group's, another request's): asking again would change nothing. */
async function accessInForce(db: Kysely<Database>, actor: Actor, roleId: string, now: number): Promise<{ expiresAt: string | null } | undefined> {
  return db
    .selectFrom("grants")
    .select("grants.expires_at as expiresAt")
    .where("grants.role_id", "=", roleId)
    .where(grantedTo(actor, iso(now)))
    .orderBy("grants.expires_at", "desc")
    .executeTakeFirst();
}

async function roleForRequest(db: Kysely<Database>, roleId: string) {
  const role = await db
    .selectFrom("roles")
    .innerJoin("accounts", "accounts.id", "roles.account_id")
    .select(["roles.id", "roles.display_name", "accounts.name as account_name", "accounts.aws_account_id"])
    .where("roles.id", "=", roleId)
    .executeTakeFirst();
  if (!role) throw notFound("No such role entry.");
  return role;
}

function checkDuration(seconds: number, policy: Policy, label: string): void {
  if (seconds > policy.maxDurationSeconds) {
    throw badRequest(`Duration is at most ${describeDuration(policy.maxDurationSeconds)} for ${label}.`, { durationSeconds: `At most ${describeDuration(policy.maxDurationSeconds)}` });
  }
}

function checkReasonAndTicket(input: { reason: string; ticket?: string }, policy: Policy): void {
  if (policy.reasonRequired && input.reason.length < 3) throw badRequest("Say why you need this access (a few words at least): approvers and the audit log read it.", { reason: "Enter a reason" });
  if (policy.ticketPattern) {
    if (!input.ticket) throw badRequest("Enter the ticket this access is for.", { ticket: "Enter a ticket reference" });
    if (!ticketMatches(policy.ticketPattern, input.ticket)) throw badRequest(`The ticket reference ${input.ticket} does not match this role's pattern ${policy.ticketPattern}.`, { ticket: "Does not match the pattern" });
  }
}

/** POST /access-requests — ask for an entry (or, where the policy allows, use break-glass). */
export async function createAccessRequest(actor: Actor, input: CreateAccessRequestInput, meta: RequestMeta): Promise<AccessRequestDto> {
  assertPermission(actor, "sessions.create");
  const db = await getDb();
  const now = Date.now();
  const role = await roleForRequest(db, input.roleId);
  const label = `${role.account_name} / ${role.display_name}`;
  const action: AuditAction = input.breakGlass ? "access.break_glass" : "access.request";
  const refusal = async (err: AppError) => {
    await recordAudit({ action, outcome: "denied", actor, target: { type: "role", id: role.id, label }, awsAccountId: role.aws_account_id, request: meta, reason: err.message });
    throw err;
  };
  if (!(await isEligible(db, actor, role.id))) return refusal(forbidden(`You cannot ask for ${label}: you are not eligible for it. An administrator can make you eligible, or grant it.`));
  const policy = await readPolicy(db, role.id);
  if (input.breakGlass && !policy.breakGlass) return refusal(forbidden(`Break-glass is not allowed for ${label}: ask for it instead.`));
  const inForce = await accessInForce(db, actor, role.id, now);
  if (inForce) {
    return refusal(
      new AppError("conflict", inForce.expiresAt ? `You already have access to ${label} until ${inForce.expiresAt.slice(0, 16).replace("T", " ")} UTC; ask to extend it instead.` : `You already have access to ${label}.`),
    );
  }
  const pending = await db.selectFrom("access_requests").select("id").where("role_id", "=", role.id).where("requester_id", "=", actor.id).where("status", "=", "pending").executeTakeFirst();
  if (pending && !input.breakGlass) return refusal(new AppError("conflict", `You already asked for ${label}; your request is waiting for approval.`, { details: { requestId: pending.id } }));
  try {
    checkDuration(input.durationSeconds, policy, label);
    checkReasonAndTicket(input, policy);
    if (input.breakGlass && input.reason.length < 3) throw badRequest("Break-glass needs a reason: every approver is told at once and must review it.", { reason: "Enter a reason" });
  } catch (err) {
    if (err instanceof AppError) return refusal(err);
    throw err;
  }
  const id = newId();
  const created = iso(now);
  const endsAt = iso(now + input.durationSeconds * 1000);
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto("access_requests")
      .values({
        id,
        role_id: role.id,
        requester_id: actor.id,
        kind: input.breakGlass ? "break_glass" : "request",
        extends_id: null,
        status: input.breakGlass ? "approved" : "pending",
        reason: input.reason,
        ticket: input.ticket ?? null,
        requested_seconds: input.durationSeconds,
        granted_seconds: input.breakGlass ? input.durationSeconds : null,
        approvals_required: policy.approvalsRequired,
        revoke_on_end: policy.revokeOnEnd ? 1 : 0,
        created_at: created,
        decided_at: input.breakGlass ? created : null,
        starts_at: input.breakGlass ? created : null,
        ends_at: input.breakGlass ? endsAt : null,
        ended_at: null,
        ended_by: null,
        end_comment: null,
        revocation_lease_until: null,
        revoked_at: null,
        expiry_notified_at: null,
        review_state: input.breakGlass ? "pending" : null,
        reviewed_by: null,
        reviewed_at: null,
        review_comment: null,
      })
      .execute();
    const row = (await loadRow(trx, id))!;
    if (input.breakGlass) {
      // A pending request of theirs for the same entry is superseded: they have access now.
      if (pending) await trx.updateTable("access_requests").set({ status: "withdrawn", decided_at: created }).where("id", "=", pending.id).execute();
      await grantUntil(trx, row, endsAt, null, now);
    }
    await recordAudit(auditOf(actor, row, meta, { action, outcome: "success", details: { durationSeconds: input.durationSeconds, ticket: input.ticket ?? null, reason: input.reason } }), trx);
    await enqueueWebhookEvent(trx, eventOf(input.breakGlass ? "access.break_glass" : "access.requested", row, actor));
  });
  kickWebhookDelivery();
  return getAccessRequest(actor, id);
}

/** GET /access-requests/{id} */
export async function getAccessRequest(actor: Actor, id: string): Promise<AccessRequestDto> {
  const db = await getDb();
  const { row, policy } = await visibleRow(db, actor, id);
  const decisions = await decisionsOf(db, [row.id]);
  return toDto(row, decisions.get(row.id) ?? [], actor, policy, Date.now());
}

/** GET /access-requests — the caller's own ("mine"), those waiting for their decision
 * ("to-approve"), break-glass uses waiting for their review ("to-review"), or every request
 * ("all": administrators and auditors). */
export async function listAccessRequests(actor: Actor, query: ListAccessRequestsQuery): Promise<AccessRequestDto[]> {
  const db = await getDb();
  const now = Date.now();
  if (query.view === "all" && !hasPermission(actor, "grants.manage") && !hasPermission(actor, "audit.read")) {
    throw forbidden("Only administrators and auditors see every request; use view=mine or view=to-approve.");
  }
  let q = requestQuery(db);
  if (query.view === "mine") q = q.where("access_requests.requester_id", "=", actor.id);
  else if (query.view === "to-approve") q = q.where("access_requests.status", "=", "pending").where("access_requests.requester_id", "!=", actor.id);
  else if (query.view === "to-review") q = q.where("access_requests.kind", "=", "break_glass").where("access_requests.review_state", "=", "pending").where("access_requests.requester_id", "!=", actor.id);
  const nowIso = iso(now);
  if (query.status === "active") q = q.where("access_requests.status", "=", "approved").where("access_requests.ends_at", ">", nowIso);
  else if (query.status === "expired") q = q.where((eb) => eb.or([eb("access_requests.status", "=", "expired"), eb.and([eb("access_requests.status", "=", "approved"), eb("access_requests.ends_at", "<=", nowIso)])]));
  else if (query.status === "approved") q = q.where("access_requests.status", "=", "approved").where("access_requests.ends_at", ">", nowIso);
  else if (query.status !== "any") q = q.where("access_requests.status", "=", query.status);
  // Approvers' views are filtered by policy below, so read more than the limit from the store.
  const filtered = query.view === "to-approve" || query.view === "to-review";
  const rows = await q.orderBy("access_requests.id", "desc").limit(filtered ? 1000 : query.limit).execute();
  const policies = new Map<string, Policy>();
  for (const roleId of new Set(rows.map((r) => r.role_id))) policies.set(roleId, await readPolicy(db, roleId));
  const decisions = await decisionsOf(db, rows.map((r) => r.id));
  const dtos: AccessRequestDto[] = [];
  for (const row of rows) {
    const policy = policies.get(row.role_id)!;
    if (filtered && !isApprover(actor, policy)) continue;
    if (!maySee(actor, row, policy)) continue;
    const dto = toDto(row, decisions.get(row.id) ?? [], actor, policy, now);
    if (query.view === "to-approve" && !dto.can.approve) continue;
    dtos.push(dto);
    if (dtos.length >= query.limit) break;
  }
  return dtos;
}

/** How many requests wait for this person: their decisions and their break-glass reviews (the
 * header's count). */
export async function countWaitingForMe(actor: Actor): Promise<number> {
  if (!hasPermission(actor, "sessions.create") && !hasPermission(actor, "grants.manage")) return 0;
  const [toApprove, toReview] = await Promise.all([
    listAccessRequests(actor, { view: "to-approve", status: "pending", limit: 100 }),
    listAccessRequests(actor, { view: "to-review", status: "any", limit: 100 }),
  ]);
  return toApprove.length + toReview.length;
}

/** POST /access-requests/{id}/approve */
export async function approveAccessRequest(actor: Actor, id: string, input: ApproveInput, meta: RequestMeta): Promise<AccessRequestDto> {
  return decide(actor, id, "approve", input.comment, input.durationSeconds, meta);
}

/** POST /access-requests/{id}/deny */
export async function denyAccessRequest(actor: Actor, id: string, comment: string, meta: RequestMeta): Promise<AccessRequestDto> {
  return decide(actor, id, "deny", comment, undefined, meta);
}

async function decide(actor: Actor, id: string, decision: "approve" | "deny", comment: string, durationSeconds: number | undefined, meta: RequestMeta): Promise<AccessRequestDto> {
  const db = await getDb();
  const action: AuditAction = decision === "approve" ? "access.approve" : "access.deny";
  const { row, policy } = await visibleRow(db, actor, id, { action, meta });
  if (row.requester_id === actor.id) return refuse(actor, row, action, meta, forbidden("Nobody approves their own request: another approver must decide."));
  if (!isApprover(actor, policy)) return refuse(actor, row, action, meta, forbidden(`You are not an approver for ${roleLabelOf(row)}. It can be approved by ${describeApprovers(await approversOf(db, policy))}.`));
  if (durationSeconds !== undefined && durationSeconds > row.requested_seconds) {
    return refuse(
      actor,
      row,
      action,
      meta,
      badRequest(`You can shorten the duration, not lengthen it: ${row.requester_email} asked for ${describeDuration(row.requested_seconds)}.`, { durationSeconds: `At most ${describeDuration(row.requested_seconds)}` }),
    );
  }
  let finalRow: Row | undefined;
  let error: AppError | undefined;
  await db.transaction().execute(async (trx) => {
    await lockRow(trx, id);
    const current = (await loadRow(trx, id))!;
    const now = Date.now();
    if (current.status !== "pending") {
      error = conflict(`This request is already ${effectiveStatus(current, now) === "approved" ? "approved" : effectiveStatus(current, now)}.`);
      return;
    }
    const earlier = await trx.selectFrom("access_request_decisions").select(["approver_id", "decision", "granted_seconds"]).where("request_id", "=", id).execute();
    if (earlier.some((d) => d.approver_id === actor.id)) {
      error = conflict("You already approved this request; it needs a second approver.");
      return;
    }
    const granted = decision === "approve" ? (durationSeconds ?? current.requested_seconds) : null;
    await trx
      .insertInto("access_request_decisions")
      .values({ id: newId(), request_id: id, approver_id: actor.id, approver_email: actor.email, decision, comment, granted_seconds: granted, at: iso(now) })
      .execute();
    await recordAudit(auditOf(actor, current, meta, { action, outcome: "success", details: { comment: comment || null, ...(granted ? { grantedSeconds: granted } : {}) } }), trx);
    if (decision === "deny") {
      await trx.updateTable("access_requests").set({ status: "denied", decided_at: iso(now) }).where("id", "=", id).execute();
      await enqueueWebhookEvent(trx, eventOf("access.denied", current, actor, { status: "denied" }, comment));
      return;
    }
    const approvals = [...earlier.filter((d) => d.decision === "approve"), { approver_id: actor.id, decision, granted_seconds: granted }];
    if (approvals.length < current.approvals_required) return;
    // The shortest duration any approver gave: an approver can shorten, never lengthen.
    const seconds = Math.min(...approvals.map((a) => a.granted_seconds ?? current.requested_seconds));
    if (current.kind === "extension") await approveExtension(trx, current, seconds, now);
    else {
      const endsAt = iso(now + seconds * 1000);
      await trx.updateTable("access_requests").set({ status: "approved", decided_at: iso(now), starts_at: iso(now), ends_at: endsAt, granted_seconds: seconds }).where("id", "=", id).execute();
      await grantUntil(trx, current, endsAt, actor.id, now);
    }
    finalRow = (await loadRow(trx, id))!;
    await enqueueWebhookEvent(trx, eventOf("access.approved", finalRow, actor, {}, comment));
  });
  if (error) return refuse(actor, row, action, meta, error);
  kickWebhookDelivery();
  return getAccessRequest(actor, id);
}

/** An approved extension moves the end of the access it extends (and of its grant) by the
 * approved time, counted from that end (or from now, if it has passed in between). */
async function approveExtension(trx: Kysely<Database>, ext: Row, seconds: number, now: number): Promise<void> {
  const original = ext.extends_id ? await loadRow(trx, ext.extends_id) : undefined;
  if (!original || effectiveStatus(original, now) !== "approved" || !original.ends_at) {
    await trx.updateTable("access_requests").set({ status: "denied", decided_at: iso(now), end_comment: "The access it would extend has ended." }).where("id", "=", ext.id).execute();
    return;
  }
  const from = Math.max(Date.parse(original.ends_at), now);
  const endsAt = iso(from + seconds * 1000);
  await trx.updateTable("access_requests").set({ ends_at: endsAt, granted_seconds: (original.granted_seconds ?? 0) + seconds }).where("id", "=", original.id).execute();
  await trx.updateTable("grants").set({ expires_at: endsAt }).where("access_request_id", "=", original.id).execute();
  await trx
    .updateTable("access_requests")
    .set({ status: "approved", decided_at: iso(now), starts_at: iso(from), ends_at: endsAt, granted_seconds: seconds })
    .where("id", "=", ext.id)
    .execute();
}

/** POST /access-requests/{id}/extend — the requester asks for more time, under the same policy. */
export async function extendAccessRequest(actor: Actor, id: string, input: ExtendInput, meta: RequestMeta): Promise<AccessRequestDto> {
  assertPermission(actor, "sessions.create");
  const db = await getDb();
  const { row, policy } = await visibleRow(db, actor, id, { action: "access.extend", meta });
  const now = Date.now();
  if (row.requester_id !== actor.id) return refuse(actor, row, "access.extend", meta, forbidden("Only the person who has the access can ask to extend it."));
  if (row.kind === "extension" || effectiveStatus(row, now) !== "approved") return refuse(actor, row, "access.extend", meta, conflict("Only access in force can be extended; ask for it again instead."));
  try {
    checkDuration(input.durationSeconds, policy, roleLabelOf(row));
    checkReasonAndTicket({ reason: input.reason, ticket: row.ticket ?? undefined }, policy);
  } catch (err) {
    if (err instanceof AppError) return refuse(actor, row, "access.extend", meta, err);
    throw err;
  }
  const waiting = await db.selectFrom("access_requests").select("id").where("extends_id", "=", id).where("status", "=", "pending").executeTakeFirst();
  if (waiting) return refuse(actor, row, "access.extend", meta, new AppError("conflict", "You already asked to extend this access; that request is waiting for approval.", { details: { requestId: waiting.id } }));
  const extId = newId();
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto("access_requests")
      .values({
        id: extId,
        role_id: row.role_id,
        requester_id: actor.id,
        kind: "extension",
        extends_id: id,
        status: "pending",
        reason: input.reason,
        ticket: row.ticket,
        requested_seconds: input.durationSeconds,
        granted_seconds: null,
        approvals_required: policy.approvalsRequired,
        revoke_on_end: row.revoke_on_end,
        created_at: iso(now),
        decided_at: null,
        starts_at: null,
        ends_at: null,
        ended_at: null,
        ended_by: null,
        end_comment: null,
        revocation_lease_until: null,
        revoked_at: null,
        expiry_notified_at: null,
        review_state: null,
        reviewed_by: null,
        reviewed_at: null,
        review_comment: null,
      })
      .execute();
    const ext = (await loadRow(trx, extId))!;
    await recordAudit(auditOf(actor, ext, meta, { action: "access.extend", outcome: "success", details: { extends: id, durationSeconds: input.durationSeconds, reason: input.reason } }), trx);
    await enqueueWebhookEvent(trx, eventOf("access.extension_requested", ext, actor));
  });
  kickWebhookDelivery();
  return getAccessRequest(actor, extId);
}

/** POST /access-requests/{id}/cancel — the requester withdraws a request, or gives up access early. */
export async function cancelAccessRequest(actor: Actor, id: string, meta: RequestMeta): Promise<AccessRequestDto> {
  const db = await getDb();
  const { row } = await visibleRow(db, actor, id, { action: "access.withdraw", meta });
  if (row.requester_id !== actor.id) return refuse(actor, row, "access.withdraw", meta, forbidden("Only the person who asked can withdraw a request; approvers end access instead."));
  const status = effectiveStatus(row, Date.now());
  if (status === "approved" && row.kind !== "extension") return endAccess(actor, row, "access.withdraw", "Given up by the requester", meta);
  if (status !== "pending") return refuse(actor, row, "access.withdraw", meta, conflict(`This request is already ${status}.`));
  let error: AppError | undefined;
  await db.transaction().execute(async (trx) => {
    const changed = await trx.updateTable("access_requests").set({ status: "withdrawn", decided_at: new Date().toISOString() }).where("id", "=", id).where("status", "=", "pending").executeTakeFirst();
    if (Number(changed.numUpdatedRows) !== 1) {
      error = conflict("This request was decided in the meantime.");
      return;
    }
    await recordAudit(auditOf(actor, row, meta, { action: "access.withdraw", outcome: "success" }), trx);
    await enqueueWebhookEvent(trx, eventOf("access.withdrawn", row, actor, { status: "withdrawn" }));
  });
  if (error) return refuse(actor, row, "access.withdraw", meta, error);
  kickWebhookDelivery();
  return getAccessRequest(actor, id);
}

/** POST /access-requests/{id}/end — an approver or administrator ends access now. */
export async function endAccessRequest(actor: Actor, id: string, comment: string, meta: RequestMeta): Promise<AccessRequestDto> {
  const db = await getDb();
  const { row, policy } = await visibleRow(db, actor, id, { action: "access.end", meta });
  if (row.requester_id !== actor.id && !isApprover(actor, policy) && !hasPermission(actor, "grants.manage")) {
    return refuse(actor, row, "access.end", meta, forbidden(`Only an approver of ${roleLabelOf(row)} or an administrator can end this access.`));
  }
  return endAccess(actor, row, "access.end", comment, meta);
}

async function endAccess(actor: Actor, row: Row, action: "access.end" | "access.withdraw", comment: string, meta: RequestMeta): Promise<AccessRequestDto> {
  const db = await getDb();
  let error: AppError | undefined;
  await db.transaction().execute(async (trx) => {
    await lockRow(trx, row.id);
    const current = (await loadRow(trx, row.id))!;
    const now = Date.now();
    if (current.kind === "extension") {
      error = conflict("End the access this extension belongs to.");
      return;
    }
    if (effectiveStatus(current, now) !== "approved") {
      error = conflict(`This access is not in force: it is ${effectiveStatus(current, now)}.`);
      return;
    }
    const at = iso(now);
    // The grant stops giving access from this instant: the grant check compares expiry with the
    // clock on every request, on every instance.
    await trx.updateTable("grants").set({ expires_at: at }).where("access_request_id", "=", row.id).execute();
    await trx
      .updateTable("access_requests")
      .set({ status: "ended", ended_at: at, ends_at: at, ended_by: actor.id, end_comment: comment || null, revocation_state: current.revoke_on_end ? "pending" : "none" })
      .where("id", "=", row.id)
      .execute();
    // A pending extension of it has nothing left to extend.
    await trx.updateTable("access_requests").set({ status: "withdrawn", decided_at: at }).where("extends_id", "=", row.id).where("status", "=", "pending").execute();
    await recordAudit(auditOf(actor, current, meta, { action, outcome: "success", details: { comment: comment || null, revokeSessions: current.revoke_on_end === 1 } }), trx);
    await enqueueWebhookEvent(trx, eventOf("access.ended", current, actor, { status: "ended", ends_at: at }, comment));
  });
  if (error) return refuse(actor, row, action, meta, error);
  credentialCache().forgetRole(row.role_id, row.requester_id);
  kickWebhookDelivery();
  // Revoke the live sessions now, as the person who ended it (the job retries if AWS fails).
  const { revokeEndedAccess } = await import("./expiry");
  await revokeEndedAccess(row.id, actor, meta);
  return getAccessRequest(actor, row.id);
}

/** POST /access-requests/{id}/review — an approver marks a break-glass use justified or not. */
export async function reviewBreakGlass(actor: Actor, id: string, input: ReviewInput, meta: RequestMeta): Promise<AccessRequestDto> {
  const db = await getDb();
  const { row, policy } = await visibleRow(db, actor, id, { action: "access.review", meta });
  if (row.kind !== "break_glass") return refuse(actor, row, "access.review", meta, badRequest("Only break-glass uses are reviewed."));
  if (row.requester_id === actor.id) return refuse(actor, row, "access.review", meta, forbidden("Nobody reviews their own break-glass use."));
  if (!isApprover(actor, policy)) return refuse(actor, row, "access.review", meta, forbidden(`Only an approver of ${roleLabelOf(row)} can review this break-glass use.`));
  let error: AppError | undefined;
  await db.transaction().execute(async (trx) => {
    const now = new Date().toISOString();
    const changed = await trx
      .updateTable("access_requests")
      .set({ review_state: input.verdict, reviewed_by: actor.id, reviewed_at: now, review_comment: input.comment || null })
      .where("id", "=", id)
      .where("review_state", "=", "pending")
      .executeTakeFirst();
    if (Number(changed.numUpdatedRows) !== 1) {
      error = conflict("This break-glass use is already reviewed.");
      return;
    }
    await recordAudit(auditOf(actor, row, meta, { action: "access.review", outcome: "success", details: { verdict: input.verdict, comment: input.comment || null } }), trx);
  });
  if (error) return refuse(actor, row, "access.review", meta, error);
  return getAccessRequest(actor, id);
}

/** The entries this person may ask for, with their policies and where they stand. */
export async function listRequestableRoles(actor: Actor): Promise<RequestableRoleDto[]> {
  if (!hasPermission(actor, "sessions.create")) return [];
  const db = await getDb();
  const now = Date.now();
  const roles = await db
    .selectFrom("role_eligibility")
    .innerJoin("roles", "roles.id", "role_eligibility.role_id")
    .innerJoin("accounts", "accounts.id", "roles.account_id")
    .select(["roles.id", "roles.display_name", "roles.role_name", "accounts.name as account_name", "accounts.aws_account_id", "accounts.environment"])
    .where((eb) => {
      const subjects = [eb("role_eligibility.user_id", "=", actor.id)];
      if (actor.groups.length) subjects.push(eb("role_eligibility.group_name", "in", actor.groups));
      return eb.or(subjects);
    })
    .distinct()
    .orderBy("accounts.name")
    .orderBy("roles.display_name")
    .execute();
  if (roles.length === 0) return [];
  const mine = await db
    .selectFrom("access_requests")
    .select(["id", "role_id", "status", "ends_at", "kind"])
    .where("requester_id", "=", actor.id)
    .where("role_id", "in", roles.map((r) => r.id))
    .where("kind", "!=", "extension")
    .where((eb) => eb.or([eb("status", "=", "pending"), eb.and([eb("status", "=", "approved"), eb("ends_at", ">", iso(now))])]))
    .execute();
  const out: RequestableRoleDto[] = [];
  for (const r of roles) {
    const policy = await readPolicy(db, r.id);
    const pending = mine.find((m) => m.role_id === r.id && m.status === "pending");
    const active = mine.find((m) => m.role_id === r.id && m.status === "approved");
    out.push({
      roleId: r.id,
      displayName: r.display_name,
      roleName: r.role_name,
      accountName: r.account_name,
      awsAccountId: r.aws_account_id,
      environment: r.environment,
      maxDurationSeconds: policy.maxDurationSeconds,
      reasonRequired: policy.reasonRequired,
      ticketPattern: policy.ticketPattern,
      breakGlass: policy.breakGlass,
      approvalsRequired: policy.approvalsRequired,
      approvers: describeApprovers(await approversOf(db, policy)),
      pendingRequestId: pending?.id ?? null,
      activeRequest: active?.ends_at ? { id: active.id, endsAt: active.ends_at } : null,
    });
  }
  return out;
}

export { eventOf as accessEventOf, auditOf as accessAuditOf, loadRow as loadAccessRequestRow, type Row as AccessRequestRow };
