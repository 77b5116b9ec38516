import "server-only";
import { createHash } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";
import { recordAudit, type AuditEvent } from "@/lib/audit/record";
import { assertPermission, hasPermission, type Actor } from "@/lib/auth/actor";
import { profileNameFor } from "@/lib/aws/credential-formats";
import { consoleSessionDuration, DEFAULT_SESSION_SECONDS, MIN_SESSION_SECONDS, secondsUntil, sessionDuration } from "@/lib/aws/duration";
import { getSigninToken, loginForm, loginUrl } from "@/lib/aws/federation";
import { consoleDestination, federationEndpoint, isAllowedDestination, partitionOfRegion } from "@/lib/aws/partitions";
import { recordUsage } from "@/lib/catalog/menu";
import { roleArnOf } from "@/lib/catalog/role-dto";
import type { RoleDto } from "@/lib/catalog/role-dto";
import { findUsableRole, type SwitchFreshness } from "@/lib/catalog/role-queries";
import { idField, regionField, sessionDurationField } from "@/lib/catalog/schemas";
import { getConfig } from "@/lib/config";
import { getDb } from "@/lib/db/client";
import { AppError, badRequest } from "@/lib/errors";
import { afterResponse } from "@/lib/http/after-response";
import type { RequestMeta } from "@/lib/http/request-meta";
import { timed } from "@/lib/http/server-timing";
import { logger, requestLogger } from "@/lib/log";
import { limitSwitch } from "@/lib/ratelimit/switch";
import { assumeForActor, AssumeRoleFailed, type AssumedSession } from "./assume";
import { credentialCache, type CacheOutcome } from "./credential-cache";
import { explainAssumeFailure } from "./explain";
import { noteSwitchOutcome } from "./role-health-check";

export const startSessionInput = z
  .object({
    roleId: idField("roleId"),
    kind: z.enum(["console", "credentials"], { error: 'kind must be "console" or "credentials"' }),
    region: regionField.optional(),
    durationSeconds: sessionDurationField.optional(),
    /** A console service to land on (e.g. "ec2"); the URL itself is always built here. */
    service: z.string().regex(/^[a-z0-9-]{2,40}$/, "service is a console service name like ec2 or s3").optional(),
  })
  .strict();
export type StartSessionInput = z.infer<typeof startSessionInput>;

type Common = { region: string; assumedRoleArn: string; roleArn: string; roleLabel: string; accountName: string; expiresAt: string };

export type ConsoleSession = Common & {
  kind: "console";
  /** The federated sign-in URL: a secret for 15 minutes. */
  consoleUrl: string;
  /** The same, as a form to POST (keeps the sign-in token out of URLs and history). */
  form: { action: string; fields: Record<string, string> };
};

export type CredentialsSession = Common & {
  kind: "credentials";
  credentials: AssumedSession["credentials"];
  profileName: string;
  sessionName: string;
  externalId: string | null;
  durationSeconds: number;
  /** The longest session this person may ask for in this entry now (`durationSeconds` in the
   * request): what the credentials dialog offers. */
  maxDurationSeconds: number;
};

/** The outcome is recorded even when the switch fails; a failure to record a failure must not
 * hide the failure itself. */
async function recordQuietly(event: AuditEvent): Promise<void> {
  try {
    await recordAudit(event);
  } catch (err) {
    (event.request ? requestLogger(event.request) : logger).error({ err, operation: event.action, outcome: event.outcome }, "could not record a switch in the audit log");
  }
}

/** A role entry's ARN and account, whoever asks: only for naming a refused switch in the audit
 * log, never returned to the caller. */
async function unsafeRoleArnForAudit(roleId: string): Promise<{ roleArn: string; accountId: string } | undefined> {
  const db = await getDb();
  const row = await db
    .selectFrom("roles")
    .innerJoin("accounts", "accounts.id", "roles.account_id")
    .select(["accounts.partition", "accounts.aws_account_id", "roles.path", "roles.role_name"])
    .where("roles.id", "=", roleId)
    .executeTakeFirst();
  return row ? { roleArn: roleArnOf(row.partition, row.aws_account_id, row.path, row.role_name), accountId: row.aws_account_id } : undefined;
}

