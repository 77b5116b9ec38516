import Link from "next/link";
import { PageHeader } from "@/components/ui/page-header";
import { DEFAULT_UNUSED_DAYS, UNUSED_DAY_CHOICES } from "@/lib/access/review-schemas";
import { listStandingGrants } from "@/lib/access/reviews";
import { requirePage } from "@/lib/auth/guard";
import { ReviewClient } from "./review-client";

export const metadata = { title: "Access review" };

const one = (value: string | string[] | undefined, max: number) => (typeof value === "string" ? value.slice(0, max) : "");

export default async function AccessReviewPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requirePage("grants.manage");
  const params = await searchParams;
  // Only the offered choices: anything else in the address falls back to the default.
  const asked = Number(one(params.days, 4));
  const unusedDays = (UNUSED_DAY_CHOICES as readonly number[]).includes(asked) ? asked : DEFAULT_UNUSED_DAYS;
  const review = await listStandingGrants(actor, { unusedDays });
  return (
    <>
      <PageHeader
        title="Access review"
        description="Standing grants, with when each was last used. Keep what is still needed, turn the rest into access on request (the person or group becomes eligible to ask for it), or remove it."
        actions={
          <Link href="/grants" className="text-sm font-medium text-indigo-700 hover:underline">
            All grants
          </Link>
        }
      />
      <ReviewClient review={review} view={{ unusedOnly: one(params.unused, 1) === "1", account: one(params.account, 26) }} />
    </>
  );
}
