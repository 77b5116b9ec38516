"use client";

import { Shuffle } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { signIn } from "next-auth/react";
import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Alert, Field, Input } from "@/components/ui/field";
import { isSameOriginPath } from "@/lib/auth/redirect";

/** The messages for each way sign-in can fail, keyed by the code the server returns. */
export function signInErrorMessage(code: string, now: number = Date.now()): string {
  const limited = /^rate_limited:(\d{1,6})$/.exec(code);
  if (limited) {
    // The server says how long to wait (per address, or per account after repeated failures).
    const seconds = Math.max(1, Number(limited[1]));
    const until = new Date(now + seconds * 1000).toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" });
    return `Too many sign-in attempts. Wait ${seconds} ${seconds === 1 ? "second" : "seconds"} (until ${until}) and try again.`;
  }
  if (code.startsWith("rate_limited")) return "Too many sign-in attempts. Wait a little and try again.";
  switch (code) {
    case "invalid":
    case "CredentialsSignin":
      return "Wrong email or password.";
    case "disabled":
      return "This account is disabled. Ask an administrator if you need access again.";
    case "no_role":
      return "Your identity provider account is not in any group that gives access to this console. Ask an administrator to add you to one.";
    case "no_email":
      return "Your identity provider did not share an email address, which the console needs to know who you are.";
    case "email_unverified":
      return "Your identity provider has not verified your email address, so the console cannot be sure it is yours. Verify it there, then sign in again.";
    case "email_in_use":
      return "Your email belongs to an existing console account that signs in with a password. Sign in with it, or ask an administrator.";
    case "SessionRequired":
      return "Sign in to continue.";
    case "OAuthSignin":
    case "OAuthCallback":
    case "OAuthAccountNotLinked":
    case "Callback":
      return "Single sign-on did not complete. Try again; if it keeps failing, ask an administrator to check the identity provider settings.";
    default:
      return "Sign-in failed. Try again.";
  }
}

export function SignInForm({
  callbackUrl,
  error,
  notice,
  oidcName,
  needsSetup,
  sandbox,
}: {
  callbackUrl: string;
  error?: string;
  notice?: "signedOut" | "setup";
  oidcName?: string;
  needsSetup: boolean;
  sandbox: boolean;
}) {
  const router = useRouter();
  const [message, setMessage] = useState<string | null>(error ? signInErrorMessage(error) : null);
  const [pending, setPending] = useState(false);

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setPending(true);
    setMessage(null);
    const result = await signIn("credentials", {
      email: String(form.get("email") ?? ""),
      password: String(form.get("password") ?? ""),
      redirect: false,
      callbackUrl,
    });
    if (!result || result.error) {
      setMessage(signInErrorMessage(result?.error ?? "unknown"));
      setPending(false);
      return;
    }
    // The server already reduced callbackUrl to a path on this console; check again here, since
    // this is where the navigation happens (ASVS 3.7.2).
    router.replace(isSameOriginPath(callbackUrl) ? callbackUrl : "/");
    router.refresh();
  };

  return (
    <div className="w-full max-w-sm">
      <div className="mb-6 flex flex-col items-center text-center">
        <span className="mb-3 flex h-10 w-10 items-center justify-center rounded-lg bg-indigo-600 text-white">
          <Shuffle className="h-5 w-5" aria-hidden />
        </span>
        <h1 className="text-xl font-semibold text-slate-900">Sign in to Switchboard</h1>
        {sandbox ? <p className="mt-1 text-sm text-amber-700">Connected to the local AWS sandbox</p> : null}
      </div>
      <div className="space-y-4 rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
        {notice === "signedOut" && !message ? <Alert tone="info">You are signed out.</Alert> : null}
        {notice === "setup" && !message ? <Alert tone="success">Your administrator account is ready. Sign in with it.</Alert> : null}
        {message ? <Alert>{message}</Alert> : null}
        {needsSetup ? (
          <Alert tone="info" title="No one can sign in yet">
            This console has no users. <Link className="font-medium underline" href="/setup">Create the first administrator</Link>.
          </Alert>
        ) : null}
        <form onSubmit={(event) => void submit(event)} className="space-y-4">
          <Field label="Email" htmlFor="email">
            <Input id="email" name="email" type="email" autoComplete="username" required autoFocus />
          </Field>
          <Field label="Password" htmlFor="password">
            <Input id="password" name="password" type="password" autoComplete="current-password" required />
          </Field>
          <Button type="submit" className="w-full" disabled={pending}>
            {pending ? "Signing in…" : "Sign in"}
          </Button>
        </form>
        {oidcName ? (
          <>
            <div className="flex items-center gap-3 text-xs text-slate-500">
              <span className="h-px flex-1 bg-slate-200" />
              or
              <span className="h-px flex-1 bg-slate-200" />
            </div>
            <Button variant="secondary" className="w-full" onClick={() => void signIn("oidc", { callbackUrl })}>
              Sign in with {oidcName}
            </Button>
          </>
        ) : null}
      </div>
    </div>
  );
}
