import "server-only";
import { CreateRoleCommand, DeleteRoleCommand, GetRoleCommand, type IAMClient } from "@aws-sdk/client-iam";
import { hasAwsCode, isInvalidPrincipal } from "@/lib/aws/errors";
import { iamTags, ignoreNoSuchEntity, notFoundYet, retried, sameDocument, undefinedIfMissing, work, type Call, type Op, type StepContext, type Undo, type Work } from "./shared";

/** Creates the role with its trust policy, boundary and tags. An "Invalid principal" is retried:
 * a principal created moments ago may not be visible to IAM yet. */
export function createRoleStep({ plan, recent }: StepContext): Work {
  const target = plan.accountId;
  const role = plan.roleName;

  /** Whether the role there is the one this run created. `wait`: the create's outcome is
   * unknown, and a role created a moment ago may not be visible yet, so "not found" is asked
   * again (within the retry budget) before it is believed. */
  const roleIsOurs = async (iam: IAMClient, call: Call, wait = false) => {
    const found = await call(
      { doing: `reading role ${role}`, permission: "iam:GetRole", accountId: target },
      () => iam.send(new GetRoleCommand({ RoleName: role })),
      wait ? notFoundYet : undefined,
    ).catch(undefinedIfMissing);
    const r = found?.Role;
    return !!r && r.Path === plan.path && recent(r.CreateDate) && sameDocument(r.AssumeRolePolicyDocument, plan.trustPolicy);
  };
  const deleteRole: Undo = {
    op: { doing: `deleting role ${role}`, permission: "iam:DeleteRole", accountId: target },
    run: async (iam, call) => {
      await call(deleteRole.op, () => iam.send(new DeleteRoleCommand({ RoleName: role }))).catch(ignoreNoSuchEntity);
    },
  };
  const createRoleOp: Op = { doing: `creating role ${role}`, permission: "iam:CreateRole", accountId: target, thing: `A role named ${role}`, policy: "the trust policy" };

  return work(
    { id: "role", label: `Create role ${role}` },
    target,
    async (iam, call, w) => {
      try {
        await call(
          createRoleOp,
          () =>
            iam.send(
              new CreateRoleCommand({
                RoleName: role,
                Path: plan.path,
                AssumeRolePolicyDocument: JSON.stringify(plan.trustPolicy),
                Description: plan.description || undefined,
                MaxSessionDuration: plan.maxSessionDuration,
                PermissionsBoundary: plan.permissionsBoundaryArn ?? undefined,
                Tags: iamTags(plan),
              }),
            ),
          isInvalidPrincipal,
        );
      } catch (err) {
        // An earlier attempt may have created the role before its answer was lost; then the
        // role that "already exists" is this run's, and it is kept (and undone on failure).
        if (!(hasAwsCode(err, "EntityAlreadyExists") && retried(w, err) && (await roleIsOurs(iam, call)))) throw err;
      }
      return { status: "done", undo: deleteRole };
    },
    {
      op: deleteRole.op,
      run: async (iam, call) => {
        if (await roleIsOurs(iam, call, true)) await deleteRole.run(iam, call);
      },
    },
    deleteRole,
  );
}
