import "server-only";
import { classifyAwsError, describeAwsError, isInvalidPrincipal, isTimeout, outcomeUnknown } from "@/lib/aws/errors";
import { PlanStepError, ProvisioningUnreachable, type Op } from "./shared";

/** A failed IAM call of a step in plain words: what was being done, in which account, and what
 * to do about it (grant which permission, choose another name, wait and try again). `attempts`:
 * how many times the call was made. */
export function explainStepFailure(err: unknown, op: Op, account: (id: string) => string, attempts: number): string {
  const where = account(op.accountId);
  if (err instanceof PlanStepError || err instanceof ProvisioningUnreachable) return err.message;
  const e = classifyAwsError(err);
  const tries = attempts > 1 ? ` (tried ${attempts} times)` : "";
  // No HTTP answer at all: a timeout, the network, the endpoint, or the credentials.
  if (e.httpStatus === undefined) {
    if (isTimeout(err)) return `IAM in ${where} did not answer in time while ${op.doing}${tries}. Try again later.`;
    return `${describeAwsError(err, `finish ${op.doing} in ${where}`)}${tries}`;
  }
  if (e.kind === "denied") {
    // AWS names the refused action ("… is not authorized to perform: iam:PassRole on resource …"),
    // which may differ from the call's own (AddRoleToInstanceProfile also needs iam:PassRole).
    const action = /perform: ([\w-]+:[\w*]+)/.exec(e.message)?.[1] ?? op.permission;
    const because = /\bbecause (.+?)\.?$/.exec(e.message)?.[1];
    return (
      `The provisioning role in ${where} is not allowed to ${action} (needed for ${op.doing})` +
      (because ? `: ${because}.` : ".") +
      ` Grant it ${action}, then try again.`
    );
  }
  if (e.kind === "throttled") {
    return `IAM in ${where} kept throttling requests while ${op.doing}${tries}. Wait a minute and try again.`;
  }
  switch (e.code) {
    case "EntityAlreadyExists":
      return `${op.thing ?? "It"} already exists in ${where}. Choose another name, or remove the existing one first.`;
    case "MalformedPolicyDocument":
      if (isInvalidPrincipal(err)) {
        return (
          `IAM does not accept a principal that ${op.policy ?? "the policy"} names (${e.message})${tries}. ` +
          `If it was created moments ago, try again in a minute; otherwise check that it exists.`
        );
      }
      return `IAM refused ${op.policy ?? "a policy"} as malformed while ${op.doing}: ${e.message}`;
    case "LimitExceeded":
      return `${where} is at an IAM limit, so ${op.doing} failed: ${e.message}. Remove something there first, or ask AWS to raise the quota.`;
    case "NoSuchEntity":
      if (op.policyArn && e.message.includes(op.policyArn)) {
        return `The managed policy ${op.policyArn} does not exist in ${where}, or cannot be attached to a role.`;
      }
      if (op.permission === "iam:CreateRole" && /scope arn|boundary/i.test(e.message)) {
        return `The permissions boundary policy does not exist in ${where}: ${e.message}`;
      }
      if (op.thing && /^The (user|role) /.test(op.thing)) return `${op.thing} does not exist in ${where}.`;
      return `IAM could not find what it needed while ${op.doing} in ${where}${tries}: ${e.message}. If it was created moments ago, try again in a minute.`;
    case "DeleteConflict":
      return `IAM refused ${op.doing} in ${where} because something still depends on it: ${e.message}`;
    case "ConcurrentModification":
      return `Another change to IAM in ${where} was in progress while ${op.doing}. Try again.`;
    case "UnmodifiableEntity":
      return `IAM refused ${op.doing} in ${where}: it is protected (${e.message}).`;
    case "ValidationError":
    case "InvalidInput":
      return `IAM refused ${op.doing} in ${where}: ${e.message}`;
    default:
      if (outcomeUnknown(err)) {
        return `IAM failed while ${op.doing} in ${where} (${e.code}: ${e.message})${tries}. Try again later.`;
      }
      return `IAM refused ${op.doing} in ${where}: ${e.code}: ${e.message}`;
  }
}
