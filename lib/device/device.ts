import "server-only";
// Device sign-in for the command line: the OAuth 2.0 Device Authorization Grant
// (https://www.rfc-editor.org/rfc/rfc8628). `switchboard login <url>` starts a request (start),
// prints the code and the address, and polls (poll); the person opens the address signed in,
// sees which device asks, and approves or denies (approve, deny). On the first poll after the
// approval the command line receives ONE personal access token (scope switch, made through
// lib/tokens for the person who approved) and the request is used up: a second poll never gets
// it again.
//
// Answers follow RFC 8628 §3.5 inside the console's one error body: 400 bad_request with the
// RFC's error code in details.error (authorization_pending, slow_down, access_denied,
// expired_token; invalid_grant for a device code the console does not know or that was used).
import { createHash, randomBytes, randomInt } from "node:crypto";
import type { Kysely, Selectable } from "kysely";
import { recordAudit, recordDenial } from "@/lib/audit/record";
import { hasPermission, type Actor } from "@/lib/auth/actor";
import { PERSON_COLUMNS, personOf } from "@/lib/auth/person";
import { getConfig } from "@/lib/config";
import { getDb } from "@/lib/db/client";
import { newId } from "@/lib/db/ids";
import type { Database, DeviceAuthorizationsTable } from "@/lib/db/schema";
import { AppError, conflict, notFound } from "@/lib/errors";
import type { RequestMeta } from "@/lib/http/request-meta";
import { limitDeviceStart, limitUserCodeEntry } from "@/lib/ratelimit/device";
import { DEFAULT_TOKEN_DAYS } from "@/lib/tokens/schemas";
import { createToken } from "@/lib/tokens/tokens";
import { formatUserCode, USER_CODE_ALPHABET, USER_CODE_LENGTH, userCodeFrom } from "./codes";
import type { PollDeviceInput, StartDeviceInput } from "./schemas";

/** A request lives 10 minutes (RFC 8628 §3.2 expires_in; the issue asks for 10). */
export const DEVICE_CODE_TTL_SECONDS = 600;
/** The command line polls at most this often (RFC 8628 §3.2 interval: 5 s is its default). */
export const POLL_INTERVAL_SECONDS = 5;
/** What slow_down adds to the interval, for this and every later poll (RFC 8628 §3.5). */
export const SLOW_DOWN_SECONDS = 5;
/** Requests are kept this long after they expire (the audit log keeps what was decided), then deleted. */
const RETENTION_MS = 24 * 3600_000;

type Row = Selectable<DeviceAuthorizationsTable>;

/** The RFC's error codes (RFC 8628 §3.5, RFC 6749 §5.2). */
export type DeviceError = "authorization_pending" | "slow_down" | "access_denied" | "expired_token" | "invalid_grant";

/** A refusal the command line tells apart by details.error. */
function deviceError(error: DeviceError, message: string, extra: Record<string, unknown> = {}): AppError {
  return new AppError("bad_request", message, { details: { error, ...extra } });
}

/** SHA-256, hex: what the store keeps instead of either code. */
export function hashCode(code: string): string {
  return createHash("sha256").update(code, "utf8").digest("hex");
}

/** A new device code: 256 bits from the system's CSPRNG (RFC 8628 §5.2: high entropy, since it
 * is what the command line polls with). */
export function newDeviceCode(): string {
  return randomBytes(32).toString("base64url");
}

/** A new user code: 8 letters, each drawn without bias from the 20 of USER_CODE_ALPHABET. */
export function newUserCode(): string {
  return userCodeFrom(Array.from({ length: USER_CODE_LENGTH }, () => randomInt(USER_CODE_ALPHABET.length)));
}

/** How long the token a device sign-in gives lives: the tokens page's default, within the console's limit. */
export function deviceTokenDays(): number {
  return Math.min(DEFAULT_TOKEN_DAYS, getConfig().tokenMaxDays);
}

