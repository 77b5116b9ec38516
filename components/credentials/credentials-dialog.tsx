"use client";

import { Eye, EyeOff, KeyRound, Loader2, RefreshCw, X } from "lucide-react";
import { useEffect, useEffectEvent, useId, useRef, useState, useSyncExternalStore, type KeyboardEvent } from "react";
import { ApiError } from "@/components/api/client";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { Alert } from "@/components/ui/field";
import { CREDENTIAL_FORMATS, CREDENTIAL_SOURCE_TEXT, renderCredentials, type CredentialFormatId } from "@/lib/aws/credential-formats";
import { CONFIG_SOURCES, configSourceLabel, readConfigSource, saveConfigSource, type ConfigSource } from "./config-source";
import { regionName } from "@/lib/aws/partitions";
import { remaining } from "./expiry";
import { lengthChoices, lengthLabel, lengthWords } from "./lengths";
import { maskSecrets } from "./mask";
import { requestCredentials, type CredentialsSession } from "./session";

export type CredentialsDialogProps = {
  roleId: string;
  /** The region the credentials are for; the role's default when omitted. */
  region?: string;
  onClose: () => void;
  /** Called once credentials have been issued (the menu counts it as a recent use). */
  onIssued?: () => void;
  /** Shown while the request runs, before the server's own names arrive. */
  hint?: { roleLabel: string; accountName: string };
};

type State = { status: "loading" } | { status: "ready"; session: CredentialsSession } | { status: "error"; error: ApiError };

// One clock for every open countdown, ticking once a second while something listens.
let tick = 0;
function subscribeClock(onTick: () => void): () => void {
  tick = Date.now();
  const id = setInterval(() => {
    tick = Date.now();
    onTick();
  }, 1000);
  return () => clearInterval(id);
}
const readClock = () => tick;
const serverClock = () => 0;

const PROFILE_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

const FORMAT_HELP: Partial<Record<CredentialFormatId, string>> = {
  bash: "Paste into a terminal: the variables last for this shell only.",
  fish: "Paste into a fish shell: the variables last for this session only.",
  powershell: "Paste into PowerShell: the variables last for this session only.",
  cmd: "Paste into Command Prompt: the variables last for this window only.",
  credentials: "Add this profile to ~/.aws/credentials, then use it with --profile or AWS_PROFILE. Replace it when the credentials expire.",
  config: "Add this profile to ~/.aws/config: the AWS CLI then assumes the role itself, with the credentials of your own source profile (whose principal the role's trust policy must allow). It holds no secret and does not expire.",
  credential_process: "What a credential_process program prints (Version 1, with Expiration); the SDKs refresh when it expires.",
  dotenv: "For a .env file (dotenv, docker --env-file, node --env-file). Keep it out of version control.",
};

const CONFIG_WITH_SOURCE_HELP =
  "Add this profile to ~/.aws/config where the code runs: the AWS CLI then assumes the role itself with the credentials it finds there (credential_source; the role's trust policy must allow their principal). It holds no secret and does not expire.";

/** Temporary credentials for one role, in every format a shell, file or SDK wants: assumed
 * when the dialog opens, shown with the secrets masked until "Reveal", copied whole. Everything
 * secret lives in this component's state only, and is dropped when it closes. The session's
 * length can be chosen, up to the longest the console says it grants (lengths.ts): choosing one
 * asks for new credentials of that length. */
