import { z } from "zod";
import { createGrant, listGrants } from "@/lib/catalog/grants";
import { createGrantInput, idField } from "@/lib/catalog/schemas";
import { apiRoute } from "@/lib/http/api";

const listQuery = z.object({ roleId: idField("roleId").optional() }).strict();

// GET /api/v1/grants?roleId= — who may use which role entry
export const GET = apiRoute({ permission: "grants.manage", query: listQuery }, async ({ actor, query }) => ({ grants: await listGrants(actor, query) }));

// POST /api/v1/grants — grant a role entry { roleId, userEmail } or { roleId, group }
export const POST = apiRoute({ permission: "grants.manage", body: createGrantInput, status: 201 }, async ({ actor, body, meta }) => ({
  grant: await createGrant(actor, body, meta),
}));
