"use client";

import { LoaderCircle, RefreshCw } from "lucide-react";
import { useEffect, useState } from "react";
import { errorText } from "@/components/api/error-body";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { Alert } from "@/components/ui/field";
import { Tabs } from "@/components/ui/tabs";
import { AcknowledgeWarnings } from "@/components/wizard/acknowledge-warnings";
import { Checkbox } from "@/components/wizard/checkbox";
import { CodeBlock } from "@/components/wizard/code-block";
import { toSubmission } from "@/components/wizard/draft";
import { findingsGate } from "@/components/wizard/findings-gate";
import { FindingsList } from "@/components/wizard/findings-list";
import { QuotaMeters } from "@/components/wizard/quota-meters";
import { defaultConfigSource, type ConfigSourceChoice } from "@/components/wizard/config-source";
import { ConfigSourcePicker } from "@/components/wizard/config-source-picker";
import { accountLabel, EXPORT_TABS, exportFile, exportText, hoursLabel, policyFileName, stepOfWhere, type ExportKind } from "@/components/wizard/format";
import { stepInfo, type PlanResult, type StepNumber, type WizardContext } from "@/components/wizard/types";
import { normalizeFieldKeys, stepOfField } from "@/components/wizard/validate";
import { exportAwsConfig } from "@/lib/provision/exports/aws-config";
import { trustedRoleArns, type TrustedPrincipalCheck } from "@/lib/provision/trusted-principal-source";
import type { Plan, WizardDocument } from "@/lib/provision/types";
import { checkTrustedPrincipalsAction, planRoleAction } from "./actions";
import { StepFooter } from "./step-footer";

type Planned = { key: string; result: PlanResult } | { key: string; error: { code: string; message: string; fields: Record<string, string> } };

const json = (value: unknown) => JSON.stringify(value, null, 2);

/** Step 4: the plan the server builds from the document. Every policy that will exist, the
 * findings, the sessions operators will get, and the same role as code. */