/** The role entry, if the caller may switch into it. A refusal (an entry not granted to them)
 * is written to the audit log as a denied switch before it is thrown. */
export async function findSwitchableRole(actor: Actor, roleId: string, kind: StartSessionInput["kind"], meta: RequestMeta) {
  try {
    return await findUsableRole(await getDb(), actor, roleId);
  } catch (err) {
    if (err instanceof AppError && err.code === "forbidden") {
      // The log names the role by its ARN (for the audit log only: the caller is not told).
      const entry = await unsafeRoleArnForAudit(roleId).catch(() => undefined);
      await recordQuietly({ action: kind === "console" ? "session.console" : "session.credentials", outcome: "denied", actor, target: { type: "role", id: roleId, label: entry?.roleArn }, awsAccountId: entry?.accountId, reason: err.message, request: meta });
      err.audited = true;
    }
    throw err;
  }
}

/** A revocation's time is rounded up to the next whole second (lib/revocation/policy.ts) and AWS
 * compares it with the session's issue time in whole seconds, so a session issued in that same
 * second would be denied at once. A switch right after a revocation waits it out (at most a
 * second; longer only if another instance's clock is ahead, which is capped). */
const LONGEST_REVOCATION_WAIT_MS = 2000;

async function waitOutRevocation(revokedBefore: number | null): Promise<void> {
  if (revokedBefore === null) return;
  const wait = revokedBefore - Date.now();
  if (wait > 0) await sleep(Math.min(wait + 5, LONGEST_REVOCATION_WAIT_MS));
}

/** Everything cached credentials depend on besides the revocation time: the console session
 * (signing out or being disabled ends it), the grants that give access, and the entry's settings.
 * Hashed: the ExternalId is part of it. */
function cacheVersion(actor: Actor, role: RoleDto, externalId: string | null, freshness: SwitchFreshness): string {
  const parts = [actor.session.id, actor.awsIdentity, freshness.grants, role.updatedAt, role.roleArn, externalId ?? "", String(role.sessionDuration ?? ""), String(role.sourceIdentity)];
  return createHash("sha256").update(parts.join("\u0000")).digest("base64url");
}

/** AssumeRole for the caller, or the credentials this process already holds for them in this
 * entry (lib/sessions/credential-cache.ts). */
async function issue(
  actor: Actor,
  input: StartSessionInput,
  found: { role: RoleDto; externalId: string | null; freshness: SwitchFreshness; accessEndsAt: number | null },
): Promise<CacheOutcome> {
  const { role, externalId, freshness, accessEndsAt } = found;
  const revokedBefore = freshness.revokedBefore ? Date.parse(freshness.revokedBefore) : null;
  const assume = async () => {
    await waitOutRevocation(revokedBefore);
    return assumeForActor(actor, role, externalId, input.durationSeconds, accessEndsAt);
  };
  // A console sign-in lasts at least 15 minutes and must not outlive the console session; with
  // less room than that, AssumeRole's own check refuses with the reason.
  const consoleRoom = actor.session.endsAt - Date.now();
  if (!getConfig().credentialCache || (input.kind === "console" && consoleRoom < MIN_SESSION_SECONDS * 1000)) {
    return { session: await assume(), source: "miss" };
  }
  return credentialCache().get(
    { userId: actor.id, roleId: role.id, requestedSeconds: input.durationSeconds },
    {
      version: cacheVersion(actor, role, externalId, freshness),
      revokedBefore,
      // A console sign-in without its own length (a broker on temporary credentials) lasts as
      // long as the credentials: at least the shortest console session.
      minRemainingMs: input.kind === "console" ? MIN_SESSION_SECONDS * 1000 : 0,
      // nor the person's access (an administrator may have shortened it since they were issued)
      // by more than new ones would: AWS's 15 minutes at least, and its whole seconds.
      notAfter: Math.min(actor.session.endsAt, accessEndsAt === null ? Infinity : Math.max(accessEndsAt + 1000, Date.now() + MIN_SESSION_SECONDS * 1000)),
    },
    assume,
  );
}

