// Findings: how one is built, the order they are shown in, the cap on how many, and the size
// quotas every document is measured against.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html

import { MAX_ISSUES } from "../json";
import type { LintRule } from "./rules";
import type { LintFinding, Severity } from "./types";

export const DEFAULT_TRUST_SIZE = 2048;
export const DEFAULT_INLINE_SIZE = 10240;
/** Warn when a document uses this share of its quota (the wizard's size meters turn amber there too). */
export const NEAR_QUOTA = 0.8;

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

export function finding(rule: LintRule, severity: Severity, where: string, message: string, fix?: string): LintFinding {
  return fix === undefined ? { rule, severity, where, message } : { rule, severity, where, message, fix };
}

const MORE = /^…and (\d+) more problems like these\.$/;

/** At most MAX_ISSUES findings, most severe first, then one that counts the rest (and what the
 * JSON reader's own "…and N more" stood for): hostile text must not become a megabyte answer. */
export function capped<T extends LintFinding>(sorted: T[]): T[] {
  if (sorted.length <= MAX_ISSUES + 1) return sorted;
  const rest = sorted.slice(MAX_ISSUES);
  const count = rest.reduce((n, f) => n + Number(MORE.exec(f.message)?.[1] ?? 1), 0);
  const first = rest[0]!;
  return [...sorted.slice(0, MAX_ISSUES), { ...finding(first.rule as LintRule, first.severity, first.where, `…and ${count} more problems like these.`) } as T];
}

export function bySeverity<T extends LintFinding>(findings: T[]): T[] {
  return findings
    .map((f, i) => ({ f, i }))
    .sort((a, b) => SEVERITY_ORDER[a.f.severity] - SEVERITY_ORDER[b.f.severity] || a.i - b.i)
    .map(({ f }) => f);
}

export function sizeFinding(rule: "trust-size" | "inline-size", where: string, count: number, quota: number, what: string): LintFinding[] {
  if (count > quota) {
    return [finding(rule, "error", where, `${what} ${count} characters (not counting whitespace); the account allows ${quota}, so IAM would refuse ${rule === "trust-size" ? "it" : "them"} (LimitExceeded).`, rule === "trust-size" ? "Merge statements that share conditions, trust fewer principals, or ask AWS for a higher quota (Service Quotas: Role trust policy length)." : "Move permissions into customer managed policies (6,144 characters each), or shorten the inline policies.")];
  }
  if (count >= quota * NEAR_QUOTA) {
    return [finding(rule, "warning", where, `${what} ${count} of the ${quota} characters the account allows (${Math.round((count / quota) * 100)}%).`, rule === "trust-size" ? "Leave room for later changes, or ask AWS for a higher quota." : "Leave room for later changes, or move permissions into managed policies.")];
  }
  return [];
}
