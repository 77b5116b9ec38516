import { z } from "zod";
import { accountRefField } from "@/lib/catalog/schemas";
import { apiRoute } from "@/lib/http/api";
import { listManagedPolicies } from "@/lib/provision/service";

const params = z.object({ id: accountRefField });
const query = z.object({ q: z.string().max(128, "q has at most 128 characters").optional() }).strict();

// GET /api/v1/accounts/{id}/policies?q= — managed policies (AWS's and the account's own) to attach
export const GET = apiRoute({ permission: "provisioning.manage", params, query }, async ({ actor, params, query }) => ({
  policies: await listManagedPolicies(actor, params.id, query.q ?? ""),
}));