export function ReviewStep({
  doc,
  context,
  onChange,
  onBack,
  onGoToStep,
  onFieldErrors,
  onPlanned,
  onCreate,
}: {
  doc: WizardDocument;
  context: WizardContext;
  onChange: (doc: WizardDocument) => void;
  onBack: () => void;
  /** With `field`: the field to focus there. */
  onGoToStep: (step: StepNumber, field?: string) => void;
  onFieldErrors: (fields: Record<string, string>) => void;
  /** The plan now shown (null while there is none for these answers). */
  onPlanned: (result: PlanResult | null) => void;
  onCreate: (acknowledgeWarnings: boolean) => void;
}) {
  const submission = toSubmission(doc);
  const [attempt, setAttempt] = useState(0);
  const key = `${attempt}:${JSON.stringify(submission)}`;
  const [planned, setPlanned] = useState<Planned | null>(null);
  /** The plan key the warnings were acknowledged for: a new plan needs a new look. */
  const [acknowledged, setAcknowledged] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    // The server checks every field again (the service against its own list, among others);
    // the form's types are looser than the action's schema because they hold work in progress.
    planRoleAction(submission as Parameters<typeof planRoleAction>[0]).then(
      (answer) => {
        if (!live) return;
        if (answer.ok) setPlanned({ key, result: answer.data });
        else {
          setPlanned({ key, error: { code: answer.error.code, message: errorText(answer.error), fields: normalizeFieldKeys(answer.error.fields) } });
          if (answer.error.fields) onFieldErrors(answer.error.fields);
        }
      },
      () => {
        if (live) setPlanned({ key, error: { code: "network", message: "The console could not be reached. Check your connection and try again.", fields: {} } });
      },
    );
    return () => {
      live = false;
    };
    // `key` is the document (and retry count) the plan is for.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);

  const loading = planned?.key !== key;
  const result = planned && "result" in planned ? planned.result : null;
  const failure = planned && "error" in planned && !loading ? planned.error : null;
  const ackKey = result ? JSON.stringify(result.plan.findings.filter((f) => f.severity === "warning")) : "";
  const gate = findingsGate(result?.plan.findings ?? [], acknowledged, ackKey);
  const current = loading ? null : result;

  useEffect(() => {
    onPlanned(current);
    // Reported when the plan for these answers arrives or goes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [current]);

  // The roles the new role trusts, and whether each is an EC2 instance or ECS task role (asked once
  // per set of roles; the ~/.aws/config export's default follows the answer).
  const trustedRoles = trustedRoleArns(doc.trust.entities.flatMap((e) => (e.kind === "principal" ? [e.arn] : [])));
  const rolesKey = trustedRoles.join("\n");
  const [checked, setChecked] = useState<{ key: string; checks: TrustedPrincipalCheck[] } | null>(null);
  useEffect(() => {
    if (!rolesKey) return;
    let live = true;
    const roles = rolesKey.split("\n");
    const unchecked = (reason: string): TrustedPrincipalCheck[] => roles.map((principal) => ({ principal, status: "unchecked", roleName: principal.slice(principal.lastIndexOf("/") + 1), reason }));
    checkTrustedPrincipalsAction({ principals: roles }).then(
      (answer) => {
        if (live) setChecked({ key: rolesKey, checks: answer.ok ? answer.data : unchecked(`The console could not check what the trusted roles trust (${errorText(answer.error)})`) });
      },
      () => {
        if (live) setChecked({ key: rolesKey, checks: unchecked("The console could not be reached to check what the trusted roles trust.") });
      },
    );
    return () => {
      live = false;
    };
  }, [rolesKey]);
  const checks = !rolesKey ? [] : checked?.key === rolesKey ? checked.checks : null;

  const toggleSource = (accountId: string, on: boolean) => {
    const rest = doc.applySourcePolicies.filter((a) => a !== accountId);
    onChange({ ...doc, applySourcePolicies: on ? [...rest, accountId] : rest });
  };

  return (
    <>
      <div className="space-y-6 px-5 py-5">
        {failure ? (
          <PlanFailure failure={failure} onGoToStep={onGoToStep} onRetry={() => setAttempt((a) => a + 1)} />
        ) : !result ? (
          <div className="flex items-center justify-center gap-2 py-16 text-sm text-slate-600" aria-busy="true" data-testid="wizard-plan-loading">
            <LoaderCircle className="h-4 w-4 animate-spin" aria-hidden />
            Building the plan: policies, checks against the account&apos;s quotas, exports…
          </div>
        ) : (
          <div className={`space-y-6 transition-opacity ${loading ? "opacity-60" : ""}`} aria-busy={loading}>
            {loading ? (
              <p className="flex items-center gap-2 text-sm text-slate-600">
                <LoaderCircle className="h-4 w-4 animate-spin" aria-hidden />
                Updating the plan…
              </p>
            ) : null}
            <Summary plan={result.plan} context={context} trustsConsole={doc.trust.entities.some((e) => e.kind === "broker")} />

            <section aria-labelledby="wz-findings-title" className="space-y-2">
              <h3 id="wz-findings-title" className="text-sm font-semibold text-slate-900">
                Checks
              </h3>
              <div data-testid="lint-findings">
                <FindingsList
                  findings={result.plan.findings}
                  accounts={context.accounts}
                  testId="lint-findings-list"
                  emptyText="No findings: the policies pass every check."
                  action={(f) => {
                    const step = f.severity === "info" ? null : stepOfWhere(f.where);
                    return step ? (
                      <Button size="sm" variant="ghost" onClick={() => onGoToStep(step)}>
                        Edit in {stepInfo(step).title}
                      </Button>
                    ) : null;
                  }}
                />
              </div>
            </section>

            <QuotaMeters usage={result.usage} accountName={context.accounts.find((a) => a.accountId === result.plan.accountId)?.name ?? result.plan.accountId} />

            <section aria-labelledby="wz-trust-title" className="space-y-2">
              <h3 id="wz-trust-title" className="text-sm font-semibold text-slate-900">
                Trust policy <span className="font-normal text-slate-500">— who may assume the role</span>
              </h3>
              <CodeBlock text={json(result.plan.trustPolicy)} label="trust policy" file={{ name: `${result.plan.roleName}-trust-policy.json`, type: "application/json" }} testId="wizard-trust-policy" />
            </section>

            <section aria-labelledby="wz-permissions-title" className="space-y-3">
              <h3 id="wz-permissions-title" className="text-sm font-semibold text-slate-900">
                Permission policies <span className="font-normal text-slate-500">— what the role may do</span>
              </h3>
              {result.plan.managedPolicyArns.length === 0 && result.plan.inlinePolicies.length === 0 ? <p className="text-sm text-slate-600">None: the role will have no permissions.</p> : null}
              {result.plan.managedPolicyArns.length ? (
                <div>
                  <h4 className="text-sm font-medium text-slate-700">Managed policies to attach</h4>
                  <ul className="mt-1 space-y-0.5">
                    {result.plan.managedPolicyArns.map((arn) => (
                      <li key={arn} className="font-mono text-xs text-slate-700 [overflow-wrap:anywhere]">
                        {arn}
                      </li>
                    ))}
                  </ul>
                </div>
              ) : null}
              {result.plan.inlinePolicies.map((p) => (
                <div key={p.name} className="space-y-1">
                  <h4 className="text-sm font-medium text-slate-700">
                    Inline policy <span className="font-mono">{p.name}</span>
                  </h4>
                  <CodeBlock text={json(p.document)} label={`inline policy ${p.name}`} file={{ name: policyFileName(p.name), type: "application/json" }} maxHeight="max-h-72" />
                </div>
              ))}
              {result.plan.permissionsBoundaryArn ? (
                <p className="text-sm text-slate-600">
                  Capped by the permissions boundary <span className="font-mono text-xs [overflow-wrap:anywhere]">{result.plan.permissionsBoundaryArn}</span>.
                </p>
              ) : null}
            </section>

            <SourcePolicies plan={result.plan} context={context} chosen={doc.applySourcePolicies} onToggle={toggleSource} />

            <section aria-labelledby="wz-exports-title" className="space-y-2">
              <h3 id="wz-exports-title" className="text-sm font-semibold text-slate-900">
                As code
              </h3>
              <p className="text-sm text-slate-600">The same role for your own pipeline, instead of creating it here. Nothing is created by copying these.</p>
              <Exports result={result} trustedRoles={trustedRoles} checks={checks} />
            </section>
          </div>
        )}
      </div>
      <StepFooter
        onBack={onBack}
        aside={
          result && !loading ? (
            <AcknowledgeWarnings id="wz-ack-warnings" gate={gate} checked={acknowledged === ackKey} onChange={(on) => setAcknowledged(on ? ackKey : null)} proceed="create the role" />
          ) : null
        }
      >
        <Button onClick={() => onCreate(gate.acknowledgeWarnings)} disabled={!result || loading || !gate.canProceed} data-testid="wizard-create">
          Create role
        </Button>
      </StepFooter>
    </>
  );
}

function PlanFailure({ failure, onGoToStep, onRetry }: { failure: { code: string; message: string; fields: Record<string, string> }; onGoToStep: (step: StepNumber, field?: string) => void; onRetry: () => void }) {
  // Per step: its messages, and the first field to fix there (focused when going back).
  const byStep = new Map<StepNumber, { field: string; messages: string[] }>();
  for (const [key, message] of Object.entries(failure.fields)) {
    const step = stepOfField(key);
    if (step && step < 4) byStep.set(step, { field: byStep.get(step)?.field ?? key, messages: [...(byStep.get(step)?.messages ?? []), message] });
  }
  return (
    <div className="space-y-3" data-testid="wizard-plan-error">
      <Alert title={byStep.size ? "Some answers need a change" : "The plan could not be made"}>
        {byStep.size ? "The console checked the role against the account and found these problems. The messages are also next to the fields." : failure.message}
      </Alert>
      {[...byStep].map(([step, { field, messages }]) => (
        <div key={step} className="flex flex-wrap items-start justify-between gap-3 rounded-md border border-slate-200 px-3 py-2" data-testid={`wizard-plan-error-step-${step}`}>
          <ul className="min-w-0 flex-1 basis-64 list-disc pl-5 text-sm text-slate-800">
            {messages.map((m, i) => (
              <li key={i} className="[overflow-wrap:anywhere]">
                {m}
              </li>
            ))}
          </ul>
          <Button size="sm" variant="secondary" onClick={() => onGoToStep(step, field)}>
            Go to {stepInfo(step).title}
          </Button>
        </div>
      ))}
      {!byStep.size ? (
        <Button variant="secondary" onClick={onRetry}>
          <RefreshCw className="h-4 w-4" aria-hidden />
          Try again
        </Button>
      ) : null}
    </div>
  );
}

function Summary({ plan, context, trustsConsole }: { plan: Plan; context: WizardContext; trustsConsole: boolean }) {
  const capped = plan.effectiveSessionSeconds < plan.maxSessionDuration;
  return (
    <section aria-labelledby="wz-summary-title" className="space-y-3 rounded-md border border-slate-200 p-4">
      <h3 id="wz-summary-title" className="sr-only">
        Summary
      </h3>
      <div className="flex flex-wrap items-center gap-2">
        <span className="font-mono text-sm font-medium text-slate-900 [overflow-wrap:anywhere]" data-testid="wizard-role-arn">
          {plan.roleArn}
        </span>
        <CopyButton text={() => plan.roleArn} label="Copy ARN" variant="ghost" />
      </div>
      <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-1 text-sm">
        <dt className="text-slate-500">Account</dt>
        <dd className="text-slate-900">{accountLabel(plan.accountId, context.accounts)}</dd>
        {plan.description ? (
          <>
            <dt className="text-slate-500">Description</dt>
            <dd className="text-slate-900">{plan.description}</dd>
          </>
        ) : null}
        <dt className="text-slate-500">Maximum session</dt>
        <dd className="text-slate-900">{hoursLabel(plan.maxSessionDuration)}</dd>
        <dt className="text-slate-500">Through Switchboard</dt>
        <dd className={capped || !trustsConsole ? "text-amber-800" : "text-slate-900"} data-testid="wizard-effective-session">
          {trustsConsole ? (
            <>
              Sessions last up to {hoursLabel(plan.effectiveSessionSeconds)}
              {capped ? ": the console runs on temporary credentials, and AWS caps role chaining at 1 hour." : "."}
            </>
          ) : (
            "Not possible: the role does not trust this console (add it on Who to switch into the role from here)."
          )}
        </dd>
        {plan.tags.length ? (
          <>
            <dt className="text-slate-500">Tags</dt>
            <dd className="flex flex-wrap gap-1">
              {plan.tags.map((t) => (
                <Badge key={t.key}>
                  {t.key}
                  {t.value ? `=${t.value}` : ""}
                </Badge>
              ))}
            </dd>
          </>
        ) : null}
        {plan.instanceProfile ? (
          <>
            <dt className="text-slate-500">Instance profile</dt>
            <dd className="text-slate-900">
              <span className="font-mono text-xs">
                {plan.instanceProfile.path}
                {plan.instanceProfile.name}
              </span>{" "}
              is created with the role, for EC2.
            </dd>
          </>
        ) : null}
        {plan.oidcProvider ? (
          <>
            <dt className="text-slate-500">OIDC provider</dt>
            <dd className="text-slate-900">
              The account has none for <span className="font-mono text-xs">{plan.oidcProvider.url}</span>, so it is created first.
            </dd>
          </>
        ) : null}
      </dl>
    </section>
  );
}

function SourcePolicies({ plan, context, chosen, onToggle }: { plan: Plan; context: WizardContext; chosen: string[]; onToggle: (accountId: string, on: boolean) => void }) {
  if (!plan.sourcePolicies.length) return null;
  return (
    <section aria-labelledby="wz-source-title" className="space-y-3">
      <div>
        <h3 id="wz-source-title" className="text-sm font-semibold text-slate-900">
          Source-side policies <span className="font-normal text-slate-500">— the other half</span>
        </h3>
        <p className="text-sm text-slate-600">
          Across accounts, a trust policy is not enough: the caller&apos;s own identity policy must also allow sts:AssumeRole on the role. This is that policy, for each trusted principal.
        </p>
      </div>
      {plan.sourcePolicies.map((sp, i) => {
        const account = context.accounts.find((a) => a.accountId === sp.accountId);
        const where = accountLabel(sp.accountId, context.accounts);
        return (
          <div key={`${sp.accountId}-${sp.principal}-${i}`} className="space-y-2 rounded-md border border-slate-200 p-3" data-testid={`source-policy-${sp.accountId}`}>
            <div className="flex flex-wrap items-baseline justify-between gap-2">
              <h4 className="text-sm font-medium text-slate-800">
                In {where}, for <span className="font-mono text-xs [overflow-wrap:anywhere]">{sp.principal}</span>
              </h4>
              <span className="font-mono text-xs text-slate-500">{sp.policyName}</span>
            </div>
            <CodeBlock text={json(sp.document)} label={`source-side policy for ${sp.principal}`} file={{ name: policyFileName(`${sp.policyName}-${sp.accountId}`), type: "application/json" }} maxHeight="max-h-60" />
            {!sp.principal.startsWith("arn:") ? (
              // A whole account is trusted: there is no one identity to put the policy on.
              <p className="text-sm text-slate-600">
                The role trusts {where} as a whole, so there is no single user or role to attach this to: its administrators attach it (or a managed policy like it) to whoever should
                assume the role.
              </p>
            ) : account?.canProvision ? (
              <Checkbox id={`wz-source-${i}`} checked={chosen.includes(sp.accountId)} onChange={(on) => onToggle(sp.accountId, on)} label={`Attach it in ${account.name} now`}>
                The console puts it on <span className="font-mono text-xs">{sp.principal.split("/").pop()}</span> through {account.name}&apos;s provisioning role, right after the role is created.
              </Checkbox>
            ) : (
              <p className="text-sm text-slate-600">
                {account
                  ? `The console cannot attach it in ${account.name} (no provisioning role there): hand it to that account's administrators.`
                  : `Account ${sp.accountId} is not registered in the console: hand this policy to its administrators.`}
              </p>
            )}
          </div>
        );
      })}
    </section>
  );
}

function Exports({ result, trustedRoles, checks }: { result: PlanResult; trustedRoles: string[]; checks: TrustedPrincipalCheck[] | null }) {
  const [tab, setTab] = useState<ExportKind>("terraform");
  // null: the default, which follows what the console found out about the trusted roles.
  const [picked, setPicked] = useState<ConfigSourceChoice | null>(null);
  const found = checks ? defaultConfigSource(checks) : null;
  const source = picked ?? found?.choice ?? "source_profile";
  let text = exportText(tab, result.exports);
  if (tab === "config" && source !== "source_profile") {
    try {
      text = exportAwsConfig(result.plan, { credentialSource: source });
    } catch {
      // The server's own export (source_profile) stays: it was made from the same plan.
    }
  }
  const label = EXPORT_TABS.find((t) => t.value === tab)?.label ?? tab;
  return (
    <Tabs label="Export format" items={EXPORT_TABS} value={tab} onChange={setTab} testIdPrefix="export-tab-">
      {tab === "config" ? (
        <div className="mb-3 space-y-3" data-testid="export-config-source">
          <ConfigSourcePicker value={source} onChange={setPicked} testIdPrefix="export-config-source-" />
          <ConfigSourceNote trustedRoles={trustedRoles} checks={checks} reason={found?.reason ?? null} unchecked={found?.unchecked ?? []} source={source} picked={picked !== null} />
        </div>
      ) : null}
      <CodeBlock text={text} label={`${label} export`} file={exportFile(tab, result.plan.roleName, text)} testId={`export-${tab}`} maxHeight="max-h-[28rem]" />
    </Tabs>
  );
}

/** Why the profile starts with the source it has: a trusted role is an EC2 instance or ECS task
 * role, or the console could not check (then source_profile is kept). */
function ConfigSourceNote({
  trustedRoles,
  checks,
  reason,
  unchecked,
  source,
  picked,
}: {
  trustedRoles: string[];
  checks: TrustedPrincipalCheck[] | null;
  reason: string | null;
  unchecked: string[];
  source: ConfigSourceChoice;
  picked: boolean;
}) {
  if (trustedRoles.length === 0) return null;
  if (checks === null) {
    return (
      <p className="flex items-center gap-2 text-sm text-slate-600" data-testid="export-config-source-note">
        <LoaderCircle className="h-4 w-4 animate-spin" aria-hidden />
        Checking whether the trusted {trustedRoles.length === 1 ? "role is an EC2 instance or ECS task role" : "roles are EC2 instance or ECS task roles"}…
      </p>
    );
  }
  if (reason) {
    return (
      <p className="text-sm text-slate-700 [overflow-wrap:anywhere]" data-testid="export-config-source-note" data-reason="credential_source">
        {reason}
        {picked ? null : (
          <>
            {" "}
            The profile uses <code className="font-mono text-xs whitespace-nowrap text-slate-800">credential_source = {source}</code>.
          </>
        )}
      </p>
    );
  }
  if (unchecked.length) {
    return (
      <div className="text-sm text-slate-600 [overflow-wrap:anywhere]" data-testid="export-config-source-note" data-reason="unchecked">
        {unchecked.map((sentence, i) => (
          <p key={i}>{sentence.replace(/\.?$/, ".")}</p>
        ))}
        <p>The profile keeps source_profile unless you choose otherwise.</p>
      </div>
    );
  }
  return null;
}
