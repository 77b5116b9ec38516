import "server-only";
import { assertPermission, type Actor } from "@/lib/auth/actor";
import { getRole } from "@/lib/catalog/roles";
import { AppError } from "@/lib/errors";
import { addTrustStatement, namesBroker, type TrustFixStatement } from "./trust-statement";
import { getTrust, type TrustView } from "./trust-update";

// "Add this statement for me", the read half: the role's live trust policy (through its
// account's provisioning role, as Edit trust reads it) and the proposed one with the explanation's
// statement added, for the person to see the diff before anything is written. The write half is
// Edit trust's own: updateTrust (lint, guardrail, UpdateAssumeRolePolicy, audited as
// provisioning.trust_update). Nothing here writes.

export type TrustProposal = {
  view: TrustView;
  /** The proposed policy, formatted like view.current. */
  proposed: string;
  /** False when the policy already holds the statement (nothing to add). */
  added: boolean;
};

export async function proposeTrustStatement(actor: Actor, roleId: string, statement: TrustFixStatement): Promise<TrustProposal> {
  assertPermission(actor, "provisioning.manage");
  const [view, role] = await Promise.all([getTrust(actor, roleId), getRole(actor, roleId)]);
  // The button adds the console's own broker, as the explanation says; any other principal is
  // for the Edit trust page, where the person writes it themselves.
  const broker = view.target.broker?.arn;
  if (!broker || !namesBroker(statement.Principal.AWS, broker)) {
    throw new AppError(
      "bad_request",
      `The statement names ${statement.Principal.AWS}, which is not the console's broker${broker ? ` (${broker})` : ""}. Test the role again for a current suggestion, or edit the trust policy yourself.`,
    );
  }
  const { text, added } = addTrustStatement(view.current, statement, role.externalId ?? null);
  return { view, proposed: text, added };
}
