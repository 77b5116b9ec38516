import "server-only";
import {
  DeleteRolePolicyCommand,
  DeleteUserPolicyCommand,
  GetRolePolicyCommand,
  GetUserPolicyCommand,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
  type IAMClient,
} from "@aws-sdk/client-iam";
import type { Plan } from "../types";
import { ignoreNoSuchEntity, PlanStepError, safeDecode, sameDocument, undefinedIfMissing, work, type Call, type Op, type StepContext, type Undo, type Work } from "./shared";

// The other half of a cross-account role, in each trusted account: the identity policy that lets
// its principal call sts:AssumeRole on the new role. A policy of the same name already there is
// replaced, and put back on rollback.

/** Where a source-side policy goes: the role or user a principal ARN names. An assumed-role
 * session gets it on its role. An account root names no single principal. */
type SourceTarget = { kind: "role" | "user"; name: string; accountId: string } | { kind: "account" };

export function sourceTargetOf(principal: string): SourceTarget {
  const iam = /^arn:[\w-]+:iam::(\d{12}):(role|user)\/(?:[\x21-\x7e]*\/)?([\w+=,.@-]{1,128})$/.exec(principal);
  if (iam) return { kind: iam[2] as "role" | "user", accountId: iam[1]!, name: iam[3]! };
  const session = /^arn:[\w-]+:sts::(\d{12}):assumed-role\/([\w+=,.@-]{1,64})\/[\w+=,.@-]+$/.exec(principal);
  if (session) return { kind: "role", accountId: session[1]!, name: session[2]! };
  return { kind: "account" };
}

/** One step per source-side policy the plan applies. */
export function sourceSidePolicySteps(ctx: StepContext): Work[] {
  return ctx.plan.sourcePolicies.filter((source) => source.apply).map((source) => sourceSidePolicyStep(ctx, source));
}

function sourceSidePolicyStep({ plan, account }: StepContext, source: Plan["sourcePolicies"][number]): Work {
  const role = plan.roleName;
  const where = source.accountId;
  const dest = sourceTargetOf(source.principal);
  const id = `source:${where}:${source.policyName}:${source.principal}`;
  if (dest.kind === "account") {
    return work({ id, label: `Allow account ${where} to assume the role (policy ${source.policyName})` }, where, async () => ({
      status: "skipped",
      note:
        `${account(where)} is trusted as a whole, so there is no single principal to attach ${source.policyName} to. ` +
        `Its administrators must attach it to the users or roles that will assume ${role}.`,
    }));
  }
  const { kind, name } = dest;
  const label = `Allow ${kind} ${name} in account ${where} to assume the role (policy ${source.policyName})`;
  if (dest.accountId !== where) {
    return work({ id, label }, where, async () => {
      throw new PlanStepError(`The plan is inconsistent: the source-side policy for ${source.principal} is meant for account ${where}. Build the plan again.`);
    });
  }
  const op: Op = {
    doing: `adding policy ${source.policyName} to ${kind} ${name}`,
    permission: kind === "role" ? "iam:PutRolePolicy" : "iam:PutUserPolicy",
    accountId: where,
    thing: `The ${kind} ${name}`,
    policy: `source-side policy ${source.policyName}`,
  };
  const put = (iam: IAMClient, call: Call, document: string, o: Op) =>
    call(o, () =>
      kind === "role"
        ? iam.send(new PutRolePolicyCommand({ RoleName: name, PolicyName: source.policyName, PolicyDocument: document }))
        : iam.send(new PutUserPolicyCommand({ UserName: name, PolicyName: source.policyName, PolicyDocument: document })),
    );
  const restoreOp: Op = {
    doing: `removing policy ${source.policyName} from ${kind} ${name}`,
    permission: kind === "role" ? "iam:DeleteRolePolicy" : "iam:DeleteUserPolicy",
    accountId: where,
  };
  /** Puts back what was there before: the earlier policy of the same name, or nothing. */
  const restore = (previous: string | null): Undo => ({
    op: restoreOp,
    run: async (iam, call) => {
      if (previous !== null) {
        await put(iam, call, previous, { ...restoreOp, doing: `restoring the earlier policy ${source.policyName} of ${kind} ${name}`, permission: op.permission });
        return;
      }
      await call(restoreOp, () =>
        kind === "role"
          ? iam.send(new DeleteRolePolicyCommand({ RoleName: name, PolicyName: source.policyName }))
          : iam.send(new DeleteUserPolicyCommand({ UserName: name, PolicyName: source.policyName })),
      ).catch(ignoreNoSuchEntity);
    },
  });
  // The earlier policy, once read, is in the journal before the put: a crash in between still
  // leaves what is needed to put it back.
  const restoreRemembered: Undo = {
    op: restoreOp,
    run: async (iam, call) => {
      if (w.data) await restore(w.data.previous).run(iam, call);
    },
  };
  const w = work(
    { id, label },
    where,
    async (iam, call, self) => {
      // Read first: a policy of the same name is replaced, and on rollback it comes back.
      const readOp: Op = { ...op, doing: `reading policy ${source.policyName} of ${kind} ${name}`, permission: kind === "role" ? "iam:GetRolePolicy" : "iam:GetUserPolicy" };
      const before = await call(readOp, async (): Promise<{ PolicyDocument?: string }> =>
        kind === "role"
          ? iam.send(new GetRolePolicyCommand({ RoleName: name, PolicyName: source.policyName }))
          : iam.send(new GetUserPolicyCommand({ UserName: name, PolicyName: source.policyName })),
      ).catch(
        // The policy is not there (or the principal is not: then the put below says so).
        undefinedIfMissing,
      );
      if (before?.PolicyDocument !== undefined && sameDocument(before.PolicyDocument, source.document)) {
        return { status: "done" };
      }
      // Kept as IAM returned it (decoded), so a rollback puts back exactly what was there.
      const previous = before?.PolicyDocument === undefined ? null : safeDecode(before.PolicyDocument);
      await self.remember({ previous });
      await put(iam, call, JSON.stringify(source.document), op);
      return { status: "done", undo: restore(previous) };
    },
    restoreRemembered,
    restoreRemembered,
  );
  return w;
}
