import { z } from "zod";
import { setPinned } from "@/lib/catalog/menu";
import { idField } from "@/lib/catalog/schemas";
import { apiRoute } from "@/lib/http/api";

const params = z.object({ roleId: idField("roleId") });
const body = z.object({ pinned: z.boolean({ error: "pinned must be true or false" }) }).strict();

// PUT /api/v1/me/pins/{roleId} — pin a role to the top of the caller's menu, or unpin it
export const PUT = apiRoute({ permission: "sessions.create", params, body }, async ({ actor, params, body }) => {
  await setPinned(actor, params.roleId, body.pinned);
  return { ok: true };
});