export function CredentialsDialog({ roleId, region, onClose, onIssued, hint }: CredentialsDialogProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [state, setState] = useState<State>({ status: "loading" });
  const [attempt, setAttempt] = useState(0);
  const [format, setFormat] = useState<CredentialFormatId>("bash");
  const [revealed, setRevealed] = useState(false);
  const [sourceProfile, setSourceProfile] = useState("default");
  // Where the config tab's profile gets its credentials: remembered in this browser.
  const [configSource, setConfigSource] = useState<ConfigSource>(readConfigSource);
  const chooseConfigSource = (source: ConfigSource) => {
    setConfigSource(source);
    saveConfigSource(source);
  };
  // The length asked for (undefined: the entry's default), and the most the console grants
  // (null until the first credentials arrive).
  const [length, setLength] = useState<number | undefined>(undefined);
  const [ceiling, setCeiling] = useState<number | null>(null);
  const now = useSyncExternalStore(subscribeClock, readClock, serverClock);
  const issued = useEffectEvent(() => onIssued?.());

  // Modal from the start; unmounting removes it from the top layer, so there is nothing to
  // undo (closing it here would fire onClose during React's development double-mount).
  useEffect(() => {
    const el = dialog.current;
    if (el && !el.open) el.showModal();
  }, []);

  useEffect(() => {
    const controller = new AbortController();
    requestCredentials(roleId, region, controller.signal, length).then(
      (session) => {
        setState({ status: "ready", session });
        // The console says the longest it grants now (maxDurationSeconds). Without it (an older
        // console), the default answer is the ceiling; a later one granted less than asked (the
        // console session nearing its end) lowers it.
        if (typeof session.maxDurationSeconds === "number") setCeiling(session.maxDurationSeconds);
        else if (length === undefined || session.durationSeconds < length) setCeiling((c) => (c === null || length === undefined ? session.durationSeconds : Math.min(c, session.durationSeconds)));
        issued();
      },
      (err: unknown) => {
        if (controller.signal.aborted) return;
        setState({ status: "error", error: err instanceof ApiError ? err : new ApiError(0, { code: "unexpected", message: "Something went wrong in this page. Reload it and try again." }) });
      },
    );
    return () => controller.abort();
  }, [roleId, region, attempt, length]);

  const retry = () => {
    setState({ status: "loading" });
    setRevealed(false);
    setAttempt((n) => n + 1);
  };

  // Nothing chosen yet: the length the first answer was granted (the entry's default).
  const chosen = length ?? (state.status === "ready" ? state.session.durationSeconds : ceiling);
  /** New credentials of that length (the request in flight, if any, is abandoned). */
  const choose = (seconds: number) => {
    if (seconds === chosen && state.status !== "error") return;
    setState({ status: "loading" });
    setRevealed(false);
    if (seconds === length) setAttempt((n) => n + 1);
    else setLength(seconds);
  };

  const close = () => {
    // Drop the credentials before anything else happens.
    setState({ status: "loading" });
    onClose();
  };

  const session = state.status === "ready" ? state.session : null;
  const roleLabel = session?.roleLabel ?? hint?.roleLabel;
  const accountName = session?.accountName ?? hint?.accountName;

  return (
    <dialog
      ref={dialog}
      onClose={close}
      aria-labelledby={titleId}
      className="m-auto w-[calc(100%-2rem)] max-w-3xl rounded-lg border border-slate-200 p-0 text-slate-900 shadow-xl backdrop:bg-slate-900/40"
      data-testid="credentials-dialog"
    >
      <div className="flex items-start justify-between gap-4 border-b border-slate-100 px-5 py-4">
        <div className="min-w-0">
          <h2 id={titleId} className="flex items-center gap-2 text-base font-semibold">
            <KeyRound className="h-4 w-4 text-indigo-600" aria-hidden />
            Temporary credentials{roleLabel ? ` for ${roleLabel}` : ""}
          </h2>
          <p className="mt-0.5 truncate text-sm text-slate-500">
            {[accountName, session ? `${session.region} · ${regionName(session.region)}` : region].filter(Boolean).join(" · ")}
          </p>
        </div>
        <button type="button" onClick={() => dialog.current?.close()} className="rounded p-1 text-slate-500 hover:bg-slate-100" aria-label="Close">
          <X className="h-4 w-4" aria-hidden />
        </button>
      </div>

      <div className="px-5 py-4">
        {/* A length granted shorter than asked lowers the ceiling; the button pressed is then the ceiling's. */}
        {ceiling !== null && chosen !== null ? <LengthPicker ceiling={ceiling} chosen={Math.min(chosen, ceiling)} busy={state.status === "loading"} onChoose={choose} /> : null}
        {state.status === "loading" ? (
          <p className="flex items-center gap-2 py-8 text-sm text-slate-600" role="status">
            <Loader2 className="h-4 w-4 animate-spin text-indigo-600" aria-hidden />
            {length === undefined ? `Assuming ${roleLabel ?? "the role"}…` : `Getting credentials for ${lengthWords(length)}…`}
          </p>
        ) : state.status === "error" ? (
          <SessionError error={state.error} onRetry={retry} />
        ) : (
          <Credentials
            session={state.session}
            now={now + state.session.clockSkewMs}
            format={format}
            onFormat={setFormat}
            revealed={revealed}
            onReveal={() => setRevealed((v) => !v)}
            sourceProfile={sourceProfile}
            onSourceProfile={setSourceProfile}
            configSource={configSource}
            onConfigSource={chooseConfigSource}
            onRenew={retry}
            requested={length}
          />
        )}
      </div>

      <div className="flex justify-end gap-2 border-t border-slate-100 bg-slate-50 px-5 py-3">
        <Button variant="secondary" onClick={() => dialog.current?.close()}>
          Close
        </Button>
      </div>
    </dialog>
  );
}

