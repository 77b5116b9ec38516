// AWS Organizations over JSON 1.1: DescribeOrganization, ListAccounts, DescribeAccount.
// https://docs.aws.amazon.com/organizations/latest/APIReference/API_ListAccounts.html
import { AwsError } from "../core/errors";
import type { ApiContext, ApiHandler } from "../core/runtime";
import type { Account } from "../core/state";
import { PARTITION } from "../core/world";

const DEFAULT_PAGE = 20;

const accessDenied = () => new AwsError("AccessDeniedException", "You don't have permissions to access this resource.", 400);

function requirePermission(ctx: ApiContext, action: string, resource = "*"): void {
  const result = ctx.world.decide(ctx.caller, { action, resource, resourceAccount: ctx.caller.accountId });
  if (result.decision !== "Allow") throw accessDenied();
}

/** Listing and describing accounts is for the management account only (or a delegated
 * administrator, which the sandbox does not model). */
function requireManagementAccount(ctx: ApiContext): void {
  if (ctx.caller.accountId !== ctx.world.state.organization.masterAccountId) throw accessDenied();
}

function accountOut(ctx: ApiContext, account: Account) {
  const org = ctx.world.state.organization;
  return {
    Id: account.id,
    Arn: `arn:${PARTITION}:organizations::${org.masterAccountId}:account/${org.id}/${account.id}`,
    Email: account.email,
    Name: account.name,
    Status: "ACTIVE",
    State: "ACTIVE",
    JoinedMethod: account.id === org.masterAccountId ? "INVITED" : "CREATED",
    JoinedTimestamp: new Date(account.joinedTimestamp),
  };
}

function describeOrganization(_input: unknown, ctx: ApiContext) {
  requirePermission(ctx, "organizations:DescribeOrganization");
  const org = ctx.world.state.organization;
  return {
    Organization: {
      Id: org.id,
      Arn: org.arn,
      FeatureSet: "ALL",
      MasterAccountArn: `arn:${PARTITION}:organizations::${org.masterAccountId}:account/${org.id}/${org.masterAccountId}`,
      MasterAccountId: org.masterAccountId,
      MasterAccountEmail: org.masterAccountEmail,
      AvailablePolicyTypes: [{ Type: "SERVICE_CONTROL_POLICY", Status: "ENABLED" }],
    },
  };
}

function decodeToken(token: string | undefined): number {
  if (token === undefined) return 0;
  const offset = Number.parseInt(Buffer.from(token, "base64url").toString("utf8").replace(/^offset:/, ""), 10);
  if (!Number.isInteger(offset) || offset < 0) {
    throw new AwsError("InvalidInputException", "You provided an invalid value for the NextToken parameter.", 400);
  }
  return offset;
}

function listAccounts(input: { NextToken?: string; MaxResults?: number }, ctx: ApiContext) {
  requireManagementAccount(ctx);
  requirePermission(ctx, "organizations:ListAccounts");
  const accounts = Object.values(ctx.world.state.accounts).sort((a, b) => a.id.localeCompare(b.id));
  const offset = decodeToken(input.NextToken);
  const size = input.MaxResults ?? DEFAULT_PAGE;
  const page = accounts.slice(offset, offset + size);
  const next = offset + size < accounts.length ? Buffer.from(`offset:${offset + size}`).toString("base64url") : undefined;
  return { Accounts: page.map((a) => accountOut(ctx, a)), ...(next ? { NextToken: next } : {}) };
}

function describeAccount(input: { AccountId: string }, ctx: ApiContext) {
  requireManagementAccount(ctx);
  requirePermission(ctx, "organizations:DescribeAccount");
  const account = ctx.world.account(input.AccountId);
  if (!account) throw new AwsError("AccountNotFoundException", "You specified an account that doesn't exist.", 400);
  return { Account: accountOut(ctx, account) };
}

export const organizationsHandlers: Record<string, ApiHandler> = {
  DescribeOrganization: describeOrganization,
  ListAccounts: listAccounts,
  DescribeAccount: describeAccount,
};
