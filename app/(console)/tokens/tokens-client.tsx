"use client";

import { KeyRound, TerminalSquare } from "lucide-react";
import { useEffect, useId, useRef, useState, useTransition, type FormEvent, type ReactNode } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { CopyButton } from "@/components/ui/copy-button";
import { Dialog } from "@/components/ui/dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { Alert, Field, Input, Select } from "@/components/ui/field";
import type { ActionError } from "@/lib/http/action";
import { TOKEN_PREFIX } from "@/lib/tokens/format";
import { DEFAULT_TOKEN_DAYS, TOKEN_SCOPE_LABELS, TOKEN_SCOPES } from "@/lib/tokens/schemas";
import type { TokenDto, TokenScope } from "@/lib/tokens/tokens";
import { agoText, untilText, utcMinute } from "../sessions/format";
import { createTokenAction, revokeTokenAction } from "./actions";
import { SecretOnce } from "@/components/ui/secret-once";

type Props = {
  own: TokenDto[];
  /** Everyone's tokens that still work, for administrators; null for everyone else. */
  all: TokenDto[] | null;
  /** The server's clock when it listed them: the first render's relative times follow it. */
  asOf: string;
  maxDays: number;
  canCreate: boolean;
  baseUrl: string;
  selfId: string;
  /** "Export your roles" (export-roles.tsx), after the person's own tokens. */
  children?: ReactNode;
};

type List = "own" | "all";

const SCOPE_NAMES: Record<TokenScope, string> = { switch: "Switch roles", read: "Read only" };
const FIELDS = ["name", "scope", "days"] as const;
const DAY = 86_400_000;

/** The lifetimes offered: a week to a quarter, none past the console's limit (which is offered
 * itself when it falls between them). */
function lifetimes(maxDays: number): number[] {
  return [...new Set([7, 30, 60, 90, maxDays])].filter((d) => d <= maxDays).sort((a, b) => a - b);
}

/** "in 29 days", "in 5 h 10 min"; "3 days ago" once past. */
function untilWords(iso: string, now: number): string {
  const ms = Date.parse(iso) - now;
  if (ms <= 0) return `${agoWords(iso, now)}`;
  if (ms < DAY) return untilText(iso, now);
  const days = Math.round(ms / DAY);
  return `in ${days} day${days === 1 ? "" : "s"}`;
}

/** "just now", "2 h ago", "3 days ago". */
function agoWords(iso: string, now: number): string {
  const ms = now - Date.parse(iso);
  if (ms < DAY) return agoText(iso, now);
  const days = Math.floor(ms / DAY);
  return `${days} day${days === 1 ? "" : "s"} ago`;
}

const capitalized = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** A relative time with the exact one (UTC, as the audit log writes it) on hover. */
function When({ iso, now, future = false }: { iso: string; now: number; future?: boolean }) {
  return (
    <time dateTime={iso} title={utcMinute(iso)}>
      {future ? untilWords(iso, now) : agoWords(iso, now)}
    </time>
  );
}

function StatusBadge({ token }: { token: TokenDto }) {
  if (token.status === "revoked") return <Badge tone="red">Revoked</Badge>;
  if (token.status === "expired") return <Badge tone="amber">Expired</Badge>;
  return <Badge tone="emerald">Active</Badge>;
}

function Meta({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="grid grid-cols-[6rem_minmax(0,1fr)] gap-2 sm:block">
      <dt className="text-slate-500 sm:text-xs">{label}</dt>
      <dd className="text-slate-800 [overflow-wrap:anywhere]">{children}</dd>
    </div>
  );
}

