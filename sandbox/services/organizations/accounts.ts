// DescribeOrganization, ListAccounts, DescribeAccount.
// https://docs.aws.amazon.com/organizations/latest/APIReference/API_ListAccounts.html
import type { ApiContext } from "../../core/runtime";
import type { Account } from "../../core/state";
import { PARTITION } from "../../core/world";
import { authorize, orgError, page } from "./access";

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

export function describeOrganization(_input: unknown, ctx: ApiContext) {
  authorize(ctx, "organizations:DescribeOrganization", "organization");
  const org = ctx.world.state.organization;
  return {
    Organization: {
      Id: org.id,
      Arn: org.arn,
      FeatureSet: "ALL",
      MasterAccountArn: `arn:${PARTITION}:organizations::${org.masterAccountId}:account/${org.id}/${org.masterAccountId}`,
      MasterAccountId: org.masterAccountId,
      MasterAccountEmail: org.masterAccountEmail,
      AvailablePolicyTypes: org.enabledPolicyTypes.map((Type) => ({ Type, Status: "ENABLED" })),
    },
  };
}

export function listAccounts(input: { NextToken?: string; MaxResults?: number }, ctx: ApiContext) {
  authorize(ctx, "organizations:ListAccounts", "delegated");
  const accounts = Object.values(ctx.world.state.accounts).sort((a, b) => a.id.localeCompare(b.id));
  const { items, NextToken } = page(accounts, input);
  return { Accounts: items.map((a) => accountOut(ctx, a)), ...(NextToken ? { NextToken } : {}) };
}

export const accountNotFound = () =>
  orgError("AccountNotFoundException", "You specified an account that doesn't exist.");

export function describeAccount(input: { AccountId: string }, ctx: ApiContext) {
  authorize(ctx, "organizations:DescribeAccount", "delegated");
  const account = ctx.world.account(input.AccountId);
  if (!account) throw accountNotFound();
  return { Account: accountOut(ctx, account) };
}
