// "Add this statement for me": the trust-policy statement a switch's explanation suggests
// (lib/aws/explain-denial.ts), checked for what it is, and added to a role's current trust
// policy. Pure: the page decides whether to offer the button with the same schema the server
// action parses its input with; the server (lib/provision/trust-fix.ts) reads the current policy
// and writes the result through Edit trust's own path (updateTrust: lint, guardrail, audit).
import { z } from "zod";
import { EXTERNAL_ID_PLACEHOLDER } from "@/lib/aws/explain-denial";
import { AppError } from "@/lib/errors";

/** The actions a role's trust policy must allow the console's broker: AssumeRole, and
 * SetSourceIdentity / TagSession when the switch uses them.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_control-access_monitor.html */
const STS_ACTIONS = ["sts:AssumeRole", "sts:SetSourceIdentity", "sts:TagSession"] as const;

/** An IAM user or role ARN, as a trust policy names the broker. */
const PRINCIPAL_ARN = /^arn:aws(?:-[a-z]+)*:iam::\d{12}:(?:user|role)\/[\w+=,.@/-]{1,512}$/;

/** Exactly the statements explain-denial suggests for a trust policy: Allow, one AWS principal,
 * sts actions only, and at most the ExternalId condition (with the placeholder, never a value:
 * the server puts the stored ExternalId in). Anything else is written on the Edit trust page. */
export const trustFixStatement = z
  .object({
    Effect: z.literal("Allow"),
    Principal: z.object({ AWS: z.string().regex(PRINCIPAL_ARN, "The principal must be an IAM user or role ARN") }).strict(),
    Action: z.union([z.enum(STS_ACTIONS), z.array(z.enum(STS_ACTIONS)).min(1).max(STS_ACTIONS.length)]),
    Condition: z
      .object({ StringEquals: z.object({ "sts:ExternalId": z.literal(EXTERNAL_ID_PLACEHOLDER) }).strict() })
      .strict()
      .optional(),
  })
  .strict();

export type TrustFixStatement = z.infer<typeof trustFixStatement>;

/** Whether an explanation's fix is a trust-policy statement the console can add itself (a fix for
 * the broker's own identity policy is not: that lives in the broker's account). */
export function isTrustFix(statement: unknown): statement is TrustFixStatement {
  return trustFixStatement.safeParse(statement).success;
}

/** Whether `principal` names the broker whose STS identity is `brokerArn`: the IAM user itself,
 * or, for a broker on a role, that role (a trust policy names an assumed-role caller by its
 * role's ARN, with any path). */
export function namesBroker(principal: string, brokerArn: string): boolean {
  if (principal === brokerArn) return true;
  const session = /^arn:([\w-]+):sts::(\d{12}):assumed-role\/([^/]+)\/[^/]+$/.exec(brokerArn);
  if (!session) return false;
  const [, partition, account, roleName] = session;
  const role = /^arn:([\w-]+):iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(principal);
  return Boolean(role && role[1] === partition && role[2] === account && role[3] === roleName);
}

/** Keys sorted at every level, so two statements compare by content. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value)
        .filter((k) => k !== "Sid")
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

const SID = "SwitchboardConsole";

/**
 * The current trust policy with `statement` added (the placeholder ExternalId replaced by the
 * entry's stored one, sts:SetSourceIdentity beside sts:AssumeRole), formatted as the Edit trust
 * page shows policies. When the policy already holds the same statement, it comes back
 * unchanged with `added: false`.
 */
export function addTrustStatement(currentText: string, statement: TrustFixStatement, externalId: string | null): { text: string; added: boolean } {
  let policy: unknown;
  try {
    policy = JSON.parse(currentText);
  } catch {
    policy = undefined;
  }
  if (!policy || typeof policy !== "object" || Array.isArray(policy)) {
    throw new AppError("bad_request", "The role's current trust policy is not a JSON object the console can add to. Edit it on the Edit trust page instead.");
  }
  const document = policy as { Statement?: unknown; [key: string]: unknown };
  const existing = document.Statement === undefined ? [] : Array.isArray(document.Statement) ? document.Statement : [document.Statement];
  // The console's trust rules refuse a policy that lets the broker assume the role but not set a
  // source identity (lib/policy/lint, broker-set-source-identity): an entry may turn source
  // identity on at any time. So a statement that grants AssumeRole carries SetSourceIdentity too,
  // even when this entry's switch did not need it.
  const actions: string[] = [statement.Action].flat();
  const action = actions.includes("sts:AssumeRole") && !actions.includes("sts:SetSourceIdentity") ? STS_ACTIONS.filter((a) => a !== "sts:TagSession" || actions.includes(a)) : statement.Action;
  let concrete: Record<string, unknown> = { ...statement, Action: action };
  if (statement.Condition) {
    if (!externalId) {
      throw new AppError("bad_request", "The statement needs this role entry's ExternalId, and none is stored. Store the ExternalId on the role entry (Edit), then try again.");
    }
    concrete = { ...concrete, Condition: { StringEquals: { "sts:ExternalId": externalId } } };
  }
  const same = JSON.stringify(canonical(concrete));
  if (existing.some((s) => JSON.stringify(canonical(s)) === same)) {
    return { text: JSON.stringify(document, null, 2), added: false };
  }
  // A Sid names the statement for whoever reads the policy next; Sids must be unique in a policy.
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_sid.html
  const sids = new Set(existing.map((s) => (s && typeof s === "object" ? (s as { Sid?: unknown }).Sid : undefined)));
  let sid = SID;
  for (let n = 2; sids.has(sid); n++) sid = `${SID}${n}`;
  const next = { ...document, Statement: [...existing, { Sid: sid, ...concrete }] };
  return { text: JSON.stringify(next, null, 2), added: true };
}
