// Rules for any policy, trust or permission: the Version, literal wildcards in String
// conditions, and conditions that read like "MFA required" but are not.

import { finding } from "./findings";
import type { Doc } from "./read";
import { entries, hasWildcard, isLike, label, type Entry } from "./statements";
import type { LintFinding } from "./types";
import type { Statement } from "../types";

export function documentRules(doc: Doc, where: string): LintFinding[] {
  const out: LintFinding[] = [];
  const { policy } = doc;
  if (policy.Version !== "2012-10-17") {
    out.push(
      finding(
        "policy-version",
        "warning",
        where,
        policy.Version === undefined
          ? 'The policy has no Version, so IAM reads it as version 2008-10-17, where policy variables such as ${aws:username} are plain text.'
          : 'The policy uses Version "2008-10-17", where policy variables such as ${aws:username} are plain text.',
        'Add "Version": "2012-10-17".',
      ),
    );
  }
  policy.Statement.forEach((s, i) => {
    for (const e of entries(s)) {
      // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_String
      if (e.operator.family === "String" && !isLike(e) && e.values.some(hasWildcard)) {
        const value = e.values.find(hasWildcard) ?? "";
        out.push(
          finding(
            "condition-wildcard-without-like",
            "warning",
            where,
            `${label(doc, i)}: ${e.operator.name} compares ${e.key} with "${value}" literally, so * and ? are not wildcards and the condition almost never matches.`,
            `Use ${e.operator.name.replace(/Equals(IgnoreCase)?/, "Like")} if you meant a wildcard, or write the exact value.`,
          ),
        );
      }
      out.push(...mfaPatternFindings(doc, i, s, e, where));
    }
  });
  return out;
}

/** parliament's BAD_PATTERN_FOR_MFA: conditions that read like "MFA required" but are not.
 * Long-term access keys carry no aws:MultiFactorAuthPresent at all; temporary credentials
 * obtained without MFA carry it as "false".
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-multifactorauthpresent */
function mfaPatternFindings(doc: Doc, i: number, s: Statement, e: Entry, where: string): LintFinding[] {
  if (e.key !== "aws:multifactorauthpresent") return [];
  const values = e.values.map((v) => v.toLowerCase());
  const at = label(doc, i);
  const fixAllow = 'In an Allow statement use "Bool": {"aws:MultiFactorAuthPresent": "true"}.';
  let message: string | undefined;
  let fix = fixAllow;
  if (s.Effect === "Allow" && e.operator.family === "Bool" && !e.operator.ifExists && values.includes("false")) {
    message = `${at} allows only requests made without MFA (aws:MultiFactorAuthPresent is "false"), the opposite of requiring MFA.`;
  } else if (s.Effect === "Allow" && e.operator.family === "Bool" && e.operator.ifExists && values.includes("true")) {
    message = `${at} uses BoolIfExists on aws:MultiFactorAuthPresent, which passes when the key is missing, as it is for long-term access keys: MFA is not required.`;
  } else if (s.Effect === "Allow" && e.operator.family === "Null" && values.includes("false")) {
    message = `${at} only checks that aws:MultiFactorAuthPresent exists; temporary credentials obtained without MFA have it too (as "false"), so MFA is not required.`;
  } else if (s.Effect === "Deny" && e.operator.family === "Bool" && !e.operator.ifExists && values.includes("false")) {
    message = `${at} denies when aws:MultiFactorAuthPresent is "false" but not when the key is missing, so long-term access keys without MFA are not denied.`;
    fix = 'Use "BoolIfExists": {"aws:MultiFactorAuthPresent": "false"} in the Deny statement.';
  }
  return message ? [finding("mfa-bad-pattern", "warning", where, message, fix)] : [];
}
