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
