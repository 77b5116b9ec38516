import { Clock, Hand } from "lucide-react";
import Link from "next/link";
import { EnvironmentBadge } from "@/components/registry/environment";
import { buttonClass } from "@/components/ui/button";
import { formatAccountId, safeColor } from "@/components/switch-menu/format";
import type { YourRoles } from "@/lib/catalog/your-roles";

/**
 * The home page's "You can ask for": the roles the person is eligible for (access on request)
 * and cannot use now, each with Ask (the Requests page's dialog for that role) or, when a request
 * of theirs waits, a link to it. The Switch Role menu has the same list under "Ask for access".
 */
export function RequestableRoles({ roles, headingLevel = 2 }: { roles: Pick<YourRoles, "requestable" | "requestableMore">; headingLevel?: 2 | 3 }) {
  const Heading = headingLevel === 2 ? "h2" : "h3";
  return (
    <section aria-labelledby="home-requestable" data-testid="home-requestable">
      <div className="mb-2 flex flex-wrap items-baseline justify-between gap-x-3 gap-y-1">
        <Heading id="home-requestable" className="text-sm font-semibold text-slate-700">
          You can ask for
        </Heading>
        <Link href="/requests?tab=ask" className="text-sm font-medium text-indigo-700 underline-offset-2 hover:underline">
          {roles.requestableMore > 0 ? `All ${roles.requestable.length + roles.requestableMore} on Requests` : "Requests"}
        </Link>
      </div>
      <p className="mb-2 text-sm text-slate-600">Access for a time, approved by the role&apos;s approvers; it ends by itself.</p>
      <ul className="divide-y divide-slate-100 overflow-hidden rounded-lg border border-slate-200 bg-white shadow-sm">
        {roles.requestable.map((role) => (
          <li key={role.id} className="flex flex-col gap-3 px-4 py-3 sm:flex-row sm:items-center" data-testid="home-requestable-role" data-role-id={role.id}>
            <div className="flex min-w-0 flex-1 items-start gap-3">
              <span className="mt-0.5 h-9 w-1 shrink-0 rounded-full" style={{ backgroundColor: safeColor(role.color) }} aria-hidden />
              <div className="min-w-0 flex-1">
                <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
                  <span className="font-medium text-slate-900 [overflow-wrap:anywhere]">{role.label}</span>
                  {role.name !== role.label ? <span className="font-mono text-xs text-slate-500 [overflow-wrap:anywhere]">{role.name}</span> : null}
                </div>
                <div className="mt-0.5 flex flex-wrap items-center gap-x-2 gap-y-1 text-sm text-slate-600">
                  <span>{role.account.name}</span>
                  <span className="font-mono tabular-nums">{formatAccountId(role.account.id)}</span>
                  <EnvironmentBadge environment={role.account.environment} />
                </div>
              </div>
            </div>
            {role.pending ? (
              <Link href="/requests?tab=mine" className={buttonClass("ghost", "sm", "self-start sm:self-auto")} aria-label={`Your request for ${role.label} in ${role.account.name} is waiting for approval`}>
                <Clock className="h-4 w-4" aria-hidden />
                Waiting for approval
              </Link>
            ) : (
              <Link href={`/requests?ask=${role.id}`} className={buttonClass("secondary", "sm", "self-start sm:self-auto")} aria-label={`Ask for ${role.label} in ${role.account.name}`}>
                <Hand className="h-4 w-4" aria-hidden />
                Ask
              </Link>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
