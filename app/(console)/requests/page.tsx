import { PageHeader } from "@/components/ui/page-header";
import { listAccessRequests, listRequestableRoles } from "@/lib/access/requests";
import { hasPermission } from "@/lib/auth/actor";
import { requirePage } from "@/lib/auth/guard";
import { RequestsClient, type RequestsTab } from "./requests-client";

export const metadata = { title: "Access requests" };

const TABS: readonly RequestsTab[] = ["ask", "mine", "approve", "review", "all"];
const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

// Anyone signed in may look: people who switch ask here; approvers (named by each role's
// policy, whatever their console role) decide here; administrators and auditors see every
// request. Each step is checked by its operation (lib/access/requests.ts).
export default async function RequestsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requirePage();
  const params = await searchParams;
  const canAsk = hasPermission(actor, "sessions.create");
  const seesAll = hasPermission(actor, "grants.manage") || hasPermission(actor, "audit.read");
  const [requestable, mine, toApprove, toReview, all] = await Promise.all([
    canAsk ? listRequestableRoles(actor) : Promise.resolve(null),
    canAsk ? listAccessRequests(actor, { view: "mine", status: "any", limit: 100 }) : Promise.resolve(null),
    listAccessRequests(actor, { view: "to-approve", status: "pending", limit: 100 }),
    listAccessRequests(actor, { view: "to-review", status: "any", limit: 100 }),
    seesAll ? listAccessRequests(actor, { view: "all", status: "any", limit: 200 }) : Promise.resolve(null),
  ]);
  const asked = typeof params.tab === "string" && (TABS as readonly string[]).includes(params.tab) ? (params.tab as RequestsTab) : null;
  const fallback: RequestsTab = toApprove.length ? "approve" : toReview.length ? "review" : canAsk ? "ask" : "all";
  const ask = typeof params.ask === "string" && ULID.test(params.ask) ? params.ask : null;
  return (
    <>
      <PageHeader
        title="Access requests"
        description="Ask for a role for a time, with a reason; an approver decides, and the access ends by itself. Approvers decide here."
      />
      {/* Keyed by what the address asks for: a client-side navigation to another ?ask= or ?tab=
          (the Switch Role menu's Request) starts the page's state afresh. */}
      <RequestsClient
        key={`${ask ?? ""}:${asked ?? ""}`}
        tab={ask ? "ask" : (asked ?? fallback)}
        ask={ask}
        requestable={requestable}
        mine={mine}
        toApprove={toApprove}
        toReview={toReview}
        all={all}
        asOf={new Date().toISOString()}
      />
    </>
  );
}
