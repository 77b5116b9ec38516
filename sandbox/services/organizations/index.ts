// AWS Organizations over JSON 1.1: the accounts, the tree of roots and OUs, service and resource
// control policies, and the delegation policy. One file per concern:
// access.ts (who may call what, errors, paging), accounts.ts, tree.ts, policies.ts, delegation.ts.
// https://docs.aws.amazon.com/organizations/latest/APIReference/API_Operations.html
import type { ApiHandler } from "../../core/runtime";
import { describeAccount, describeOrganization, listAccounts } from "./accounts";
import { delegationHandlers } from "./delegation";
import { policyHandlers } from "./policies";
import { treeHandlers } from "./tree";

export const organizationsHandlers: Record<string, ApiHandler> = {
  DescribeOrganization: describeOrganization,
  ListAccounts: listAccounts,
  DescribeAccount: describeAccount,
  ...treeHandlers,
  ...policyHandlers,
  ...delegationHandlers,
};
