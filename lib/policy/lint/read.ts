// Reading a document for the lint rules: JSON syntax and IAM's grammar become findings, and a
// trust policy's Resource, NotPrincipal and bare "*" principal are reported under their own rule
// ids while the rest of the document is still returned, so every other rule can run too.

import { finding } from "./findings";
import type { LintRule } from "./rules";
import type { PolicyTextFinding } from "./types";
import { childPath, fromJavaScript, JsonNumber, readJson, type JsonValue } from "../json";
import { parsePolicy } from "../parse";
import type { Policy, PolicyIssue } from "../types";

/** A parsed document, with each statement's index in the document as written (statements the
 * lint had to leave out, such as `"Principal": "*"`, shift the rest). */
export type Doc = { policy: Policy; index: number[] };

export type ReadOutcome = { doc?: Doc; findings: PolicyTextFinding[] };

const SYNTAX_POSITION = /at line (\d+), column (\d+)/;

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof JsonNumber);
}

function hasKey(object: Record<string, unknown>, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(object, key);
}

/** The reader's values back as plain JavaScript; numbers keep their written text, which is how
 * the parser compares condition values anyway. */
export function toPlain(value: JsonValue): unknown {
  if (value instanceof JsonNumber) return value.raw;
  if (Array.isArray(value)) return value.map(toPlain);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = toPlain(item);
    return out;
  }
  return value;
}

function issueFinding(issue: PolicyIssue, rule: LintRule, where: string): PolicyTextFinding {
  const at = issue.path === "$" ? "" : `At ${issue.path.replace(/^\$\./, "")}: `;
  const position = SYNTAX_POSITION.exec(issue.message);
  return {
    ...finding(rule, "error", where, `${at}${issue.message}`, "Correct the document; IAM refuses it as it is (MalformedPolicyDocument)."),
    path: issue.path,
    ...(position && { line: Number(position[1]), column: Number(position[2]) }),
  };
}

/** The flagged field an issue's path lies in (`$.Statement[2].Resource` for
 * `$.Statement[2].Resource[0]`): the only kind of path `readDocument` flags. One lookup per
 * issue, so thousands of statements do not cost thousands × thousands comparisons. */
const FLAGGED_FIELD = /^\$\.Statement(?:\[\d+\])?\.(?:Resource|NotResource|NotPrincipal|Principal)(?=$|[.[])/;
const flaggedField = (path: string) => FLAGGED_FIELD.exec(path)?.[0];

/**
 * Parses a document (JSON text or an already-parsed value) for `kind`, reporting IAM's grammar
 * errors. For trust policies the problems IAM always refuses there (Resource, NotResource,
 * NotPrincipal, a bare "*" principal) get their own rule ids, and the rest of the
 * document is still returned so the other rules can run.
 */
export function readDocument(input: unknown, kind: "identity" | "trust", where: string): ReadOutcome {
  const read = typeof input === "string" ? readJson(input) : fromJavaScript(input);
  const syntaxKeys = new Set(read.issues.map((i) => `${i.path}\u0000${i.message}`));
  const findings: PolicyTextFinding[] = read.issues.map((issue) => issueFinding(issue, "policy-syntax", where));
  if (read.value === undefined) {
    if (findings.length === 0) findings.push(issueFinding({ path: "$", message: "Syntax errors in policy." }, "policy-syntax", where));
    return { findings };
  }

  const flagged = new Set<string>();
  const dropped = new Set<number>();
  const raw = read.value;
  const rawStatements = isPlainObject(raw) ? raw.Statement : undefined;
  const list: Array<{ value: unknown; path: string }> = Array.isArray(rawStatements)
    ? rawStatements.map((value, i) => ({ value, path: childPath("$.Statement", i) }))
    : rawStatements !== undefined
      ? [{ value: rawStatements, path: "$.Statement" }]
      : [];
  if (kind === "trust") {
    list.forEach(({ value, path }, i) => {
      if (!isPlainObject(value)) return;
      const label = `Statement ${i + 1}`;
      // A trust policy's resource is its role: IAM rejects Resource and NotResource.
      for (const field of ["Resource", "NotResource"]) {
        if (!hasKey(value, field)) continue;
        flagged.add(childPath(path, field));
        findings.push({
          ...finding("trust-resource", "error", where, `${label} has ${field}, which a role trust policy cannot have; IAM refuses the policy.`, `Remove ${field}: the role itself is the resource of its trust policy.`),
          path: childPath(path, field),
        });
      }
      if (hasKey(value, "NotPrincipal")) {
        flagged.add(childPath(path, "NotPrincipal"));
        findings.push({
          ...finding("trust-not-principal", "error", where, `${label} uses NotPrincipal, which a role trust policy cannot use; IAM refuses the policy.`, "Name the principals that may assume the role in Principal instead."),
          path: childPath(path, "NotPrincipal"),
        });
      }
      if (value.Principal === "*") {
        flagged.add(childPath(path, "Principal"));
        dropped.add(i);
        findings.push({
          ...finding("trust-principal-wildcard", "error", where, `${label} has "Principal": "*"; IAM refuses a bare wildcard principal in a trust policy.`, "Name the trusted accounts, roles, services or identity providers."),
          path: childPath(path, "Principal"),
        });
      }
    });
  }

  const parsed = parsePolicy(input, kind);
  if (parsed.ok) return { doc: { policy: parsed.policy, index: parsed.policy.Statement.map((_, i) => i) }, findings };
  const remaining = parsed.errors.filter(
    (issue) => !syntaxKeys.has(`${issue.path}\u0000${issue.message}`) && !flagged.has(flaggedField(issue.path) ?? ""),
  );
  findings.push(...remaining.map((issue) => issueFinding(issue, "policy-invalid", where)));
  if (remaining.length > 0 || read.issues.length > 0 || !isPlainObject(raw)) return { findings };

  // Only those trust problems: lint the document without them, so every other problem shows too.
  const plain = toPlain(raw) as Record<string, unknown>;
  const kept: number[] = [];
  const statements = list.flatMap(({ value }, i) => {
    if (dropped.has(i) || !isPlainObject(value)) return [];
    kept.push(i);
    const copy = { ...(toPlain(value as JsonValue) as Record<string, unknown>) };
    delete copy.Resource;
    delete copy.NotResource;
    delete copy.NotPrincipal;
    return [copy];
  });
  if (statements.length === 0) return { findings };
  const again = parsePolicy({ ...plain, Statement: statements }, kind);
  return again.ok ? { doc: { policy: again.policy, index: kept }, findings } : { findings };
}
