import { z } from "zod";
import { deleteGrant } from "@/lib/catalog/grants";
import { idField } from "@/lib/catalog/schemas";
import { apiRoute } from "@/lib/http/api";

const params = z.object({ id: idField("id") });

// DELETE /api/v1/grants/{id} — revoke a grant
export const DELETE = apiRoute({ permission: "grants.manage", params }, async ({ actor, params, meta }) => {
  await deleteGrant(actor, params.id, meta);
  return { ok: true };
});
