import "server-only";
import type { Kysely } from "kysely";
import { roleSessionName, sourceIdentity } from "@/lib/aws/session-name";
import type { Database } from "@/lib/db/schema";
import { isUniqueViolation } from "@/lib/db/errors";

// The name a person's AWS sessions carry, as RoleSessionName and SourceIdentity.
// It is chosen once, when the user is created, from the email they had then, and stored
// (users.aws_identity); it never follows a later email change. An OIDC user's email is whatever
// the identity provider says at each sign-in, so deriving the name from it on every switch
// would let a person change who CloudTrail says they are.

/** The first choice of identity for an email; `sourceIdentity` keeps it valid for both fields. */
export function awsIdentityFor(email: string): string {
  return sourceIdentity(email);
}

/** The identity with this user's id folded in, for when two emails clean to the same name. */
function disambiguated(email: string, userId: string): string {
  return roleSessionName(`${roleSessionName(email).slice(0, 55)}-${userId.slice(-8).toLowerCase()}`);
}

/** Gives a user without one their identity (rows inserted before migration 0005 filled it, or
 * by a path that left it out). Only ever sets a null value, so it cannot change an identity. */
export async function assignAwsIdentity(db: Kysely<Database>, user: { id: string; email: string }): Promise<string> {
  for (const candidate of [awsIdentityFor(user.email), disambiguated(user.email, user.id)]) {
    try {
      const row = await db
        .updateTable("users")
        // The column type refuses updates on purpose; this is the one write that may set it.
        .set({ aws_identity: candidate } as never)
        .where("id", "=", user.id)
        .where("aws_identity", "is", null)
        .returning("aws_identity")
        .executeTakeFirst();
      if (row?.aws_identity) return row.aws_identity;
      const current = await db.selectFrom("users").select("aws_identity").where("id", "=", user.id).executeTakeFirst();
      if (current?.aws_identity) return current.aws_identity;
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
    }
  }
  throw new Error(`no free AWS identity for user ${user.id}`);
}

/** The identity to insert with a new user: the email's, or the disambiguated one when another
 * user already holds it. */
export async function newAwsIdentity(db: Kysely<Database>, email: string, userId: string): Promise<string> {
  const first = awsIdentityFor(email);
  const clash = await db.selectFrom("users").select("id").where("aws_identity", "=", first).executeTakeFirst();
  return clash ? disambiguated(email, userId) : first;
}
