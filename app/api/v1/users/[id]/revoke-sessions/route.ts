import { z } from "zod";
import { apiRoute } from "@/lib/http/api";
import { revokeUserSessions } from "@/lib/revocation/revoke";
import { userIdField } from "@/lib/users/schemas";

const params = z.object({ id: userIdField });

// POST /api/v1/users/{id}/revoke-sessions — end a person's live AWS sessions in every role entry
// they used in the last 12 hours; the answer says, per role, what happened (administrators)
export const POST = apiRoute({ permission: "sessions.revoke", params }, ({ actor, params, meta }) => revokeUserSessions(actor, params.id, meta));
