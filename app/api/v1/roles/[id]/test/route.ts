import { z } from "zod";
import { idField } from "@/lib/catalog/schemas";
import { apiRoute } from "@/lib/http/api";
import { testRole } from "@/lib/sessions/test-role";

const params = z.object({ id: idField("id") });

// POST /api/v1/roles/{id}/test — a real AssumeRole from the console's broker: works, or why not
export const POST = apiRoute({ permission: "roles.manage", params }, async ({ actor, params, meta }) => ({ result: await testRole(actor, params.id, meta) }));
