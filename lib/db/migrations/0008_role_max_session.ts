import "server-only";
import { sql, type Kysely } from "kysely";

// The longest session the IAM role itself allows (its MaxSessionDuration, 1–12 hours), as AWS
// last reported it to the console (IAM GetRole when an entry is registered from Discover), so
// that an entry without a session length of its own can say what a session will really be
// capped at rather than a generic hour. Null: not known yet.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_Role.html (MaxSessionDuration)

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable("roles")
    .addColumn("role_max_session_duration", "integer", (c) => c.check(sql`role_max_session_duration is null or role_max_session_duration between 3600 and 43200`))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("roles").dropColumn("role_max_session_duration").execute();
}
