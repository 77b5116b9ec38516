import { getEligibility, setEligibility } from "@/lib/access/policy";
import { eligibilityInput, roleParams } from "@/lib/access/schemas";
import { apiRoute } from "@/lib/http/api";

// GET /api/v1/roles/{id}/eligibility — who may ask for the entry, and its request policy
export const GET = apiRoute({ permission: "grants.manage", params: roleParams }, async ({ actor, params }) => ({
  eligibility: await getEligibility(actor, params.id),
}));

// PUT /api/v1/roles/{id}/eligibility — replace who may ask for it and the policy { userEmails, groups, policy }
export const PUT = apiRoute({ permission: "grants.manage", params: roleParams, body: eligibilityInput }, async ({ actor, params, body, meta }) => ({
  eligibility: await setEligibility(actor, params.id, body, meta),
}));