function Credentials({
  session,
  now,
  format,
  onFormat,
  revealed,
  onReveal,
  sourceProfile,
  onSourceProfile,
  configSource,
  onConfigSource,
  onRenew,
  requested,
}: {
  session: CredentialsSession;
  now: number;
  format: CredentialFormatId;
  onFormat: (id: CredentialFormatId) => void;
  revealed: boolean;
  onReveal: () => void;
  sourceProfile: string;
  onSourceProfile: (value: string) => void;
  configSource: ConfigSource;
  onConfigSource: (source: ConfigSource) => void;
  onRenew: () => void;
  /** The length asked for, if one was chosen. */
  requested: number | undefined;
}) {
  const ids = useId();
  const left = remaining(session.expiresAt, now);
  const profileOk = PROFILE_NAME.test(sourceProfile);
  let text = "";
  let renderError = "";
  try {
    text = renderCredentials(format, {
      credentials: session.credentials,
      region: session.region,
      profileName: session.profileName,
      roleArn: session.roleArn,
      sessionName: session.sessionName,
      externalId: session.externalId ?? undefined,
      sourceProfile: profileOk ? sourceProfile : "default",
      ...(configSource !== "source_profile" ? { credentialSource: configSource } : {}),
      durationSeconds: session.durationSeconds,
    });
  } catch (err) {
    renderError = err instanceof Error ? err.message : "This format could not be rendered.";
  }
  const shown = revealed ? text : maskSecrets(text, [session.credentials.secretAccessKey, session.credentials.sessionToken]);
  const formatInfo = CREDENTIAL_FORMATS.find((f) => f.id === format);
  const holdsSecrets = format !== "config";

  return (
    <div className="space-y-4">
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
        <dt className="text-slate-500">Role</dt>
        <dd className="truncate font-mono text-xs leading-5 text-slate-800" title={session.roleArn}>
          {session.roleArn}
        </dd>
        <dt className="text-slate-500">Session</dt>
        <dd className="truncate font-mono text-xs leading-5 text-slate-800" title={session.assumedRoleArn}>
          {session.assumedRoleArn}
        </dd>
        <dt className="text-slate-500">Lifetime</dt>
        <dd className="flex flex-wrap items-center gap-2" data-testid="credentials-expiry">
          {left.expired ? (
            <>
              <Badge tone="red">Expired</Badge>
              <span className="text-slate-600">These credentials no longer work.</span>
              <Button size="sm" variant="secondary" onClick={onRenew}>
                <RefreshCw className="h-4 w-4" aria-hidden />
                Get new credentials
              </Button>
            </>
          ) : (
            <>
              <span className={left.soon ? "font-semibold text-amber-700" : "text-slate-800"}>
                Expires in <span className="font-mono tabular-nums">{left.text}</span>
              </span>
              <span className="text-slate-500" data-testid="credentials-expires-at">
                at <time dateTime={session.expiresAt}>{clockTime(session.expiresAt, now)}</time>
              </span>
              {requested !== undefined && session.durationSeconds < requested ? (
                <span className="text-slate-600">
                  Shortened to {lengthWords(session.durationSeconds)}: the most the console grants now.
                </span>
              ) : null}
            </>
          )}
        </dd>
      </dl>

      <FormatTabs value={format} onChange={onFormat} panelId={`${ids}-panel`} idPrefix={ids} />

      <div role="tabpanel" id={`${ids}-panel`} aria-labelledby={`${ids}-tab-${format}`} className="space-y-3">
        <p className="text-sm text-slate-600">
          {formatInfo?.filename ? <code className="mr-1 rounded bg-slate-100 px-1 py-0.5 text-xs text-slate-800">{formatInfo.filename}</code> : null}
          {format === "config" && configSource !== "source_profile" ? CONFIG_WITH_SOURCE_HELP : FORMAT_HELP[format]}
        </p>
        {format === "config" ? (
          <div className="space-y-2" data-testid="credentials-config-options">
            <div className="flex flex-wrap items-center gap-2">
              <label htmlFor={`${ids}-config-source`} className="text-sm font-medium text-slate-700">
                Credentials from
              </label>
              <select
                id={`${ids}-config-source`}
                value={configSource}
                onChange={(e) => onConfigSource(e.target.value as ConfigSource)}
                aria-describedby={`${ids}-config-source-hint`}
                data-testid="credentials-config-source"
                className="max-w-full min-w-0 rounded-md border border-slate-300 bg-white px-2 py-1 text-sm focus:border-indigo-500 focus:ring-2 focus:ring-indigo-500/30 focus:outline-none"
              >
                {CONFIG_SOURCES.map((source) => (
                  <option key={source} value={source}>
                    {configSourceLabel(source)}
                  </option>
                ))}
              </select>
            </div>
            <p id={`${ids}-config-source-hint`} className="text-xs text-slate-500">
              {configSource === "source_profile" ? "For you at a terminal, with a profile of your own." : CREDENTIAL_SOURCE_TEXT[configSource].when}
            </p>
            {configSource === "source_profile" ? (
              <div className="flex flex-wrap items-center gap-2">
                <label htmlFor={`${ids}-source`} className="text-sm font-medium text-slate-700">
                  Source profile
                </label>
                <input
                  id={`${ids}-source`}
                  value={sourceProfile}
                  onChange={(e) => onSourceProfile(e.target.value)}
                  spellCheck={false}
                  autoComplete="off"
                  aria-invalid={!profileOk || undefined}
                  aria-describedby={`${ids}-source-hint`}
                  className="w-48 rounded-md border border-slate-300 px-2 py-1 font-mono text-sm focus:border-indigo-500 focus:ring-2 focus:ring-indigo-500/30 focus:outline-none aria-[invalid=true]:border-red-500"
                />
                <span id={`${ids}-source-hint`} className={`text-xs ${profileOk ? "text-slate-500" : "text-red-700"}`}>
                  {profileOk ? "Your own profile, whose credentials assume the role." : "Letters, digits, dot, dash and underscore only (at most 64)."}
                </span>
              </div>
            ) : null}
          </div>
        ) : null}
        {renderError ? (
          <Alert>{renderError}</Alert>
        ) : (
          <pre
            className="max-h-72 overflow-auto rounded-md bg-slate-900 p-3 font-mono text-xs leading-5 break-all whitespace-pre-wrap text-slate-100"
            aria-label={`${formatInfo?.label ?? format}${holdsSecrets && !revealed ? ", secrets hidden" : ""}`}
            data-testid="credentials-text"
          >
            {shown}
          </pre>
        )}
        <div className="flex flex-wrap items-center gap-3">
          <CopyButton text={() => text} label="Copy" disabled={Boolean(renderError) || (left.expired && holdsSecrets)} testId="credentials-copy" refusedHint="Your browser refused to copy. Reveal the text, select it and copy it by hand." />
          {holdsSecrets ? (
            <Button variant="secondary" size="sm" onClick={onReveal} aria-pressed={revealed}>
              {revealed ? <EyeOff className="h-4 w-4" aria-hidden /> : <Eye className="h-4 w-4" aria-hidden />}
              {revealed ? "Hide" : "Reveal"}
            </Button>
          ) : null}
          <span className="text-xs text-slate-500">{holdsSecrets ? "Copy takes the full text, secrets included." : ""}</span>
        </div>
      </div>
    </div>
  );
}

