"use server";

import { z } from "zod";
import { protectedAction } from "@/lib/http/action";
import { revokeUserSessions } from "@/lib/revocation/revoke";
import { clearSignInLock } from "@/lib/users/clear-sign-in-lock";
import { createUser } from "@/lib/users/create-user";
import { createUserInput, updateUserInput, userIdField } from "@/lib/users/schemas";
import { updateUser } from "@/lib/users/update-user";

export const createUserAction = protectedAction({ permission: "users.manage", input: createUserInput }, ({ actor, input, meta }) =>
  createUser(actor, input, meta),
);

export const updateUserAction = protectedAction(
  { permission: "users.manage", input: z.object({ id: userIdField, patch: updateUserInput }).strict() },
  ({ actor, input, meta }) => updateUser(actor, input.id, input.patch, meta),
);

export const clearSignInLockAction = protectedAction({ permission: "users.manage", input: z.object({ id: userIdField }).strict() }, ({ actor, input, meta }) =>
  clearSignInLock(actor, input.id, meta),
);

// Needs no step-up (lib/revocation/revoke.ts says why): it only ever takes access away.
export const revokeUserSessionsAction = protectedAction({ permission: "sessions.revoke", input: z.object({ id: userIdField }).strict() }, async ({ actor, input, meta }) =>
  (await revokeUserSessions(actor, input.id, meta)).roles,
);
