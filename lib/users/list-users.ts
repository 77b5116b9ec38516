import "server-only";
import { assertPermission, type Actor } from "@/lib/auth/actor";
import { getDb } from "@/lib/db/client";
import { signInDelay } from "@/lib/ratelimit/sign-in";
import { toUserDto, USER_COLUMNS, type UserDto } from "./dto";

export async function listUsers(actor: Actor): Promise<UserDto[]> {
  assertPermission(actor, "users.manage");
  const db = await getDb();
  const rows = await db.selectFrom("users").select(USER_COLUMNS).orderBy("email").execute();
  // Only password users can be delayed; one small lookup each, side by side.
  return Promise.all(rows.map(async (row) => toUserDto(row, row.auth_provider === "local" ? await signInDelay(row.email) : undefined)));
}
