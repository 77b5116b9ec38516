// Test support: an Actor as the guard would build it for a person who signed in a minute ago
// (so step-up checks pass and AWS sessions may last the default 12 hours of the console session).
import type { Actor } from "./actor";

export function testActor(person: Pick<Actor, "id" | "email" | "name" | "role"> & Partial<Actor>): Actor {
  const signedInAt = Date.now() - 60_000;
  return {
    authProvider: "local",
    groups: [],
    awsIdentity: person.email.replace(/[^\w+=,.@-]+/g, "-"),
    session: { id: `session-${person.id}`, signedInAt, endsAt: signedInAt + 12 * 3600_000, verifiedAt: signedInAt },
    ...person,
  };
}

/** A console user in the test's store, and the Actor for them as signed in. The store module is
 * imported on first use, after the test file has pointed the configuration at its store. With
 * `groups`, a person from single sign-on whose identity provider sent those groups. */
export async function addTestUser(email: string, role: Actor["role"], groups: string[] = []): Promise<Actor> {
  const { getDb } = await import("@/lib/db/client");
  const { newId } = await import("@/lib/db/ids");
  const id = newId();
  const now = new Date().toISOString();
  const authProvider = groups.length ? "oidc" : "local";
  const actor = testActor({ id, email, name: email.split("@")[0]!, role, authProvider, groups });
  await (await getDb())
    .insertInto("users")
    .values({ id, email, name: actor.name, role, password_hash: null, auth_provider: authProvider, groups: JSON.stringify(groups), aws_identity: actor.awsIdentity, created_at: now, updated_at: now })
    .execute();
  return actor;
}
