import { Download, ScrollText } from "lucide-react";
import Link from "next/link";
import { buttonClass } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Alert } from "@/components/ui/field";
import { PageHeader } from "@/components/ui/page-header";
import { auditFilter, listAuditEvents } from "@/lib/audit/list-events";
import { AUDIT_ACTIONS } from "@/lib/audit/record";
import { requirePage } from "@/lib/auth/guard";
import { describeZodError } from "@/lib/http/validation";
import { AuditTable } from "./audit-table";
import { FilterBar } from "./filter-bar";
import { filtersOnly, normalizeParams, toInputValue } from "./filters";

export const metadata = { title: "Audit" };

/** What the export route takes at most (app/api/v1/audit-events/route.ts). */
const EXPORT_LIMIT = 10_000;

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requirePage("audit.read");
  const params = normalizeParams(await searchParams);
  const parsed = auditFilter.safeParse(params);
  const { events, nextBefore } = parsed.success ? await listAuditEvents(actor, parsed.data) : { events: [], nextBefore: null };
  const filters = filtersOnly(params);
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
          values={{
            actor: filters.actor ?? "",
            action: filters.action ?? "",
            outcome: filters.outcome ?? "",
            account: filters.account ?? "",
            from: toInputValue(filters.from),
            to: toInputValue(filters.to),
          }}
        />
        {!parsed.success ? <Alert title="These filters are not valid">{describeZodError(parsed.error).message}</Alert> : null}
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