/** One token: what it is, when it was made, used and ends, and its Revoke button while it works. */
function TokenRow({ token, now, showOwner, self, onRevoke }: { token: TokenDto; now: number; showOwner: boolean; self: boolean; onRevoke: () => void }) {
  const live = token.status === "active";
  return (
    <li
      data-testid="token-row"
      data-token-id={token.id}
      tabIndex={-1}
      className={`rounded-lg border border-slate-200 p-4 shadow-sm ${live ? "bg-white" : "bg-slate-50"}`}
    >
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0 space-y-1">
          <div className="flex flex-wrap items-center gap-2">
            <h3 className={`font-medium [overflow-wrap:anywhere] ${live ? "text-slate-900" : "text-slate-600"}`}>{token.name}</h3>
            <Badge tone={token.scope === "switch" ? "indigo" : "slate"} title={TOKEN_SCOPE_LABELS[token.scope]}>
              {SCOPE_NAMES[token.scope]}
            </Badge>
            <StatusBadge token={token} />
          </div>
          {showOwner ? (
            <p className="text-sm text-slate-700 [overflow-wrap:anywhere]">
              {token.owner.email}
              {self ? <span className="text-xs text-slate-500"> (you)</span> : null}
            </p>
          ) : null}
          <p className="text-xs text-slate-500">
            <span className="font-mono" title="The token's last four characters">
              {TOKEN_PREFIX}…{token.hint}
            </span>
            {token.createdVia === "device" ? " · made by signing in from the command line" : null}
          </p>
        </div>
        {live ? (
          <Button size="sm" variant="secondary" data-testid="token-revoke" onClick={onRevoke} aria-label={showOwner ? `Revoke ${token.owner.email}'s token ${token.name}` : `Revoke ${token.name}`}>
            Revoke
          </Button>
        ) : null}
      </div>
      <dl className="mt-3 grid grid-cols-1 gap-x-6 gap-y-1.5 text-sm sm:grid-cols-3 sm:gap-y-2">
        <Meta label="Created">
          <When iso={token.createdAt} now={now} />
        </Meta>
        <Meta label={token.status === "expired" ? "Expired" : "Expires"}>
          <When iso={token.expiresAt} now={now} future />
        </Meta>
        <Meta label="Last used">
          {token.lastUsedAt ? (
            <>
              <When iso={token.lastUsedAt} now={now} />
              {token.lastUsedIp ? <span className="text-slate-500"> from <span className="font-mono">{token.lastUsedIp}</span></span> : null}
            </>
          ) : (
            <span className="text-slate-500">Never used</span>
          )}
        </Meta>
      </dl>
      {token.status === "revoked" ? (
        <p className="mt-2 text-sm text-red-700 [overflow-wrap:anywhere]">
          {token.revokedReason ? capitalized(token.revokedReason) : "Revoked"}
          {token.revokedAt ? (
            <span className="text-slate-500">
              {" "}
              (<When iso={token.revokedAt} now={now} />)
            </span>
          ) : null}
        </p>
      ) : null}
    </li>
  );
}

function TokenList({ tokens, label, now, showOwner, selfId, onRevoke }: { tokens: TokenDto[]; label: string; now: number; showOwner: boolean; selfId: string; onRevoke: (token: TokenDto) => void }) {
  return (
    <ul className="space-y-3" aria-label={label}>
      {tokens.map((t) => (
        <TokenRow key={t.id} token={t} now={now} showOwner={showOwner} self={t.owner.id === selfId} onRevoke={() => onRevoke(t)} />
      ))}
    </ul>
  );
}

/** What a token is for, and how to use one. */
function HowTokensWork({ baseUrl }: { baseUrl: string }) {
  // The README's "Command line" section, with this console's address.
  const cli = [
    `curl -fsSLo ~/.local/bin/switchboard ${baseUrl}/cli/switchboard.mjs`,
    "chmod +x ~/.local/bin/switchboard",
    // A device sign-in: it prints a code to approve here, at /device (or pass --token).
    `switchboard login ${baseUrl}`,
    "switchboard config export",
  ].join("\n");
  const api = `curl -H "Authorization: Bearer $SWITCHBOARD_TOKEN" ${baseUrl}/api/v1/me/menu`;
  return (
    <Card>
      <CardHeader title="How tokens work" />
      <div className="space-y-3 px-5 py-4 text-sm text-slate-700">
        <p>
          A token lets the command line and your scripts call the console&apos;s API as you. It can do less than your console session: list the roles granted to you and, if you let it, switch into them. It cannot make tokens, or
          change anything in the console.
        </p>
        <p>The console shows a token once, when you make it, and keeps only a fingerprint of it. Revoke a token you no longer use; disabling your account or resetting your password ends them all.</p>
        <Snippet title="The command line (Node.js 20 or later): install, sign in, one AWS CLI profile per role" text={cli} testId="token-cli-copy" />
        <p className="text-xs text-slate-600">
          <code className="font-mono">switchboard login</code> shows a code and opens this console, where you approve it; the command line then gets a token with the switch scope, listed below. On a machine without a browser, make a
          token here and pass it with <code className="font-mono">--token</code> or on standard input.
        </p>
        <Snippet title="Any script: your roles, with the token in SWITCHBOARD_TOKEN" text={api} testId="token-example-copy" />
      </div>
    </Card>
  );
}

