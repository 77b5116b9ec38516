import { z } from "zod";
import { applyConfigImportInput } from "@/lib/catalog/config-import";
import { applyConfigImport, previewConfigImport } from "@/lib/catalog/config-import-plan";
import { apiRoute } from "@/lib/http/api";

const importQuery = z.object({ dryRun: z.enum(["true", "false"], { error: "dryRun must be true or false" }).optional() }).strict();

// POST /api/v1/catalog/import — register the accounts and roles of an AWS Extend Switch Roles configuration or an AWS config file { text, format?, accounts?, roles? } (all new ones by default); ?dryRun=true previews them instead
export const POST = apiRoute({ permission: "roles.manage", body: applyConfigImportInput, query: importQuery }, async ({ actor, body, query, meta }) => {
  if (query.dryRun === "true") {
    const { accounts: _accounts, roles: _roles, ...preview } = body;
    return { plan: await previewConfigImport(actor, preview) };
  }
  return applyConfigImport(actor, body, meta);
});
