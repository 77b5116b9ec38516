"use server";

import { z } from "zod";
import { idField } from "@/lib/catalog/schemas";
import { protectedAction } from "@/lib/http/action";
import { proposeTrustStatement } from "@/lib/provision/trust-fix";
import { trustFixStatement } from "@/lib/provision/trust-statement";
import { updateTrust } from "@/lib/provision/trust-update";

// The trust page's server action: a thin adapter over lib/provision/trust-update, re-authenticated
// and checked for "provisioning.manage" by protectedAction (updateTrust checks it again).

/** Save: write the proposed trust policy with UpdateAssumeRolePolicy. */
export const updateTrustAction = protectedAction(
  {
    permission: "provisioning.manage",
    // Rewriting who may assume a role needs a sign-in from the last 15 minutes.
    stepUp: true,
    input: z
      .object({
        roleId: idField("roleId"),
        // 131072: the largest policy document IAM's API accepts; the lint rules check the quota.
        policy: z.string().min(1, "Write a trust policy").max(131072, "A policy document has at most 131072 characters"),
        acknowledgeWarnings: z.boolean(),
      })
      .strict(),
  },
  async ({ actor, input, meta }) => updateTrust(actor, input.roleId, input.policy, { acknowledgeWarnings: input.acknowledgeWarnings }, meta),
);

/** "Add this statement for me": the live policy and the proposed one with the explanation's
 * statement added, to show as a diff; saving goes through updateTrustAction like any edit. */
export const proposeTrustStatementAction = protectedAction(
  { permission: "provisioning.manage", input: z.object({ roleId: idField("roleId"), statement: trustFixStatement }).strict() },
  async ({ actor, input }) => {
    const { view, proposed, added } = await proposeTrustStatement(actor, input.roleId, input.statement);
    return { view, proposed, added };
  },
);
