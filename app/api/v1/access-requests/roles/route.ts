import { listRequestableRoles } from "@/lib/access/requests";
import { apiRoute } from "@/lib/http/api";

// GET /api/v1/access-requests/roles — the role entries the caller may ask for, with each policy's limits and who approves
export const GET = apiRoute({ permission: "sessions.create", tokens: "read" }, async ({ actor }) => ({
  roles: await listRequestableRoles(actor),
}));
