import "server-only";
import { sql, type Kysely } from "kysely";

// IAM role names are unique within an account regardless of case and path ("Role names are
// not distinguished by case", https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html#reference_iam-quotas-names),
// so the catalog refuses `readonly` next to `ReadOnly` in the store itself, where two
// registrations at the same moment cannot both get past it. The same statement works on
// SQLite and Postgres (expression indexes).

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create unique index roles_account_id_role_name_ci on roles (account_id, lower(role_name))`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index roles_account_id_role_name_ci`.execute(db);
}
