import "server-only";
import { createHash, randomBytes } from "node:crypto";
import type { Kysely, Selectable } from "kysely";
import { recordAudit } from "@/lib/audit/record";
import { assertPermission, hasPermission, type Actor } from "@/lib/auth/actor";
import { getConfig } from "@/lib/config";
import { getDb } from "@/lib/db/client";
import { newId } from "@/lib/db/ids";
import type { Database, PersonalTokensTable, TokenScope } from "@/lib/db/schema";
import { badRequest, conflict, forbidden, notFound } from "@/lib/errors";
import type { RequestMeta } from "@/lib/http/request-meta";
import { PERSON_COLUMNS, personOf } from "@/lib/auth/person";
import { isWellFormedToken, tokenFromBytes } from "./format";
import type { CreateTokenInput } from "./schemas";

export type { TokenScope } from "@/lib/db/schema";

/** A person keeps at most this many live tokens: each is a way in, and a forgotten one is a risk. */
export const MAX_LIVE_TOKENS = 50;

/** Writes of last_used_at are spread out, as a console session's last_seen_at is. */
const LAST_USED_RESOLUTION_MS = 60_000;

export type TokenStatus = "active" | "expired" | "revoked";

/** What the tokens page and the admin list show: never the token or its hash. */
export type TokenDto = {
  id: string;
  name: string;
  scope: TokenScope;
  /** The token's last four characters. */
  hint: string;
  createdVia: "web" | "device";
  createdAt: string;
  expiresAt: string;
  lastUsedAt: string | null;
  lastUsedIp: string | null;
  revokedAt: string | null;
  revokedReason: string | null;
  status: TokenStatus;
  owner: { id: string; email: string; name: string };
};

type TokenRow = Selectable<PersonalTokensTable> & { owner_email: string; owner_name: string };

function statusOf(row: Pick<TokenRow, "revoked_at" | "expires_at">, now = Date.now()): TokenStatus {
  if (row.revoked_at) return "revoked";
  return Date.parse(row.expires_at) <= now ? "expired" : "active";
}

function toDto(row: TokenRow): TokenDto {
  return {
    id: row.id,
    name: row.name,
    scope: row.scope,
    hint: row.hint,
    createdVia: row.created_via,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    lastUsedAt: row.last_used_at,
    lastUsedIp: row.last_used_ip,
    revokedAt: row.revoked_at,
    revokedReason: row.revoked_reason,
    status: statusOf(row),
    owner: { id: row.user_id, email: row.owner_email, name: row.owner_name },
  };
}

/** SHA-256, hex: what the store keeps instead of the token. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** A new token: 40 base62 characters from the system's CSPRNG, with its prefix and checksum. */
export function newTokenSecret(): string {
  for (;;) {
    const token = tokenFromBytes(randomBytes(64));
    if (token) return token;
  }
}

function tokens(db: Kysely<Database>) {
  return db
    .selectFrom("personal_tokens")
    .innerJoin("users", "users.id", "personal_tokens.user_id")
    .selectAll("personal_tokens")
    .select(["users.email as owner_email", "users.name as owner_name"]);
}

/** Tokens cannot make tokens, or manage them: a person does that signed in to the console. */
function assertSignedIn(actor: Actor): void {
  if (actor.token) throw forbidden("A personal access token cannot manage tokens. Sign in to the console to do this.");
}

/** Makes a token for the signed-in person. The token is in the answer once and never again.
 * A device sign-in (lib/device/) makes it for the person who approved, inside the transaction
 * that marks the request used (`store`), so that a request yields one token at most. */
