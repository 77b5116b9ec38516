import { createGrant, listGrants } from "@/lib/catalog/grants";
import { createGrantInput, listGrantsQuery } from "@/lib/catalog/schemas";
import { apiRoute } from "@/lib/http/api";

// GET /api/v1/grants?roleId=&userEmail=&group=&accountId= — who may use which role entry
export const GET = apiRoute({ permission: "grants.manage", query: listGrantsQuery }, async ({ actor, query }) => ({ grants: await listGrants(actor, query) }));

// POST /api/v1/grants — grant a role entry { roleId, userEmail } or { roleId, group }
export const POST = apiRoute({ permission: "grants.manage", body: createGrantInput, status: 201 }, async ({ actor, body, meta }) => ({
  grant: await createGrant(actor, body, meta),
}));
