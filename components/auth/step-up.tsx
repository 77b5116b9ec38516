"use client";

import { ShieldCheck } from "lucide-react";
import { signIn } from "next-auth/react";
import { useId, useState, type FormEvent } from "react";
import { requestJson } from "@/components/api/client";
import { Button } from "@/components/ui/button";
import { Alert, Field, Input } from "@/components/ui/field";

/** Asks a person who signed in more than 15 minutes ago to confirm who they are before an
 * operation that changes IAM: their password (checked like a sign-in), or single sign-on again
 * (which leaves the page; the wizard's draft is kept). `onConfirmed` runs once the server agrees. */
export function StepUp({ message, method, onConfirmed }: { message: string; method: "password" | "oidc"; onConfirmed: () => void }) {
  const id = useId();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const password = String(new FormData(e.currentTarget).get("password") ?? "");
    setPending(true);
    setError(null);
    try {
      await requestJson("/api/v1/me/step-up", { method: "POST", body: { password } });
      onConfirmed();
    } catch (err) {
      setError(err instanceof Error ? err.message : "The console could not check your password. Try again.");
    } finally {
      setPending(false);
    }
  };

  return (
    <div className="space-y-3 rounded-lg border border-indigo-200 bg-indigo-50/60 p-4" data-testid="step-up">
      <p className="flex items-start gap-2 text-sm text-slate-800">
        <ShieldCheck className="mt-0.5 h-4 w-4 shrink-0 text-indigo-600" aria-hidden />
        <span>{message}</span>
      </p>
      {method === "password" ? (
        <form onSubmit={(event) => void submit(event)} className="flex flex-col gap-2 sm:flex-row sm:items-end">
          <div className="grow">
            <Field label="Your password" htmlFor={`${id}-password`} error={error ?? undefined}>
              <Input id={`${id}-password`} name="password" type="password" autoComplete="current-password" required autoFocus invalid={Boolean(error)} />
            </Field>
          </div>
          <Button type="submit" disabled={pending}>
            {pending ? "Checking…" : "Confirm and continue"}
          </Button>
        </form>
      ) : (
        <>
          {error ? <Alert>{error}</Alert> : null}
          <Button onClick={() => void signIn("oidc", { callbackUrl: `${window.location.pathname}${window.location.search}` }, { prompt: "login", max_age: "0" })}>
            Sign in with single sign-on again
          </Button>
        </>
      )}
    </div>
  );
}
