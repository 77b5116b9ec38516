"use server";

import { reviewInput } from "@/lib/access/review-schemas";
import { applyReview } from "@/lib/access/reviews";
import { protectedAction } from "@/lib/http/action";

/** The Access review page's bulk bar: keep, convert to eligible, or remove (all or nothing). */
export const reviewGrantsAction = protectedAction({ permission: "grants.manage", input: reviewInput }, async ({ actor, input, meta }) => applyReview(actor, input, meta));
