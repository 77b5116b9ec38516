"use client";

import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Card, CardHeader } from "@/components/ui/card";
import { Alert } from "@/components/ui/field";
import type { AccessRequestDto } from "@/lib/access/types";
import { auditActionLabel } from "@/lib/audit/actions";
import type { AuditEventDto } from "@/lib/audit/list-events";
import { utcMinute } from "../../sessions/format";
import { RequestCard } from "../request-parts";

const OUTCOME_TONES = { success: "emerald", failure: "amber", denied: "red" } as const;

export function RequestDetail({ request, story, asOf }: { request: AccessRequestDto; story: AuditEventDto[]; asOf: string }) {
  const [message, setMessage] = useState<string | null>(null);
  const now = Date.parse(asOf);
  return (
    <div className="space-y-6">
      {message ? (
        <Alert tone="success" title="Done">
          {message}
        </Alert>
      ) : null}
      <RequestCard request={request} now={now} detailLink={false} onMessage={setMessage} />
      <Card>
        <CardHeader title="Its story" description="From the audit log: the request, each decision, the switches made under it, its end and the revocation of live sessions." />
        {story.length ? (
          <ol className="divide-y divide-slate-100" aria-label="The request's story">
            {story.map((e) => (
              <li key={e.id} className="flex flex-col gap-1 px-5 py-3 text-sm sm:flex-row sm:items-baseline sm:gap-4" data-testid="story-event" data-action={e.action}>
                <time dateTime={e.at} className="shrink-0 text-slate-500 tabular-nums sm:w-44">
                  {utcMinute(e.at)}
                </time>
                <div className="min-w-0 flex-1">
                  <p className="text-slate-900">
                    <span className="font-medium">{auditActionLabel(e.action)}</span>
                    {e.actorEmail ? <span className="break-all text-slate-700"> — {e.actorEmail}</span> : <span className="text-slate-700"> — the console</span>}
                  </p>
                  {e.reason ? <p className="text-slate-600">{e.reason}</p> : null}
                </div>
                <Badge tone={OUTCOME_TONES[e.outcome]}>{e.outcome === "success" ? "Done" : e.outcome === "denied" ? "Refused" : "Failed"}</Badge>
              </li>
            ))}
          </ol>
        ) : (
          <p className="px-5 py-4 text-sm text-slate-600">Nothing recorded yet.</p>
        )}
      </Card>
    </div>
  );
}
