"use client";

import { CheckCircle2, ShieldAlert, TerminalSquare, XCircle } from "lucide-react";
import Link from "next/link";
import { useEffect, useId, useRef, useState, useTransition, type FormEvent, type ReactNode } from "react";
import { Badge } from "@/components/ui/badge";
import { Button, buttonClass } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { Alert, Field, Input } from "@/components/ui/field";
import { USER_CODE_EXAMPLE } from "@/lib/device/codes";
import type { DeviceRequestDto } from "@/lib/device/device";
import type { ActionError } from "@/lib/http/action";
import { agoText, untilText, utcMinute } from "../sessions/format";
import { approveDeviceAction, denyDeviceAction, findDeviceRequestAction } from "./actions";

type Props = {
  /** From ?code= (verification_uri_complete), already checked to be a code. */
  initialCode: string;
  /** The person may switch roles, so a command line may get a token of theirs. */
  canApprove: boolean;
  role: string;
};

type State = { step: "enter" } | { step: "confirm"; request: DeviceRequestDto } | { step: "approved" | "denied"; request: DeviceRequestDto };

const TOKENS_PAGE = "/tokens";

function Meta({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="grid grid-cols-[7rem_minmax(0,1fr)] gap-2">
      <dt className="text-slate-500">{label}</dt>
      <dd className="text-slate-800 [overflow-wrap:anywhere]">{children}</dd>
    </div>
  );
}

/** Step 1: the code, as the terminal shows it. */
function CodeForm({ initialCode, onFound }: { initialCode: string; onFound: (request: DeviceRequestDto) => void }) {
  const [error, setError] = useState<ActionError | null>(null);
  const [pending, startTransition] = useTransition();
  // A refusal takes the focus back to the field, where it is written.
  useEffect(() => {
    if (error) document.getElementById("device-code")?.focus();
  }, [error]);

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const code = String(new FormData(e.currentTarget).get("code") ?? "");
    startTransition(async () => {
      const result = await findDeviceRequestAction({ code });
      if (result.ok) {
        setError(null);
        onFound(result.data);
      } else setError(result.error);
    });
  };

  return (
    <form onSubmit={submit} noValidate className="space-y-4" aria-label="Sign-in code" data-testid="device-code-form">
      <Field label="Code shown in your terminal" htmlFor="device-code" hint={`8 letters, like ${USER_CODE_EXAMPLE}. Upper or lower case, with or without the dash.`} error={error ? (error.fields?.code ?? error.message) : undefined}>
        <Input
          id="device-code"
          name="code"
          data-testid="device-code"
          defaultValue={initialCode}
          placeholder={USER_CODE_EXAMPLE}
          maxLength={32}
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          autoFocus={!initialCode}
          invalid={Boolean(error)}
          className="font-mono tracking-widest uppercase sm:max-w-56"
        />
      </Field>
      <Button type="submit" disabled={pending} data-testid="device-continue" autoFocus={Boolean(initialCode)}>
        {pending ? "Looking it up…" : "Continue"}
      </Button>
    </form>
  );
}

/** Step 2: which device asks, what it gets, and the decision. */
function Confirm({ request, now, onDecided, onOther }: { request: DeviceRequestDto; now: number; onDecided: (step: "approved" | "denied") => void; onOther: () => void }) {
  const [error, setError] = useState<ActionError | null>(null);
  const [pending, startTransition] = useTransition();
  const titleId = useId();
  const title = useRef<HTMLHeadingElement>(null);
  useEffect(() => title.current?.focus(), []);

  const decide = (decision: "approve" | "deny") =>
    startTransition(async () => {
      const result = await (decision === "approve" ? approveDeviceAction : denyDeviceAction)({ code: request.code });
      if (result.ok) onDecided(decision === "approve" ? "approved" : "denied");
      else setError(result.error);
    });

  return (
    <section aria-labelledby={titleId} className="space-y-4" data-testid="device-request">
      <div className="space-y-1">
        <h3 id={titleId} ref={title} tabIndex={-1} className="font-medium text-slate-900 outline-none [overflow-wrap:anywhere]">
          “{request.description}” asks to sign in as you
        </h3>
        <p className="text-sm text-slate-600">
          Code <span className="font-mono font-medium text-slate-900">{request.code}</span>
        </p>
      </div>
      <dl className="space-y-1.5 text-sm">
        <Meta label="Started">
          <time dateTime={request.createdAt} title={utcMinute(request.createdAt)}>
            {agoText(request.createdAt, now)}
          </time>
        </Meta>
        <Meta label="From address">{request.ip ? <span className="font-mono">{request.ip}</span> : <span className="text-slate-500">unknown</span>}</Meta>
        <Meta label="It would get">
          <span className="inline-flex flex-wrap items-center gap-2">
            <Badge tone="indigo">Switch roles</Badge>
            <span>
              a personal access token that lists your roles and switches into them, valid {request.tokenDays} day{request.tokenDays === 1 ? "" : "s"}
            </span>
          </span>
        </Meta>
        <Meta label="Code expires">
          <time dateTime={request.expiresAt} title={utcMinute(request.expiresAt)}>
            {untilText(request.expiresAt, now)}
          </time>
        </Meta>
      </dl>
      <div className="flex gap-3 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900" data-testid="device-warning">
        <ShieldAlert className="mt-0.5 h-4 w-4 shrink-0" aria-hidden />
        <p>
          <span className="font-medium">Approve only if you started this sign-in yourself, just now, in your own terminal.</span> If someone sent you this code or link, or you do not recognise the
          device, deny it: approving gives whoever runs it your roles for {request.tokenDays} days.
        </p>
      </div>
      {error ? <Alert title="Nothing was decided">{error.message}</Alert> : null}
      <div className="flex flex-wrap gap-2">
        <Button onClick={() => decide("approve")} disabled={pending} data-testid="device-approve">
          <CheckCircle2 className="h-4 w-4" aria-hidden />
          Approve
        </Button>
        <Button variant="secondary" onClick={() => decide("deny")} disabled={pending} data-testid="device-deny">
          <XCircle className="h-4 w-4" aria-hidden />
          Deny
        </Button>
        <Button variant="ghost" onClick={onOther} disabled={pending}>
          Use another code
        </Button>
      </div>
    </section>
  );
}

