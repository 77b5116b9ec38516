import "server-only";
import { sql } from "kysely";
import { recordAudit } from "@/lib/audit/record";
import { getDb } from "@/lib/db/client";
import type { RequestMeta } from "@/lib/http/request-meta";
import { dummyVerify, MAX_PASSWORD_LENGTH, verifyPassword } from "./password";

/** After this many wrong passwords in a row an account is locked… */
export const MAX_FAILED_SIGN_INS = 5;
/** …for this long. OWASP ASVS 6.3.x / 2.2.1: limit automated guessing without locking forever. */
export const LOCKOUT_MINUTES = 15;

export type SignInUser = { id: string; email: string; name: string; sessionVersion: number };

export type SignInResult =
  | { ok: true; user: SignInUser }
  | { ok: false; code: "invalid" }
  | { ok: false; code: "locked"; lockedUntil: string }
  | { ok: false; code: "disabled" };

/** Checks an email and password. Every outcome is audited; unknown emails cost a full hash
 * comparison so that timing does not reveal which emails exist. */
export async function signInWithPassword(emailInput: string, password: string, meta: RequestMeta): Promise<SignInResult> {
  const db = await getDb();
  const email = emailInput.trim().toLowerCase().slice(0, 320);
  const fail = async (result: SignInResult & { ok: false }, reason: string, actor?: { id: string; email: string }) => {
    await recordAudit({ action: "auth.sign_in", outcome: "failure", actor, actorEmail: email, reason, request: meta, details: { method: "password" } });
    return result;
  };

  if (password.length > MAX_PASSWORD_LENGTH) {
    await dummyVerify("");
    return fail({ ok: false, code: "invalid" }, "Password longer than any password the console accepts");
  }

  // Deliberately unscoped: this is the sign-in itself, before there is a caller to check.
  const user = await db
    .selectFrom("users")
    .select(["id", "email", "name", "password_hash", "disabled_at", "locked_until", "session_version"])
    .where("email", "=", email)
    .where("auth_provider", "=", "local")
    .executeTakeFirst();

  if (!user || !user.password_hash) {
    await dummyVerify(password);
    return fail({ ok: false, code: "invalid" }, "No local account with this email");
  }
  const actor = { id: user.id, email: user.email };
  const now = new Date();
  if (user.locked_until && user.locked_until > now.toISOString()) {
    await dummyVerify(password);
    return fail({ ok: false, code: "locked", lockedUntil: user.locked_until }, "Account locked after repeated failed sign-ins", actor);
  }

  const matches = await verifyPassword(password, user.password_hash);
  if (!matches) {
    // One statement, so concurrent attempts cannot lose a count.
    const lockUntil = new Date(now.getTime() + LOCKOUT_MINUTES * 60_000).toISOString();
    const updated = await db
      .updateTable("users")
      .set({
        failed_sign_ins: sql<number>`case when failed_sign_ins + 1 >= ${MAX_FAILED_SIGN_INS} then 0 else failed_sign_ins + 1 end`,
        locked_until: sql<string | null>`case when failed_sign_ins + 1 >= ${MAX_FAILED_SIGN_INS} then ${lockUntil} else locked_until end`,
        updated_at: now.toISOString(),
      })
      .where("id", "=", user.id)
      .returning(["locked_until"])
      .executeTakeFirst();
    const lockedNow = updated?.locked_until === lockUntil;
    return fail(
      { ok: false, code: "invalid" },
      lockedNow ? `Wrong password; account locked for ${LOCKOUT_MINUTES} minutes after ${MAX_FAILED_SIGN_INS} failures` : "Wrong password",
      actor,
    );
  }
  if (user.disabled_at) {
    return fail({ ok: false, code: "disabled" }, "Account is disabled", actor);
  }

  await db
    .updateTable("users")
    .set({ failed_sign_ins: 0, locked_until: null, last_sign_in_at: now.toISOString(), updated_at: now.toISOString() })
    .where("id", "=", user.id)
    .execute();
  await recordAudit({ action: "auth.sign_in", outcome: "success", actor, request: meta, details: { method: "password" } });
  return { ok: true, user: { id: user.id, email: user.email, name: user.name, sessionVersion: user.session_version } };
}
