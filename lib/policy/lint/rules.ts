// The rule ids of the policy lint, with what each is about: a data table. The checks follow IAM
// Access Analyzer's policy checks, parliament's and KICS-style scanners' rules:
// https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html

/** Every rule the document lints (`lintTrustPolicy`, `lintPermissionPolicy`, `validatePolicyText`,
 * `lintPrivilegedTrust`) can report, with what it is about. The rules about a whole wizard plan
 * are in lib/provision/plan-lint.ts. */
export const LINT_RULES = {
  // Documents
  "policy-syntax": "The text is not valid JSON, or has duplicate keys or characters IAM rejects.",
  "policy-invalid": "IAM would reject the document (MalformedPolicyDocument).",
  "policy-version": "Version is missing or 2008-10-17, so policy variables are plain text.",
  "condition-wildcard-without-like": "A * or ? in a StringEquals-type condition is matched literally.",
  "mfa-bad-pattern": "A condition that looks like it requires MFA but does not (parliament BAD_PATTERN_FOR_MFA).",
  // Trust policy
  "trust-size": "The trust policy is over, or near, the account's trust policy size quota.",
  "trust-resource": "Resource or NotResource in a trust policy.",
  "trust-not-principal": "NotPrincipal in a trust policy.",
  "trust-principal-wildcard": '"Principal": "*" in a trust policy.',
  "trust-principal-unsupported": "A principal type a trust policy cannot use (CanonicalUser).",
  "trust-no-allow": "No Allow statement: nobody can assume the role.",
  "trust-action-mismatch": "The action does not match the principal type (Access Analyzer: Mismatched action for principal).",
  "trust-roles-anywhere-actions": "IAM Roles Anywhere needs sts:AssumeRole, sts:SetSourceIdentity and sts:TagSession.",
  "trust-action-wildcard": "sts:* or * in a trust policy.",
  "trust-not-action": "NotAction in an Allow statement of a trust policy.",
  "trust-action-not-sts": "A non-STS action in a trust policy has no effect.",
  "trust-action-unknown": "An STS action that role trust policies do not govern.",
  "cross-account-no-condition": "An account outside the organization (not registered) is trusted without an ExternalId or MFA condition.",
  "cross-account-in-organization": "An account of the organization (registered) is trusted without MFA or aws:PrincipalOrgID: information.",
  "external-id-console": "An ExternalId is required, so the AWS console's Switch Role cannot use the role.",
  "external-id-format": "An ExternalId value STS would never send.",
  "source-identity-console": "A source identity is required, so the AWS console's Switch Role cannot use the role.",
  "trust-public": '{"AWS": "*"} without a condition restricting who.',
  "oidc-aud-missing": "A web identity principal without an audience condition.",
  "oidc-github-sub-missing": "GitHub Actions trusted without a sub condition: any repository could assume the role.",
  "oidc-github-sub-wildcard": "A wildcard in the GitHub sub condition.",
  "oidc-for-all-values": "ForAllValues on a single-valued OIDC claim also passes when the claim is missing.",
  "federated-provider-account": "The identity provider is in another account than the role.",
  "service-source-condition": "A service principal without aws:SourceAccount or aws:SourceArn (confused deputy).",
  "service-principal-condition": "An MFA or ExternalId condition a service can never satisfy.",
  "mfa-virtual-device": "An account's MFA condition can be met by anyone there who can create a virtual MFA device.",
  "principal-unique-id": "A unique ID (AIDA…/AROA…) principal: the user or role was deleted.",
  "principal-redundant": "An assumed-role session principal already covered by its role.",
  "principal-partition": "A principal in another AWS partition than the role.",
  "broker-set-source-identity": "Switchboard is trusted without sts:SetSourceIdentity.",
  "broker-mfa": "Switchboard is trusted only with MFA, which it never has.",
  "trust-self-assume": "The role trusts itself.",
  "privileged-external-trust": "Administrator-level permissions on a role trusted from outside the organization.",
  // Permissions
  "inline-size": "The inline policies together are over, or near, the role policy size quota.",
  "admin-wildcard": 'Allow "Action": "*" on "Resource": "*".',
  "passrole-wildcard": "iam:PassRole on every role.",
  "allow-not-action": "Allow with NotAction grants everything not listed.",
  "allow-not-resource": "Allow with NotResource grants on everything not listed.",
  "policy-deny-only": "A permission policy with no Allow statement grants nothing.",
} as const satisfies Record<string, string>;

export type LintRule = keyof typeof LINT_RULES;
