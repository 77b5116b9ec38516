import "server-only";
import type { Kysely } from "kysely";
import { recordAudit } from "@/lib/audit/record";
import type { Actor } from "@/lib/auth/actor";
import { brokerProfile } from "@/lib/aws/broker-clients";
import { MIN_SESSION_SECONDS } from "@/lib/aws/duration";
import type { Explanation } from "@/lib/aws/explain-denial";
import type { HealthWhy, RoleHealth } from "@/lib/catalog/health";
import { failureIsAboutTheEntry, healthWhy, SWITCH_REFRESH_MS, unsafeRecordHealth, unsafeRecordSwitchSuccess, type HealthResult } from "@/lib/catalog/role-health";
import type { RoleDto } from "@/lib/catalog/role-dto";
import { findUsableRole, unsafeFindRoleForTest } from "@/lib/catalog/role-queries";
import { getDb } from "@/lib/db/client";
import type { Database, RoleHealthSource } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { afterResponse } from "@/lib/http/after-response";
import type { RequestMeta } from "@/lib/http/request-meta";
import { logger, requestLogger } from "@/lib/log";
import { assumeAs, assumeForActor, AssumeRoleFailed, type AssumedSession } from "./assume";
import { explainAssumeFailure } from "./explain";

// Testing a role entry: one AssumeRole by the broker, with exactly what a switch would send, the
// credentials thrown away. Each conclusive result — AWS let the console in, or refused it for a
// reason about the entry — is kept as the entry's health (lib/catalog/role-health.ts), so that a
// broken entry looks broken everywhere after a reload. A result that says nothing about the
// entry (AWS throttling or unreachable, the console's own STS budget spent) is not kept.
//
// Who tests:
// - an administrator's Test (./test-role.ts), as themselves;
// - the registration of an entry (lib/catalog/roles.ts, Discover's bulk register), or an edit
//   of what a switch sends (its ExternalId, SourceIdentity), as the administrator who did it;
// - the background re-test (./role-health-schedule.ts), as the console itself: the session is
//   named HEALTH_CHECK_SESSION_NAME, which CloudTrail shows, and is audited with
//   details.source = "background" and no actor;
// - a person's switch, whose outcome is evidence too (noteSwitchOutcome).

/** The RoleSessionName (and SourceIdentity, where the entry sets one) of the console's own
 * tests, as CloudTrail will show them (2–64 characters of [\w+=,.@-]:
 * https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html). People's sessions are
 * named after their email address (lib/users/aws-identity.ts), which has an "@" or, when long,
 * ends in a 16-digit hash: not this name. */
export const HEALTH_CHECK_SESSION_NAME = "switchboard-health-check";

/** The shortest session AWS allows: the credentials are thrown away at once. */
const TEST_SECONDS = MIN_SESSION_SECONDS;

export type Probe =
  | { conclusive: true; ok: true; session: AssumedSession }
  | { conclusive: true; ok: false; error: AppError; explanation?: Explanation; why: HealthWhy }
  /** AWS throttled the console or could not be reached: nothing learnt about the entry. */
  | { conclusive: false; error: AppError };

/** One AssumeRole and, when it fails, why. The console's own refusals before any AWS call (the
 * STS budget spent, the caller's console session ending) are thrown as they are. */
export async function probeRole(role: RoleDto, provisioningRoleName: string, assume: () => Promise<AssumedSession>): Promise<Probe> {
  try {
    return { conclusive: true, ok: true, session: await assume() };
  } catch (err) {
    if (!(err instanceof AssumeRoleFailed)) throw err;
    const { error, explanation } = await explainAssumeFailure(err, role, provisioningRoleName);
    // Denials and validation errors are AWS's answer about this role; throttling and outages
    // are not (lib/sessions/explain.ts answers those as unavailable / upstream_error).
    if (error.code !== "aws_denied") return { conclusive: false, error };
    return { conclusive: true, ok: false, error, explanation, why: healthWhy(explanation) };
  }
}

/** What a successful test says. `as`: whose identity the session carried to CloudTrail. */
export function successMessage(role: RoleDto, session: AssumedSession, as: "the operator" | "the person switching" | "the console" = "the operator"): string {
  if (!session.sourceIdentity) return `The console can switch into ${role.displayName}.`;
  return as === "the console"
    ? `The console can switch into ${role.displayName}, setting a source identity as every switch does.`
    : `The console can switch into ${role.displayName}, carrying ${as}'s identity to CloudTrail.`;
}

