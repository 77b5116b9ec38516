import { createAccount, listAccounts } from "@/lib/accounts/accounts";
import { createAccountInput } from "@/lib/catalog/schemas";
import { apiRoute } from "@/lib/http/api";

// GET /api/v1/accounts — registered accounts the caller may see
export const GET = apiRoute({ permission: "accounts.read" }, async ({ actor }) => ({ accounts: await listAccounts(actor) }));

// POST /api/v1/accounts — register an account { accountId, name, environment?, partition?, defaultRegion?, provisioningRoleName?, … }
export const POST = apiRoute({ permission: "accounts.manage", body: createAccountInput, status: 201 }, async ({ actor, body, meta }) => ({
  account: await createAccount(actor, body, meta),
}));
