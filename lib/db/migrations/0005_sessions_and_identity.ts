import "server-only";
import { createHash } from "node:crypto";
import { sql, type Kysely } from "kysely";
import { isoTimestamp } from "./checks";

// Two things a security review asked for:
// - users.aws_identity: the name a person's AWS sessions carry (RoleSessionName and
//   SourceIdentity), fixed when the user is created. It used to be derived from the email on
//   every switch, and an OIDC user's email is whatever the identity provider says at their last
//   sign-in — a value the person may be able to change. CloudTrail attribution must not move.
// - console_sessions: one row per sign-in, so that a session can end after a period of
//   inactivity (ASVS 7.3.1) and can carry a recent re-authentication (step-up, ASVS 7.5.3)
//   server-side. The cookie stays a stateless JWT; it names its row.

/** RoleSessionName/SourceIdentity rules as they were when this migration was written:
 * 2–64 characters of [\w+=,.@-]; longer inputs keep a prefix and a 16-hex SHA-256 suffix. */
function identityFor(email: string): string {
  const cleaned = email.replace(/[^\w+=,.@-]+/g, "-").replace(/-{2,}/g, "-");
  const named =
    email.length > 64
      ? `${cleaned.slice(0, 64 - 17).replace(/-+$/, "")}-${createHash("sha256").update(email, "utf8").digest("hex").slice(0, 16)}`
      : cleaned;
  return named.padEnd(2, "-").replace(/^aws:/i, "aws-");
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("users").addColumn("aws_identity", "text").execute();
  const users = await sql<{ id: string; email: string }>`select id, email from users order by id`.execute(db);
  const taken = new Set<string>();
  for (const user of users.rows) {
    let identity = identityFor(user.email);
    // Two emails can clean to the same name (o'brien@ and o-brien@): the later one gets a suffix.
    if (taken.has(identity)) identity = `${identity.slice(0, 55)}-${user.id.slice(-8).toLowerCase()}`;
    taken.add(identity);
    await sql`update users set aws_identity = ${identity} where id = ${user.id}`.execute(db);
  }
  await sql`create unique index users_aws_identity on users (aws_identity)`.execute(db);

  await db.schema
    .createTable("console_sessions")
    .addColumn("id", "text", (c) => c.primaryKey().notNull())
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("created_at", "text", (c) => c.notNull().check(isoTimestamp("created_at")))
    .addColumn("last_seen_at", "text", (c) => c.notNull().check(isoTimestamp("last_seen_at")))
    /** The last time the person proved who they are again (password or SSO) in this session. */
    .addColumn("step_up_at", "text", (c) => c.check(isoTimestamp("step_up_at")))
    .addColumn("ended_at", "text", (c) => c.check(isoTimestamp("ended_at")))
    .addColumn("ip", "text")
    .addColumn("user_agent", "text")
    .execute();
  await sql`create index console_sessions_user on console_sessions (user_id)`.execute(db);
  await sql`create index console_sessions_last_seen on console_sessions (last_seen_at)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("console_sessions").execute();
  await sql`drop index users_aws_identity`.execute(db);
  await db.schema.alterTable("users").dropColumn("aws_identity").execute();
}