/** Step 3: what happened, and where the token can be seen and revoked. */
function Decided({ step, request, onAnother }: { step: "approved" | "denied"; request: DeviceRequestDto; onAnother: () => void }) {
  const title = useRef<HTMLHeadingElement>(null);
  useEffect(() => title.current?.focus(), []);
  const approved = step === "approved";
  return (
    <section className="space-y-4" data-testid={approved ? "device-approved" : "device-denied"} role="status">
      <h3 ref={title} tabIndex={-1} className="font-medium text-slate-900 outline-none [overflow-wrap:anywhere]">
        {approved ? `Approved: “${request.description}” is signing in as you` : `Denied: “${request.description}” was not signed in`}
      </h3>
      <p className="text-sm text-slate-700">
        {approved
          ? "Go back to your terminal: within a few seconds it receives its token and says who it signed in as. The token shows in your list of tokens, made by signing in from the command line; revoke it there whenever you no longer need it."
          : "The command line is told the sign-in was denied and gets nothing. If it was you after all, run switchboard login again for a new code."}
      </p>
      <div className="flex flex-wrap gap-2">
        <Link href={TOKENS_PAGE} className={buttonClass(approved ? "primary" : "secondary")} data-testid="device-tokens-link">
          Command line &amp; tokens
        </Link>
        <Button variant="secondary" onClick={onAnother}>
          Sign in another command line
        </Button>
      </div>
    </section>
  );
}

export function DeviceClient({ initialCode, canApprove, role }: Props) {
  const [state, setState] = useState<State>({ step: "enter" });
  const [now, setNow] = useState(() => Date.now());
  const [formKey, setFormKey] = useState(0);

  // "Expires in 9 min" keeps moving while the person reads.
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 15_000);
    return () => clearInterval(timer);
  }, []);

  const again = () => {
    setState({ step: "enter" });
    setFormKey((k) => k + 1);
  };

  if (!canApprove) {
    return (
      <Alert tone="info" title="Your console role cannot sign in a command line">
        A command line signed in here gets a token that switches roles as you, and your console role ({role}) cannot switch roles. An administrator can change your console role if you need one.
      </Alert>
    );
  }

  return (
    <div className="grid grid-cols-1 items-start gap-6 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
      <Card>
        <CardHeader title={state.step === "enter" ? "Enter the code" : state.step === "confirm" ? "Check the device" : "Done"} description={state.step === "enter" ? "switchboard login printed it in your terminal, with this address." : undefined} />
        <div className="px-5 py-4">
          {state.step === "enter" ? (
            <CodeForm key={formKey} initialCode={formKey === 0 ? initialCode : ""} onFound={(request) => (setNow(Date.now()), setState({ step: "confirm", request }))} />
          ) : state.step === "confirm" ? (
            <Confirm request={state.request} now={now} onDecided={(step) => setState({ step, request: state.request })} onOther={again} />
          ) : (
            <Decided step={state.step} request={state.request} onAnother={again} />
          )}
        </div>
      </Card>
      <Card>
        <CardHeader title="How this works" />
        <div className="space-y-3 px-5 py-4 text-sm text-slate-700">
          <p className="flex gap-2">
            <TerminalSquare className="mt-0.5 h-4 w-4 shrink-0 text-slate-500" aria-hidden />
            <span>
              <span className="font-mono">switchboard login</span> shows a code and this page&apos;s address. Type the code here, check the device is yours, and approve: the command line then
              receives a personal access token of yours, once.
            </span>
          </p>
          <p>Codes work for 10 minutes and only once. Nobody from Switchboard will ever ask you for a code.</p>
          <p>
            See and revoke the tokens your command lines use under{" "}
            <Link href={TOKENS_PAGE} className="font-medium text-indigo-700 underline underline-offset-2 hover:text-indigo-800">
              Command line &amp; tokens
            </Link>
            .
          </p>
        </div>
      </Card>
    </div>
  );
}
