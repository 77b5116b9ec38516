import "server-only";
// Ending live AWS sessions that this console issued. STS credentials cannot be recalled; what AWS
// offers is a deny on the role for sessions issued before a time (aws:TokenIssueTime), which is
// what the IAM console's "Revoke active sessions" writes — for everyone in the role.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_revoke-sessions.html
// Because every session Switchboard issues is named after the person (RoleSessionName, and
// SourceIdentity where the entry sets it), the deny can name one person and leave everyone else
// working. The policy itself is built by ./policy.ts (pure, tested); this module reads and writes
// it through the account's provisioning role and records each revocation, per role, in the audit
// log. Revoking needs no step-up: it only ever takes access away, and it is what an
// administrator reaches for in a hurry.
import { DeleteRolePolicyCommand, GetRoleCommand, GetRolePolicyCommand, ListRolePoliciesCommand, PutRolePolicyCommand, type IAMClient } from "@aws-sdk/client-iam";
import { z } from "zod";
import { recordAudit } from "@/lib/audit/record";
import { assertPermission, type Actor } from "@/lib/auth/actor";
import { classifyAwsError, describeAwsError, appErrorOf } from "@/lib/aws/errors";
import { forgetProvisioning, provisioningIam } from "@/lib/aws/broker-clients";
import { awsIdentityOf, roleSessionName } from "@/lib/aws/session-name";
import { roleArnOf } from "@/lib/catalog/role-dto";
import { getDb } from "@/lib/db/client";
import { newId } from "@/lib/db/ids";
import { credentialCache } from "@/lib/sessions/credential-cache";
import type { Partition } from "@/lib/domain/partitions";
import { AppError, notFound } from "@/lib/errors";
import type { RequestMeta } from "@/lib/http/request-meta";
import { countPolicyCharacters } from "@/lib/policy";
import { emailField } from "@/lib/users/schemas";
import { applyRevocation, REVOCATION_POLICY_NAME, revocationBudget, type Revocation, type RevocationSummary } from "./policy";

export const revokeRoleSessionsInput = z
  .object({
    /** One person's sessions; without it, everyone's sessions in the role. */
    userEmail: emailField.optional(),
  })
  .strict();
export type RevokeRoleSessionsInput = z.infer<typeof revokeRoleSessionsInput>;

/** The name the console's own revocations (access on request that expired, lib/access/) go
 * under when they call IAM through an account's provisioning role: CloudTrail shows it. */
export const ACCESS_EXPIRY_SESSION_NAME = "switchboard-access-expiry";

/** The longest an AWS role session can last (a role's MaxSessionDuration is at most 12 hours):
 * a switch older than this cannot have a live session. */
const LONGEST_SESSION_MS = 12 * 3600_000;

export type RoleRevocation = {
  roleId: string;
  roleArn: string;
  accountName: string;
  ok: boolean;
  /** What happened, in words: what is denied now, or why it could not be done. */
  message: string;
  /** Older revocations merged into "everyone before …" to keep the policy small. */
  folded?: number;
};

type RoleTarget = { id: string; roleArn: string; roleName: string; accountName: string; sourceIdentity: boolean; account: { awsAccountId: string; partition: Partition; provisioningRoleName: string } };

async function roleTargets(ids: readonly string[]): Promise<RoleTarget[]> {
  if (ids.length === 0) return [];
  const db = await getDb();
  const rows = await db
    .selectFrom("roles")
    .innerJoin("accounts", "accounts.id", "roles.account_id")
    .select(["roles.id", "roles.role_name", "roles.path", "roles.set_source_identity", "accounts.name as account_name", "accounts.aws_account_id", "accounts.partition", "accounts.provisioning_role_name"])
    .where("roles.id", "in", [...ids])
    .orderBy("accounts.name")
    .orderBy("roles.role_name")
    .execute();
  return rows.map((r) => ({
    id: r.id,
    roleArn: roleArnOf(r.partition, r.aws_account_id, r.path, r.role_name),
    roleName: r.role_name,
    accountName: r.account_name,
    sourceIdentity: r.set_source_identity === 1,
    account: { awsAccountId: r.aws_account_id, partition: r.partition, provisioningRoleName: r.provisioning_role_name },
  }));
}

type Person = { id: string; email: string; sessionName: string };

async function findPerson(where: { id: string } | { email: string }): Promise<Person> {
  const db = await getDb();
  let query = db.selectFrom("users").select(["id", "email", "aws_identity"]);
  query = "id" in where ? query.where("id", "=", where.id) : query.where("email", "=", where.email);
  const row = await query.executeTakeFirst();
  if (!row) throw notFound("No console user has that id or email.");
  // Every session a person starts is named by their fixed AWS identity; one who never signed in
  // since it was introduced gets the name it would be.
  return { id: row.id, email: row.email, sessionName: row.aws_identity ?? roleSessionName(row.email) };
}

