import { z } from "zod";
import { deleteAccount, getAccount, updateAccount } from "@/lib/accounts/accounts";
import { accountRefField, updateAccountInput } from "@/lib/catalog/schemas";
import { apiRoute } from "@/lib/http/api";

const params = z.object({ id: accountRefField });
const deleteQuery = z.object({ cascade: z.enum(["true", "false"], { error: 'cascade must be "true" or "false"' }).optional() }).strict();

// GET /api/v1/accounts/{id} — one account (12-digit id or registry id)
export const GET = apiRoute({ permission: "accounts.read", params }, async ({ actor, params }) => ({ account: await getAccount(actor, params.id) }));

// PATCH /api/v1/accounts/{id} — change an account's name, alias, environment, colour, region, …
export const PATCH = apiRoute({ permission: "accounts.manage", params, body: updateAccountInput }, async ({ actor, params, body, meta }) => ({
  account: await updateAccount(actor, params.id, body, meta),
}));

// DELETE /api/v1/accounts/{id}?cascade=true — delete an account (its role entries too only with cascade)
export const DELETE = apiRoute({ permission: "accounts.manage", params, query: deleteQuery }, async ({ actor, params, query, meta }) => ({
  ok: true,
  ...(await deleteAccount(actor, params.id, { cascade: query.cascade === "true" }, meta)),
}));
