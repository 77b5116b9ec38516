// AWS's access-denied wording: which kind of policy refused the call, and whether it denied it
// explicitly or nothing allowed it. The forms follow the IAM User Guide's "Access denied error
// messages": https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html
//   … with an explicit deny in an identity-based policy | a session policy | a permissions boundary | a resource-based policy
//   … because no identity-based policy | session policy | permissions boundary | resource-based policy allows the <action> action
// and for the organization's policies "… with an explicit deny in a service control policy" (or
// "a resource control policy"), "… because no service control policy allows the <action> action".
import type { StatementMatch } from "../../lib/policy/types";
import { typeLabel } from "./organization";
import type { Decision } from "./world";

export type PolicyType =
  | "identity-based policy"
  | "session policy"
  | "permissions boundary"
  | "resource-based policy"
  | "service control policy"
  | "resource control policy";

const denying = (matched: StatementMatch[] | undefined) => (matched ?? []).filter((m) => m.effect === "Deny");

/** The kind of policy that refused, and the statements that did (for an explicit deny). An
 * explicit deny by session policies leaves no trace in the role's own results, so what is left
 * over is the session policy (World.decide adds it after the role's evaluation). */
export function deniedBy(result: Decision, hasSessionPolicies: boolean): { type: PolicyType; statements: StatementMatch[] } {
  if (result.organization) return { type: typeLabel(result.organization.type), statements: result.organization.statements };
  if (result.decision === "ExplicitDeny") {
    const identity = denying(result.identity.matched);
    if (identity.length) return { type: "identity-based policy", statements: identity };
    const boundary = denying(result.boundary?.matched);
    if (boundary.length) return { type: "permissions boundary", statements: boundary };
    const resource = denying(result.resource?.matched);
    if (resource.length) return { type: "resource-based policy", statements: resource };
    return { type: "session policy", statements: result.decidingStatements };
  }
  if (result.missing.includes("identity")) {
    // World.decide reports "no session policy allows" as a missing identity grant after the
    // role's own policies allowed.
    const sessionMissing = hasSessionPolicies && result.identity.decision === "Allow";
    return { type: sessionMissing ? "session policy" : "identity-based policy", statements: [] };
  }
  if (result.missing.includes("boundary")) return { type: "permissions boundary", statements: [] };
  return { type: "resource-based policy", statements: [] };
}

/** The reason AWS appends to "User: … is not authorized to perform: … on resource: …". */
export function denialReason(result: Decision, action: string, hasSessionPolicies: boolean): string {
  const { type } = deniedBy(result, hasSessionPolicies);
  const article = type === "identity-based policy" ? "an" : "a";
  return result.decision === "ExplicitDeny" ? `with an explicit deny in ${article} ${type}` : `because no ${type} allows the ${action} action`;
}
