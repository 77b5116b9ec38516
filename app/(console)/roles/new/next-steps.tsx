"use client";

import { CheckCircle2, ExternalLink, LoaderCircle, ShieldCheck } from "lucide-react";
import { useState, useTransition, type ReactNode } from "react";
import { buttonClass, Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/field";
import type { CreatedRole } from "@/components/wizard/ndjson";
import { CodeBlock } from "@/components/wizard/code-block";
import { accountLabel, policyFileName } from "@/components/wizard/format";
import type { WizardContext } from "@/components/wizard/types";
import type { Plan } from "@/lib/provision/types";
import { testRoleAction } from "../actions";
import { GrantForm } from "../grant-form";
import { TestResult } from "../test-result";
import type { TestOutcome, UserOption } from "../types";

/** What the signed-in administrator may do from the Next steps, and whom they can grant to. */
export type NextStepsAccess = {
  /** grants.manage */
  canGrant: boolean;
  /** roles.manage: the Test of a catalog entry. */
  canTest: boolean;
  /** People a grant means something for (operators); the creator already has the role. */
  people: UserOption[];
};

const json = (value: unknown) => JSON.stringify(value, null, 2);

/**
 * After the role is created: what is still to do, right here. The source-side policy goes to the
 * trusted accounts' administrators (unless the wizard attached it), people get the role, and a
 * Test shows that the console can switch into it. The role is already a catalog entry (the apply
 * registered it), so the grant and the Test are the Roles page's own actions for that entry.
 */
export function NextSteps({ role, plan, context, trustsConsole, access }: { role: CreatedRole; plan: Plan | null; context: WizardContext; trustsConsole: boolean; access: NextStepsAccess }) {
  const handOff = plan?.sourcePolicies.filter((sp) => !sp.apply) ?? [];
  const attached = plan?.sourcePolicies.filter((sp) => sp.apply) ?? [];
  let n = 0;

  return (
    <section aria-labelledby="next-steps-title" className="space-y-4 rounded-md border border-slate-200 p-4" data-testid="next-steps">
      <h3 id="next-steps-title" className="text-base font-semibold text-slate-900">
        Next steps
      </h3>
      <ol className="space-y-6">
        {handOff.length ? (
          <Step n={++n} title={handOff.length === 1 ? "Send the other half to the trusted account" : "Send the other half to the trusted accounts"} testId="next-source-policies">
            <p className="text-sm text-slate-600">
              Across accounts, the trust policy is only half: the callers&apos; own identity policies must also allow sts:AssumeRole on the role. Switchboard cannot attach {handOff.length === 1 ? "this one" : "these"}, so
              send {handOff.length === 1 ? "it" : "them"} to the account&apos;s administrators.
            </p>
            {handOff.map((sp, i) => {
              const where = accountLabel(sp.accountId, context.accounts);
              const wholeAccount = !sp.principal.startsWith("arn:");
              return (
                <div key={`${sp.accountId}-${sp.principal}`} className="space-y-2" data-testid={`next-source-policy-${i}`} data-account={sp.accountId}>
                  <p className="text-sm text-slate-800">
                    {wholeAccount ? (
                      <>
                        For {where}: its administrators attach it to the users or roles that should assume the role.
                      </>
                    ) : (
                      <>
                        For <span className="font-mono text-xs [overflow-wrap:anywhere]">{sp.principal}</span> in {where}.
                      </>
                    )}
                  </p>
                  <CodeBlock
                    text={json(sp.document)}
                    label={`source-side policy ${sp.policyName} for ${wholeAccount ? where : sp.principal}`}
                    file={{ name: policyFileName(`${sp.policyName}-${sp.accountId}`), type: "application/json" }}
                    testId={`next-source-policy-${i}-code`}
                    maxHeight="max-h-60"
                  />
                </div>
              );
            })}
          </Step>
        ) : null}
        {attached.length ? (
          <li className="flex items-start gap-2 text-sm text-slate-700" data-testid="next-source-attached">
            <CheckCircle2 className="mt-0.5 h-4 w-4 shrink-0 text-emerald-600" aria-hidden />
            <span>
              The source-side policy was attached for you:{" "}
              {attached.map((sp, i) => (
                <span key={`${sp.accountId}-${sp.principal}`}>
                  {i ? "; " : ""}
                  {sp.policyName} on <span className="font-mono text-xs">{sp.principal.split("/").pop()}</span> in {accountLabel(sp.accountId, context.accounts)}
                </span>
              ))}
              .
            </span>
          </li>
        ) : null}
        {trustsConsole ? (
          <>
            {access.canGrant ? (
              <Step n={++n} title="Grant it to people" testId="next-grant">
                <GrantStep role={role} people={access.people} />
              </Step>
            ) : null}
            {access.canTest ? (
              <Step n={++n} title="Test the switch" testId="next-test">
                <TestSwitch role={role} />
              </Step>
            ) : null}
          </>
        ) : (
          <Step n={++n} title="Switching into it from here" testId="next-no-console">
            <p className="text-sm text-slate-600">
              The role does not trust Switchboard, so nobody can switch into it from the console: it is in the catalog for reference. To let people switch, add the console to its trust (Edit trust on
              the Roles page), then grant it.
            </p>
          </Step>
        )}
      </ol>
    </section>
  );
}

function Step({ n, title, testId, children }: { n: number; title: string; testId: string; children: ReactNode }) {
  return (
    <li className="flex gap-3" data-testid={testId}>
      <span aria-hidden className="flex h-6 w-6 shrink-0 items-center justify-center rounded-full bg-indigo-50 text-xs font-semibold text-indigo-700 ring-1 ring-inset ring-indigo-200">
        {n}
      </span>
      <div className="min-w-0 flex-1 space-y-3">
        <h4 className="text-sm font-semibold text-slate-900">{title}</h4>
        {children}
      </div>
    </li>
  );
}

/** Grants the new entry to a person or an identity-provider group, with the Grants dialog's form. */
function GrantStep({ role, people }: { role: CreatedRole; people: UserOption[] }) {
  const [granted, setGranted] = useState<string[]>([]);
  const [notice, setNotice] = useState<{ tone: "success" | "error"; text: string } | null>(null);
  const available = people.filter((p) => !granted.includes(p.email));

  return (
    <div className="space-y-3">
      <p className="text-sm text-slate-600">It is granted to you already. Operators see it in their Switch role menu once it is granted to them, or to a group they are in; administrators may use every role.</p>
      {/* Emails are long words: they wrap anywhere rather than widen a phone's page. */}
      {notice ? (
        <Alert tone={notice.tone}>
          <span className="[overflow-wrap:anywhere]">{notice.text}</span>
        </Alert>
      ) : null}
      {granted.length ? (
        <p className="text-sm text-slate-700 [overflow-wrap:anywhere]" data-testid="next-granted">
          Granted from here to: {granted.join(", ")}.
        </p>
      ) : null}
      <GrantForm
        roleId={role.id}
        people={people}
        available={available}
        idPrefix="next-grant"
        formLabel={`Grant ${role.displayName}`}
        labels={{ legend: "Grant to", legendHidden: true, person: "Person", choose: "Choose a person…", noneLeft: people.length ? "Everyone listed has it now" : "No operators yet", nobodyHint: "No operators yet: add people on the Users page." }}
        onDone={(outcome) => {
          if (!outcome.ok) return setNotice({ tone: "error", text: outcome.message });
          setGranted((g) => [...g, outcome.value]);
          setNotice({ tone: "success", text: `${role.displayName} is granted to ${outcome.subject}: it is in their Switch role menu now.` });
        }}
      />
    </div>
  );
}

/** The Roles page's Test for the new entry: a real AssumeRole from the console, credentials
 * thrown away; then the AWS console itself, if wanted. */
function TestSwitch({ role }: { role: CreatedRole }) {
  const [outcome, setOutcome] = useState<TestOutcome | { error: string } | null>(null);
  const [pending, startTransition] = useTransition();

  const test = () =>
    startTransition(async () => {
      setOutcome(null);
      const result = await testRoleAction({ id: role.id }).catch(() => ({ ok: false as const, error: { message: "The console could not be reached. Check your connection and try again." } }));
      setOutcome(result.ok ? result.data : { error: result.error.message });
    });

  return (
    <div className="space-y-3">
      <p className="text-sm text-slate-600">The console assumes the role as a switch would, then throws the credentials away. IAM can take a few seconds to make a new role usable everywhere.</p>
      <div className="flex flex-wrap gap-2">
        <Button variant="secondary" onClick={test} disabled={pending} data-testid="next-test-button">
          {pending ? <LoaderCircle className="h-4 w-4 animate-spin" aria-hidden /> : <ShieldCheck className="h-4 w-4" aria-hidden />}
          {pending ? "Testing…" : "Test switch"}
        </Button>
        <a href={`/switch/${encodeURIComponent(role.id)}`} target="_blank" rel="noopener noreferrer" className={buttonClass("ghost")}>
          <ExternalLink className="h-4 w-4" aria-hidden />
          Open the AWS console as {role.displayName}
          <span className="sr-only"> (opens in a new tab)</span>
        </a>
      </div>
      {outcome && "error" in outcome ? <Alert title="The test could not run">{outcome.error}</Alert> : null}
      {outcome && !("error" in outcome) ? <TestResult outcome={outcome} testId="next-test-result" onDismiss={() => setOutcome(null)} role={{ id: role.id, label: role.displayName }} onRetest={test} /> : null}
    </div>
  );
}
