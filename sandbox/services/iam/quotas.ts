// IAM's default quotas, in one place: the checks below enforce them and GetAccountSummary reports
// them. https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
import { limitExceeded } from "../../core/errors";

/** The quota entries of GetAccountSummary's SummaryMap, with AWS's default values. */
export const SUMMARY_QUOTAS = {
  UsersQuota: 5000,
  GroupsQuota: 300,
  ServerCertificatesQuota: 20,
  UserPolicySizeQuota: 2048,
  GroupPolicySizeQuota: 5120,
  GroupsPerUserQuota: 10,
  SigningCertificatesPerUserQuota: 2,
  AccessKeysPerUserQuota: 2,
  AttachedPoliciesPerGroupQuota: 10,
  AttachedPoliciesPerRoleQuota: 10,
  AttachedPoliciesPerUserQuota: 10,
  PoliciesQuota: 1500,
  PolicySizeQuota: 6144,
  PolicyVersionsInUseQuota: 10000,
  VersionsPerPolicyQuota: 5,
  AssumeRolePolicySizeQuota: 2048,
  InstanceProfilesQuota: 1000,
  RolePolicySizeQuota: 10240,
  RolesQuota: 1000,
} as const;

/** The names IAM uses in "Cannot exceed quota for <name>: <value>" (LimitExceeded). */
const LIMITS = {
  RolesPerAccount: SUMMARY_QUOTAS.RolesQuota,
  UsersPerAccount: SUMMARY_QUOTAS.UsersQuota,
  PoliciesPerAccount: SUMMARY_QUOTAS.PoliciesQuota,
  InstanceProfilesPerAccount: SUMMARY_QUOTAS.InstanceProfilesQuota,
  OpenIdConnectProvidersPerAccount: 100,
  ACLSizePerRole: SUMMARY_QUOTAS.AssumeRolePolicySizeQuota,
  PoliciesPerRole: SUMMARY_QUOTAS.AttachedPoliciesPerRoleQuota,
  PoliciesPerUser: SUMMARY_QUOTAS.AttachedPoliciesPerUserQuota,
  PolicySize: SUMMARY_QUOTAS.PolicySizeQuota,
  AccessKeysPerUser: SUMMARY_QUOTAS.AccessKeysPerUserQuota,
  TagsPerRole: 50,
  // One role per instance profile; AWS does not raise it.
  InstanceSessionsPerInstanceProfile: 1,
  ClientIdsPerOpenIdConnectProvider: 100,
} as const;

export type QuotaName = keyof typeof LIMITS;

export const quota = (name: QuotaName): number => LIMITS[name];

export const quotaExceeded = (name: QuotaName) => limitExceeded(`Cannot exceed quota for ${name}: ${LIMITS[name]}`);

/** Thumbprints per OpenID Connect provider. https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateOpenIDConnectProvider.html */
export const MAX_THUMBPRINTS = 5;
