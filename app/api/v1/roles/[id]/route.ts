import { z } from "zod";
import { deleteRole, getRole, updateRole } from "@/lib/catalog/roles";
import { idField, updateRoleInput } from "@/lib/catalog/schemas";
import { apiRoute } from "@/lib/http/api";

const params = z.object({ id: idField("id") });

// GET /api/v1/roles/{id} — one role entry
export const GET = apiRoute({ permission: "roles.read", params }, async ({ actor, params }) => ({ role: await getRole(actor, params.id) }));

// PATCH /api/v1/roles/{id} — change display name, colour, region, session duration, ExternalId, SourceIdentity
export const PATCH = apiRoute({ permission: "roles.manage", params, body: updateRoleInput }, async ({ actor, params, body, meta }) => ({
  role: await updateRole(actor, params.id, body, meta),
}));

// DELETE /api/v1/roles/{id} — remove a role entry (and its grants) from the catalog; the IAM role stays
export const DELETE = apiRoute({ permission: "roles.manage", params }, async ({ actor, params, meta }) => {
  await deleteRole(actor, params.id, meta);
  return { ok: true };
});
