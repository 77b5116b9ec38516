import { z } from "zod";
import { findAccount } from "@/lib/accounts/queries";
import { accountRefField, registerRoleInput } from "@/lib/catalog/schemas";
import { listRoles, registerRole } from "@/lib/catalog/roles";
import { getDb } from "@/lib/db/client";
import { apiRoute } from "@/lib/http/api";

const listQuery = z.object({ accountId: accountRefField.optional() }).strict();

// GET /api/v1/roles?accountId= — role entries the caller may see (optionally of one account)
export const GET = apiRoute({ permission: "roles.read", query: listQuery }, async ({ actor, query }) => {
  const accountRef = query.accountId ? (await findAccount(await getDb(), actor, query.accountId)).id : undefined;
  return { roles: await listRoles(actor, { accountRef }) };
});

// POST /api/v1/roles — register { accountId, roleName, path?, … } or { roleArn, … }
export const POST = apiRoute({ permission: "roles.manage", body: registerRoleInput, status: 201 }, async ({ actor, body, meta }) => ({
  role: await registerRole(actor, body, meta),
}));