/** A command to copy, wrapped rather than scrolled: the whole of it is in view, at any width. */
function Snippet({ title, text, testId }: { title: string; text: string; testId: string }) {
  return (
    <div className="overflow-hidden rounded-md border border-slate-200">
      <div className="flex items-center justify-between gap-2 border-b border-slate-200 bg-slate-50 px-3 py-1.5">
        <span className="text-xs text-slate-600">{title}</span>
        <CopyButton text={text} label="Copy" variant="secondary" testId={testId} />
      </div>
      <pre className="bg-white p-3 font-mono text-xs leading-5 whitespace-pre-wrap text-slate-800 [overflow-wrap:anywhere]">
        <code>{text}</code>
      </pre>
    </div>
  );
}

/** The token just made, shown this once, with Copy and Done. */
function CreatedToken({ token, created, now, onDone }: { token: string; created: TokenDto; now: number; onDone: () => void }) {
  const titleId = useId();
  // The focus goes to the token (which selects it), so that a person can copy it at once.
  useEffect(() => document.getElementById("token-secret")?.focus(), []);
  return (
    <section aria-labelledby={titleId} data-testid="token-created" className="space-y-4">
      <div>
        <h3 id={titleId} className="font-medium text-slate-900 [overflow-wrap:anywhere]">
          “{created.name}” is ready
        </h3>
        <p className="text-sm text-slate-600">
          {SCOPE_NAMES[created.scope]}, expires <When iso={created.expiresAt} now={now} future />.
        </p>
      </div>
      <Alert tone="warning" title="Copy it now: it will not be shown again">
        The console keeps only a fingerprint of it, so nobody can show it to you later. If you lose it, revoke it and make another.
      </Alert>
      <SecretOnce label="Your new token" value={token} copyLabel="Copy token" ids={{ field: "token-secret", copy: "token-copy", done: "token-done" }} onDone={onDone} />
    </section>
  );
}

