"use client";

import { ArrowLeft, RotateCw, ShieldAlert } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useRef } from "react";
import { EnvironmentBadge } from "@/components/registry/environment";
import { formatAccountId, safeColor } from "@/components/switch-menu/format";
import { Button, buttonClass } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { failureReport, plainReason, type SwitchFailureView } from "@/lib/sessions/switch-failure-report";
import { AddTrustStatement } from "@/app/(console)/roles/[id]/trust/add-statement";

/** Failures an administrator fixes in IAM: the role is "not set up for the console yet". */
const NOT_SET_UP = new Set(["trust-policy", "caller-permission", "external-id", "mfa", "source-identity", "session-tags"]);

/** Back to the console's home (the person's roles): a button, as every other action here. */
export function BackButton() {
  const router = useRouter();
  return (
    <Button variant="secondary" onClick={() => router.push("/")} data-testid="switch-failed-back">
      <ArrowLeft className="h-4 w-4" aria-hidden />
      Back to your roles
    </Button>
  );
}

/**
 * A console switch AWS refused. Everyone sees which role and account, in plain words what is
 * wrong, and a button that copies the details for an administrator; administrators also see
 * the explanation, the statement that fixes it and, for a trust policy, "Add this statement for
 * me". "Try again" is the same same-origin POST the menu makes, in this tab.
 */
export function SwitchFailed({ view, time, retryUrl, admin, canFix }: { view: SwitchFailureView; time: string; retryUrl: string; admin: boolean; canFix: boolean }) {
  const retry = useRef<HTMLFormElement>(null);
  const { role } = view;
  const notSetUp = NOT_SET_UP.has(view.kind);
  const title = admin ? `AWS did not let the console switch into ${role.displayName}` : notSetUp ? `${role.displayName} is not set up for the console yet` : `The console could not open ${role.displayName}`;
  const statement = view.fix ? JSON.stringify(view.fix.statement, null, 2) : null;

  return (
    <div className="mx-auto max-w-3xl space-y-6" data-testid="switch-failed" data-audience={admin ? "admin" : "operator"}>
      <div className="flex items-start gap-3">
        <ShieldAlert className="mt-1 h-6 w-6 shrink-0 text-red-600" aria-hidden />
        <div className="min-w-0">
          <h1 className="text-2xl font-semibold tracking-tight text-slate-900 [overflow-wrap:anywhere]">{title}</h1>
          {admin ? (
            <p className="mt-2 text-sm text-slate-700 [overflow-wrap:anywhere]" data-testid="switch-failed-reason">
              {view.reason}
            </p>
          ) : (
            <p className="mt-2 text-sm text-slate-700" data-testid="switch-failed-reason">
              {plainReason(view.kind)} {notSetUp ? "An administrator of this console can fix it: copy the details below and send them to one." : "Copy the details below and send them to an administrator if it keeps happening."}
            </p>
          )}
        </div>
      </div>

      <dl className="grid grid-cols-1 gap-x-6 gap-y-3 rounded-lg border border-slate-200 bg-white p-5 text-sm shadow-sm sm:grid-cols-[9rem_1fr]">
        <dt className="text-slate-600">Role</dt>
        <dd className="flex min-w-0 items-center gap-2 font-medium text-slate-900">
          <span className="h-4 w-1 shrink-0 rounded-full" style={{ backgroundColor: safeColor(role.color) }} aria-hidden />
          <span className="[overflow-wrap:anywhere]">{role.displayName}</span>
        </dd>
        <dt className="text-slate-600">Role ARN</dt>
        <dd className="font-mono text-xs text-slate-800 [overflow-wrap:anywhere]" data-testid="switch-failed-arn">
          {role.roleArn}
        </dd>
        <dt className="text-slate-600">Account</dt>
        <dd className="flex flex-wrap items-center gap-2 text-slate-900">
          <span>{role.accountName}</span>
          <span className="font-mono text-xs tabular-nums text-slate-600">{formatAccountId(role.accountId)}</span>
          <EnvironmentBadge environment={role.environment} />
        </dd>
        {view.region ? (
          <>
            <dt className="text-slate-600">Region</dt>
            <dd className="text-slate-900">{view.region}</dd>
          </>
        ) : null}
        <dt className="text-slate-600">When</dt>
        <dd className="text-slate-900">{time}</dd>
        <dt className="text-slate-600">Request id</dt>
        <dd className="font-mono text-xs text-slate-800 [overflow-wrap:anywhere]">{view.requestId}</dd>
      </dl>

      {admin && view.fix && statement ? (
        <section aria-labelledby="switch-failed-fix" className="space-y-2" data-testid="switch-failed-fix">
          <div className="flex flex-wrap items-center justify-between gap-2">
            <h2 id="switch-failed-fix" className="text-sm font-semibold text-slate-900 [overflow-wrap:anywhere]">
              Add this statement to {view.fix.where}
            </h2>
            <CopyButton text={statement} label="Copy the statement" variant="secondary" />
          </div>
          <pre tabIndex={0} role="region" aria-label="The statement, as JSON" className="max-h-72 overflow-auto rounded-md border border-slate-200 bg-slate-50 p-3 font-mono text-xs text-slate-800" data-testid="switch-failed-statement">
            {statement}
          </pre>
          {canFix ? (
            <div className="flex flex-wrap items-center gap-2">
              <AddTrustStatement roleId={role.id} roleLabel={role.displayName} statement={view.fix.statement} size="md" afterSave={{ label: "Try the switch again", run: () => retry.current?.requestSubmit() }} />
              <Link href={`/roles/${role.id}/trust`} className={buttonClass("ghost", "md")}>
                Edit trust
              </Link>
            </div>
          ) : null}
        </section>
      ) : null}

      <div className="flex flex-wrap items-center gap-2 border-t border-slate-200 pt-5">
        <CopyButton text={failureReport(view)} label={admin ? "Copy the details" : "Copy details for an administrator"} testId="switch-failed-copy" />
        <BackButton />
        {/* The same same-origin POST the menu makes: only a POST from a console page issues. */}
        <form ref={retry} method="post" action={retryUrl}>
          <Button type="submit" variant="secondary">
            <RotateCw className="h-4 w-4" aria-hidden />
            Try again
          </Button>
        </form>
      </div>
    </div>
  );
}