function resultOf(probe: Probe & { conclusive: true }, role: RoleDto, source: RoleHealthSource): HealthResult {
  if (!probe.ok) return { ok: false, code: probe.error.code, why: probe.why, reason: probe.error.message };
  return { ok: true, reason: successMessage(role, probe.session, source === "background" ? "the console" : "the operator") };
}

/** Keeps a conclusive probe as the entry's health. A store failure is logged, not thrown: the
 * test itself happened and its answer stands. */
export async function keepResult(db: Kysely<Database>, role: RoleDto, probe: Probe, source: RoleHealthSource, meta?: RequestMeta): Promise<void> {
  if (!probe.conclusive) return;
  try {
    await unsafeRecordHealth(db, role.id, resultOf(probe, role, source), source);
  } catch (err) {
    (meta ? requestLogger(meta) : logger).error({ err, operation: "role.health", roleArn: role.roleArn }, "could not keep a role test's result");
  }
}

/** Whether a probe tells something other than the stored health. */
export function changes(previous: RoleHealth | null, probe: Probe): boolean {
  if (!probe.conclusive) return false;
  if (!previous) return true;
  return probe.ok ? !previous.ok : previous.ok || previous.why !== probe.why;
}

// ---------------------------------------------------------------------------------------------
// At registration, and after an edit that changes what a switch sends

/** How long registering waits for the tests of what it registered; the rest finish on their own. */
export const REGISTRATION_TEST_WAIT_MS = 15_000;
/** Tests of one bulk registration at a time: each is one AssumeRole (and, when it fails, the
 * reads that explain it), through the console's STS budget. */
const REGISTRATION_CONCURRENCY = 4;

/** Tests entries an administrator has just registered (`registered`) or changed in a way that
 * changes the switch (`edited`: the ExternalId or SourceIdentity), as that administrator. Best
 * effort: the change stands whatever happens here; each conclusive result is kept (source
 * "registered", or "manual" after an edit) and audited (role.test, details.source). Waits for at
 * most `waitMs`; tests still running then finish on their own. */
export async function testChangedEntries(actor: Actor, roleIds: string[], meta: RequestMeta, why: "registered" | "edited", waitMs = REGISTRATION_TEST_WAIT_MS): Promise<void> {
  const queue = [...roleIds];
  const worker = async () => {
    for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
      await testOneChanged(actor, id, meta, why).catch((err: unknown) => requestLogger(meta).warn({ err, operation: "role.test", roleId: id }, `could not test a role entry after it was ${why}`));
    }
  };
  const all = Promise.all(Array.from({ length: Math.min(REGISTRATION_CONCURRENCY, queue.length) }, worker));
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, waitMs);
    timer.unref();
  });
  await Promise.race([all, timeout]);
  clearTimeout(timer);
}

async function testOneChanged(actor: Actor, roleId: string, meta: RequestMeta, why: "registered" | "edited"): Promise<void> {
  const db = await getDb();
  const { role, externalId, provisioningRoleName } = await findUsableRole(db, actor, roleId);
  let probe: Probe;
  try {
    probe = await probeRole(role, provisioningRoleName, () => assumeForActor(actor, role, externalId, TEST_SECONDS));
  } catch (err) {
    // The STS budget is spent, or the administrator's console session is about to end: the
    // entry keeps what was known until its next test.
    if (err instanceof AppError) {
      requestLogger(meta).info({ operation: "role.test", roleArn: role.roleArn, reason: err.code }, `a role entry was not tested after it was ${why}`);
      return;
    }
    throw err;
  }
  await keepResult(db, role, probe, why === "registered" ? "registered" : "manual", meta);
  if (!probe.conclusive) return;
  await recordAudit({
    action: "role.test",
    outcome: probe.ok ? "success" : "denied",
    actor,
    target: { type: "role", id: role.id, label: role.roleArn },
    awsAccountId: role.accountId,
    request: meta,
    ...(probe.ok ? {} : { reason: probe.error.message }),
    details: { source: why, ...(probe.ok ? {} : { why: probe.why }) },
  });
}

// ---------------------------------------------------------------------------------------------
// In the background

export type BackgroundOutcome = { status: "ok" | "failing" | "inconclusive" | "gone"; changed: boolean; retryAfter?: number; error?: AppError };

