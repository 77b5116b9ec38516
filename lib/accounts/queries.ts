import "server-only";
import type { Kysely } from "kysely";
import { hasPermission, type Actor } from "@/lib/auth/actor";
import { visibleTo } from "@/lib/catalog/visibility";
import type { AccountRow, Database } from "@/lib/db/schema";
import { notFound } from "@/lib/errors";
import { toAccountDto, type AccountDto } from "./dto";

/** Accounts the caller may see: all of them for administrators and auditors; for operators,
 * those holding a role entry they may use. */
export async function queryAccounts(db: Kysely<Database>, actor: Actor, ref?: string): Promise<AccountDto[]> {
  const seesAll = hasPermission(actor, "accounts.manage") || hasPermission(actor, "audit.read");
  let query = db
    .selectFrom("accounts")
    .selectAll("accounts")
    .select((eb) =>
      eb
        .selectFrom("roles")
        .select((r) => r.fn.countAll<number>().as("n"))
        .whereRef("roles.account_id", "=", "accounts.id")
        .where(visibleTo(actor))
        .as("role_count"),
    );
  if (!seesAll) {
    query = query.where((eb) => eb.exists(eb.selectFrom("roles").select("roles.id").whereRef("roles.account_id", "=", "accounts.id").where(visibleTo(actor))));
  }
  if (ref) query = query.where(/^\d{12}$/.test(ref) ? "accounts.aws_account_id" : "accounts.id", "=", ref);
  const rows = await query.orderBy("accounts.name").execute();
  return rows.map((r) => toAccountDto(r as AccountRow, Number(r.role_count ?? 0)));
}

/** One account by its 12-digit id or registry id, if the caller may see it. */
export async function findAccount(db: Kysely<Database>, actor: Actor, ref: string): Promise<AccountDto> {
  const [account] = await queryAccounts(db, actor, ref);
  if (!account) throw notFound(`No registered account ${ref}.`);
  return account;
}
