import "server-only";
import type { Kysely, Selectable } from "kysely";
import type { Database } from "@/lib/db/schema";
import { assignAwsIdentity } from "@/lib/users/aws-identity";
import type { Actor } from "./actor";

/** What every way of being signed in (a console session, a personal access token) reads of the
 * person, on every request. */
export const PERSON_COLUMNS = ["users.id", "users.email", "users.name", "users.role", "users.auth_provider", "users.groups", "users.disabled_at", "users.aws_identity"] as const;

type PersonRow = Pick<Selectable<Database["users"]>, "id" | "email" | "name" | "role" | "auth_provider" | "groups" | "aws_identity">;

/** The person as an Actor has them (all but how they signed in). */
export async function personOf(db: Kysely<Database>, row: PersonRow): Promise<Omit<Actor, "session" | "token">> {
  let groups: string[] = [];
  try {
    groups = JSON.parse(row.groups) as string[];
  } catch {
    groups = [];
  }
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    authProvider: row.auth_provider,
    groups,
    awsIdentity: row.aws_identity ?? (await assignAwsIdentity(db, { id: row.id, email: row.email })),
  };
}
