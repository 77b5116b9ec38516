// Writing policies back out, and measuring them the way IAM's quotas do.

import type { ConditionBlock, Policy, PrincipalBlock, Statement } from "./types";

/** Characters that count against IAM's policy size quotas: everything but whitespace.
 * "IAM doesn't count white space when calculating the size of a policy against these limits."
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
 * Whitespace here is what JSON allows between tokens (space, TAB, LF, CR), wherever it occurs;
 * other characters are counted once per Unicode code point. */
export function countPolicyCharacters(json: string): number {
  let count = 0;
  for (const char of json) {
    if (char !== " " && char !== "\t" && char !== "\n" && char !== "\r") count++;
  }
  return count;
}

type Json = string | Json[] | { [key: string]: Json };

/** A single value is written as a plain string, the way people write policies. */
function list(values: string[]): Json {
  return values.length === 1 && values[0] !== undefined ? values[0] : values;
}

function principal(block: PrincipalBlock): Json {
  if (block === "*") return "*";
  const out: Record<string, Json> = {};
  for (const type of ["AWS", "Service", "Federated", "CanonicalUser"] as const) {
    const values = block[type];
    if (values) out[type] = list(values);
  }
  return out;
}

function condition(block: ConditionBlock): Json {
  const out: Record<string, Json> = {};
  for (const [operator, keys] of Object.entries(block)) {
    const entries: Record<string, Json> = {};
    for (const [key, values] of Object.entries(keys)) entries[key] = list(values);
    out[operator] = entries;
  }
  return out;
}

function statement(s: Statement): Json {
  const out: Record<string, Json> = {};
  if (s.Sid !== undefined) out.Sid = s.Sid;
  out.Effect = s.Effect;
  if (s.Principal) out.Principal = principal(s.Principal);
  if (s.NotPrincipal) out.NotPrincipal = principal(s.NotPrincipal);
  if (s.Action) out.Action = list(s.Action);
  if (s.NotAction) out.NotAction = list(s.NotAction);
  if (s.Resource) out.Resource = list(s.Resource);
  if (s.NotResource) out.NotResource = list(s.NotResource);
  if (s.Condition) out.Condition = condition(s.Condition);
  return out;
}

/** Pretty JSON (2 spaces) in the conventional key order: Version, Id, Statement; and Sid,
 * Effect, Principal, NotPrincipal, Action, NotAction, Resource, NotResource, Condition. */
export function formatPolicy(policy: Policy): string {
  const out: Record<string, Json> = {};
  if (policy.Version !== undefined) out.Version = policy.Version;
  if (policy.Id !== undefined) out.Id = policy.Id;
  out.Statement = policy.Statement.map(statement);
  return JSON.stringify(out, null, 2);
}
