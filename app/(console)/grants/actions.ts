"use server";

import { createGrants, deleteGrants, updateGrant } from "@/lib/catalog/grants";
import { createGrantsInput, deleteGrantsInput, updateGrantActionInput } from "@/lib/catalog/schemas";
import { protectedAction } from "@/lib/http/action";

// Many grants at once (the Grants page); one grant at a time stays in the Roles page's dialog.

export const createGrantsAction = protectedAction({ permission: "grants.manage", input: createGrantsInput }, async ({ actor, input, meta }) => {
  const { created, existing } = await createGrants(actor, input, meta);
  return { created: created.length, existing: existing.length };
});

export const deleteGrantsAction = protectedAction({ permission: "grants.manage", input: deleteGrantsInput }, async ({ actor, input, meta }) => {
  const removed = await deleteGrants(actor, input.ids, meta);
  // Who lost access where: the page offers to end their live sessions in those roles.
  return { removed: removed.map((g) => ({ roleId: g.roleId, roleLabel: g.roleLabel, userEmail: g.user?.email ?? null, group: g.group })) };
});

/** A grant's expiry changed or removed (the Grants page and the Roles page's Grants dialog). */
export const updateGrantExpiryAction = protectedAction({ permission: "grants.manage", input: updateGrantActionInput }, async ({ actor, input, meta }) => {
  const grant = await updateGrant(actor, input.id, { expiresAt: input.expiresAt }, meta);
  return { id: grant.id, expiresAt: grant.expiresAt };
});
