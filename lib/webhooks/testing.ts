// Test support: an access event as lib/access/ raises them, with text that needs escaping.
import type { AccessEvent } from "@/lib/access/events";

export function sampleEvent(overrides: Partial<AccessEvent> = {}): AccessEvent {
  return {
    id: "01JEVENT0000000000000000AA",
    type: "access.requested",
    at: "2026-12-03T10:00:00.000Z",
    actor: { email: "alice@example.com", name: "Alice" },
    request: {
      id: "01JREQUEST00000000000000AA",
      kind: "request",
      status: "pending",
      role: { id: "r1", displayName: "ReadOnly", roleArn: "arn:aws:iam::111122223333:role/ReadOnly", accountName: "Production", awsAccountId: "111122223333" },
      requester: { email: "alice@example.com", name: "Alice" },
      reason: "Investigate <!channel> INC-42 & friends > all",
      ticket: "INC-42",
      requestedSeconds: 7200,
      grantedSeconds: null,
      startsAt: null,
      endsAt: null,
    },
    links: { request: "https://switchboard.example.com/requests/01JREQUEST00000000000000AA", switch: "https://switchboard.example.com/switch/01JROLE0000000000000000000", console: "https://switchboard.example.com" },
    ...overrides,
  };
}