export async function createToken(
  actor: Actor,
  input: CreateTokenInput,
  meta: RequestMeta,
  via: "web" | "device" = "web",
  store?: Kysely<Database>,
): Promise<{ token: string; created: TokenDto }> {
  assertSignedIn(actor);
  assertPermission(actor, "sessions.create");
  const maxDays = getConfig().tokenMaxDays;
  if (input.days > maxDays) throw badRequest(`A token lives at most ${maxDays} days here (SWITCHBOARD_TOKEN_MAX_DAYS).`, { days: `At most ${maxDays} days` });
  const token = newTokenSecret();
  const now = new Date();
  const id = newId(now.getTime());
  const row = {
    id,
    user_id: actor.id,
    name: input.name,
    scope: input.scope,
    token_hash: hashToken(token),
    hint: token.slice(-4),
    created_via: via,
    created_at: now.toISOString(),
    expires_at: new Date(now.getTime() + input.days * 86_400_000).toISOString(),
  };
  const write = async (trx: Kysely<Database>) => {
    const live = await trx
      .selectFrom("personal_tokens")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("user_id", "=", actor.id)
      .where("revoked_at", "is", null)
      .where("expires_at", ">", now.toISOString())
      .executeTakeFirstOrThrow();
    if (Number(live.n) >= MAX_LIVE_TOKENS) throw conflict(`You have ${MAX_LIVE_TOKENS} tokens that still work; revoke the ones you no longer use first.`);
    await trx.insertInto("personal_tokens").values(row).execute();
    await recordAudit(
      { action: "token.create", outcome: "success", actor, target: { type: "token", id, label: input.name }, request: meta, details: { scope: input.scope, days: input.days, via } },
      trx,
    );
  };
  if (store) await write(store);
  else await (await getDb()).transaction().execute(write);
  // The row as written, without reading it back.
  return { token, created: toDto({ ...row, last_used_at: null, last_used_ip: null, revoked_at: null, revoked_reason: null, owner_email: actor.email, owner_name: actor.name }) };
}

/** The person's own tokens, newest first (revoked and expired ones too, for a while: 30 days). */
export async function listOwnTokens(actor: Actor): Promise<TokenDto[]> {
  assertSignedIn(actor);
  const db = await getDb();
  const since = new Date(Date.now() - 30 * 86_400_000).toISOString();
  const rows = await tokens(db)
    .where("personal_tokens.user_id", "=", actor.id)
    .where((eb) => eb.or([eb("personal_tokens.revoked_at", "is", null), eb("personal_tokens.revoked_at", ">", since)]))
    .where("personal_tokens.expires_at", ">", since)
    .orderBy("personal_tokens.created_at", "desc")
    .execute();
  return rows.map(toDto);
}

/** Everyone's tokens that still work, for administrators. */
export async function listAllTokens(actor: Actor): Promise<TokenDto[]> {
  assertSignedIn(actor);
  assertPermission(actor, "users.manage");
  const db = await getDb();
  const rows = await tokens(db)
    .where("personal_tokens.revoked_at", "is", null)
    .where("personal_tokens.expires_at", ">", new Date().toISOString())
    .orderBy("users.email")
    .orderBy("personal_tokens.created_at", "desc")
    .execute();
  return rows.map(toDto);
}

/** Ends one token: the person's own, or anyone's for an administrator. Revoking a token that
 * already stopped working changes nothing and says so. */
export async function revokeToken(actor: Actor, id: string, meta: RequestMeta): Promise<TokenDto> {
  assertSignedIn(actor);
  const db = await getDb();
  const row = await tokens(db).where("personal_tokens.id", "=", id).executeTakeFirst();
  // Someone else's token is "not found" to a person who may not manage users: its existence is not theirs to learn.
  if (!row || (row.user_id !== actor.id && !hasPermission(actor, "users.manage"))) throw notFound("No such token.");
  return endToken(db, actor, row, row.user_id === actor.id ? "revoked by its owner" : `revoked by ${actor.email}`, meta);
}

/** Ends the token a request carries (the CLI's logout). */
export async function endOwnToken(actor: Actor, meta: RequestMeta): Promise<TokenDto> {
  if (!actor.token) throw badRequest("This ends the personal access token the request is sent with; send it as Authorization: Bearer <token>.");
  const db = await getDb();
  const row = await tokens(db).where("personal_tokens.id", "=", actor.token.id).executeTakeFirstOrThrow();
  return endToken(db, actor, row, "signed out from the command line", meta);
}

