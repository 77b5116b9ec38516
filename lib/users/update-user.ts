import "server-only";
import { recordAudit } from "@/lib/audit/record";
import { assertPermission, type Actor } from "@/lib/auth/actor";
import { hashPassword } from "@/lib/auth/password";
import { getDb } from "@/lib/db/client";
import { badRequest, conflict, notFound } from "@/lib/errors";
import type { RequestMeta } from "@/lib/http/request-meta";
import { clearSignInDelay } from "@/lib/ratelimit/sign-in";
import { toUserDto, USER_COLUMNS, type UserDto } from "./dto";
import type { UpdateUserInput } from "./schemas";
import { credentialCache } from "@/lib/sessions/credential-cache";
import { revokeTokensOf } from "@/lib/tokens/tokens";

/** Changes a user's name, role, enabled state or password. Disabling a user or resetting their
 * password bumps their session version, which ends their open sessions on the next request;
 * a role change takes effect on the next request because the guard reads the role from the
 * store. At least one enabled administrator always remains. */
export async function updateUser(actor: Actor, id: string, patch: UpdateUserInput, meta: RequestMeta): Promise<UserDto> {
  assertPermission(actor, "users.manage");
  const db = await getDb();
  // Hashing is slow: do it before the transaction, so the new hash and the session bump land together.
  const passwordHash = patch.password !== undefined ? await hashPassword(patch.password) : undefined;
  const result = await db.transaction().execute(async (trx) => {
    const user = await trx.selectFrom("users").select(["id", "email", "role", "auth_provider", "disabled_at"]).where("id", "=", id).executeTakeFirst();
    if (!user) throw notFound("No such user.");
    const demoting = patch.role !== undefined && patch.role !== "admin" && user.role === "admin";
    const disabling = patch.disabled === true && !user.disabled_at;
    if (user.id === actor.id && (demoting || disabling)) {
      throw badRequest("You cannot disable yourself or take away your own administrator role; ask another administrator.");
    }
    if ((demoting || disabling) && user.role === "admin") {
      const admins = await trx
        .selectFrom("users")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("role", "=", "admin")
        .where("disabled_at", "is", null)
        .executeTakeFirstOrThrow();
      if (Number(admins.n) <= 1) throw conflict("This is the last enabled administrator; make someone else an administrator first.");
    }
    if (patch.password !== undefined && user.auth_provider !== "local") {
      throw badRequest("This user signs in through the identity provider; reset the password there.");
    }
    const now = new Date().toISOString();
    const endSessions = disabling || patch.password !== undefined;
    const row = await trx
      .updateTable("users")
      .set((eb) => ({
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.role !== undefined ? { role: patch.role } : {}),
        ...(patch.disabled !== undefined ? { disabled_at: patch.disabled ? (user.disabled_at ?? now) : null } : {}),
        ...(endSessions ? { session_version: eb("session_version", "+", 1) } : {}),
        ...(passwordHash !== undefined ? { password_hash: passwordHash, failed_sign_ins: 0, locked_until: null } : {}),
        updated_at: now,
      }))
      .where("id", "=", id)
      .returning(USER_COLUMNS)
      .executeTakeFirstOrThrow();
    // Their personal access tokens end with their sessions, in the same transaction.
    const tokensEnded = endSessions ? await revokeTokensOf(trx, id, disabling ? "the person was disabled" : "their password was reset") : 0;
    const changes = Object.keys(patch).filter((k) => k !== "password");
    if (changes.length) {
      await recordAudit(
        {
          action: "user.update",
          outcome: "success",
          actor,
          target: { type: "user", id, label: user.email },
          request: meta,
          details: {
            ...(patch.role !== undefined ? { role: patch.role, previousRole: user.role } : {}),
            ...(patch.disabled !== undefined ? { disabled: patch.disabled } : {}),
            ...(patch.name !== undefined ? { renamed: true } : {}),
            ...(tokensEnded ? { tokensRevoked: tokensEnded } : {}),
          },
        },
        trx,
      );
    }
    if (patch.password !== undefined) {
      await recordAudit(
        { action: "user.password_reset", outcome: "success", actor, target: { type: "user", id, label: user.email }, request: meta, details: tokensEnded ? { tokensRevoked: tokensEnded } : {} },
        trx,
      );
    }
    return { row, email: user.email };
  });
  if (patch.password !== undefined) {
    // A new password lifts any sign-in delay earned with the old one. The delay is kept by the
    // rate limiter, not in this transaction: cleared once the new password is committed.
    await clearSignInDelay(result.email);
  }
  // Their console sessions ended: so do the AWS credentials this instance holds for them.
  if (patch.disabled === true || patch.password !== undefined) credentialCache().forgetPerson(id);
  return toUserDto(result.row);
}