/** RFC 8628 §3.2's answer. */
export type DeviceStart = {
  device_code: string;
  user_code: string;
  verification_uri: string;
  verification_uri_complete: string;
  expires_in: number;
  interval: number;
};

/** Starts a sign-in for a device (POST /api/v1/device/authorizations: nobody is signed in). */
export async function startDeviceAuthorization(input: StartDeviceInput, meta: RequestMeta): Promise<DeviceStart> {
  await limitDeviceStart(meta);
  const db = await getDb();
  const now = Date.now();
  await db.deleteFrom("device_authorizations").where("expires_at", "<", new Date(now - RETENTION_MS).toISOString()).execute();
  // A code no live request has: a person must never find someone else's request with their code.
  let userCode = newUserCode();
  for (let tries = 0; await liveRequestWith(db, userCode, now); tries++) {
    if (tries >= 5) throw new AppError("unavailable", "The console could not find a free sign-in code; try again in a moment.", { retryAfter: 5 });
    userCode = newUserCode();
  }
  const deviceCode = newDeviceCode();
  await db
    .insertInto("device_authorizations")
    .values({
      id: newId(now),
      device_code_hash: hashCode(deviceCode),
      user_code_hash: hashCode(userCode),
      status: "pending",
      scope: "switch",
      description: input.description,
      requester_ip: meta.ip ?? null,
      requester_user_agent: meta.userAgent ?? null,
      created_at: new Date(now).toISOString(),
      expires_at: new Date(now + DEVICE_CODE_TTL_SECONDS * 1000).toISOString(),
      last_polled_at: null,
      interval_seconds: POLL_INTERVAL_SECONDS,
      decided_by: null,
      decided_at: null,
      token_id: null,
    })
    .execute();
  const verificationUri = `${getConfig().baseUrl.replace(/\/+$/, "")}/device`;
  const shown = formatUserCode(userCode);
  return {
    device_code: deviceCode,
    user_code: shown,
    verification_uri: verificationUri,
    verification_uri_complete: `${verificationUri}?code=${shown}`,
    expires_in: DEVICE_CODE_TTL_SECONDS,
    interval: POLL_INTERVAL_SECONDS,
  };
}

async function liveRequestWith(db: Kysely<Database>, userCode: string, now: number): Promise<boolean> {
  const row = await db
    .selectFrom("device_authorizations")
    .select("id")
    .where("user_code_hash", "=", hashCode(userCode))
    .where("expires_at", ">", new Date(now).toISOString())
    .executeTakeFirst();
  return Boolean(row);
}

/** RFC 6749 §5.1's answer, with the one token this sign-in gives. */
export type DeviceToken = { access_token: string; token_type: "Bearer"; expires_in: number; scope: "switch" };

/** The command line's poll (POST /api/v1/device/token: nobody is signed in; the device code is
 * the proof). Throws the RFC's errors until the person decides; then answers the token once. */
export async function pollDeviceAuthorization(input: PollDeviceInput, meta: RequestMeta, now = Date.now()): Promise<DeviceToken> {
  const db = await getDb();
  const row = await db.selectFrom("device_authorizations").selectAll().where("device_code_hash", "=", hashCode(input.device_code)).executeTakeFirst();
  if (!row) throw deviceError("invalid_grant", "This console knows no sign-in with that device code (it may have expired a day ago, or belong to another console). Run switchboard login again.");
  if (row.status === "consumed") throw deviceError("invalid_grant", "This sign-in has already given its token. Run switchboard login again to sign in once more.");
  if (row.status === "denied") throw deviceError("access_denied", "The sign-in was denied in the console. Run switchboard login again if it was you.");
  if (Date.parse(row.expires_at) <= now) throw deviceError("expired_token", `The code expired before anyone approved it (codes work for ${DEVICE_CODE_TTL_SECONDS / 60} minutes). Run switchboard login again.`);
  // RFC 8628 §3.5: polling faster than the interval is answered slow_down, and the interval grows by 5 s from then on.
  if (row.last_polled_at && now - Date.parse(row.last_polled_at) < row.interval_seconds * 1000) {
    const interval = row.interval_seconds + SLOW_DOWN_SECONDS;
    await db.updateTable("device_authorizations").set({ last_polled_at: new Date(now).toISOString(), interval_seconds: interval }).where("id", "=", row.id).execute();
    throw deviceError("slow_down", `Polled too often: wait ${interval} seconds between polls.`, { interval });
  }
  await db.updateTable("device_authorizations").set({ last_polled_at: new Date(now).toISOString() }).where("id", "=", row.id).execute();
  if (row.status === "pending") throw deviceError("authorization_pending", "Nobody has approved this sign-in yet: open the address with the code, signed in to the console.", { interval: row.interval_seconds });
  return issueToken(db, row, meta);
}

