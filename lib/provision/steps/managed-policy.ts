import "server-only";
import { AttachRolePolicyCommand, DetachRolePolicyCommand } from "@aws-sdk/client-iam";
import { classifyAwsError } from "@/lib/aws/errors";
import { ignoreNoSuchEntity, lastSegment, work, type Op, type StepContext, type Undo, type Work } from "./shared";

/** One AttachRolePolicy per managed policy of the plan, undone with DetachRolePolicy. */
export function managedPolicySteps({ plan }: StepContext): Work[] {
  const target = plan.accountId;
  const role = plan.roleName;
  return plan.managedPolicyArns.map((arn) => {
    const name = lastSegment(arn);
    const op: Op = { doing: `attaching managed policy ${name} to role ${role}`, permission: "iam:AttachRolePolicy", accountId: target, policy: `managed policy ${arn}`, policyArn: arn };
    const undo: Undo = {
      op: { doing: `detaching managed policy ${name} from role ${role}`, permission: "iam:DetachRolePolicy", accountId: target },
      run: async (iam, call) => {
        await call(undo.op, () => iam.send(new DetachRolePolicyCommand({ RoleName: role, PolicyArn: arn }))).catch(ignoreNoSuchEntity);
      },
    };
    return work(
      { id: `managed:${arn}`, label: `Attach managed policy ${name}` },
      target,
      async (iam, call) => {
        await call(
          op,
          () => iam.send(new AttachRolePolicyCommand({ RoleName: role, PolicyArn: arn })),
          // A missing role is eventual consistency; a missing policy is not going to appear.
          (err) => {
            const e = classifyAwsError(err);
            return e.code === "NoSuchEntity" && !e.message.includes(arn);
          },
        );
        return { status: "done", undo };
      },
      undo,
      undo,
    );
  });
}
