import "server-only";
import {
  AddRoleToInstanceProfileCommand,
  CreateInstanceProfileCommand,
  DeleteInstanceProfileCommand,
  GetInstanceProfileCommand,
  RemoveRoleFromInstanceProfileCommand,
  type IAMClient,
} from "@aws-sdk/client-iam";
import { hasAwsCode } from "@/lib/aws/errors";
import { iamTags, ignoreNoSuchEntity, notFoundYet, retried, undefinedIfMissing, work, type Call, type Op, type StepContext, type Undo, type Work } from "./shared";

/** For a role EC2 may assume: create its instance profile, then add the role to it (two steps,
 * each undone on its own). */
export function instanceProfileSteps({ plan, recent }: StepContext): Work[] {
  const profile = plan.instanceProfile;
  if (!profile) return [];
  const target = plan.accountId;
  const role = plan.roleName;

  const profileIsOurs = async (iam: IAMClient, call: Call, wait = false) => {
    const found = await call(
      { doing: `reading instance profile ${profile.name}`, permission: "iam:GetInstanceProfile", accountId: target },
      () => iam.send(new GetInstanceProfileCommand({ InstanceProfileName: profile.name })),
      wait ? notFoundYet : undefined,
    ).catch(undefinedIfMissing);
    const p = found?.InstanceProfile;
    return !!p && p.Path === profile.path && recent(p.CreateDate) && (p.Roles ?? []).every((r) => r.RoleName === role);
  };
  const deleteProfile: Undo = {
    op: { doing: `deleting instance profile ${profile.name}`, permission: "iam:DeleteInstanceProfile", accountId: target },
    run: async (iam, call) => {
      await call(deleteProfile.op, () => iam.send(new DeleteInstanceProfileCommand({ InstanceProfileName: profile.name }))).catch(ignoreNoSuchEntity);
    },
  };
  const createOp: Op = {
    doing: `creating instance profile ${profile.name}`,
    permission: "iam:CreateInstanceProfile",
    accountId: target,
    thing: `An instance profile named ${profile.name}`,
  };
  const create = work(
    { id: "instance-profile", label: `Create instance profile ${profile.name}` },
    target,
    async (iam, call, w) => {
      try {
        await call(createOp, () => iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: profile.name, Path: profile.path, Tags: iamTags(plan) })));
      } catch (err) {
        if (!(hasAwsCode(err, "EntityAlreadyExists") && retried(w, err) && (await profileIsOurs(iam, call)))) throw err;
      }
      return { status: "done", undo: deleteProfile };
    },
    {
      op: deleteProfile.op,
      run: async (iam, call) => {
        if (await profileIsOurs(iam, call, true)) await deleteProfile.run(iam, call);
      },
    },
    deleteProfile,
  );

  const removeRole: Undo = {
    op: { doing: `removing role ${role} from instance profile ${profile.name}`, permission: "iam:RemoveRoleFromInstanceProfile", accountId: target },
    run: async (iam, call) => {
      await call(removeRole.op, () => iam.send(new RemoveRoleFromInstanceProfileCommand({ InstanceProfileName: profile.name, RoleName: role }))).catch(ignoreNoSuchEntity);
    },
  };
  const addRole = work(
    { id: "instance-profile-role", label: `Add role ${role} to instance profile ${profile.name}` },
    target,
    async (iam, call, w) => {
      try {
        await call(
          { doing: `adding role ${role} to instance profile ${profile.name}`, permission: "iam:AddRoleToInstanceProfile", accountId: target },
          () => iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: profile.name, RoleName: role })),
          // The role and the profile were created a moment ago.
          notFoundYet,
        );
      } catch (err) {
        // One role per profile: after a lost answer, "limit exceeded" may mean it is already in.
        if (!(hasAwsCode(err, "LimitExceeded") && retried(w, err) && (await profileIsOurs(iam, call)))) throw err;
      }
      return { status: "done", undo: removeRole };
    },
    removeRole,
    removeRole,
  );
  return [create, addRole];
}
