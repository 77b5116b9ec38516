// One line about who a role trusts, for the Discover list: "Trusts account 222222222222
// (Development) · requires an ExternalId", and whether the console's broker could assume it.
import { evaluatePolicies, parsePolicy } from "@/lib/policy";
import type { RequestPrincipal, Statement } from "@/lib/policy/types";

export type BrokerAccess = "allowed" | "needs-external-id" | "needs-mfa" | "not-trusted";

export type TrustSummary = { summary: string; brokerAccess: BrokerAccess; principals: string[] };

function brokerPrincipal(arn: string, accountId: string): RequestPrincipal {
  const session = /^arn:([\w-]+):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/.exec(arn);
  if (session) return { type: "assumed-role", arn, accountId, roleArn: `arn:${session[1]}:iam::${session[2]}:role/${session[3]}` };
  return { type: "user", arn, accountId };
}

function describePrincipal(value: string, kind: string, names: Map<string, string>, brokerArn: string): string {
  if (kind === "Service") return value;
  if (kind === "Federated") return value.includes("oidc-provider/") ? `OIDC ${value.split("oidc-provider/")[1]}` : value.includes("saml-provider/") ? `SAML ${value.split("saml-provider/")[1]}` : value;
  if (value === "*") return "any AWS principal";
  if (value === brokerArn) return "this console";
  const account = /^(\d{12})$|^arn:[\w-]+:iam::(\d{12}):root$/.exec(value);
  if (account) {
    const id = account[1] ?? account[2]!;
    return `account ${id}${names.has(id) ? ` (${names.get(id)})` : ""}`;
  }
  if (/^A(IDA|ROA)/.test(value)) return `a deleted principal (${value})`;
  return value.replace(/^arn:[\w-]+:(iam|sts)::/, "");
}

const conditionNotes = (statements: Statement[]) => {
  const keys = new Set(statements.flatMap((s) => Object.values(s.Condition ?? {}).flatMap((block) => Object.keys(block).map((k) => k.toLowerCase()))));
  const notes: string[] = [];
  if (keys.has("sts:externalid")) notes.push("requires an ExternalId");
  if (keys.has("aws:multifactorauthpresent") || keys.has("aws:multifactorauthage")) notes.push("requires MFA");
  if (keys.has("aws:principalorgid")) notes.push("only within the organization");
  return notes;
};

/** Summarises a trust policy and decides whether the broker could assume the role on the trust
 * side (the broker's own identity policy is the other half). */
export function summarizeTrust(trustJson: string, broker: { arn: string; accountId: string }, accountNames: Map<string, string>): TrustSummary {
  const parsed = parsePolicy(trustJson, "trust");
  if (!parsed.ok) return { summary: "Trust policy could not be read", brokerAccess: "not-trusted", principals: [] };
  const allows = parsed.policy.Statement.filter((s) => s.Effect === "Allow");
  const principals: string[] = [];
  for (const s of allows) {
    if (s.Principal === "*") principals.push("anyone");
    else for (const [kind, values] of Object.entries(s.Principal ?? {})) for (const v of values ?? []) principals.push(describePrincipal(v, kind, accountNames, broker.arn));
  }
  const unique = [...new Set(principals)];
  const notes = conditionNotes(allows);
  const summary = unique.length ? `Trusts ${unique.join(", ")}${notes.length ? ` · ${notes.join(" · ")}` : ""}` : "Trusts no one";

  const principal = brokerPrincipal(broker.arn, broker.accountId);
  const request = (context: Record<string, string>) => ({
    principal,
    action: "sts:AssumeRole",
    resource: "*",
    context: { "aws:PrincipalArn": principal.type === "assumed-role" ? principal.roleArn : broker.arn, "aws:PrincipalAccount": broker.accountId, ...context },
  });
  const policies = [{ name: "trust", policy: parsed.policy }];
  let brokerAccess: BrokerAccess = "not-trusted";
  // A Deny naming the broker with no condition refuses it whatever it sends.
  const outrightDenies = { Version: parsed.policy.Version, Statement: parsed.policy.Statement.filter((s) => s.Effect === "Deny" && !s.Condition) };
  if (evaluatePolicies(policies, request({}), "resource").decision === "Allow") brokerAccess = "allowed";
  else if (evaluatePolicies([{ name: "deny", policy: outrightDenies }], request({}), "resource").decision !== "ExplicitDeny") {
    // Would a statement naming the broker apply if it sent an ExternalId, or had MFA?
    const naming = allows.filter((s) => evaluatePolicies([{ name: "s", policy: { Version: parsed.policy.Version, Statement: [{ ...s, Condition: undefined }] } }], request({}), "resource").decision === "Allow");
    const notesFor = conditionNotes(naming);
    if (notesFor.includes("requires an ExternalId")) brokerAccess = "needs-external-id";
    else if (notesFor.includes("requires MFA")) brokerAccess = "needs-mfa";
  }
  return { summary, brokerAccess, principals: unique };
}

/** At most this many principals are named in a reason; the rest are counted. */
const NAMED_PRINCIPALS = 4;

/** Why the console cannot (yet) use a role, for a person, naming who the role trusts today when
 * the console is not among them; null when the trust policy lets the console in. */
export function brokerAccessReason(access: BrokerAccess, principals: string[], brokerArn: string): string | null {
  if (access === "allowed") return null;
  if (access === "needs-external-id") return "The console is trusted only when it sends the agreed ExternalId: enter it to register this role.";
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa_configure-api-require.html
  if (access === "needs-mfa") return "The trust policy requires MFA, which the console's AWS identity cannot provide: switches into it would fail.";
  const others = principals.filter((p) => p !== "this console");
  const named = others.slice(0, NAMED_PRINCIPALS).join(", ") + (others.length > NAMED_PRINCIPALS ? ` and ${others.length - NAMED_PRINCIPALS} more` : "");
  return others.length
    ? `Not trusted by the console (${brokerArn}): the role trusts only ${named}. Add the console to its trust policy before registering it.`
    : `Not trusted by the console (${brokerArn}): the role trusts no one. Add the console to its trust policy before registering it.`;
}
