import "server-only";
import { assertPermission, type Actor } from "@/lib/auth/guard";
import { getDb } from "@/lib/db/client";
import { toUserDto, USER_COLUMNS, type UserDto } from "./dto";

export async function listUsers(actor: Actor): Promise<UserDto[]> {
  assertPermission(actor, "users.manage");
  const db = await getDb();
  const rows = await db.selectFrom("users").select(USER_COLUMNS).orderBy("email").execute();
  return rows.map(toUserDto);
}
