"use server";

import { z } from "zod";
import { awsAccountIdField } from "@/lib/catalog/schemas";
import { protectedAction } from "@/lib/http/action";
import { wizardDocumentInput } from "@/lib/provision/schema";
import { listManagedPolicies, planRole, validatePolicyJson } from "@/lib/provision/service";
import { checkTrustedPrincipals } from "@/lib/provision/trusted-principal";

// The role wizard's server actions: thin adapters over lib/provision/service, each one
// re-authenticated and checked for "provisioning.manage" by protectedAction. Creating the role
// is not here: it streams its progress, so it is the route POST /api/v1/provisioning/apply.

/** Review: the plan (trust, permission and source-side policies, findings) and its exports;
 * a role name the account already has, or a managed policy it does not, comes back at the field. */
export const planRoleAction = protectedAction({ permission: "provisioning.manage", input: wizardDocumentInput }, async ({ actor, input, meta }) => planRole(actor, input, meta));

/** Review: whether the roles the new role trusts are EC2 instance or ECS task roles (GetRole
 * through their accounts' provisioning roles), for the ~/.aws/config export's default. Counted
 * with the Review's checks; what cannot be read comes back "unchecked", never as an error. */
export const checkTrustedPrincipalsAction = protectedAction(
  {
    permission: "provisioning.manage",
    // A trust policy names at most a few principals; 2048 is IAM's longest ARN.
    input: z.object({ principals: z.array(z.string().max(2048, "An ARN has at most 2048 characters")).max(20, "Check at most 20 principals at once") }).strict(),
  },
  async ({ actor, input, meta }) => checkTrustedPrincipals(actor, input.principals, meta),
);

/** What: managed policies of the target account whose name or description contains the query. */
export const listManagedPoliciesAction = protectedAction(
  {
    permission: "provisioning.manage",
    input: z.object({ accountId: awsAccountIdField, query: z.string().max(128, "Search with at most 128 characters") }).strict(),
  },
  async ({ actor, input }) => listManagedPolicies(actor, input.accountId, input.query),
);

/** What: live validation of an inline policy's JSON while it is typed. */
export const validatePolicyJsonAction = protectedAction(
  // 131072: the largest policy document IAM's API accepts (PutRolePolicy).
  { permission: "provisioning.manage", input: z.object({ text: z.string().max(131072, "A policy document has at most 131072 characters") }).strict() },
  async ({ input }) => validatePolicyJson(input.text),
);
