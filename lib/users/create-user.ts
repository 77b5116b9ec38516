import "server-only";
import { recordAudit } from "@/lib/audit/record";
import { assertPermission, type Actor } from "@/lib/auth/actor";
import { hashPassword } from "@/lib/auth/password";
import { getDb } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/errors";
import { newId } from "@/lib/db/ids";
import { conflict } from "@/lib/errors";
import type { RequestMeta } from "@/lib/http/request-meta";
import { newAwsIdentity } from "./aws-identity";
import { toUserDto, USER_COLUMNS, type UserDto } from "./dto";
import type { CreateUserInput } from "./schemas";

/** An administrator creates a local user with a console role. */
export async function createUser(actor: Actor, input: CreateUserInput, meta: RequestMeta): Promise<UserDto> {
  assertPermission(actor, "users.manage");
  const db = await getDb();
  const now = new Date().toISOString();
  const id = newId();
  // Hashing is slow: done before the transaction, which holds the store (on SQLite, all of it).
  const passwordHash = await hashPassword(input.password);
  try {
    const row = await db.transaction().execute(async (trx) => {
      const inserted = await trx
        .insertInto("users")
        .values({
          id,
          email: input.email,
          name: input.name,
          role: input.role,
          password_hash: passwordHash,
          auth_provider: "local",
          aws_identity: await newAwsIdentity(trx, input.email, id),
          created_at: now,
          updated_at: now,
        })
        .returning(USER_COLUMNS)
        .executeTakeFirstOrThrow();
      await recordAudit(
        {
          action: "user.create",
          outcome: "success",
          actor,
          target: { type: "user", id, label: input.email },
          request: meta,
          details: { role: input.role },
        },
        trx,
      );
      return inserted;
    });
    return toUserDto(row);
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict(`A user with the email ${input.email} already exists.`);
    throw err;
  }
}
