import { Download, ScrollText } from "lucide-react";
import Link from "next/link";
import { buttonClass } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Alert } from "@/components/ui/field";
import { PageHeader } from "@/components/ui/page-header";
import { listAccounts } from "@/lib/accounts/accounts";
import { AUDIT_ACTIONS } from "@/lib/audit/actions";
import { auditFilter, listAuditEvents } from "@/lib/audit/list-events";
import { hasPermission } from "@/lib/auth/actor";
import { requirePage } from "@/lib/auth/guard";
import { describeZodError } from "@/lib/http/validation";
import { AuditTable } from "./audit-table";
import { FilterBar } from "./filter-bar";
import { FILTER_KEYS, filtersOnly, normalizeParams, toInputValue } from "./filters";

export const metadata = { title: "Audit" };

/** What the export route takes at most (app/api/v1/audit-events/route.ts). */
const EXPORT_LIMIT = 10_000;

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requirePage("audit.read");
  const typed = normalizeParams(await searchParams);
  // A filter that does not parse is named at its field and left out; the others still apply, so
  // the table and the exports stay (unknown parameters are ignored).
  const known = ["before", "limit", ...FILTER_KEYS];
  const errors: Record<string, string> = {};
  const first = auditFilter.safeParse(Object.fromEntries(Object.entries(typed).filter(([key]) => known.includes(key))));
  if (!first.success) Object.assign(errors, describeZodError(first.error).fields);
  const params = Object.fromEntries(Object.entries(typed).filter(([key]) => known.includes(key) && !(key in errors)));
  const parsed = first.success ? first : auditFilter.safeParse(params);
  const [{ events, nextBefore }, accounts] = await Promise.all([
    parsed.success ? listAuditEvents(actor, parsed.data) : Promise.resolve({ events: [], nextBefore: null }),
    hasPermission(actor, "accounts.read") ? listAccounts(actor) : Promise.resolve([]),
  ]);
  const filters = filtersOnly(params);
  const shown = filtersOnly(typed);
  const filtered = Object.keys(filters).length > 0;
  const exportHref = (format: "csv" | "json") => `/api/v1/audit-events?${new URLSearchParams({ ...filters, format })}`;
  return (
    <>
      <PageHeader
        title="Audit log"
        description="Every sign-in, change and AWS session the console issues, newest first. Credentials and sign-in links are never recorded."
        actions={
          parsed.success ? (
            <>
              <a href={exportHref("csv")} download className={buttonClass("secondary")} title={`Up to ${EXPORT_LIMIT.toLocaleString("en")} events${filtered ? " matching the filters" : ""}`}>
                <Download className="h-4 w-4" aria-hidden />
                Export CSV
              </a>
              <a href={exportHref("json")} download className={buttonClass("secondary")} title={`Up to ${EXPORT_LIMIT.toLocaleString("en")} events${filtered ? " matching the filters" : ""}`}>
                <Download className="h-4 w-4" aria-hidden />
                Export JSON
              </a>
            </>
          ) : null
        }
      />
      <div className="space-y-4">
        <FilterBar
          actions={AUDIT_ACTIONS}
          accounts={accounts.map((a) => ({ accountId: a.accountId, name: a.name }))}
          errors={errors}
          values={{
            actor: shown.actor ?? "",
            action: shown.action ?? "",
            outcome: shown.outcome ?? "",
            account: shown.account ?? "",
            from: toInputValue(shown.from),
            to: toInputValue(shown.to),
          }}
        />
        {filters.request ? (
          <Alert tone="info" title="One access request's story">
            The request, each decision, the switches made under it, its end and the revocation of live sessions.{" "}
            <Link href={`/requests/${filters.request}`} className="font-medium underline">
              Open the request
            </Link>
          </Alert>
        ) : null}
        {Object.keys(errors).length ? (
          <Alert tone="warning" title={Object.keys(errors).length === 1 ? "One filter was not applied" : "Some filters were not applied"}>
            {describeZodError(first.error!).message}. The events below match the other filters.
          </Alert>
        ) : null}
        {parsed.success && events.length === 0 ? (
          <EmptyState
            icon={<ScrollText className="h-5 w-5" aria-hidden />}
            title={filtered ? "No events match these filters" : "No events yet"}
            actions={
              filtered ? (
                <Link href="/audit" className={buttonClass("secondary")}>
                  Clear the filters
                </Link>
              ) : null
            }
          >
            {filtered ? "Widen the time range or clear a filter." : "Events appear here as people sign in, change the registry and switch into roles."}
          </EmptyState>
        ) : null}
        {events.length ? <AuditTable events={events} /> : null}
        {params.before || nextBefore ? (
          <nav aria-label="Pages" className="flex items-center justify-between text-sm">
            {params.before ? (
              <Link className="font-medium text-indigo-600 hover:underline" href={filtered ? `/audit?${new URLSearchParams(filters)}` : "/audit"}>
                ← Newest events
              </Link>
            ) : (
              <span />
            )}
            {nextBefore ? (
              <Link className="font-medium text-indigo-600 hover:underline" href={`/audit?${new URLSearchParams({ ...params, before: nextBefore })}`}>
                Older events →
              </Link>
            ) : null}
          </nav>
        ) : null}
      </div>
    </>
  );
}
