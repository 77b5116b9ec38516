"use client";

import { useEffect, useRef, useState, useTransition, type FormEvent, type KeyboardEvent, type RefObject } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Alert } from "@/components/ui/field";
import type { ActionError } from "@/lib/http/action";
import type { RoleRevocation } from "@/lib/revocation/revoke";
import type { UserDto } from "@/lib/users/dto";
import { revokeUserSessionsAction, updateUserAction } from "./actions";
import { RevocationResults } from "./revocation-results";

/** An email breaks anywhere, so that a long one fits a phone's width. */
const Email = ({ email }: { email: string }) => <span className="[overflow-wrap:anywhere]">{email}</span>;

const explanation = (email: string) => (
  <>
    Denies every action to the AWS sessions <Email email={email} /> started in the last 12 hours, in each role they used; sessions they start afterwards work.
  </>
);

/** Focuses the form's `data-initial-focus` element once the dialog is open (the Dialog's effect,
 * a child's, runs before ours) and again whenever `step` changes what the form shows. */
function useInitialFocus(form: RefObject<HTMLFormElement | null>, step: string) {
  useEffect(() => form.current?.querySelector<HTMLElement>("[data-initial-focus]")?.focus(), [form, step]);
}

/** Enter on a checkbox submits the form too, as it does on a text field. */
function submitOnEnter(e: KeyboardEvent<HTMLFormElement>) {
  if (e.key === "Enter" && e.target instanceof HTMLInputElement && e.target.type === "checkbox") {
    e.preventDefault();
    e.currentTarget.requestSubmit();
  }
}

/** Ends one person's live AWS sessions in every role entry they used, and says role by role how
 * it went. Mounted per person (keyed by id), so it starts afresh each time. */
export function RevokeUserSessionsDialog({ user, onClose }: { user: UserDto; onClose: () => void }) {
  const [results, setResults] = useState<RoleRevocation[] | null>(null);
  const [error, setError] = useState<ActionError | null>(null);
  const [pending, startTransition] = useTransition();
  const form = useRef<HTMLFormElement>(null);
  useInitialFocus(form, results ? "done" : "confirm");

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (results) return onClose();
    startTransition(async () => {
      const result = await revokeUserSessionsAction({ id: user.id });
      if (result.ok) {
        setError(null);
        setResults(result.data);
      } else setError(result.error);
    });
  };

  return (
    <Dialog open onClose={onClose} title="Revoke AWS sessions" description={explanation(user.email)}>
      <form ref={form} onSubmit={submit} className="space-y-4">
        {error ? <Alert title="The sessions could not be revoked">{error.message}</Alert> : null}
        {results ? <RevocationResults email={user.email} results={results} /> : null}
        <div className="flex flex-wrap justify-end gap-2 pt-2">
          {results ? (
            <Button type="submit" data-initial-focus>
              Done
            </Button>
          ) : (
            <>
              <Button variant="secondary" onClick={onClose}>
                Cancel
              </Button>
              <Button type="submit" variant="danger" disabled={pending} data-initial-focus>
                {pending ? "Revoking…" : "Revoke sessions"}
              </Button>
            </>
          )}
        </div>
      </form>
    </Dialog>
  );
}

/** Disabling a person signs them out of the console; their AWS sessions live on until they
 * expire unless they are revoked too, which is what an administrator disabling someone usually
 * wants, so the box starts ticked. */
export function DisableUserDialog({ user, onClose, onDisabled }: { user: UserDto; onClose: () => void; onDisabled: (email: string) => void }) {
  const [endSessions, setEndSessions] = useState(true);
  const [step, setStep] = useState<"confirm" | "disabling" | "revoking" | "done">("confirm");
  const [results, setResults] = useState<RoleRevocation[] | null>(null);
  const [error, setError] = useState<{ title: string; message: string } | null>(null);
  const [, startTransition] = useTransition();
  const form = useRef<HTMLFormElement>(null);
  useInitialFocus(form, step === "done" ? "done" : "confirm");

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (step === "done") return onClose();
    if (step !== "confirm") return;
    setStep("disabling");
    startTransition(async () => {
      const disabled = await updateUserAction({ id: user.id, patch: { disabled: true } });
      if (!disabled.ok) {
        setError({ title: `${user.email} is still enabled`, message: disabled.error.message });
        return setStep("confirm");
      }
      onDisabled(user.email);
      if (!endSessions) return onClose();
      setStep("revoking");
      const revoked = await revokeUserSessionsAction({ id: user.id });
      if (!revoked.ok) {
        setError({ title: `${user.email} is disabled, but their AWS sessions could not be revoked`, message: revoked.error.message });
        return setStep("done");
      }
      // Nothing to report when they had no session to end: the page's notice says it all.
      if (revoked.data.length === 0) return onClose();
      setResults(revoked.data);
      setStep("done");
    });
  };

  const busy = step === "disabling" || step === "revoking";
  return (
    <Dialog
      open
      onClose={onClose}
      title="Disable this person?"
      description={
        <>
          <Email email={user.email} /> is signed out of the console at once and cannot sign in again until an administrator enables them.
        </>
      }
    >
      <form ref={form} onSubmit={submit} onKeyDown={submitOnEnter} className="space-y-4">
        {error ? <Alert title={error.title}>{error.message}</Alert> : null}
        {step === "done" && results ? <RevocationResults email={user.email} results={results} /> : null}
        {step === "done" ? null : (
          <label className="flex items-start gap-2 text-sm text-slate-700">
            <input
              data-initial-focus
              type="checkbox"
              name="endSessions"
              checked={endSessions}
              disabled={busy}
              onChange={(e) => setEndSessions(e.target.checked)}
              className="mt-0.5 h-4 w-4 shrink-0 accent-indigo-600"
            />
            <span>
              <span className="font-medium text-slate-900">Also end their live AWS sessions</span>
              <span className="block text-slate-500">{explanation(user.email)}</span>
            </span>
          </label>
        )}
        <div className="flex flex-wrap justify-end gap-2 pt-2">
          {step === "done" ? (
            <Button type="submit" data-initial-focus>
              Done
            </Button>
          ) : (
            <>
              <Button variant="secondary" onClick={onClose} disabled={busy}>
                Cancel
              </Button>
              <Button type="submit" variant="danger" disabled={busy}>
                {step === "disabling" ? "Disabling…" : step === "revoking" ? "Revoking…" : "Disable"}
              </Button>
            </>
          )}
        </div>
      </form>
    </Dialog>
  );
}
