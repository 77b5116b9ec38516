import "server-only";
import { recordAudit } from "@/lib/audit/record";
import { assertPermission, type Actor } from "@/lib/auth/actor";
import { getDb } from "@/lib/db/client";
import { notFound } from "@/lib/errors";
import type { RequestMeta } from "@/lib/http/request-meta";
import { clearSignInDelay, signInDelay } from "@/lib/ratelimit/sign-in";
import { toUserDto, USER_COLUMNS, type UserDto } from "./dto";

/** An administrator lets someone sign in again at once: their failed sign-ins in a row are
 * forgotten and any wait they were in ends (the wait also ends by itself). */
export async function clearSignInLock(actor: Actor, id: string, meta: RequestMeta): Promise<UserDto> {
  assertPermission(actor, "users.manage");
  const db = await getDb();
  const row = await db.selectFrom("users").select(USER_COLUMNS).where("id", "=", id).executeTakeFirst();
  if (!row) throw notFound("No such user.");
  const before = await signInDelay(row.email);
  await clearSignInDelay(row.email);
  await recordAudit({
    action: "user.clear_sign_in_lock",
    outcome: "success",
    actor,
    target: { type: "user", id, label: row.email },
    request: meta,
    details: { failedSignIns: before.failures, wasWaiting: before.delayedUntil !== null },
  });
  return toUserDto(row);
}
