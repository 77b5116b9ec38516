"use client";

import { useEffect, useRef, useState, useTransition, type FormEvent, type KeyboardEvent } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Alert, Field, Input } from "@/components/ui/field";
import type { RoleDto } from "@/lib/catalog/role-dto";
import type { ActionError } from "@/lib/http/action";
import { revokeRoleSessionsAction } from "./actions";
import type { UserOption } from "./types";

type Scope = "person" | "everyone";

/** Enter on a radio button submits the form too, as it does on the email field. */
function submitOnEnter(e: KeyboardEvent<HTMLFormElement>) {
  if (e.key === "Enter" && e.target instanceof HTMLInputElement && e.target.type === "radio") {
    e.preventDefault();
    e.currentTarget.requestSubmit();
  }
}

/** Ends live AWS sessions in one role entry: one person's (by the session name the console gave
 * them), or everyone's, as the IAM console's "Revoke active sessions" does. `people` are offered
 * as suggestions for the email, those granted the role first. */
export function RevokeSessionsDialog({ role, people, onClose }: { role: RoleDto; people: UserOption[]; onClose: () => void }) {
  const [scope, setScope] = useState<Scope>("person");
  const [email, setEmail] = useState("");
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<ActionError | null>(null);
  const [pending, startTransition] = useTransition();
  const form = useRef<HTMLFormElement>(null);
  // The Dialog's effect (a child's) opens it before this one runs; focus follows what is shown.
  useEffect(() => form.current?.querySelector<HTMLElement>("[data-initial-focus]")?.focus(), [done]);

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (done) return onClose();
    const userEmail = email.trim();
    if (scope === "person" && !userEmail) return setError({ code: "bad_request", message: "Enter the email of the person whose sessions to end.", fields: { userEmail: "Enter an email" } });
    startTransition(async () => {
      const result = await revokeRoleSessionsAction({ roleId: role.id, ...(scope === "person" ? { userEmail } : {}) });
      if (result.ok) {
        setError(null);
        setDone(result.data.message);
      } else setError(result.error);
    });
  };

  const who = scope === "person" ? (email.trim() || "the person") : "everyone";
  return (
    <Dialog open onClose={onClose} title={`Revoke sessions in ${role.displayName}`} description={<span className="font-mono text-xs [overflow-wrap:anywhere]">{role.roleArn}</span>}>
      <form ref={form} onSubmit={submit} onKeyDown={submitOnEnter} className="space-y-4" noValidate>
        {error && !error.fields?.userEmail ? <Alert title="The sessions could not be revoked">{error.message}</Alert> : null}
        {done ? (
          <div data-testid="revoke-sessions-result">
            <Alert tone="success" title="Revoked">
              {done}
            </Alert>
          </div>
        ) : (
          <>
            <fieldset className="space-y-2 text-sm text-slate-700">
              <legend className="mb-2 text-sm font-medium text-slate-900">Whose sessions</legend>
              <label className="flex items-center gap-2">
                <input type="radio" name="scope" checked={scope === "person"} onChange={() => setScope("person")} className="h-4 w-4 accent-indigo-600" />
                One person
              </label>
              <label className="flex items-center gap-2">
                <input type="radio" name="scope" checked={scope === "everyone"} onChange={() => setScope("everyone")} className="h-4 w-4 accent-indigo-600" />
                Everyone in this role
              </label>
            </fieldset>
            {scope === "person" ? (
              <Field label="Email" htmlFor="revoke-email" hint="The console user whose sessions end." error={error?.fields?.userEmail}>
                <Input
                  id="revoke-email"
                  type="email"
                  autoComplete="off"
                  list={people.length ? "revoke-email-people" : undefined}
                  value={email}
                  onChange={(e) => setEmail(e.target.value)}
                  invalid={Boolean(error?.fields?.userEmail)}
                  data-initial-focus
                />
              </Field>
            ) : null}
            {people.length ? (
              <datalist id="revoke-email-people">
                {people.map((p) => (
                  <option key={p.email} value={p.email}>
                    {p.name}
                  </option>
                ))}
              </datalist>
            ) : null}
            <p className="text-sm text-slate-600">
              {scope === "person"
                ? `Denies every action to the AWS sessions of ${who} in this role that started before now; sessions they start afterwards work, and nobody else's are touched.`
                : "Denies every action to every AWS session of this role that started before now, whoever started it — in the console or not. Sessions started afterwards work."}
            </p>
          </>
        )}
        <div className="flex flex-wrap justify-end gap-2 pt-2">
          {done ? (
            <Button type="submit" data-initial-focus>
              Done
            </Button>
          ) : (
            <>
              <Button variant="secondary" onClick={onClose}>
                Cancel
              </Button>
              <Button type="submit" variant="danger" disabled={pending}>
                {pending ? "Revoking…" : scope === "person" ? "Revoke their sessions" : "Revoke everyone's sessions"}
              </Button>
            </>
          )}
        </div>
      </form>
    </Dialog>
  );
}
