import { deleteGrants } from "@/lib/catalog/grants";
import { deleteGrantsInput } from "@/lib/catalog/schemas";
import { apiRoute } from "@/lib/http/api";

// POST /api/v1/grants/batch-delete — remove several grants at once { ids }: all or nothing
export const POST = apiRoute({ permission: "grants.manage", body: deleteGrantsInput }, async ({ actor, body, meta }) => ({ removed: await deleteGrants(actor, body.ids, meta) }));