/** The approved request's one token: the request is marked used and the token made in one
 * transaction, so two polls at once cannot both get one (the second finds it used). */
async function issueToken(db: Kysely<Database>, row: Row, meta: RequestMeta): Promise<DeviceToken> {
  const days = deviceTokenDays();
  const { token } = await db.transaction().execute(async (trx) => {
    const claimed = await trx.updateTable("device_authorizations").set({ status: "consumed" }).where("id", "=", row.id).where("status", "=", "approved").executeTakeFirst();
    if (Number(claimed.numUpdatedRows ?? 0) !== 1) throw deviceError("invalid_grant", "This sign-in has already given its token. Run switchboard login again to sign in once more.");
    const person = row.decided_by ? await trx.selectFrom("users").select([...PERSON_COLUMNS]).where("users.id", "=", row.decided_by).executeTakeFirst() : undefined;
    // The person who approved may have been disabled, or lost the right to switch, in the meantime.
    if (!person || person.disabled_at) throw deviceError("access_denied", "The person who approved this sign-in can no longer sign in to the console.");
    const decidedAt = Date.parse(row.decided_at ?? row.created_at);
    const actor: Actor = { ...(await personOf(trx, person)), session: { id: `device:${row.id}`, signedInAt: decidedAt, endsAt: Date.parse(row.expires_at), verifiedAt: 0 } };
    if (!hasPermission(actor, "sessions.create")) throw deviceError("access_denied", `The person who approved this sign-in (console role ${actor.role}) may no longer switch roles, so no token was made.`);
    const made = await createToken(actor, { name: row.description, scope: "switch", days }, meta, "device", trx);
    await trx.updateTable("device_authorizations").set({ token_id: made.created.id }).where("id", "=", row.id).execute();
    return made;
  });
  return { access_token: token, token_type: "Bearer", expires_in: days * 86_400, scope: "switch" };
}

/** What the approval page shows of a waiting request: never either code's hash. */
export type DeviceRequestDto = {
  /** The user code as typed back (XXXX-XXXX). */
  code: string;
  description: string;
  ip: string | null;
  userAgent: string | null;
  createdAt: string;
  expiresAt: string;
  scope: "switch";
  /** How long the token it gets will live. */
  tokenDays: number;
};

type Step = "lookup" | "approve" | "deny";
const OPERATIONS: Record<Step, string> = { lookup: "device lookup", approve: "device approve", deny: "device deny" };

/** A refusal of a person's request about a code: in the audit log, then thrown. */
async function refused(actor: Actor, step: Step, err: AppError, meta: RequestMeta, row?: Row): Promise<AppError> {
  await recordAudit({
    action: step === "deny" ? "device.deny" : "device.approve",
    outcome: err.code === "forbidden" ? "denied" : "failure",
    actor,
    target: row ? { type: "device", id: row.id, label: row.description } : { type: "device" },
    reason: err.message,
    request: meta,
    details: { step, ...(row ? { requesterIp: row.requester_ip } : {}) },
  });
  err.audited = true;
  return err;
}

/** Finds the request a person's code names and checks it can still be decided: the person may
 * switch (the token will be theirs), has not typed too many wrong codes, and the request is
 * waiting. Each refusal is audited and says what to do. */
