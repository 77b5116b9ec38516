"use server";

import { setEligibility } from "@/lib/access/policy";
import { eligibilityInput } from "@/lib/access/schemas";
import { idField } from "@/lib/catalog/schemas";
import { protectedAction } from "@/lib/http/action";

// Replaces who may ask for the entry and its request policy (PUT /api/v1/roles/{id}/eligibility).
export const setEligibilityAction = protectedAction({ permission: "grants.manage", input: eligibilityInput.extend({ roleId: idField("Role id") }) }, ({ actor, input: { roleId, ...body }, meta }) =>
  setEligibility(actor, roleId, body, meta),
);
