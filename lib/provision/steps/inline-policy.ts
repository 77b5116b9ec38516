import "server-only";
import { DeleteRolePolicyCommand, PutRolePolicyCommand } from "@aws-sdk/client-iam";
import { hasAwsCode } from "@/lib/aws/errors";
import { ignoreNoSuchEntity, work, type Op, type StepContext, type Undo, type Work } from "./shared";

/** One PutRolePolicy per inline policy of the plan, undone with DeleteRolePolicy. */
export function inlinePolicySteps({ plan }: StepContext): Work[] {
  const target = plan.accountId;
  const role = plan.roleName;
  return plan.inlinePolicies.map((inline) => {
    const op: Op = { doing: `adding inline policy ${inline.name} to role ${role}`, permission: "iam:PutRolePolicy", accountId: target, policy: `inline policy ${inline.name}` };
    const undo: Undo = {
      op: { doing: `deleting inline policy ${inline.name} of role ${role}`, permission: "iam:DeleteRolePolicy", accountId: target },
      run: async (iam, call) => {
        await call(undo.op, () => iam.send(new DeleteRolePolicyCommand({ RoleName: role, PolicyName: inline.name }))).catch(ignoreNoSuchEntity);
      },
    };
    return work(
      { id: `inline:${inline.name}`, label: `Add inline policy ${inline.name}` },
      target,
      async (iam, call) => {
        await call(
          op,
          () => iam.send(new PutRolePolicyCommand({ RoleName: role, PolicyName: inline.name, PolicyDocument: JSON.stringify(inline.document) })),
          // The role was created a moment ago.
          (err) => hasAwsCode(err, "NoSuchEntity"),
        );
        return { status: "done", undo };
      },
      undo,
      undo,
    );
  });
}
