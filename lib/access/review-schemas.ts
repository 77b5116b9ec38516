// What an access review of standing grants takes (issue 15 §3): the page's server action and
// GET/POST /api/v1/access-reviews parse with these. Shared: no I/O.
import { z } from "zod";
import { idField } from "@/lib/catalog/schemas";

/** A review decides at most this many grants at once (one transaction, an audit event each). */
export const MAX_REVIEW_DECISIONS = 500;

/** How long unused makes a grant "unused" by default, and the choices the page offers. */
export const DEFAULT_UNUSED_DAYS = 90;
export const UNUSED_DAY_CHOICES = [30, 60, 90, 180, 365] as const;
/** Ten years: anything longer is "never". */
const MAX_UNUSED_DAYS = 3650;

export const REVIEW_DECISIONS = ["keep", "convert", "remove"] as const;
export type ReviewDecision = (typeof REVIEW_DECISIONS)[number];

const unusedDaysField = z.coerce
  .number({ error: "unusedDays must be a whole number of days" })
  .int("unusedDays must be a whole number of days")
  .min(1, "unusedDays must be at least 1")
  .max(MAX_UNUSED_DAYS, `unusedDays must be at most ${MAX_UNUSED_DAYS}`);

export const listReviewQuery = z.object({ unusedDays: unusedDaysField.default(DEFAULT_UNUSED_DAYS) }).strict();
export type ListReviewQuery = z.infer<typeof listReviewQuery>;

export const reviewInput = z
  .object({
    decisions: z
      .array(
        z
          .object({
            grantId: idField("grantId"),
            decision: z.enum(REVIEW_DECISIONS, { error: 'decision must be "keep", "convert" or "remove"' }),
          })
          .strict(),
      )
      .min(1, "Choose at least one grant")
      .max(MAX_REVIEW_DECISIONS, `Decide at most ${MAX_REVIEW_DECISIONS} grants at once`)
      .refine((list) => new Set(list.map((d) => d.grantId)).size === list.length, "Each grant may appear only once in a review"),
    /** The threshold the reviewer looked at (recorded with the review); optional. */
    unusedDays: unusedDaysField.optional(),
  })
  .strict();
export type ReviewInput = z.infer<typeof reviewInput>;

// What GET /api/v1/access-reviews answers and the page draws (lib/access/reviews.ts builds it).

export type ReviewGrantDto = {
  id: string;
  roleId: string;
  roleLabel: string;
  roleName: string;
  roleArn: string;
  accountName: string;
  /** The account's registry id (for filtering by account). */
  accountRef: string;
  awsAccountId: string;
  /** Exactly one of user / group. */
  user: { id: string; email: string; name: string } | null;
  group: string | null;
  grantedAt: string;
  /** The administrator who granted it (email); null once they were deleted. */
  grantedBy: string | null;
  expiresAt: string | null;
  /** The last successful switch into the role by the person (a group grant: by any current
   * member of the group); null: never, as far as the audit log goes back. */
  lastUsedAt: string | null;
  /** Who used it last (for a group grant, which member). */
  lastUsedBy: string | null;
  /** Not used within the chosen number of days. */
  unused: boolean;
  /** The last review that kept it. */
  lastKept: { at: string; by: string | null } | null;
};

export type LastReview = { at: string; by: string | null; kept: number; converted: number; removed: number };

export type AccessReviewList = { asOf: string; unusedDays: number; grants: ReviewGrantDto[]; lastReview: LastReview | null };

export type ReviewSummary = {
  reviewId: string;
  at: string;
  kept: number;
  converted: number;
  removed: number;
  /** Of the converted: eligibility rows made, and those that existed already. */
  eligibilityCreated: number;
  eligibilityExisting: number;
};
