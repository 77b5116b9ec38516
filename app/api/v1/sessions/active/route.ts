import { apiRoute } from "@/lib/http/api";
import { listActiveSessions } from "@/lib/revocation/active-sessions";

// GET /api/v1/sessions/active — the AWS sessions this console issued that have not expired, from
// the audit log: everyone's for administrators and auditors, one's own for operators (the
// operation decides, so the route asks only for a signed-in person)
export const GET = apiRoute({ permission: null }, async ({ actor }) => listActiveSessions(actor));
