"use client";

import { Check, X } from "lucide-react";
import type { RoleRevocation } from "@/lib/revocation/revoke";

/** What revoking a person's AWS sessions did, role by role: ended, or why not, in words. No
 * live region of its own: the dialog it sits in is where focus is. */
export function RevocationResults({ email, results }: { email: string; results: RoleRevocation[] }) {
  if (results.length === 0) {
    return (
      <p className="rounded-md border border-slate-200 bg-slate-50 px-3 py-2 text-sm text-slate-700 [overflow-wrap:anywhere]" data-testid="revocation-results">
        {email} started no AWS session through the console in the last 12 hours: there was nothing to end.
      </p>
    );
  }
  const failed = results.filter((r) => !r.ok).length;
  return (
    <div className="space-y-2 [overflow-wrap:anywhere]" data-testid="revocation-results">
      <p className="text-sm font-medium text-slate-900">
        {failed === 0
          ? `Ended in ${results.length === 1 ? "the one role" : `all ${results.length} roles`} ${email} used.`
          : `Ended in ${results.length - failed} of ${results.length} roles; ${failed === 1 ? "one role" : `${failed} roles`} could not be changed.`}
      </p>
      <ul className="divide-y divide-slate-100 rounded-md border border-slate-200" aria-label="Revocations by role">
        {results.map((r) => (
          <li key={r.roleId} className="flex gap-2 px-3 py-2 text-sm" data-testid={`revocation-${r.roleId}`} data-ok={r.ok}>
            {r.ok ? <Check className="mt-0.5 h-4 w-4 shrink-0 text-emerald-600" aria-hidden /> : <X className="mt-0.5 h-4 w-4 shrink-0 text-red-600" aria-hidden />}
            <div className="min-w-0 space-y-0.5">
              <p className="font-medium text-slate-900">
                {r.accountName}
                {r.ok ? <span className="sr-only"> — ended</span> : <span className="ml-2 text-xs font-medium text-red-700">Failed</span>}
              </p>
              <p className="font-mono text-xs text-slate-500">{r.roleArn}</p>
              <p className={r.ok ? "text-slate-700" : "text-red-800"}>{r.message}</p>
            </div>
          </li>
        ))}
      </ul>
    </div>
  );
}
