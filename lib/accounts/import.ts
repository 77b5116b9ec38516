import "server-only";
import { ListAccountsCommand, type Account } from "@aws-sdk/client-organizations";
import { recordAudit } from "@/lib/audit/record";
import { assertPermission, type Actor } from "@/lib/auth/guard";
import { brokerOrganizations } from "@/lib/aws/broker-clients";
import { describeAwsError } from "@/lib/aws/errors";
import { getDb } from "@/lib/db/client";
import type { Environment } from "@/lib/db/schema";
import { AppError, badRequest } from "@/lib/errors";
import type { RequestMeta } from "@/lib/http/request-meta";
import { createAccount } from "./accounts";
import { guessEnvironment, type AccountDto } from "./dto";

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
    const name = (err as Error).name;
    if (name === "AccessDeniedException" || name === "AWSOrganizationsNotInUseException") {
      throw new AppError(
        "bad_request",
        `AWS Organizations refused to list the accounts (${name}): the console's AWS identity must be in the organization's management account (or a delegated administrator) and allowed organizations:ListAccounts. Register accounts by hand instead.`,
      );
    }
    throw new AppError("upstream_error", describeAwsError(err, "list the organization's accounts"));
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
  const added: AccountDto[] = [];
  const skipped: Array<{ accountId: string; reason: string }> = [];
  for (const accountId of new Set(wanted)) {
    const account = byId.get(accountId);
    if (!account) skipped.push({ accountId, reason: "Not an account of the organization" });
    else if (account.registered) skipped.push({ accountId, reason: "Already registered" });
    else if (account.status !== "ACTIVE") skipped.push({ accountId, reason: `The account is ${account.status.toLowerCase()}` });
    else added.push(await createAccount(actor, { accountId, name: account.name.slice(0, 60), environment: account.suggestedEnvironment }, meta, "organizations"));
  }
  await recordAudit({ action: "account.import", outcome: "success", actor, target: { type: "organization" }, request: meta, details: { added: added.length, skipped: skipped.length } });
  return { added, skipped };
}
