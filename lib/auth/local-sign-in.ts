import "server-only";
import { recordAudit } from "@/lib/audit/record";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import type { RequestMeta } from "@/lib/http/request-meta";
import { admitSignIn, normalizeSignInEmail, releaseSignInTurn, signInFailed, signInSucceeded } from "@/lib/ratelimit/sign-in";
import { dummyVerify, MAX_PASSWORD_LENGTH, verifyPassword } from "./password";

export type SignInUser = { id: string; email: string; name: string; sessionVersion: number };

export type SignInResult =
  | { ok: true; user: SignInUser }
  | { ok: false; code: "invalid" }
  | { ok: false; code: "rate_limited"; retryAfter: number }
  | { ok: false; code: "disabled" };

/** Checks an email and password. Rate limits come first (lib/ratelimit/sign-in.ts): a refused
 * attempt costs no password hash and does not count as a failure. Every outcome is audited;
 * unknown emails cost a full hash comparison and count failures like known ones, so that neither
 * timing nor a refusal reveals which emails exist. */
export async function signInWithPassword(emailInput: string, password: string, meta: RequestMeta): Promise<SignInResult> {
  const email = normalizeSignInEmail(emailInput);
  try {
    await admitSignIn(email, meta);
  } catch (err) {
    if (err instanceof AppError && err.code === "rate_limited") return { ok: false, code: "rate_limited", retryAfter: err.retryAfter ?? 1 };
    throw err;
  }
  const attempt = { counted: false };
  try {
    return await checkPassword(email, password, meta, attempt);
  } finally {
    // An error before the outcome was counted: give the account's turn back.
    if (!attempt.counted) await releaseSignInTurn(email).catch(() => {});
  }
}

async function checkPassword(email: string, password: string, meta: RequestMeta, attempt: { counted: boolean }): Promise<SignInResult> {
  const db = await getDb();
  const fail = async (reason: string, actor?: { id: string; email: string }): Promise<SignInResult> => {
    const wait = await signInFailed(email);
    attempt.counted = true;
    const delayed = wait > 0 ? `; the next attempt must wait ${wait} s` : "";
    await recordAudit({ action: "auth.sign_in", outcome: "failure", actor, actorEmail: email, reason: reason + delayed, request: meta, details: { method: "password" } });
    return { ok: false, code: "invalid" };
  };

  if (password.length > MAX_PASSWORD_LENGTH) {
    await dummyVerify("");
    return fail("Password longer than any password the console accepts");
  }

  // Deliberately unscoped: this is the sign-in itself, before there is a caller to check.
  const user = await db
    .selectFrom("users")
    .select(["id", "email", "name", "password_hash", "disabled_at", "session_version"])
    .where("email", "=", email)
    .where("auth_provider", "=", "local")
    .executeTakeFirst();

  if (!user || !user.password_hash) {
    await dummyVerify(password);
    return fail("No local account with this email");
  }
  const actor = { id: user.id, email: user.email };

  if (!(await verifyPassword(password, user.password_hash))) return fail("Wrong password", actor);
  // The right password: whatever comes next, this was no guess.
  await signInSucceeded(email, meta);
  attempt.counted = true;
  if (user.disabled_at) {
    await recordAudit({ action: "auth.sign_in", outcome: "failure", actor, actorEmail: email, reason: "Account is disabled", request: meta, details: { method: "password" } });
    return { ok: false, code: "disabled" };
  }

  const now = new Date().toISOString();
  await db.updateTable("users").set({ last_sign_in_at: now, updated_at: now }).where("id", "=", user.id).execute();
  await recordAudit({ action: "auth.sign_in", outcome: "success", actor, request: meta, details: { method: "password" } });
  return { ok: true, user: { id: user.id, email: user.email, name: user.name, sessionVersion: user.session_version } };
}