function CreateTokenForm({ maxDays, onCreated }: { maxDays: number; onCreated: (token: string, created: TokenDto) => void }) {
  const [error, setError] = useState<ActionError | null>(null);
  const [scope, setScope] = useState<TokenScope>("switch");
  const [pending, startTransition] = useTransition();
  const form = useRef<HTMLFormElement>(null);
  const options = lifetimes(maxDays);
  const fields = error?.fields ?? {};
  const other = error && (!error.fields || Object.keys(error.fields).some((k) => !(FIELDS as readonly string[]).includes(k)));

  // A refusal about a field takes the focus there, so the person hears what to fix.
  useEffect(() => {
    if (error?.fields) form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [error]);

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    startTransition(async () => {
      const result = await createTokenAction({ name: String(data.get("name") ?? ""), scope, days: Number(data.get("days")) });
      if (result.ok) {
        setError(null);
        onCreated(result.data.token, result.data.created);
      } else setError(result.error);
    });
  };

  return (
    <form ref={form} onSubmit={submit} noValidate className="space-y-4" data-testid="token-create-form" aria-label="New token">
      {other ? <Alert title="The token was not made">{error.message}</Alert> : null}
      <Field label="Name" htmlFor="token-name" hint="What it is for, so that you can tell your tokens apart." error={fields.name}>
        <Input id="token-name" name="name" data-testid="token-name" placeholder="laptop CLI" maxLength={64} autoComplete="off" invalid={Boolean(fields.name)} />
      </Field>
      <fieldset className="space-y-2" aria-describedby={fields.scope ? "token-scope-error" : undefined}>
        <legend className="mb-1 text-sm font-medium text-slate-700">What it may do</legend>
        {TOKEN_SCOPES.map((value) => (
          <label key={value} className="flex items-start gap-2 text-sm text-slate-700">
            <input type="radio" name="scope" value={value} checked={scope === value} onChange={() => setScope(value)} className="mt-0.5 h-4 w-4 shrink-0 accent-indigo-600" />
            <span>
              <span className="font-medium text-slate-900">{SCOPE_NAMES[value]}</span>
              <span className="block text-slate-500">{TOKEN_SCOPE_LABELS[value]}</span>
            </span>
          </label>
        ))}
        {fields.scope ? (
          <p id="token-scope-error" className="text-sm text-red-600">
            {fields.scope}
          </p>
        ) : null}
      </fieldset>
      <Field label="Lifetime" htmlFor="token-days" hint={`It stops working after this; ${maxDays} days at most on this console.`} error={fields.days}>
        <Select
          id="token-days"
          name="days"
          data-testid="token-days"
          defaultValue={String(Math.min(DEFAULT_TOKEN_DAYS, maxDays))}
          aria-invalid={Boolean(fields.days) || undefined}
          aria-describedby={fields.days ? "token-days-error" : undefined}
          className="sm:max-w-48"
        >
          {options.map((d) => (
            <option key={d} value={d}>
              {d} day{d === 1 ? "" : "s"}
            </option>
          ))}
        </Select>
      </Field>
      <div className="flex justify-end">
        <Button type="submit" disabled={pending}>
          <KeyRound className="h-4 w-4" aria-hidden />
          {pending ? "Creating…" : "Create token"}
        </Button>
      </div>
    </form>
  );
}

