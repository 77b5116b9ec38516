// Live validation of policy JSON as a person types it.

import { bySeverity, capped, DEFAULT_INLINE_SIZE, sizeFinding } from "./findings";
import { documentRules } from "./documents";
import { permissionRules } from "./permissions";
import { readDocument, type ReadOutcome } from "./read";
import { analyzeTrust } from "./trust";
import type { LintFinding, PolicyTextFinding, PolicyTextResult, ValidateTextOptions } from "./types";
import { countPolicyCharacters } from "../format";

/**
 * Validates policy JSON as a person types it: syntax errors with line and column, IAM's grammar,
 * then the lint rules for the kind of policy (trust rules need `options.target` to know the
 * role). Synchronous and browser-safe.
 */
export function validatePolicyText(text: string, kind: "identity" | "trust", options: ValidateTextOptions = {}): PolicyTextResult {
  const where = options.where ?? (kind === "trust" ? "trust" : "inline");
  let read: ReadOutcome;
  let rules: LintFinding[];
  if (kind === "trust") {
    const result = analyzeTrust(text, options.target ?? {}, where);
    read = result;
    rules = result.rules;
  } else {
    read = readDocument(text, "identity", where);
    const size = sizeFinding("inline-size", where, countPolicyCharacters(text), options.inlinePoliciesSize ?? DEFAULT_INLINE_SIZE, "The policy is");
    rules = read.doc ? [...size, ...documentRules(read.doc, where), ...permissionRules(read.doc, where)] : size;
  }
  const findings = bySeverity<PolicyTextFinding>([...read.findings, ...rules]);
  return {
    ok: !!read.doc && !findings.some((f) => f.severity === "error"),
    ...(read.doc && { policy: read.doc.policy }),
    findings: capped(findings),
  };
}
