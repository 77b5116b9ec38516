import { z } from "zod";
import { deleteGrant, updateGrant } from "@/lib/catalog/grants";
import { idField, updateGrantInput } from "@/lib/catalog/schemas";
import { apiRoute } from "@/lib/http/api";

const params = z.object({ id: idField("id") });

// PATCH /api/v1/grants/{id} — change when a grant expires ({ expiresAt: time | null })
export const PATCH = apiRoute({ permission: "grants.manage", params, body: updateGrantInput }, async ({ actor, params, body, meta }) => ({
  grant: await updateGrant(actor, params.id, body, meta),
}));

// DELETE /api/v1/grants/{id} — revoke a grant
export const DELETE = apiRoute({ permission: "grants.manage", params }, async ({ actor, params, meta }) => {
  await deleteGrant(actor, params.id, meta);
  return { ok: true };
});