/** The longest session the person may ask for in this entry now: the entry's own length (the
 * most an operator may ask for), else the IAM role's MaxSessionDuration when the catalog knows
 * it, else AWS's default hour (asking for more than an unknown maximum would make AssumeRole
 * fail); then the role-chaining cap and the console session's remaining time. */
function longestSession(actor: Actor, role: RoleDto, brokerKind: AssumedSession["brokerKind"], accessEndsAt: number | null): number {
  const ask = role.sessionDuration ?? role.roleMaxSessionDuration ?? DEFAULT_SESSION_SECONDS;
  const sessionRemaining = Math.floor((actor.session.endsAt - Date.now()) / 1000);
  const accessRemaining = accessEndsAt === null ? undefined : secondsUntil(accessEndsAt);
  return sessionDuration({ requested: ask, entryDefault: role.sessionDuration, roleMax: role.roleMaxSessionDuration ?? undefined, brokerKind, sessionRemaining, accessRemaining }).seconds;
}

/** A switch: checks the grant (before any AWS call), assumes the role with the broker, and
 * returns either a console sign-in (through the partition's federation endpoint) or temporary
 * credentials. Credentials are returned only after the audit event is durably written (fail
 * closed); nothing secret is stored or logged. */
export async function startSession(actor: Actor, input: StartSessionInput, meta: RequestMeta): Promise<ConsoleSession | CredentialsSession> {
  assertPermission(actor, "sessions.create");
  await limitSwitch(actor, input, meta);
  const config = getConfig();
  const found = await timed("grant", () => findSwitchableRole(actor, input.roleId, input.kind, meta));
  const { role, externalId, provisioningRoleName } = found;
  const region = input.region ?? role.defaultRegion;
  if (partitionOfRegion(region) !== role.partition) {
    throw badRequest(`Region ${region} is not in the ${role.partition} partition of ${role.accountName}; pick one of its regions.`, { region: "Not in this account's partition" });
  }
  const action = input.kind === "console" ? "session.console" : "session.credentials";
  const audit = (outcome: AuditEvent["outcome"], extra: Partial<AuditEvent>): AuditEvent => ({
    action,
    outcome,
    actor,
    target: { type: "role", id: role.id, label: role.roleArn },
    awsAccountId: role.accountId,
    request: meta,
    ...extra,
    details: { region, ...extra.details },
  });

  let assumed: AssumedSession;
  let source: CacheOutcome["source"];
  try {
    ({ session: assumed, source } = await timed("sts", () => issue(actor, input, found)));
  } catch (err) {
    if (!(err instanceof AssumeRoleFailed)) throw err;
    const { error, explanation } = await explainAssumeFailure(err, role, provisioningRoleName);
    // A failure about the entry itself (not trusted, no such role…) marks it failing for everyone.
    await noteSwitchOutcome(role, { ok: false, error, explanation }, meta);
    // The suggested fix is kept with the record: the failure page (app/(console)/switch/[roleId]/failed)
    // shows it to administrators, and it says what the console advised at the time.
    const fix: Record<string, string> = explanation?.fix ? { fixWhere: explanation.fix.where, fixStatement: JSON.stringify(explanation.fix.statement) } : {};
    await recordQuietly(audit(error.code === "aws_denied" ? "denied" : "failure", { reason: error.message, details: { why: explanation?.kind ?? error.code, ...fix } }));
    throw error;
  }

  let result: ConsoleSession | CredentialsSession;
  const common: Common = {
    region,
    assumedRoleArn: assumed.assumedRoleArn,
    roleArn: role.roleArn,
    roleLabel: role.displayName,
    accountName: role.accountName,
    expiresAt: assumed.credentials.expiration,
  };
  if (input.kind === "console") {
    const sandboxUrl = config.aws.sandboxUrl;
    const endpoint = federationEndpoint(role.partition, region, sandboxUrl);
    const destination = consoleDestination({ partition: role.partition, region, service: input.service, sandboxUrl });
    if (!isAllowedDestination(destination, role.partition, sandboxUrl)) throw new Error(`refusing console destination ${destination}`);
    // Credentials from the cache were issued earlier: the console sign-in still must not outlive
    // the console session, nor the person's access (consoleSessionDuration keeps AWS's minimum
    // of 15 minutes).
    const room = secondsUntil(Math.min(actor.session.endsAt, found.accessEndsAt ?? Infinity));
    const sessionDuration = consoleSessionDuration(Math.min(assumed.durationSeconds, room), assumed.brokerKind);
    let signinToken: string;
    try {
      signinToken = await timed("signin", () => getSigninToken({ endpoint, credentials: assumed.credentials, sessionDuration }));
    } catch (err) {
      await recordQuietly(audit("failure", { reason: err instanceof Error ? err.message : "The AWS sign-in endpoint failed" }));
      throw err;
    }
    // Issuer: AWS sends people here when the console session ends, so "sign in again" comes
    // back to this console for a fresh session.
    const issuer = `${config.baseUrl}/switch/${role.id}?${new URLSearchParams({ region })}`;
    const expiresAt = sessionDuration ? new Date(Date.now() + sessionDuration * 1000).toISOString() : assumed.credentials.expiration;
    result = {
      ...common,
      kind: "console",
      expiresAt,
      consoleUrl: loginUrl({ endpoint, issuer, destination, signinToken }),
      form: loginForm({ endpoint, issuer, destination, signinToken }),
    };
  } else {
    result = {
      ...common,
      kind: "credentials",
      credentials: assumed.credentials,
      profileName: profileNameFor(role.accountName, role.roleName),
      sessionName: assumed.sessionName,
      // The catalog hides an entry's ExternalId from everyone but administrators; so does this.
      externalId: hasPermission(actor, "roles.manage") ? externalId : null,
      durationSeconds: assumed.durationSeconds,
      maxDurationSeconds: longestSession(actor, role, assumed.brokerKind, found.accessEndsAt),
    };
  }

  const event = audit("success", {
    details: {
      durationSeconds: assumed.durationSeconds,
      // The AWS session these credentials belong to (the Active sessions view reads them).
      issuedAt: assumed.issuedAt,
      credentialsExpireAt: assumed.credentials.expiration,
      // No AssumeRole of its own: credentials this console already held for the person.
      ...(source === "miss" ? {} : { cached: true }),
      sessionName: assumed.sessionName,
      sourceIdentity: assumed.sourceIdentity !== null,
      ...(assumed.cappedBy.length ? { cappedBy: assumed.cappedBy.join(",") } : {}),
    },
  });
  try {
    await timed("audit", () => recordAudit(event));
  } catch (err) {
    // Fail closed: no durable record, no credentials.
    requestLogger(meta).error({ err, operation: action, roleArn: role.roleArn }, "could not record a switch in the audit log; no credentials issued");
    throw new AppError("unavailable", "The audit log could not be written, so no credentials were issued. Try again in a moment; if it persists, tell an administrator.", { retryAfter: 10 });
  }
  // The menu's recents are bookkeeping, not a record: written once the answer has gone out.
  afterResponse(() => recordUsage(actor, role.id, region).catch((err: unknown) => requestLogger(meta).error({ err, operation: "menu.record_usage" }, "could not record the menu's recent use")));
  // A real AssumeRole (not credentials already held) showed the entry works.
  if (source === "miss") await noteSwitchOutcome(role, { ok: true, session: assumed }, meta);
  // A child logger costs more than the switch's own bookkeeping: built only when it will write.
  if (logger.isLevelEnabled("debug")) requestLogger(meta).debug({ operation: action, roleArn: role.roleArn, region, durationSeconds: assumed.durationSeconds, cached: source !== "miss" }, "switched role");
  return result;
}