/** Tests one entry as the console itself (no person): the session is named
 * HEALTH_CHECK_SESSION_NAME, and carries it as SourceIdentity where the entry sets one, so the
 * trust policy is tested for exactly what a switch sends. The result is kept (source
 * "background"); it is audited (role.test, no actor, details.source "background") when it
 * differs from what was known. */
export async function backgroundTest(db: Kysely<Database>, roleId: string): Promise<BackgroundOutcome> {
  const found = await unsafeFindRoleForTest(db, roleId);
  if (!found) return { status: "gone", changed: false };
  const { role, externalId, provisioningRoleName } = found;
  let probe: Probe;
  try {
    const broker = await brokerProfile();
    probe = await probeRole(role, provisioningRoleName, () =>
      assumeAs(
        role,
        {
          sessionName: HEALTH_CHECK_SESSION_NAME,
          durationSeconds: TEST_SECONDS,
          ...(externalId ? { externalId } : {}),
          ...(role.sourceIdentity ? { sourceIdentity: HEALTH_CHECK_SESSION_NAME } : {}),
        },
        broker,
      ),
    );
  } catch (err) {
    if (err instanceof AppError) return { status: "inconclusive", changed: false, error: err, ...(err.retryAfter ? { retryAfter: err.retryAfter } : {}) };
    // The broker's own identity could not be read (no credentials, AWS unreachable).
    return { status: "inconclusive", changed: false, error: new AppError("upstream_error", err instanceof Error ? err.message : "The console could not reach AWS.") };
  }
  if (!probe.conclusive) return { status: "inconclusive", changed: false, error: probe.error, ...(probe.error.retryAfter ? { retryAfter: probe.error.retryAfter } : {}) };
  const changed = changes(role.health, probe);
  await keepResult(db, role, probe, "background");
  if (changed) {
    await recordAudit(
      {
        action: "role.test",
        outcome: probe.ok ? "success" : "denied",
        target: { type: "role", id: role.id, label: role.roleArn },
        awsAccountId: role.accountId,
        ...(probe.ok ? {} : { reason: probe.error.message }),
        details: { source: "background", sessionName: HEALTH_CHECK_SESSION_NAME, ...(probe.ok ? {} : { why: probe.why }), was: role.health ? (role.health.ok ? "working" : "failing") : "not tested" },
      },
      db,
    );
  }
  return { status: probe.ok ? "ok" : "failing", changed };
}

// ---------------------------------------------------------------------------------------------
// From switches

/** A person's switch that reached AWS is a test of the entry too. A success says it works
 * (written only when the stored result said otherwise or is old: lib/catalog/role-health.ts).
 * A failure is recorded only when it is about the entry for everyone — not trusted, no such
 * role, the ExternalId, MFA — never when it could be about the person (a trust condition on
 * their session name, a Deny naming them, the duration they asked for); rate limits and
 * revocations never reach here (a revocation denies actions in the role, not AssumeRole). Runs
 * after the answer has gone out; a failure to write is logged. */
export async function noteSwitchOutcome(
  role: RoleDto,
  outcome: { ok: true; session: AssumedSession } | { ok: false; error: AppError; explanation?: Explanation },
  meta: RequestMeta,
): Promise<void> {
  // The entry as the switch read it carries the stored health: when it already says so, and
  // recently, there is nothing to write (most switches).
  const known = role.health;
  const recent = known !== null && Date.now() - Date.parse(known.testedAt) < SWITCH_REFRESH_MS;
  let write: ((db: Kysely<Database>) => Promise<void>) | undefined;
  if (outcome.ok) {
    if (!(recent && known.ok)) write = (db) => unsafeRecordSwitchSuccess(db, role.id, successMessage(role, outcome.session, "the person switching"));
  } else if (outcome.error.code === "aws_denied") {
    const why = healthWhy(outcome.explanation);
    const alreadyKnown = recent && !known.ok && known.why === why;
    if (failureIsAboutTheEntry(why) && !alreadyKnown) write = (db) => unsafeRecordHealth(db, role.id, { ok: false, code: outcome.error.code, why, reason: outcome.error.message }, "switch");
  }
  if (!write) return;
  const work = write;
  afterResponse(async () => {
    try {
      await work(await getDb());
    } catch (err) {
      requestLogger(meta).error({ err, operation: "role.health", roleArn: role.roleArn }, "could not keep what a switch showed about a role entry");
    }
  });
}