async function endToken(db: Kysely<Database>, actor: Actor, row: TokenRow, reason: string, meta: RequestMeta): Promise<TokenDto> {
  if (statusOf(row) !== "active") return toDto(row);
  const now = new Date().toISOString();
  await db.transaction().execute(async (trx) => {
    await trx.updateTable("personal_tokens").set({ revoked_at: now, revoked_reason: reason }).where("id", "=", row.id).where("revoked_at", "is", null).execute();
    await recordAudit(
      { action: "token.revoke", outcome: "success", actor, target: { type: "token", id: row.id, label: row.name }, request: meta, details: { owner: row.owner_email, reason } },
      trx,
    );
  });
  return toDto({ ...row, revoked_at: now, revoked_reason: reason });
}

/** Ends every token of a person, inside the transaction that disables them or resets their
 * password (lib/users/update-user.ts). Returns how many stopped working. */
export async function revokeTokensOf(trx: Kysely<Database>, userId: string, reason: string): Promise<number> {
  const now = new Date().toISOString();
  const result = await trx
    .updateTable("personal_tokens")
    .set({ revoked_at: now, revoked_reason: reason })
    .where("user_id", "=", userId)
    .where("revoked_at", "is", null)
    .where("expires_at", ">", now)
    .executeTakeFirst();
  return Number(result.numUpdatedRows ?? 0);
}

/** Why a bearer token was not honoured: the CLI tells these apart (sign in again, or make a new token). */
export type TokenFailure = "malformed" | "unknown" | "expired" | "revoked" | "disabled";

export const TOKEN_FAILURE_MESSAGES: Record<TokenFailure, string> = {
  malformed: "That is not a valid Switchboard access token (swbt_ and 46 letters and digits, as the console showed it: check it was copied whole). Send Authorization: Bearer <token>, or sign in again.",
  unknown: "This access token is not known to the console. Sign in again to get a new one.",
  expired: "This access token has expired. Sign in again, or make a new token under Command line & tokens.",
  revoked: "This access token was revoked. Sign in again, or make a new token under Command line & tokens.",
  disabled: "Your Switchboard account is disabled, so its access tokens no longer work.",
};

/** The person a bearer token stands for, checked against the store on every request: the token
 * exists (by its hash), has not expired or been revoked, and its owner is enabled. A token's
 * actor has no console session: what it issues ends when the token does, and it never counts as
 * a recent sign-in (step-up). */
export async function actorFromToken(
  token: string,
  meta: RequestMeta,
  now = Date.now(),
): Promise<{ actor: Actor } | { failure: TokenFailure; known?: { owner: { id: string; email: string }; token: { id: string; name: string } } }> {
  if (!isWellFormedToken(token)) return { failure: "malformed" };
  const db = await getDb();
  const row = await db
    .selectFrom("personal_tokens")
    .innerJoin("users", "users.id", "personal_tokens.user_id")
    .select([
      "personal_tokens.id as token_id",
      "personal_tokens.name as token_name",
      "personal_tokens.scope",
      "personal_tokens.created_at as token_created_at",
      "personal_tokens.expires_at",
      "personal_tokens.revoked_at",
      "personal_tokens.last_used_at",
      ...PERSON_COLUMNS,
    ])
    .where("personal_tokens.token_hash", "=", hashToken(token))
    .executeTakeFirst();
  if (!row) return { failure: "unknown" };
  // A real token that no longer works: whose it was goes in the audit log (a revoked token still
  // in use may be a leaked one).
  const known = { owner: { id: row.id, email: row.email }, token: { id: row.token_id, name: row.token_name } };
  if (row.revoked_at) return { failure: "revoked", known };
  if (Date.parse(row.expires_at) <= now) return { failure: "expired", known };
  if (row.disabled_at) return { failure: "disabled", known };
  if (!row.last_used_at || now - Date.parse(row.last_used_at) >= LAST_USED_RESOLUTION_MS) {
    await db
      .updateTable("personal_tokens")
      .set({ last_used_at: new Date(now).toISOString(), last_used_ip: meta.ip ?? null })
      .where("id", "=", row.token_id)
      .execute();
  }
  const signedInAt = Date.parse(row.token_created_at);
  return {
    actor: {
      ...(await personOf(db, row)),
      session: { id: `token:${row.token_id}`, signedInAt, endsAt: Date.parse(row.expires_at), verifiedAt: 0 },
      token: { id: row.token_id, name: row.token_name, scope: row.scope },
    },
  };
}
