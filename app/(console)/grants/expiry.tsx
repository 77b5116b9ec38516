"use client";

import { useEffect, useState, useTransition, type FormEvent } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Field, Input, Select } from "@/components/ui/field";
import { describeExpiry, EXPIRY_CHOICES, expiryFromChoice, utcMinuteText, type ExpiryChoice } from "@/lib/catalog/grant-expiry";
import { updateGrantExpiryAction } from "./actions";

// A grant's expiry, as the Grants page and the Roles page's Grants dialog show and change it.

/** The clock for "Expires in 3 h": the server's time of the render first (so the server's HTML
 * and the browser's first render agree), then the browser's, every minute. */
export function useNow(asOf?: number): number {
  // Without a server time (a dialog opened in the browser), the browser's from the start.
  const [now, setNow] = useState(() => asOf ?? Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 60_000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

/** "Expires in 3 h", or "Expired 2 d ago" in a muted red; nothing for a grant without expiry. */
export function ExpiryBadge({ expiresAt, now }: { expiresAt: string | null; now: number }) {
  const described = describeExpiry(expiresAt, now);
  if (!described || !expiresAt) return null;
  return (
    <Badge tone={described.expired ? "red" : "slate"} title={utcMinuteText(expiresAt)}>
      <time dateTime={expiresAt} className="whitespace-nowrap">
        {described.text}
      </time>
    </Badge>
  );
}

/** The "Expires" field: Never, 1 hour … 30 days, or a date and time. Controlled. */
export function ExpiryPicker({
  idPrefix,
  choice,
  at,
  onChange,
  error,
  disabled,
}: {
  idPrefix: string;
  choice: ExpiryChoice;
  at: string;
  onChange: (next: { choice: ExpiryChoice; at: string }) => void;
  error?: string;
  disabled?: boolean;
}) {
  return (
    <div className="flex flex-wrap items-end gap-2">
      <div className="min-w-0 basis-40">
        <Field label="Expires" htmlFor={`${idPrefix}-expires`} error={choice === "at" ? undefined : error}>
          <Select id={`${idPrefix}-expires`} value={choice} onChange={(e) => onChange({ choice: e.target.value as ExpiryChoice, at })} disabled={disabled}>
            {EXPIRY_CHOICES.map((c) => (
              <option key={c.value} value={c.value}>
                {c.label}
              </option>
            ))}
          </Select>
        </Field>
      </div>
      {choice === "at" ? (
        <div className="min-w-0 basis-56">
          <Field label="Ends at (your time)" htmlFor={`${idPrefix}-expires-at`} error={error}>
            <Input id={`${idPrefix}-expires-at`} type="datetime-local" value={at} onChange={(e) => onChange({ choice, at: e.target.value })} invalid={Boolean(error)} disabled={disabled} />
          </Field>
        </div>
      ) : null}
    </div>
  );
}

/** The picker's state, and the expiry it means now (or what to fix). */
export function useExpiryChoice(initial: ExpiryChoice = "never") {
  const [value, setValue] = useState<{ choice: ExpiryChoice; at: string }>({ choice: initial, at: "" });
  return {
    value,
    setValue,
    reset: () => setValue({ choice: initial, at: "" }),
    resolve: () => expiryFromChoice(value.choice, value.at),
  };
}

/** Changes one grant's expiry, or removes it: a small form with Save and Cancel. */
export function ExpiryEditor({ grantId, subject, idPrefix, onCancel, onDone }: { grantId: string; subject: string; idPrefix: string; onCancel: () => void; onDone: (outcome: { ok: boolean; text: string }) => void }) {
  const expiry = useExpiryChoice("1d");
  const [error, setError] = useState<string | undefined>();
  const [pending, startTransition] = useTransition();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const resolved = expiry.resolve();
    if ("error" in resolved) return setError(resolved.error);
    startTransition(async () => {
      const result = await updateGrantExpiryAction({ id: grantId, expiresAt: resolved.expiresAt });
      if (!result.ok) {
        setError(result.error.fields?.expiresAt ?? result.error.message);
        return;
      }
      setError(undefined);
      onDone({ ok: true, text: result.data.expiresAt ? `The grant to ${subject} now ends at ${new Date(result.data.expiresAt).toLocaleString()}.` : `The grant to ${subject} no longer expires.` });
    });
  };
  return (
    <form onSubmit={submit} noValidate className="space-y-3" aria-label={`Change when the grant to ${subject} expires`}>
      <ExpiryPicker idPrefix={idPrefix} choice={expiry.value.choice} at={expiry.value.at} onChange={(v) => expiry.setValue(v)} error={error} disabled={pending} />
      <div className="flex flex-wrap justify-end gap-2">
        <Button type="button" variant="secondary" size="sm" onClick={onCancel} disabled={pending}>
          Cancel
        </Button>
        <Button type="submit" size="sm" disabled={pending}>
          {pending ? "Saving…" : "Save expiry"}
        </Button>
      </div>
    </form>
  );
}
