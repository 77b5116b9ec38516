// Account-wide views: GetAccountSummary (usage and quotas) and ListAccountAliases.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccountSummary.html
import type { ApiContext, ApiHandler } from "../../core/runtime";
import { authorize, callerAccount } from "./access";
import { SUMMARY_QUOTAS } from "./quotas";

function getAccountSummary(_input: unknown, ctx: ApiContext) {
  const account = callerAccount(ctx);
  authorize(ctx, "iam:GetAccountSummary", "*");
  const entities = [...Object.values(account.roles), ...Object.values(account.users)];
  const mfaDevices = Object.keys(account.mfaDevices).length;
  return {
    SummaryMap: {
      ...SUMMARY_QUOTAS,
      Users: Object.keys(account.users).length,
      Roles: Object.keys(account.roles).length,
      Policies: Object.keys(account.policies).length,
      InstanceProfiles: Object.keys(account.instanceProfiles).length,
      Providers: Object.keys(account.oidcProviders).length,
      // Every virtual MFA device in the sandbox is assigned to a user.
      MFADevices: mfaDevices,
      MFADevicesInUse: mfaDevices,
      // Managed policies in use: attachments and permissions boundaries of roles and users.
      PolicyVersionsInUse: entities.reduce((n, e) => n + e.attachedPolicies.length + (e.permissionsBoundary ? 1 : 0), 0),
      // The sandbox has no groups, server certificates, signing certificates or root credentials.
      Groups: 0,
      ServerCertificates: 0,
      AccountMFAEnabled: 0,
      AccountAccessKeysPresent: 0,
      AccountPasswordPresent: 0,
      AccountSigningCertificatesPresent: 0,
      GlobalEndpointTokenVersion: 1,
    },
  };
}

function listAccountAliases(_input: unknown, ctx: ApiContext) {
  const account = callerAccount(ctx);
  authorize(ctx, "iam:ListAccountAliases", "*");
  return { AccountAliases: account.alias ? [account.alias] : [], IsTruncated: false };
}

export const accountHandlers: Record<string, ApiHandler> = {
  GetAccountSummary: getAccountSummary,
  ListAccountAliases: listAccountAliases,
};
