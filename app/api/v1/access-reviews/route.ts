import { applyReview, listStandingGrants } from "@/lib/access/reviews";
import { listReviewQuery, reviewInput } from "@/lib/access/review-schemas";
import { apiRoute } from "@/lib/http/api";

// GET /api/v1/access-reviews?unusedDays=90 — standing grants with their last use and last review
export const GET = apiRoute({ permission: "grants.manage", query: listReviewQuery }, async ({ actor, query }) => listStandingGrants(actor, query));

// POST /api/v1/access-reviews — { decisions: [{ grantId, decision: keep | convert | remove }] }: all or nothing
export const POST = apiRoute({ permission: "grants.manage", body: reviewInput }, async ({ actor, body, meta }) => ({ review: await applyReview(actor, body, meta) }));
