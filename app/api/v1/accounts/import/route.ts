import { importAccounts, previewImport } from "@/lib/accounts/import";
import { importAccountsInput } from "@/lib/catalog/schemas";
import { apiRoute } from "@/lib/http/api";

// GET /api/v1/accounts/import — the organization's accounts (AWS Organizations ListAccounts), new or registered
export const GET = apiRoute({ permission: "accounts.manage" }, async ({ actor }) => ({ accounts: await previewImport(actor) }));

// POST /api/v1/accounts/import — register the chosen organization accounts { accountIds? } (all new ones by default)
export const POST = apiRoute({ permission: "accounts.manage", body: importAccountsInput }, async ({ actor, body, meta }) => importAccounts(actor, body, meta));
