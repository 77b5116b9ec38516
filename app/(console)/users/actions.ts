"use server";

import { z } from "zod";
import { protectedAction } from "@/lib/http/action";
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