async function otherInlineSize(iam: IAMClient, roleName: string): Promise<number> {
  let size = 0;
  let marker: string | undefined;
  do {
    const page = await iam.send(new ListRolePoliciesCommand({ RoleName: roleName, Marker: marker }));
    for (const name of page.PolicyNames ?? []) {
      if (name === REVOCATION_POLICY_NAME) continue;
      const policy = await iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: name }));
      size += countPolicyCharacters(decodeURIComponent(policy.PolicyDocument ?? ""));
    }
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  return size;
}

async function currentPolicy(iam: IAMClient, roleName: string): Promise<string | null> {
  try {
    const out = await iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: REVOCATION_POLICY_NAME }));
    // IAM returns policy documents URL-encoded (RFC 3986).
    return out.PolicyDocument ? decodeURIComponent(out.PolicyDocument) : null;
  } catch (err) {
    if (classifyAwsError(err).kind === "not_found") return null;
    throw err;
  }
}

function describeSummary(summary: RevocationSummary, who: string): string {
  const folded = summary.folded.length ? ` ${summary.folded.length} older revocation(s) were merged into "everyone before ${summary.everyoneBefore}" to keep the policy small.` : "";
  return `${who} issued before now are denied every action.${folded}`;
}

/** Writes one revocation into one role, and records it. Never throws for an AWS failure: the
 * result says, in words, what went wrong in that role. */
/** What a revocation in one role denies now, as the store records it: per session name (null:
 * everyone), sessions issued before the time. */
type Revoked = { sessionName: string | null; before: string };

async function revokeInRole(
  actor: Actor | null,
  role: RoleTarget,
  revocation: Revocation,
  person: Person | null,
  meta: RequestMeta,
  extra: Record<string, string> = {},
): Promise<RoleRevocation & { error?: AppError }> {
  const who = person ? `Sessions of ${person.email} (session name ${person.sessionName})` : "All sessions of the role";
  const base = { roleId: role.id, roleArn: role.roleArn, accountName: role.accountName, revoked: [] as Revoked[], everyoneBefore: null as string | null };
  let outcome: RoleRevocation & { error?: AppError; revoked: Revoked[]; everyoneBefore: string | null };
  try {
    const iam = await provisioningIam(role.account, actor ? awsIdentityOf(actor) : ACCESS_EXPIRY_SESSION_NAME);
    const got = await iam.send(new GetRoleCommand({ RoleName: role.roleName }));
    const maxSessionSeconds = got.Role?.MaxSessionDuration ?? 3600;
    const [existing, others] = await Promise.all([currentPolicy(iam, role.roleName), otherInlineSize(iam, role.roleName)]);
    const built = applyRevocation(existing, revocation, { now: new Date(), maxSessionSeconds, budget: revocationBudget(others) });
    if (!built.ok) {
      outcome = { ...base, ok: false, message: built.message, error: new AppError("conflict", built.message) };
    } else {
      if (built.document === null) {
        await iam.send(new DeleteRolePolicyCommand({ RoleName: role.roleName, PolicyName: REVOCATION_POLICY_NAME })).catch((err: unknown) => {
          if (classifyAwsError(err).kind !== "not_found") throw err;
        });
      } else {
        await iam.send(new PutRolePolicyCommand({ RoleName: role.roleName, PolicyName: REVOCATION_POLICY_NAME, PolicyDocument: built.document }));
      }
      outcome = {
        ...base,
        ok: true,
        message: describeSummary(built.summary, who),
        revoked: revokedBy(built.summary, person),
        everyoneBefore: built.summary.everyoneBefore,
        ...(built.summary.folded.length ? { folded: built.summary.folded.length } : {}),
      };
    }
  } catch (err) {
    if (classifyAwsError(err).kind === "denied") forgetProvisioning(role.account);
    const message = describeAwsError(err, `revoke sessions in ${role.roleArn} through the provisioning role ${role.account.provisioningRoleName}`);
    outcome = { ...base, ok: false, message, error: appErrorOf(err, message) };
  }
  const event = {
    action: "session.revoke",
    outcome: outcome.ok ? "success" : "failure",
    actor,
    target: { type: "role", id: role.id, label: role.roleArn },
    awsAccountId: role.account.awsAccountId,
    request: meta,
    ...(outcome.ok ? {} : { reason: outcome.message }),
    details: {
      scope: person ? "person" : "everyone",
      ...(person ? { person: person.email, sessionName: person.sessionName } : {}),
      ...(outcome.folded ? { folded: outcome.folded, everyoneBefore: outcome.everyoneBefore } : {}),
      ...extra,
    },
  } as const;
  const db = await getDb();
  await db.transaction().execute(async (trx) => {
    if (outcome.ok && outcome.revoked.length) {
      const now = new Date().toISOString();
      await trx
        .insertInto("session_revocations")
        .values(outcome.revoked.map((r) => ({ id: newId(), role_id: role.id, session_name: r.sessionName, revoked_before: r.before, actor_id: actor?.id ?? null, created_at: now })))
        .execute();
    }
    await recordAudit(event, trx);
  });
  // This instance drops what it holds now; every other instance sees the rows above on the
  // person's next switch.
  if (outcome.ok) {
    if (person) credentialCache().forgetRole(role.id, person.id);
    else credentialCache().forgetRole(role.id);
  }
  const { revoked: _revoked, everyoneBefore: _everyoneBefore, ...result } = outcome;
  return result;
}

