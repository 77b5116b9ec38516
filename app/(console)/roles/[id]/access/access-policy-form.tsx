"use client";

import { useRouter } from "next/navigation";
import { useId, useState, useTransition, type FormEvent, type ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { Alert, Field, Input, Select } from "@/components/ui/field";
import { Textarea } from "@/components/ui/textarea";
import { describeDuration, durationChoices } from "@/lib/access/events";
import type { EligibilityDto } from "@/lib/access/policy";
import type { ActionError } from "@/lib/http/action";
import { setEligibilityAction } from "./actions";

/** One entry per line or comma: emails or group names. */
const listOf = (text: string) => [...new Set(text.split(/[\n,]/).map((s) => s.trim()).filter(Boolean))];

function Check({ checked, onChange, children, hint }: { checked: boolean; onChange: (v: boolean) => void; children: ReactNode; hint?: string }) {
  return (
    <label className="flex items-start gap-3 text-sm">
      <input type="checkbox" className="mt-0.5 h-4 w-4 shrink-0" checked={checked} onChange={(e) => onChange(e.target.checked)} />
      <span>
        <span className="font-medium text-slate-900">{children}</span>
        {hint ? <span className="block text-slate-600">{hint}</span> : null}
      </span>
    </label>
  );
}

export function AccessPolicyForm({ view }: { view: EligibilityDto }) {
  const ids = useId();
  const router = useRouter();
  const p = view.policy;
  const [people, setPeople] = useState(view.eligible.users.map((u) => u.email).join("\n"));
  const [groups, setGroups] = useState(view.eligible.groups.join("\n"));
  const [approverEmails, setApproverEmails] = useState(p.approverEmails.join("\n"));
  const [approverGroups, setApproverGroups] = useState(p.approverGroups.join("\n"));
  const [anyAdmin, setAnyAdmin] = useState(p.anyAdmin);
  const [approvals, setApprovals] = useState<1 | 2>(p.approvalsRequired);
  const [maxDuration, setMaxDuration] = useState(p.maxDurationSeconds);
  const [reasonRequired, setReasonRequired] = useState(p.reasonRequired);
  const [ticketPattern, setTicketPattern] = useState(p.ticketPattern ?? "");
  const [breakGlass, setBreakGlass] = useState(p.breakGlass);
  const [revokeOnEnd, setRevokeOnEnd] = useState(p.revokeOnEnd);
  const [error, setError] = useState<ActionError | null>(null);
  const [saved, setSaved] = useState(false);
  const [pending, start] = useTransition();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    start(async () => {
      setError(null);
      setSaved(false);
      const result = await setEligibilityAction({
        roleId: view.roleId,
        userEmails: listOf(people),
        groups: listOf(groups),
        policy: {
          approverEmails: listOf(approverEmails),
          approverGroups: listOf(approverGroups),
          anyAdmin,
          approvalsRequired: approvals,
          maxDurationSeconds: maxDuration,
          reasonRequired,
          ticketPattern: ticketPattern.trim() || null,
          breakGlass,
          revokeOnEnd,
        },
      });
      if (!result.ok) return setError(result.error);
      setSaved(true);
      router.refresh();
    });
  };
  const fieldError = (key: string) => error?.fields?.[key] ?? error?.fields?.[`policy.${key}`];
  return (
    <form onSubmit={submit} className="space-y-6" noValidate>
      <Card>
        <CardHeader title="Who may ask" description="People and identity-provider groups who can request this role. They see it under Requests and in the Switch Role menu." />
        <div className="grid grid-cols-1 gap-4 p-5 md:grid-cols-2">
          <Field label="People (emails, one per line)" htmlFor={`${ids}-people`} error={fieldError("userEmails")}>
            <Textarea id={`${ids}-people`} rows={4} value={people} onChange={(e) => setPeople(e.target.value)} invalid={Boolean(fieldError("userEmails"))} />
          </Field>
          <Field label="Groups (one per line)" htmlFor={`${ids}-groups`} hint="From single sign-on's groups claim." error={fieldError("groups")}>
            <Textarea id={`${ids}-groups`} rows={4} value={groups} onChange={(e) => setGroups(e.target.value)} />
          </Field>
        </div>
      </Card>
      <Card>
        <CardHeader title="Who approves" description="Nobody approves their own request. Approvers are told in the console (a count beside Requests) and through webhooks." />
        <div className="space-y-4 p-5">
          <Check checked={anyAdmin} onChange={setAnyAdmin}>
            Any administrator
          </Check>
          <div className="grid grid-cols-1 gap-4 md:grid-cols-2">
            <Field label="Approvers (emails, one per line)" htmlFor={`${ids}-approvers`} error={fieldError("approverEmails")}>
              <Textarea id={`${ids}-approvers`} rows={3} value={approverEmails} onChange={(e) => setApproverEmails(e.target.value)} invalid={Boolean(fieldError("approverEmails"))} />
            </Field>
            <Field label="Approver groups (one per line)" htmlFor={`${ids}-approver-groups`} error={fieldError("approverGroups")}>
              <Textarea id={`${ids}-approver-groups`} rows={3} value={approverGroups} onChange={(e) => setApproverGroups(e.target.value)} />
            </Field>
          </div>
          <fieldset>
            <legend className="text-sm font-medium text-slate-900">Approvals needed</legend>
            <div className="mt-2 flex flex-wrap gap-4">
              {([1, 2] as const).map((n) => (
                <label key={n} className="flex items-center gap-2 text-sm">
                  <input type="radio" name={`${ids}-approvals`} className="h-4 w-4" checked={approvals === n} onChange={() => setApprovals(n)} />
                  {n === 1 ? "One approver" : "Two different approvers"}
                </label>
              ))}
            </div>
            {fieldError("approvalsRequired") ? <p className="mt-1 text-sm text-red-700">{fieldError("approvalsRequired")}</p> : null}
          </fieldset>
        </div>
      </Card>
      <Card>
        <CardHeader title="Rules" />
        <div className="space-y-4 p-5">
          <div className="grid grid-cols-1 gap-4 md:grid-cols-2">
            <Field label="Longest access" htmlFor={`${ids}-max`} hint="15 minutes to 12 hours; approvers can give less." error={fieldError("maxDurationSeconds")}>
              <Select id={`${ids}-max`} value={maxDuration} onChange={(e) => setMaxDuration(Number(e.target.value))}>
                {durationChoices(43_200).map((s) => (
                  <option key={s} value={s}>
                    {describeDuration(s)}
                  </option>
                ))}
              </Select>
            </Field>
            <Field label="Ticket reference pattern (optional)" htmlFor={`${ids}-ticket`} hint="A regular expression the whole reference must match, e.g. INC-\d+ or [A-Z]+-\d+." error={fieldError("ticketPattern")}>
              <Input id={`${ids}-ticket`} value={ticketPattern} onChange={(e) => setTicketPattern(e.target.value)} maxLength={200} invalid={Boolean(fieldError("ticketPattern"))} />
            </Field>
          </div>
          <Check checked={reasonRequired} onChange={setReasonRequired}>
            A reason is required
          </Check>
          <Check checked={revokeOnEnd} onChange={setRevokeOnEnd} hint="When access ends (it expires, or an approver ends it), the person's live AWS sessions in this role are revoked too.">
            Revoke live sessions when access ends
          </Check>
          <Check checked={breakGlass} onChange={setBreakGlass} hint="For emergencies: access at once with a reason; every approver is told, and one must review it afterwards.">
            Allow break-glass
          </Check>
        </div>
      </Card>
      {error ? <Alert title="Not saved">{error.message}</Alert> : null}
      {saved ? (
        <Alert tone="success" title="Saved">
          Who may ask for {view.roleLabel}, and how, is updated.
        </Alert>
      ) : null}
      <div className="flex justify-end">
        <Button type="submit" disabled={pending}>
          {pending ? "Saving…" : "Save"}
        </Button>
      </div>
    </form>
  );
}
