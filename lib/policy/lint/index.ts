// The policy lint: what is wrong with a policy document, in plain words, each finding under a
// stable rule id. Pure and synchronous (no I/O), so the same rules run on the server and in the
// browser on each keystroke. Action names are checked against AWS's published list separately
// and asynchronously (../actions.ts): that list is 15 MB of data. The rules about a whole wizard
// plan (role name, tags, managed policies, the GitHub provider…) are in lib/provision/plan-lint.ts.
//
//   read.ts          JSON and IAM's grammar → findings + the parsed document
//   documents.ts     rules for any policy
//   trust.ts         role trust policy rules (+ trust-principals.ts)
//   permissions.ts   permission policy rules
//   privileged.ts    administrator-level permissions trusted from outside the organization
//   validate.ts      live validation of typed JSON
//   statements.ts    helpers over parsed statements; findings.ts, strings.ts: the rest
//
// lib/provision/plan-lint.ts builds its plan rules on read.ts, statements.ts, findings.ts and
// trust.ts directly; everything else imports this index.
//
// Rules follow IAM Access Analyzer's policy checks, parliament's and KICS-style scanners' rules:
// https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html
// Limits: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html

export { LINT_RULES, type LintRule } from "./rules";
export { NEAR_QUOTA } from "./findings";
export { lintPermissionPolicy } from "./permissions";
export { lintTrustPolicy } from "./trust";
export { lintPrivilegedTrust } from "./privileged";
export { validatePolicyText } from "./validate";
export { editDistance, nearest } from "./strings";
export type {
  BrokerIdentity,
  KnownAccount,
  LintFinding,
  PolicyTextFinding,
  PolicyTextResult,
  RolePermissions,
  Severity,
  TrustLintTarget,
  ValidateTextOptions,
} from "./types";
