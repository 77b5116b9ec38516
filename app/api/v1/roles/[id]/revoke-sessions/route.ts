import { z } from "zod";
import { idField } from "@/lib/catalog/schemas";
import { apiRoute } from "@/lib/http/api";
import { revokeRoleSessions, revokeRoleSessionsInput } from "@/lib/revocation/revoke";

const params = z.object({ id: idField("id") });

// POST /api/v1/roles/{id}/revoke-sessions — end live AWS sessions in one role entry: one person's
// ({ userEmail }) or everyone's ({}), with a deny on the role for sessions issued before now
// (administrators)
export const POST = apiRoute({ permission: "sessions.revoke", params, body: revokeRoleSessionsInput }, async ({ actor, params, body, meta }) => ({
  revocation: await revokeRoleSessions(actor, params.id, body, meta),
}));
