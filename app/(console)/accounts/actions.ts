"use server";

import { z } from "zod";
import { createAccount, deleteAccount, updateAccount } from "@/lib/accounts/accounts";
import { importAccounts, previewImport } from "@/lib/accounts/import";
import { createAccountInput, idField, importAccountsInput, updateAccountInput } from "@/lib/catalog/schemas";
import { protectedAction } from "@/lib/http/action";

const accountLabel = (a: { name: string; accountId: string }) => ({ name: a.name, accountId: a.accountId });

export const createAccountAction = protectedAction({ permission: "accounts.manage", input: createAccountInput }, async ({ actor, input, meta }) =>
  accountLabel(await createAccount(actor, input, meta)),
);

export const updateAccountAction = protectedAction(
  { permission: "accounts.manage", input: z.object({ id: idField("id"), patch: updateAccountInput }).strict() },
  async ({ actor, input, meta }) => accountLabel(await updateAccount(actor, input.id, input.patch, meta)),
);

export const deleteAccountAction = protectedAction(
  { permission: "accounts.manage", input: z.object({ id: idField("id"), cascade: z.boolean() }).strict() },
  ({ actor, input, meta }) => deleteAccount(actor, input.id, { cascade: input.cascade }, meta),
);

// A read, but an action: the dialog asks for it when it opens, and it calls AWS through the broker.
export const previewImportAction = protectedAction({ permission: "accounts.manage", input: z.object({}).strict() }, ({ actor }) => previewImport(actor));

export const importAccountsAction = protectedAction({ permission: "accounts.manage", input: importAccountsInput }, async ({ actor, input, meta }) => {
  const { added, skipped } = await importAccounts(actor, input, meta);
  return { added: added.map(accountLabel), skipped };
});