/** "14:03:22", or with the day when it is not today ("Fri 02:03:22"): a 12-hour session can
 * end tomorrow. */
function clockTime(iso: string, now: number): string {
  const at = new Date(iso);
  const sameDay = at.toDateString() === new Date(now > 0 ? now : Date.now()).toDateString();
  return sameDay ? at.toLocaleTimeString() : `${at.toLocaleDateString(undefined, { weekday: "short" })} ${at.toLocaleTimeString()}`;
}

/** How long the credentials last, among the lengths the console grants for this role: one
 * button each (Tab between them, Enter or Space to choose), the chosen one pressed. Choosing asks
 * for new credentials; the progress shows below, and the buttons stay where they are, so the
 * focus does too. */
function LengthPicker({ ceiling, chosen, busy, onChoose }: { ceiling: number; chosen: number; busy: boolean; onChoose: (seconds: number) => void }) {
  const id = useId();
  const choices = lengthChoices(ceiling);
  // Nothing to choose: the Lifetime line says how long they last.
  if (choices.length < 2) return null;
  return (
    <div role="group" aria-labelledby={`${id}-label`} aria-describedby={`${id}-hint`} aria-busy={busy || undefined} className="mb-4 flex flex-wrap items-center gap-x-3 gap-y-1.5" data-testid="credentials-length">
      <span id={`${id}-label`} className="text-sm font-medium text-slate-700">
        Session length
      </span>
      <span className="inline-flex flex-wrap gap-0.5 rounded-md border border-slate-300 p-0.5">
        {choices.map((seconds) => {
          const on = seconds === chosen;
          return (
            <button
              key={seconds}
              type="button"
              aria-pressed={on}
              onClick={() => onChoose(seconds)}
              className={`min-h-7 rounded px-2.5 text-sm font-medium whitespace-nowrap tabular-nums ${on ? "bg-indigo-600 text-white" : "text-slate-700 hover:bg-slate-100"}`}
            >
              {lengthLabel(seconds)}
            </button>
          );
        })}
      </span>
      <span id={`${id}-hint`} className="basis-full text-xs text-slate-500">
        Up to {lengthWords(ceiling)} for this role. A new length issues new credentials.
      </span>
    </div>
  );
}

