"use client";

import { MonitorSmartphone, Search } from "lucide-react";
import { useRouter } from "next/navigation";
import { useEffect, useMemo, useState, useTransition } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Alert, Input } from "@/components/ui/field";
import type { ActiveSession } from "@/lib/revocation/active-sessions";
import { revokeRoleSessionsAction } from "../roles/actions";
import { agoText, untilText, utcMinute } from "./format";

type Props = { sessions: ActiveSession[]; now: number; truncated: boolean; showPerson: boolean; canRevoke: boolean };

/** The clock the relative times and the expiry filter follow: the server's time first (so the
 * first render matches the server's), then the browser's, every 30 seconds. */
function useNow(initial: number): number {
  const [now, setNow] = useState(initial);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

const haystack = (s: ActiveSession) => [s.person.email, s.role.label, s.role.arn, s.role.accountName, s.accountId, s.region, s.kind].filter(Boolean).join(" ").toLowerCase();

function StatusBadge({ session }: { session: ActiveSession }) {
  return session.revoked ? <Badge tone="red">Revoked</Badge> : <Badge tone="emerald">Active</Badge>;
}

/** When and by whom, for a revoked session. */
function RevokedLine({ session }: { session: ActiveSession }) {
  if (!session.revoked) return null;
  return (
    <p className="text-xs text-slate-500 [overflow-wrap:anywhere]">
      Revoked at {utcMinute(session.revoked.at)}
      {session.revoked.by ? <> by {session.revoked.by}</> : null}
    </p>
  );
}

function RoleCell({ session }: { session: ActiveSession }) {
  return (
    <div className="min-w-0">
      <p className="font-medium text-slate-900 [overflow-wrap:anywhere]" title={session.role.arn ?? undefined}>
        {session.role.label}
      </p>
      <p className="text-xs text-slate-500">
        {session.role.accountName ? <span className="whitespace-nowrap">{session.role.accountName} · </span> : null}
        <span className="whitespace-nowrap font-mono">{session.accountId ?? "—"}</span>
        {session.region ? <span className="whitespace-nowrap"> · {session.region}</span> : null}
      </p>
    </div>
  );
}

function Times({ session, now }: { session: ActiveSession; now: number }) {
  return (
    <>
      <p className="text-slate-900">{untilText(session.expiresAt, now)}</p>
      <p className="font-mono text-xs text-slate-500">{utcMinute(session.expiresAt)}</p>
    </>
  );
}

/** Revoke this person's sessions in this role entry: one click arms it, the second confirms. */
function RevokeButton({ session, onDone }: { session: ActiveSession; onDone: (result: { ok: boolean; message: string }) => void }) {
  const [armed, setArmed] = useState(false);
  const [pending, startTransition] = useTransition();
  const email = session.person.email;
  if (!email) return null;
  const revoke = () =>
    startTransition(async () => {
      const result = await revokeRoleSessionsAction({ roleId: session.role.id, userEmail: email });
      setArmed(false);
      onDone(result.ok ? { ok: true, message: result.data.message } : { ok: false, message: result.error.message });
    });
  if (!armed) {
    return (
      <Button variant="secondary" size="sm" onClick={() => setArmed(true)} aria-label={`Revoke ${email}'s sessions in ${session.role.label}`}>
        Revoke
      </Button>
    );
  }
  return (
    <div className="flex flex-wrap items-center gap-2">
      <Button variant="danger" size="sm" disabled={pending} onClick={revoke}>
        {pending ? "Revoking…" : `Revoke ${email}'s sessions in this role`}
      </Button>
      <Button variant="ghost" size="sm" disabled={pending} onClick={() => setArmed(false)}>
        Cancel
      </Button>
    </div>
  );
}

export function SessionsClient({ sessions, now: serverNow, truncated, showPerson, canRevoke }: Props) {
  const router = useRouter();
  const now = useNow(serverNow);
  const [query, setQuery] = useState("");
  const [notice, setNotice] = useState<{ ok: boolean; message: string } | null>(null);
  const live = useMemo(() => sessions.filter((s) => Date.parse(s.expiresAt) > now), [sessions, now]);
  const words = query.trim().toLowerCase().split(/\s+/).filter(Boolean);
  const shown = words.length ? live.filter((s) => words.every((w) => haystack(s).includes(w))) : live;
  const onRevoked = (result: { ok: boolean; message: string }) => {
    setNotice(result);
    if (result.ok) router.refresh();
  };

  if (live.length === 0) {
    return (
      <EmptyState icon={<MonitorSmartphone className="h-5 w-5" aria-hidden />} title="No live sessions">
        {showPerson ? "Nobody has switched in the last 12 hours" : "You have not switched in the last 12 hours"}, or every session since has expired. Sessions appear here as people switch into roles.
      </EmptyState>
    );
  }

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div className="relative w-full sm:max-w-sm">
          <Search className="pointer-events-none absolute left-3 top-2.5 h-4 w-4 text-slate-400" aria-hidden />
          <label htmlFor="sessions-filter" className="sr-only">
            Filter by person, role or account
          </label>
          <Input id="sessions-filter" type="search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder="Filter by person, role or account" className="pl-9" />
        </div>
        <p className="text-sm text-slate-600" aria-live="polite">
          {shown.length === live.length ? `${live.length} live session${live.length === 1 ? "" : "s"}` : `${shown.length} of ${live.length} live sessions`}
          {truncated ? " (the newest 500 only)" : ""}
        </p>
      </div>
      {notice ? <Alert tone={notice.ok ? "success" : "error"}>{notice.message}</Alert> : null}
      {shown.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 bg-white px-4 py-8 text-center text-sm text-slate-600">No live session matches “{query.trim()}”.</p>
      ) : (
        <>
          {/* Phones: one card per session. */}
          <ul className="space-y-3 md:hidden" data-testid="session-cards">
            {shown.map((s) => (
              <li key={s.id} className="space-y-2 rounded-lg border border-slate-200 bg-white p-4 text-sm shadow-sm" data-testid="session-card">
                <div className="flex items-start justify-between gap-3">
                  <RoleCell session={s} />
                  <StatusBadge session={s} />
                </div>
                <RevokedLine session={s} />
                {showPerson ? <p className="text-slate-800 [overflow-wrap:anywhere]">{s.person.email ?? "—"}</p> : null}
                <dl className="grid grid-cols-[5rem_minmax(0,1fr)] gap-x-3 gap-y-1 text-xs">
                  <dt className="text-slate-500">Kind</dt>
                  <dd>{s.kind === "console" ? "Console sign-in" : "Credentials"}</dd>
                  <dt className="text-slate-500">Issued</dt>
                  <dd>
                    {agoText(s.issuedAt, now)} <span className="font-mono text-slate-500">{utcMinute(s.issuedAt)}</span>
                  </dd>
                  <dt className="text-slate-500">Expires</dt>
                  <dd>
                    {untilText(s.expiresAt, now)} <span className="font-mono text-slate-500">{utcMinute(s.expiresAt)}</span>
                  </dd>
                </dl>
                {canRevoke && !s.revoked ? <RevokeButton session={s} onDone={onRevoked} /> : null}
              </li>
            ))}
          </ul>
          {/* Wider screens: a table. */}
          <div className="relative hidden overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm md:block">
            <table className="min-w-full text-sm">
              <thead className="border-b border-slate-200 bg-slate-50 text-left text-xs font-medium uppercase tracking-wide text-slate-500">
                <tr>
                  {showPerson ? <th className="px-3 py-2">Person</th> : null}
                  <th className="px-3 py-2">Role</th>
                  <th className="px-3 py-2">Kind</th>
                  <th className="px-3 py-2">Issued</th>
                  <th className="px-3 py-2">Expires</th>
                  <th className="px-3 py-2">Status</th>
                  {canRevoke ? (
                    <th className="px-3 py-2">
                      <span className="sr-only">Actions</span>
                    </th>
                  ) : null}
                </tr>
              </thead>
              <tbody data-testid="session-rows">
                {shown.map((s) => (
                  <tr key={s.id} className="border-t border-slate-100 align-top" data-testid="session-row">
                    {showPerson ? <td className="max-w-[16rem] px-3 py-2 text-slate-800 [overflow-wrap:anywhere]">{s.person.email ?? <span className="text-slate-400">—</span>}</td> : null}
                    <td className="min-w-[12rem] px-3 py-2">
                      <RoleCell session={s} />
                    </td>
                    <td className="whitespace-nowrap px-3 py-2">{s.kind === "console" ? "Console" : "Credentials"}</td>
                    <td className="whitespace-nowrap px-3 py-2">
                      <p className="text-slate-900">{agoText(s.issuedAt, now)}</p>
                      <p className="font-mono text-xs text-slate-500">{utcMinute(s.issuedAt)}</p>
                    </td>
                    <td className="whitespace-nowrap px-3 py-2">
                      <Times session={s} now={now} />
                    </td>
                    <td className="max-w-[16rem] space-y-0.5 px-3 py-2">
                      <StatusBadge session={s} />
                      <RevokedLine session={s} />
                    </td>
                    {canRevoke ? <td className="px-3 py-2 text-right">{s.revoked ? null : <RevokeButton session={s} onDone={onRevoked} />}</td> : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </div>
  );
}
