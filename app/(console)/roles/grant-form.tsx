"use client";

import { LoaderCircle, UserPlus } from "lucide-react";
import { useEffect, useState, useTransition, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Field, Input, Select } from "@/components/ui/field";
import { ExpiryPicker, useExpiryChoice } from "../grants/expiry";
import { createGrantAction } from "./actions";
import type { UserOption } from "./types";

export type GrantOutcome = { ok: true; subject: string; value: string } | { ok: false; message: string };

/**
 * Grants one role entry to a person or an identity-provider group: the Grants dialog's form and
 * the wizard's Next steps use this one. The caller shows the outcome (`onDone`) where its own
 * notices go, and decides who is still offered (`available`: people who do not have it yet).
 */
export function GrantForm({
  roleId,
  people,
  available,
  idPrefix,
  labels,
  busy = false,
  autoFocusGroup = false,
  className = "",
  formLabel,
  onPendingChange,
  onDone,
}: {
  roleId: string;
  /** Everyone a grant could be for: with nobody, the form starts on the group. */
  people: UserOption[];
  /** Those of `people` still offered in the list. */
  available: UserOption[];
  idPrefix: string;
  labels: {
    /** The radio group's legend; `legendHidden` keeps it for screen readers only. */
    legend: string;
    legendHidden?: boolean;
    person: string;
    choose: string;
    /** The list's placeholder when `available` is empty. */
    noneLeft: string;
    /** Below the person field when `people` is empty. */
    nobodyHint?: string;
  };
  /** Something else of the caller's is running (a removal): no grant meanwhile. */
  busy?: boolean;
  /** Focus the group's field when the person switches to it. */
  autoFocusGroup?: boolean;
  className?: string;
  /** The form's accessible name, where the legend alone does not name the role. */
  formLabel?: string;
  /** While a grant runs (the dialog holds its removals meanwhile). */
  onPendingChange?: (pending: boolean) => void;
  onDone: (outcome: GrantOutcome) => void;
}) {
  const [kind, setKind] = useState<"user" | "group">(people.length ? "user" : "group");
  const [fieldError, setFieldError] = useState<{ userEmail?: string; group?: string; expiresAt?: string }>({});
  const [pending, startTransition] = useTransition();
  const expiry = useExpiryChoice();
  useEffect(() => onPendingChange?.(pending), [pending, onPendingChange]);

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const data = new FormData(form);
    const value = kind === "user" ? String(data.get("userEmail") ?? "") : String(data.get("group") ?? "").trim();
    if (!value) return setFieldError(kind === "user" ? { userEmail: `Choose a ${labels.person.toLowerCase()}` } : { group: "Enter the group's name" });
    const resolved = expiry.resolve();
    if ("error" in resolved) return setFieldError({ expiresAt: resolved.error });
    const input = kind === "user" ? { userEmail: value } : { group: value };
    startTransition(async () => {
      const result = await createGrantAction({ roleId, ...input, ...(resolved.expiresAt ? { expiresAt: resolved.expiresAt } : {}) });
      if (!result.ok) {
        const fields = result.error.fields ?? {};
        setFieldError({ userEmail: fields.userEmail, group: fields.group, expiresAt: fields.expiresAt });
        onDone({ ok: false, message: result.error.message });
        return;
      }
      setFieldError({});
      form.reset();
      expiry.reset();
      onDone({ ok: true, subject: result.data.subject, value: kind === "user" ? value : `group ${value}` });
    });
  };

  return (
    <form onSubmit={submit} className={`space-y-3 ${className}`} noValidate aria-label={formLabel}>
      <fieldset className="flex flex-wrap items-center gap-x-4 gap-y-1 text-sm text-slate-700">
        <legend className={labels.legendHidden ? "sr-only" : "mb-2 text-sm font-medium text-slate-900"}>{labels.legend}</legend>
        <label className="flex items-center gap-1.5">
          <input type="radio" name="kind" checked={kind === "user"} onChange={() => setKind("user")} className="h-4 w-4 accent-indigo-600" />
          A person
        </label>
        <label className="flex items-center gap-1.5">
          <input type="radio" name="kind" checked={kind === "group"} onChange={() => setKind("group")} className="h-4 w-4 accent-indigo-600" />
          An identity-provider group
        </label>
      </fieldset>
      <div className="flex flex-wrap items-end gap-2">
        <div className="min-w-0 flex-1 basis-60">
          {kind === "user" ? (
            <Field label={labels.person} htmlFor={`${idPrefix}-user`} error={fieldError.userEmail} hint={people.length ? undefined : labels.nobodyHint}>
              <Select id={`${idPrefix}-user`} name="userEmail" defaultValue="" aria-invalid={Boolean(fieldError.userEmail) || undefined} disabled={available.length === 0}>
                <option value="" disabled>
                  {available.length ? labels.choose : labels.noneLeft}
                </option>
                {available.map((p) => (
                  <option key={p.email} value={p.email}>
                    {p.name} — {p.email}
                  </option>
                ))}
              </Select>
            </Field>
          ) : (
            <Field label="Group" htmlFor={`${idPrefix}-group`} hint="As the single sign-on provider sends it in the groups claim." error={fieldError.group}>
              <Input id={`${idPrefix}-group`} name="group" autoComplete="off" placeholder="platform-engineers" className="font-mono" invalid={Boolean(fieldError.group)} autoFocus={autoFocusGroup} />
            </Field>
          )}
        </div>
        <div className="min-w-0 basis-full">
          <ExpiryPicker idPrefix={idPrefix} choice={expiry.value.choice} at={expiry.value.at} onChange={expiry.setValue} error={fieldError.expiresAt} disabled={pending} />
        </div>
        <Button type="submit" disabled={pending || busy || (kind === "user" && available.length === 0)}>
          {pending ? <LoaderCircle className="h-4 w-4 animate-spin" aria-hidden /> : <UserPlus className="h-4 w-4" aria-hidden />}
          {pending ? "Granting…" : "Grant"}
        </Button>
      </div>
    </form>
  );
}