/** The WAI-ARIA tabs pattern: arrows, Home and End move between tabs (and select them); only
 * the selected tab is in the tab order. Wraps onto two lines rather than scrolling: eight
 * formats do not fit one line of a dialog. */
function FormatTabs({ value, onChange, panelId, idPrefix }: { value: CredentialFormatId; onChange: (id: CredentialFormatId) => void; panelId: string; idPrefix: string }) {
  const refs = useRef<Array<HTMLButtonElement | null>>([]);
  const onKeyDown = (e: KeyboardEvent<HTMLButtonElement>, index: number) => {
    const last = CREDENTIAL_FORMATS.length - 1;
    const next = e.key === "ArrowRight" ? (index === last ? 0 : index + 1) : e.key === "ArrowLeft" ? (index === 0 ? last : index - 1) : e.key === "Home" ? 0 : e.key === "End" ? last : -1;
    if (next < 0) return;
    e.preventDefault();
    onChange(CREDENTIAL_FORMATS[next]!.id);
    refs.current[next]?.focus();
  };
  return (
    <div role="tablist" aria-label="Format" className="flex flex-wrap gap-1 border-b border-slate-200">
      {CREDENTIAL_FORMATS.map((f, index) => {
        const selected = f.id === value;
        return (
          <button
            key={f.id}
            ref={(el) => {
              refs.current[index] = el;
            }}
            type="button"
            role="tab"
            id={`${idPrefix}-tab-${f.id}`}
            aria-selected={selected}
            aria-controls={panelId}
            tabIndex={selected ? 0 : -1}
            onClick={() => onChange(f.id)}
            onKeyDown={(e) => onKeyDown(e, index)}
            className={`-mb-px border-b-2 px-2.5 py-1.5 text-sm font-medium whitespace-nowrap ${selected ? "border-indigo-600 text-indigo-700" : "border-transparent text-slate-600 hover:text-slate-900"}`}
          >
            {f.label}
          </button>
        );
      })}
    </div>
  );
}

function SessionError({ error, onRetry }: { error: ApiError; onRetry: () => void }) {
  const explanation = error.explanation;
  const statement = explanation?.fix ? JSON.stringify(explanation.fix.statement, null, 2) : "";
  const title = error.code === "aws_denied" ? "AWS refused to assume this role" : error.status === 403 ? "Not allowed" : "No credentials";
  return (
    <div className="space-y-3" data-testid="credentials-error">
      <Alert title={title}>{error.message}</Alert>
      {explanation ? (
        <div className="space-y-2 rounded-md border border-slate-200 bg-slate-50 p-3 text-sm">
          <p className="font-medium text-slate-900">Why</p>
          <p className="text-slate-700">{explanation.summary}</p>
          {explanation.fix ? (
            <>
              <p className="text-slate-700">
                To fix it, add this statement to <span className="font-medium text-slate-900">{explanation.fix.where}</span>:
              </p>
              <pre className="max-h-64 overflow-auto rounded-md bg-slate-900 p-3 font-mono text-xs leading-5 whitespace-pre text-slate-100" data-testid="denial-fix">
                {statement}
              </pre>
              <CopyButton text={() => statement} label="Copy statement" variant="secondary" />
            </>
          ) : null}
        </div>
      ) : null}
      <Button variant="secondary" size="sm" onClick={onRetry}>
        <RefreshCw className="h-4 w-4" aria-hidden />
        Try again
      </Button>
    </div>
  );
}