/** Asks before a token stops working; the row shows Revoked after. */
function RevokeDialog({ token, other, onClose, onRevoked }: { token: TokenDto; other: boolean; onClose: () => void; onRevoked: (token: TokenDto) => void }) {
  const [error, setError] = useState<ActionError | null>(null);
  const [pending, startTransition] = useTransition();
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    startTransition(async () => {
      const result = await revokeTokenAction({ id: token.id });
      if (result.ok) onRevoked(result.data);
      else setError(result.error);
    });
  };
  return (
    <Dialog
      open
      onClose={onClose}
      title="Revoke this token?"
      description={
        <>
          <span className="font-medium [overflow-wrap:anywhere]">“{token.name}”</span>
          {other ? <span className="[overflow-wrap:anywhere]"> of {token.owner.email}</span> : null} stops working at once: whatever uses it is refused from its next request. This cannot be undone.
        </>
      }
    >
      <form onSubmit={submit} className="space-y-4">
        {error ? <Alert title="The token was not revoked">{error.message}</Alert> : null}
        <div className="flex flex-wrap justify-end gap-2 pt-2">
          <Button variant="secondary" onClick={onClose} disabled={pending}>
            Cancel
          </Button>
          <Button type="submit" variant="danger" disabled={pending} data-initial-focus>
            {pending ? "Revoking…" : "Revoke token"}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

export function TokensClient({ own: initialOwn, all: initialAll, asOf, maxDays, canCreate, baseUrl, selfId, children }: Props) {
  const [own, setOwn] = useState(initialOwn);
  const [all, setAll] = useState(initialAll);
  const [now, setNow] = useState(() => Date.parse(asOf));
  const [created, setCreated] = useState<{ token: string; dto: TokenDto } | null>(null);
  const [revoking, setRevoking] = useState<{ token: TokenDto; list: List } | null>(null);
  const [notice, setNotice] = useState<{ list: List; text: string } | null>(null);
  const ownList = useRef<HTMLDivElement>(null);
  const allList = useRef<HTMLDivElement>(null);
  const ownTitle = useId();
  const allTitle = useId();

  // The relative times move with the browser's clock once the page is up.
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);

  const onCreated = (token: string, dto: TokenDto) => {
    setNow(Date.now());
    setCreated({ token, dto });
    setNotice(null);
    setOwn((list) => [dto, ...list]);
    setAll((list) => (list ? [dto, ...list] : list));
  };

  const onDone = () => {
    setCreated(null);
    // The form is back: the focus goes to its first field, not to the page's top.
    requestAnimationFrame(() => document.getElementById("token-name")?.focus());
  };

  const onRevoked = (dto: TokenDto, list: List) => {
    const replace = (tokens: TokenDto[]) => tokens.map((t) => (t.id === dto.id ? dto : t));
    setOwn(replace);
    setAll((tokens) => (tokens ? replace(tokens) : tokens));
    setRevoking(null);
    setNotice({ list, text: `“${dto.name}” is revoked: whatever uses it is refused from now on.` });
    // Its Revoke button is gone: the focus goes to the row, which now says Revoked.
    requestAnimationFrame(() => (list === "own" ? ownList : allList).current?.querySelector<HTMLElement>(`[data-token-id="${CSS.escape(dto.id)}"]`)?.focus());
  };

  return (
    <div className="space-y-8">
      <div className="grid grid-cols-1 items-start gap-6 lg:grid-cols-2">
        <HowTokensWork baseUrl={baseUrl} />
        {canCreate ? (
          <Card>
            <CardHeader title="New token" description="For one machine or script: a token each makes it easy to end one without the others." />
            <div className="px-5 py-4">
              {created ? <CreatedToken token={created.token} created={created.dto} now={now} onDone={onDone} /> : <CreateTokenForm maxDays={maxDays} onCreated={onCreated} />}
            </div>
          </Card>
        ) : (
          <Alert tone="info" title="Tokens are for people who switch roles">
            Your console role cannot switch into AWS roles, and a token can do only what you can, so there is nothing for a token of yours to do. An administrator can change your console role if you need one.
          </Alert>
        )}
      </div>

      {canCreate || own.length ? (
        <section aria-labelledby={ownTitle} className="space-y-3">
          <h2 id={ownTitle} className="text-lg font-semibold text-slate-900">
            Your tokens
          </h2>
          {notice?.list === "own" ? <Alert tone="success">{notice.text}</Alert> : null}
          <div ref={ownList}>
            {own.length ? (
              <TokenList tokens={own} label="Your tokens" now={now} showOwner={false} selfId={selfId} onRevoke={(token) => setRevoking({ token, list: "own" })} />
            ) : (
              <EmptyState icon={<TerminalSquare className="h-5 w-5" aria-hidden />} title="No tokens yet">
                Make one above for the command line or a script. Tokens you revoke, and those that expire, stay listed here for 30 days.
              </EmptyState>
            )}
          </div>
        </section>
      ) : null}

      {children}

      {all ? (
        <section aria-labelledby={allTitle} className="space-y-3" data-testid="all-tokens">
          <div>
            <h2 id={allTitle} className="text-lg font-semibold text-slate-900">
              Everyone&apos;s tokens
            </h2>
            <p className="text-sm text-slate-600">Every token that still works, by person. Revoke one that should not be out there; its owner can make another.</p>
          </div>
          {notice?.list === "all" ? <Alert tone="success">{notice.text}</Alert> : null}
          <div ref={allList}>
            {all.length ? (
              <TokenList tokens={all} label="Everyone's tokens" now={now} showOwner selfId={selfId} onRevoke={(token) => setRevoking({ token, list: "all" })} />
            ) : (
              <p className="rounded-lg border border-dashed border-slate-300 bg-white px-4 py-8 text-center text-sm text-slate-600">Nobody has a token that still works.</p>
            )}
          </div>
        </section>
      ) : null}

      {revoking ? (
        <RevokeDialog
          key={revoking.token.id}
          token={revoking.token}
          other={revoking.token.owner.id !== selfId}
          onClose={() => setRevoking(null)}
          onRevoked={(dto) => onRevoked(dto, revoking.list)}
        />
      ) : null}
    </div>
  );
}