async function waitingRequest(actor: Actor, code: string, step: Step, meta: RequestMeta): Promise<Row> {
  if (!hasPermission(actor, "sessions.create")) {
    const err = new AppError("forbidden", `Your console role (${actor.role}) cannot switch roles, so it cannot approve a command line's sign-in: the token would be yours. Ask an administrator.`);
    await recordDenial(actor, { operation: OPERATIONS[step], reason: err.message, target: { type: "device" }, request: meta });
    err.audited = true;
    throw err;
  }
  const found = await limitUserCodeEntry(actor, meta, OPERATIONS[step]);
  const db = await getDb();
  const row = await db.selectFrom("device_authorizations").selectAll().where("user_code_hash", "=", hashCode(code)).orderBy("created_at", "desc").executeTakeFirst();
  const shown = formatUserCode(code);
  if (!row) throw await refused(actor, step, notFound(`No command-line sign-in has the code ${shown}. Check the code your terminal shows (8 letters, like BCDF-GHJK), or run switchboard login again.`), meta);
  await found();
  if (row.status === "approved" || row.status === "consumed") throw await refused(actor, step, conflict(`The code ${shown} was already approved and cannot be used again. Run switchboard login again for a new code.`), meta, row);
  if (row.status === "denied") throw await refused(actor, step, conflict(`The sign-in with the code ${shown} was denied. Run switchboard login again for a new code.`), meta, row);
  if (Date.parse(row.expires_at) <= Date.now()) {
    throw await refused(
      actor,
      step,
      new AppError("bad_request", `The code ${shown} has expired: codes work for ${DEVICE_CODE_TTL_SECONDS / 60} minutes. Run switchboard login again for a new one.`),
      meta,
      row,
    );
  }
  return row;
}

function toDto(row: Row, code: string): DeviceRequestDto {
  return {
    code: formatUserCode(code),
    description: row.description,
    ip: row.requester_ip,
    userAgent: row.requester_user_agent,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    scope: row.scope,
    tokenDays: deviceTokenDays(),
  };
}

/** The waiting request a person's code names, for them to decide on. */
export async function findDeviceRequest(actor: Actor, code: string, meta: RequestMeta): Promise<DeviceRequestDto> {
  return toDto(await waitingRequest(actor, code, "lookup", meta), code);
}

/** Decides a waiting request: approved (the command line's next poll gets a token for this
 * person) or denied. Once: a request already decided, or expired, is refused. */
async function decide(actor: Actor, code: string, decision: "approve" | "deny", meta: RequestMeta): Promise<DeviceRequestDto> {
  const row = await waitingRequest(actor, code, decision, meta);
  const now = new Date().toISOString();
  const db = await getDb();
  const decided = await db.transaction().execute(async (trx) => {
    // Only while it still waits: two tabs (or two people) deciding at once, one wins.
    const result = await trx
      .updateTable("device_authorizations")
      .set({ status: decision === "approve" ? "approved" : "denied", decided_by: actor.id, decided_at: now })
      .where("id", "=", row.id)
      .where("status", "=", "pending")
      .where("expires_at", ">", now)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows ?? 0) !== 1) return false;
    await recordAudit(
      {
        action: decision === "approve" ? "device.approve" : "device.deny",
        outcome: "success",
        actor,
        target: { type: "device", id: row.id, label: row.description },
        request: meta,
        details: { requesterIp: row.requester_ip, scope: row.scope, ...(decision === "approve" ? { tokenDays: deviceTokenDays() } : {}) },
      },
      trx,
    );
    return true;
  });
  if (!decided) throw await refused(actor, decision, conflict(`The code ${formatUserCode(code)} was decided a moment ago, or has just expired. Run switchboard login again for a new code.`), meta, row);
  return toDto(row, code);
}

export const approveDeviceRequest = (actor: Actor, code: string, meta: RequestMeta) => decide(actor, code, "approve", meta);
export const denyDeviceRequest = (actor: Actor, code: string, meta: RequestMeta) => decide(actor, code, "deny", meta);
