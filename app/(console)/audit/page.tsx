import { ScrollText } from "lucide-react";
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { Alert } from "@/components/ui/field";
import { PageHeader } from "@/components/ui/page-header";
import { listAuditEvents, auditFilter } from "@/lib/audit/list-events";
import { requirePage } from "@/lib/auth/guard";
import { describeZodError } from "@/lib/http/validation";

export const metadata = { title: "Audit" };

const OUTCOME_TONE = { success: "emerald", failure: "red", denied: "amber" } as const;

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requirePage("audit.read");
  const raw = Object.fromEntries(Object.entries(await searchParams).filter(([, v]) => typeof v === "string" && v !== ""));
  const parsed = auditFilter.safeParse(raw);
  const { events, nextBefore } = parsed.success ? await listAuditEvents(actor, parsed.data) : { events: [], nextBefore: null };
  return (
    <>
      <PageHeader title="Audit log" description="Every sign-in, change and AWS session the console issues, newest first. Credentials and sign-in links are never recorded." />
      {!parsed.success ? <Alert title="These filters are not valid">{describeZodError(parsed.error).message}</Alert> : null}
      {events.length === 0 ? (
        <EmptyState icon={<ScrollText className="h-5 w-5" aria-hidden />} title="No events match">
          Events appear here as people sign in, change the registry and switch into roles.
        </EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
          <table className="min-w-full divide-y divide-slate-200 text-sm">
            <thead className="bg-slate-50 text-left text-xs font-medium uppercase tracking-wide text-slate-500">
              <tr>
                <th className="px-4 py-2">Time (UTC)</th>
                <th className="px-4 py-2">Actor</th>
                <th className="px-4 py-2">Action</th>
                <th className="px-4 py-2">Outcome</th>
                <th className="px-4 py-2">Target</th>
                <th className="px-4 py-2">Reason</th>
                <th className="px-4 py-2">IP</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100" data-testid="audit-rows">
              {events.map((e) => (
                <tr key={e.id} className="align-top">
                  <td className="whitespace-nowrap px-4 py-2 font-mono text-xs text-slate-600">{e.at.replace("T", " ").replace(/\.\d+Z$/, "")}</td>
                  <td className="px-4 py-2">{e.actorEmail ?? "—"}</td>
                  <td className="px-4 py-2 font-mono text-xs">{e.action}</td>
                  <td className="px-4 py-2">
                    <Badge tone={OUTCOME_TONE[e.outcome]}>{e.outcome}</Badge>
                  </td>
                  <td className="px-4 py-2">{e.target ?? "—"}</td>
                  <td className="max-w-xs px-4 py-2 text-slate-600">{e.reason ?? ""}</td>
                  <td className="whitespace-nowrap px-4 py-2 font-mono text-xs text-slate-500">{e.ip ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {nextBefore ? (
        <div className="mt-4 text-right">
          <Link className="text-sm font-medium text-indigo-600 hover:underline" href={`/audit?${new URLSearchParams({ ...raw, before: nextBefore })}`}>
            Older events →
          </Link>
        </div>
      ) : null}
    </>
  );
}
