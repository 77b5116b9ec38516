"use client";

import { Inbox, KeyRound, ShieldAlert } from "lucide-react";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect, useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Alert } from "@/components/ui/field";
import { Tabs } from "@/components/ui/tabs";
import { describeDuration } from "@/lib/access/events";
import type { AccessRequestDto, RequestableRoleDto } from "@/lib/access/types";
import { utcMinute } from "../sessions/format";
import { RequestCard, RequestDialog } from "./request-parts";

export type RequestsTab = "ask" | "mine" | "approve" | "review" | "all";

type Props = {
  tab: RequestsTab;
  /** A role to ask for at once (the Switch Role menu's Request links here). */
  ask: string | null;
  requestable: RequestableRoleDto[] | null;
  mine: AccessRequestDto[] | null;
  toApprove: AccessRequestDto[];
  toReview: AccessRequestDto[];
  all: AccessRequestDto[] | null;
  asOf: string;
};

export function RequestsClient({ tab: initialTab, ask, requestable, mine, toApprove, toReview, all, asOf }: Props) {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const [tab, setTab] = useState<RequestsTab>(initialTab);
  const [now, setNow] = useState(() => Date.parse(asOf));
  const [message, setMessage] = useState<string | null>(null);
  const [asking, setAsking] = useState<RequestableRoleDto | null>(() => requestable?.find((r) => r.roleId === ask && !r.pendingRequestId && !r.activeRequest) ?? null);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);
  const choose = (next: RequestsTab) => {
    setTab(next);
    setMessage(null);
    const q = new URLSearchParams(params.toString());
    q.set("tab", next);
    q.delete("ask");
    router.replace(`${pathname}?${q.toString()}`, { scroll: false });
  };
  const items: Array<{ value: RequestsTab; label: string }> = [
    ...(requestable ? [{ value: "ask" as const, label: "Ask for access" }] : []),
    ...(mine ? [{ value: "mine" as const, label: `Your requests${mine.filter((r) => r.status === "pending" || r.status === "approved").length ? ` (${mine.filter((r) => r.status === "pending" || r.status === "approved").length})` : ""}` }] : []),
    { value: "approve", label: `To approve${toApprove.length ? ` (${toApprove.length})` : ""}` },
    { value: "review", label: `Break-glass reviews${toReview.length ? ` (${toReview.length})` : ""}` },
    ...(all ? [{ value: "all" as const, label: "All requests" }] : []),
  ];
  const list = (rows: AccessRequestDto[]) => (
    <div className="grid grid-cols-1 gap-3 xl:grid-cols-2">
      {rows.map((r) => (
        <RequestCard key={r.id} request={r} now={now} onMessage={setMessage} />
      ))}
    </div>
  );
  return (
    <div className="space-y-4">
      {message ? (
        <Alert tone="success" title="Done">
          {message}
        </Alert>
      ) : null}
      <Tabs label="Access requests" items={items} value={tab} onChange={choose} testIdPrefix="requests-tab-">
        <div className="pt-4">
          {tab === "ask" && requestable ? (
            requestable.length ? (
              <ul className="grid grid-cols-1 gap-3 md:grid-cols-2 xl:grid-cols-3" aria-label="Roles you can ask for">
                {requestable.map((r) => (
                  <li key={r.roleId} className="flex flex-col justify-between gap-3 rounded-lg border border-slate-200 bg-white p-4" data-testid="requestable-role">
                    <div className="min-w-0">
                      <p className="text-sm font-semibold break-words text-slate-900">
                        {r.accountName} / {r.displayName}
                      </p>
                      <p className="text-xs break-all text-slate-600">
                        {r.roleName} · {r.awsAccountId}
                      </p>
                      <p className="mt-2 text-sm text-slate-700">
                        Up to {describeDuration(r.maxDurationSeconds)}; approved by {r.approvers}
                        {r.approvalsRequired === 2 ? " (two approvals)" : ""}.
                      </p>
                      {r.breakGlass ? (
                        <p className="mt-1 inline-flex items-center gap-1 text-xs text-amber-800">
                          <ShieldAlert className="h-3.5 w-3.5" aria-hidden /> Break-glass allowed
                        </p>
                      ) : null}
                    </div>
                    <div className="flex flex-wrap items-center gap-2">
                      {r.activeRequest ? (
                        <>
                          <Badge tone="emerald">Active until {utcMinute(r.activeRequest.endsAt)}</Badge>
                          <Link className="text-sm font-medium text-indigo-700 hover:underline" href={`/requests/${r.activeRequest.id}`}>
                            Extend or give up
                          </Link>
                        </>
                      ) : r.pendingRequestId ? (
                        <>
                          <Badge tone="amber">Waiting for approval</Badge>
                          <Link className="text-sm font-medium text-indigo-700 hover:underline" href={`/requests/${r.pendingRequestId}`}>
                            See request
                          </Link>
                        </>
                      ) : (
                        <Button size="sm" onClick={() => setAsking(r)} aria-label={`Request ${r.accountName} / ${r.displayName}`}>
                          Request…
                        </Button>
                      )}
                    </div>
                  </li>
                ))}
              </ul>
            ) : (
              <EmptyState icon={<KeyRound className="h-6 w-6" aria-hidden />} title="Nothing to ask for">
                No role is open to requests for you. An administrator can make you eligible for a role (Roles → Access on request), or grant it.
              </EmptyState>
            )
          ) : null}
          {tab === "mine" && mine ? (
            mine.length ? (
              list(mine)
            ) : (
              <EmptyState icon={<KeyRound className="h-6 w-6" aria-hidden />} title="You have not asked for anything yet">
                Ask for a role on the first tab; your requests, and the access they give, show here.
              </EmptyState>
            )
          ) : null}
          {tab === "approve" ? (
            toApprove.length ? (
              list(toApprove)
            ) : (
              <EmptyState icon={<Inbox className="h-6 w-6" aria-hidden />} title="Nothing waits for you">
                Requests you can approve show here, and their number beside Requests in the header.
              </EmptyState>
            )
          ) : null}
          {tab === "review" ? (
            toReview.length ? (
              list(toReview)
            ) : (
              <EmptyState icon={<ShieldAlert className="h-6 w-6" aria-hidden />} title="No break-glass use to review">
                When someone uses break-glass on a role you approve, it waits here until you mark it justified or not.
              </EmptyState>
            )
          ) : null}
          {tab === "all" && all ? (
            all.length ? (
              list(all)
            ) : (
              <EmptyState icon={<Inbox className="h-6 w-6" aria-hidden />} title="No requests yet">
                Make people eligible for a role (Roles → Access on request) and their requests show here.
              </EmptyState>
            )
          ) : null}
        </div>
      </Tabs>
      {asking ? (
        <RequestDialog
          role={asking}
          open
          onClose={() => setAsking(null)}
          onDone={(r) => {
            setAsking(null);
            setMessage(r.status === "approved" ? `Break-glass access to ${r.role.accountName} / ${r.role.displayName} is active until ${utcMinute(r.endsAt!)}. The approvers are told.` : `Your request for ${r.role.accountName} / ${r.role.displayName} is sent. You will see the answer here.`);
            setTab("mine");
          }}
        />
      ) : null}
    </div>
  );
}
