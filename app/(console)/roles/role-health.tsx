"use client";

import { CheckCircle2, ChevronRight, CircleDashed, XCircle } from "lucide-react";
import { useState } from "react";
import { Alert } from "@/components/ui/field";
import { healthLabel, SOURCE_LABEL, testedAgo, type RoleHealth } from "@/lib/catalog/health";

/** "5 min ago" from the browser's clock. The server renders the same text from its own; the two
 * can differ by a minute, which is not worth a hydration warning. */
function Ago({ iso }: { iso: string }) {
  const [now] = useState(() => Date.now());
  return (
    <time dateTime={iso} title={new Date(iso).toLocaleString()} suppressHydrationWarning>
      {testedAgo(iso, now)}
    </time>
  );
}

/** Under a role in the Roles list: whether the console could assume it at its last test, when,
 * and (for a failure) the test's own sentence, on hover and behind "Why?". */
export function RoleHealthLine({ health, roleName, canManage }: { health: RoleHealth | null; roleName: string; canManage: boolean }) {
  const testId = `role-health-${roleName}`;
  if (!health) {
    return (
      <p className="mt-1.5 flex items-center gap-1.5 text-xs text-slate-600" data-testid={testId} data-health="untested">
        <CircleDashed className="h-3.5 w-3.5 shrink-0 text-slate-500" aria-hidden />
        Not tested yet{canManage ? ": Test checks that the console can assume it." : "."}
      </p>
    );
  }
  const by = `by ${SOURCE_LABEL[health.source]}`;
  if (health.ok) {
    return (
      <p className="mt-1.5 flex items-start gap-1.5 text-xs text-slate-600" data-testid={testId} data-health="ok" title={health.reason}>
        <CheckCircle2 className="mt-px h-3.5 w-3.5 shrink-0 text-emerald-600" aria-hidden />
        <span>
          <span className="font-medium text-emerald-700">{healthLabel(health)}</span>, tested <Ago iso={health.testedAt} /> {by}
        </span>
      </p>
    );
  }
  return (
    <details className="group mt-1.5 text-xs" data-testid={testId} data-health="failing">
      <summary className="flex cursor-pointer list-none items-start gap-1.5 text-slate-600 [&::-webkit-details-marker]:hidden" title={health.reason}>
        <XCircle className="mt-px h-3.5 w-3.5 shrink-0 text-red-600" aria-hidden />
        <span>
          <span className="font-medium text-red-700">{healthLabel(health)}</span>, tested <Ago iso={health.testedAt} /> {by}{" "}
          <span className="inline-flex items-center font-medium whitespace-nowrap text-indigo-700 underline-offset-2 group-hover:underline">
            <ChevronRight className="h-3.5 w-3.5 transition-transform group-open:rotate-90" aria-hidden />
            Why?
          </span>
        </span>
      </summary>
      <p className="mt-1 rounded-md border border-red-200 bg-red-50 px-2.5 py-1.5 text-red-900 [overflow-wrap:anywhere]">
        {health.reason}
        {canManage ? null : " An administrator needs to fix this role before anyone can switch into it."}
      </p>
    </details>
  );
}

/** At the top of the Grants dialog: granting a role that fails its test gives people a role they
 * cannot switch into. */
export function HealthWarning({ health, displayName }: { health: RoleHealth | null; displayName: string }) {
  if (!health) {
    return (
      <div data-testid="grants-health" data-health="untested">
        <Alert tone="info">{displayName} has not been tested yet: Test it in the Roles list to check that people will be able to switch into it.</Alert>
      </div>
    );
  }
  if (health.ok) return null;
  return (
    <div data-testid="grants-health" data-health="failing">
      <Alert tone="warning" title={`${displayName} failed its last test (${healthLabel(health).replace(/^Fails: /, "")})`}>
        <p className="[overflow-wrap:anywhere]">{health.reason}</p>
        <p className="mt-1">
          People you grant it to cannot switch into it until it is fixed. Tested <Ago iso={health.testedAt} /> by {SOURCE_LABEL[health.source]}.
        </p>
      </Alert>
    </div>
  );
}