/** The rows to record: this revocation's own time, and "everyone before" when older person
 * statements were folded into it (it then denies other people's older sessions too). */
function revokedBy(summary: RevocationSummary, person: Person | null): Revoked[] {
  const iso = (time: string) => new Date(time).toISOString();
  const rows: Revoked[] = [];
  const mine = person ? summary.people.find((p) => p.sessionName === person.sessionName) : undefined;
  if (mine) rows.push({ sessionName: person!.sessionName, before: iso(mine.before) });
  if (summary.everyoneBefore && (!person || !mine || summary.folded.length)) rows.push({ sessionName: null, before: iso(summary.everyoneBefore) });
  return rows;
}

const publicPart = ({ error: _error, ...result }: RoleRevocation & { error?: AppError }): RoleRevocation => result;

/** POST /roles/{id}/revoke-sessions: one person's live sessions in one role entry, or everyone's.
 * An AWS failure is answered as the error it is (aws_denied, upstream_error), after it is
 * recorded. */
export async function revokeRoleSessions(actor: Actor, roleId: string, input: RevokeRoleSessionsInput, meta: RequestMeta): Promise<RoleRevocation> {
  assertPermission(actor, "sessions.revoke");
  const [role] = await roleTargets([roleId]);
  if (!role) throw notFound("No such role entry.");
  const person = input.userEmail ? await findPerson({ email: input.userEmail }) : null;
  const revocation: Revocation = person ? { kind: "person", sessionName: person.sessionName, sourceIdentity: role.sourceIdentity } : { kind: "everyone" };
  const result = await revokeInRole(actor, role, revocation, person, meta);
  if (result.error) throw result.error;
  return publicPart(result);
}

/** One person's live sessions in one entry, once their access on request ended (lib/access/):
 * by the approver or administrator who ended it (`by`), or by the console itself when it expired
 * (`by` null, audited without an actor). Unsafe: no permission is checked here — the caller has
 * decided that the access ended, and revoking only ever takes access away. Never throws for an
 * AWS failure: the result says what went wrong (the caller retries). */
export async function unsafeRevokePersonInRole(by: Actor | null, roleId: string, userId: string, meta: RequestMeta, details: Record<string, string>): Promise<RoleRevocation> {
  const [role] = await roleTargets([roleId]);
  if (!role) return { roleId, roleArn: "", accountName: "", ok: true, message: "The role entry is gone: nothing to revoke." };
  const person = await findPerson({ id: userId });
  return publicPart(await revokeInRole(by, role, { kind: "person", sessionName: person.sessionName, sourceIdentity: role.sourceIdentity }, person, meta, details));
}

/** The role entries a person switched into recently enough for a session to be alive, from the
 * audit log (no secret is kept anywhere). */
export async function rolesUsedBy(userId: string, now = Date.now()): Promise<string[]> {
  const db = await getDb();
  const rows = await db
    .selectFrom("audit_events")
    .select("target_id")
    .distinct()
    .where("actor_id", "=", userId)
    .where("action", "in", ["session.console", "session.credentials"])
    .where("outcome", "=", "success")
    .where("target_type", "=", "role")
    .where("at", ">=", new Date(now - LONGEST_SESSION_MS).toISOString())
    .execute();
  return rows.flatMap((r) => (r.target_id ? [r.target_id] : []));
}

/** POST /users/{id}/revoke-sessions: the person's live sessions in every role entry they used in
 * the last 12 hours. Each role is tried; the answer says, per role, what happened. */
export async function revokeUserSessions(actor: Actor, userId: string, meta: RequestMeta): Promise<{ user: { id: string; email: string }; roles: RoleRevocation[] }> {
  assertPermission(actor, "sessions.revoke");
  const person = await findPerson({ id: userId });
  const roles = await roleTargets(await rolesUsedBy(person.id));
  const results: RoleRevocation[] = [];
  for (const role of roles) {
    results.push(publicPart(await revokeInRole(actor, role, { kind: "person", sessionName: person.sessionName, sourceIdentity: role.sourceIdentity }, person, meta)));
  }
  return { user: { id: person.id, email: person.email }, roles: results };
}
