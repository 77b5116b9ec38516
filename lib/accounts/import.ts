import "server-only";
import { ListAccountsCommand, type Account } from "@aws-sdk/client-organizations";
import { recordAudit } from "@/lib/audit/record";
import { assertPermission, type Actor } from "@/lib/auth/actor";
import { brokerOrganizations } from "@/lib/aws/broker-clients";
import { appErrorOf, classifyAwsError, toAppError } from "@/lib/aws/errors";
import { getDb } from "@/lib/db/client";
import type { Environment } from "@/lib/db/schema";
import { badRequest } from "@/lib/errors";
import type { RequestMeta } from "@/lib/http/request-meta";
import { insertAccount } from "./accounts";
import { guessEnvironment, type AccountDto } from "./dto";
import { findAccount } from "./queries";

export type OrganizationAccount = {
  accountId: string;
  name: string;
  email: string | null;
  status: string;
  /** Already in the registry. */
  registered: boolean;
  suggestedEnvironment: Environment;
};

/** Every account of the organization (through the broker), marked new or registered. */
export async function previewImport(actor: Actor): Promise<OrganizationAccount[]> {
  assertPermission(actor, "accounts.manage");
  const accounts: Account[] = [];
  try {
    let token: string | undefined;
    do {
      const page = await brokerOrganizations().send(new ListAccountsCommand({ NextToken: token, MaxResults: 20 }));
      accounts.push(...(page.Accounts ?? []));
      token = page.NextToken;
    } while (token && accounts.length < 10_000);
  } catch (err) {
    const { kind, name } = classifyAwsError(err);
    if (kind === "denied" || name === "AWSOrganizationsNotInUseException") {
      throw appErrorOf(
        err,
        `AWS Organizations refused to list the accounts (${name}): the console's AWS identity must be in the organization's management account (or a delegated administrator) and allowed organizations:ListAccounts. Register accounts by hand instead.`,
      );
    }
    throw toAppError(err, "list the organization's accounts");
  }
  const db = await getDb();
  const registered = new Set((await db.selectFrom("accounts").select("aws_account_id").execute()).map((r) => r.aws_account_id));
  return accounts
    .filter((a) => a.Id)
    .map((a) => ({
      accountId: a.Id!,
      name: a.Name ?? a.Id!,
      email: a.Email ?? null,
      status: String(a.State ?? a.Status ?? "ACTIVE"),
      registered: registered.has(a.Id!),
      suggestedEnvironment: guessEnvironment(a.Name ?? ""),
    }))
    .sort((x, y) => Number(x.registered) - Number(y.registered) || x.name.localeCompare(y.name));
}

/** Registers the chosen organization accounts (all new ones when none are named), with their
 * Organizations names and a guessed environment; the rest are reported, not touched. */
export async function importAccounts(actor: Actor, input: { accountIds?: string[] }, meta: RequestMeta): Promise<{ added: AccountDto[]; skipped: Array<{ accountId: string; reason: string }> }> {
  assertPermission(actor, "accounts.manage");
  const available = await previewImport(actor);
  const byId = new Map(available.map((a) => [a.accountId, a]));
  const wanted = input.accountIds ?? available.filter((a) => !a.registered).map((a) => a.accountId);
  if (wanted.length === 0) throw badRequest("Every account of the organization is already registered.");
  const toAdd: OrganizationAccount[] = [];
  const skipped: Array<{ accountId: string; reason: string }> = [];
  for (const accountId of new Set(wanted)) {
    const account = byId.get(accountId);
    if (!account) skipped.push({ accountId, reason: "Not an account of the organization" });
    else if (account.registered) skipped.push({ accountId, reason: "Already registered" });
    else if (account.status !== "ACTIVE") skipped.push({ accountId, reason: `The account is ${account.status.toLowerCase()}` });
    else toAdd.push(account);
  }
  // One transaction: every account with its own event, and the import's event, or none of them.
  const db = await getDb();
  const ids = await db.transaction().execute(async (trx) => {
    const inserted: string[] = [];
    for (const account of toAdd) {
      inserted.push(await insertAccount(trx, actor, { accountId: account.accountId, name: account.name.slice(0, 60), environment: account.suggestedEnvironment }, meta, "organizations"));
    }
    await recordAudit({ action: "account.import", outcome: "success", actor, target: { type: "organization" }, request: meta, details: { added: inserted.length, skipped: skipped.length } }, trx);
    return inserted;
  });
  const added: AccountDto[] = [];
  for (const id of ids) added.push(await findAccount(db, actor, id));
  return { added, skipped };
}
