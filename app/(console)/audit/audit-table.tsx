"use client";

import { ChevronDown, ChevronRight } from "lucide-react";
import { Fragment, useState } from "react";
import { ArnText } from "@/components/audit/arn-text";
import { Badge } from "@/components/ui/badge";
import { auditActionLabel } from "@/lib/audit/actions";
import type { AuditEventDto } from "@/lib/audit/list-events";

const OUTCOME_TONE = { success: "emerald", failure: "red", denied: "amber" } as const;

const time = (iso: string) => iso.replace("T", " ").replace(/\.\d+Z$/, "").replace(/Z$/, "");

/** The events, newest first; each row opens to show its request and details. */
export function AuditTable({ events }: { events: AuditEventDto[] }) {
  const [open, setOpen] = useState<Set<string>>(new Set());
  const toggle = (id: string) =>
    setOpen((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  return (
    <div className="relative overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
      <table className="min-w-full text-sm">
        <thead className="border-b border-slate-200 bg-slate-50 text-left text-xs font-medium uppercase tracking-wide text-slate-500">
          <tr>
            <th className="w-8 py-2 pl-3">
              <span className="sr-only">Details</span>
            </th>
            <th className="px-3 py-2">Time (UTC)</th>
            <th className="px-3 py-2">Actor</th>
            <th className="px-3 py-2">Action</th>
            <th className="px-3 py-2">Outcome</th>
            <th className="px-3 py-2">Target</th>
            <th className="px-3 py-2">Reason</th>
            <th className="px-3 py-2">IP</th>
          </tr>
        </thead>
        <tbody data-testid="audit-rows">
          {events.map((e) => {
            const expanded = open.has(e.id);
            const detailsId = `audit-details-${e.id}`;
            const details = Object.entries(e.details);
            return (
              <Fragment key={e.id}>
                <tr className={`border-t border-slate-100 align-top ${expanded ? "bg-slate-50" : ""}`} data-testid={`audit-event-${e.id}`}>
                  <td className="py-2 pl-3">
                    <button
                      type="button"
                      onClick={() => toggle(e.id)}
                      aria-expanded={expanded}
                      aria-controls={detailsId}
                      aria-label={`Details of ${auditActionLabel(e.action)} at ${time(e.at)}`}
                      className="rounded p-0.5 text-slate-500 hover:bg-slate-200 hover:text-slate-800"
                    >
                      {expanded ? <ChevronDown className="h-4 w-4" aria-hidden /> : <ChevronRight className="h-4 w-4" aria-hidden />}
                    </button>
                  </td>
                  <td className="whitespace-nowrap px-3 py-2 font-mono text-xs text-slate-600">{time(e.at)}</td>
                  <td className="max-w-[14rem] px-3 py-2 [overflow-wrap:break-word]">{e.actorEmail ?? <span className="text-slate-500">—</span>}</td>
                  <td className="min-w-[9rem] px-3 py-2">
                    <span className="block text-slate-900">{auditActionLabel(e.action)}</span>
                    <span className="block font-mono text-xs text-slate-600">{e.action}</span>
                  </td>
                  <td className="px-3 py-2">
                    <Badge tone={OUTCOME_TONE[e.outcome]}>{e.outcome}</Badge>
                  </td>
                  <td className="min-w-[12rem] max-w-[22rem] px-3 py-2 text-slate-800 [overflow-wrap:break-word]">
                    {e.target ? <ArnText text={e.target} /> : <span className="text-slate-500">—</span>}
                    {e.awsAccountId && !(e.target ?? "").includes(e.awsAccountId) ? <div className="font-mono text-xs text-slate-600">account {e.awsAccountId}</div> : null}
                  </td>
                  <td className="min-w-[12rem] max-w-[24rem] px-3 py-2 text-slate-600 [overflow-wrap:break-word]">{e.reason ? <ArnText text={e.reason} /> : null}</td>
                  <td className="whitespace-nowrap px-3 py-2 font-mono text-xs text-slate-500">{e.ip ?? ""}</td>
                </tr>
                {expanded ? (
                  <tr id={detailsId} className="bg-slate-50">
                    <td />
                    <td colSpan={7} className="px-3 pb-3 pt-0">
                      <div className="grid gap-3 rounded-md border border-slate-200 bg-white p-3 text-xs md:grid-cols-[minmax(0,1fr)_minmax(0,1fr)]">
                        <dl className="grid grid-cols-[7rem_minmax(0,1fr)] gap-x-3 gap-y-1">
                          <dt className="text-slate-500">Action</dt>
                          <dd className="font-mono">{e.action}</dd>
                          <dt className="text-slate-500">Target</dt>
                          <dd className="font-mono [overflow-wrap:anywhere]">{e.target ?? "—"}</dd>
                          <dt className="text-slate-500">Event id</dt>
                          <dd className="font-mono">{e.id}</dd>
                          <dt className="text-slate-500">Request id</dt>
                          <dd className="font-mono">{e.requestId ?? "—"}</dd>
                          <dt className="text-slate-500">AWS account</dt>
                          <dd className="font-mono">{e.awsAccountId ?? "—"}</dd>
                          <dt className="text-slate-500">User agent</dt>
                          <dd className="[overflow-wrap:anywhere]">{e.userAgent ?? "—"}</dd>
                        </dl>
                        <div>
                          <p className="mb-1 text-slate-500">Details</p>
                          {details.length ? (
                            <pre className="max-h-64 overflow-auto whitespace-pre-wrap rounded bg-slate-50 p-2 font-mono text-slate-800 [overflow-wrap:anywhere]">{JSON.stringify(e.details, null, 2)}</pre>
                          ) : (
                            <p className="text-slate-400">None recorded</p>
                          )}
                        </div>
                      </div>
                    </td>
                  </tr>
                ) : null}
              </Fragment>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
