"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Alert, Field, Input } from "@/components/ui/field";
import { MIN_PASSWORD_LENGTH } from "@/lib/auth/password-policy";
import type { ActionError } from "@/lib/http/action";
import { setupAction } from "./actions";

export function SetupForm({ token }: { token: string }) {
  const router = useRouter();
  const [error, setError] = useState<ActionError | null>(null);
  const [pending, startTransition] = useTransition();
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    if (form.get("password") !== form.get("confirm")) {
      setError({ code: "bad_request", message: "The passwords differ.", fields: { confirm: "Type the same password twice" } });
      return;
    }
    startTransition(async () => {
      const value = (name: string) => String(form.get(name) ?? "");
      const result = await setupAction({ email: value("email"), name: value("name"), password: value("password"), token: value("token") });
      if (result.ok) router.replace("/signin?setup=1");
      else setError(result.error);
    });
  };
  return (
    <div className="w-full max-w-md">
      <h1 className="mb-1 text-center text-xl font-semibold text-slate-900">Set up Switchboard</h1>
      <p className="mb-6 text-center text-sm text-slate-600">Create the first administrator. This page disappears once anyone can sign in.</p>
      <form onSubmit={submit} className="space-y-4 rounded-lg border border-slate-200 bg-white p-6 shadow-sm" noValidate>
        {error && !error.fields ? <Alert>{error.message}</Alert> : null}
        <Field label="Setup token" htmlFor="token" hint="Printed in the server's log when it started, in the line “To create the first administrator…”." error={error?.fields?.token}>
          <Input id="token" name="token" defaultValue={token} autoComplete="off" spellCheck={false} required invalid={Boolean(error?.fields?.token)} />
        </Field>
        <Field label="Your name" htmlFor="name" error={error?.fields?.name}>
          <Input id="name" name="name" autoComplete="name" required invalid={Boolean(error?.fields?.name)} />
        </Field>
        <Field label="Email" htmlFor="email" error={error?.fields?.email}>
          <Input id="email" name="email" type="email" autoComplete="username" required invalid={Boolean(error?.fields?.email)} />
        </Field>
        <Field label="Password" htmlFor="password" hint={`At least ${MIN_PASSWORD_LENGTH} characters.`} error={error?.fields?.password}>
          <Input id="password" name="password" type="password" autoComplete="new-password" required invalid={Boolean(error?.fields?.password)} />
        </Field>
        <Field label="Password again" htmlFor="confirm" error={error?.fields?.confirm}>
          <Input id="confirm" name="confirm" type="password" autoComplete="new-password" required invalid={Boolean(error?.fields?.confirm)} />
        </Field>
        <Button type="submit" className="w-full" disabled={pending}>
          {pending ? "Creating…" : "Create administrator"}
        </Button>
      </form>
    </div>
  );
}
