"use client";

import { AlertTriangle, Clock, ShieldAlert } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useId, useState, useTransition, type FormEvent, type ReactNode } from "react";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Alert, Field, Input, Select } from "@/components/ui/field";
import { Textarea } from "@/components/ui/textarea";
import { describeDuration, durationChoices } from "@/lib/access/events";
import { ACCESS_KIND_LABELS, ACCESS_STATUS_LABELS, type AccessRequestDto, type RequestableRoleDto } from "@/lib/access/types";
import type { ActionError, ActionResult } from "@/lib/http/action";
import { agoText, untilText, utcMinute } from "../sessions/format";
import {
  approveAccessRequestAction,
  cancelAccessRequestAction,
  createAccessRequestAction,
  denyAccessRequestAction,
  endAccessRequestAction,
  extendAccessRequestAction,
  reviewBreakGlassAction,
} from "./actions";

const STATUS_TONES: Record<AccessRequestDto["status"], BadgeTone> = {
  pending: "amber",
  approved: "emerald",
  denied: "red",
  withdrawn: "slate",
  ended: "slate",
  expired: "slate",
};

export function StatusBadge({ request }: { request: AccessRequestDto }) {
  return <Badge tone={STATUS_TONES[request.status]}>{ACCESS_STATUS_LABELS[request.status]}</Badge>;
}

function DurationSelect({ id, max, value, onChange }: { id: string; max: number; value: number; onChange: (v: number) => void }) {
  return (
    <Select id={id} value={value} onChange={(e) => onChange(Number(e.target.value))}>
      {durationChoices(max).map((s) => (
        <option key={s} value={s}>
          {describeDuration(s)}
        </option>
      ))}
    </Select>
  );
}

/** A relative time with the exact one (UTC, as the audit log writes it) on hover. */
export function When({ iso, now }: { iso: string; now: number }) {
  const future = Date.parse(iso) > now;
  return (
    <time dateTime={iso} title={utcMinute(iso)}>
      {future ? untilText(iso, now) : agoText(iso, now)}
    </time>
  );
}

/** Runs an action, shows its error, refreshes the page's data when it worked. */
function useStep<T>() {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [error, setError] = useState<ActionError | null>(null);
  const run = (action: () => Promise<ActionResult<T>>, done: (data: T) => void) =>
    start(async () => {
      setError(null);
      const result = await action();
      if (!result.ok) return setError(result.error);
      done(result.data);
      router.refresh();
    });
  return { pending, error, run, setError };
}

/** Asking for a role entry: duration, reason, ticket, and (where allowed) break-glass. */
export function RequestDialog({ role, open, onClose, onDone }: { role: RequestableRoleDto; open: boolean; onClose: () => void; onDone: (r: AccessRequestDto) => void }) {
  const ids = useId();
  const [duration, setDuration] = useState(Math.min(3600, role.maxDurationSeconds));
  const [reason, setReason] = useState("");
  const [ticket, setTicket] = useState("");
  const [breakGlass, setBreakGlass] = useState(false);
  const { pending, error, run } = useStep<AccessRequestDto>();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    run(
      () => createAccessRequestAction({ roleId: role.roleId, durationSeconds: duration, reason, ...(ticket ? { ticket } : {}), breakGlass }),
      (r) => onDone(r),
    );
  };
  return (
    <Dialog open={open} onClose={onClose} title={`Ask for ${role.accountName} / ${role.displayName}`} description={`${role.roleName} in ${role.awsAccountId}`}>
      <form onSubmit={submit} className="space-y-4" noValidate>
        <p className="text-sm text-slate-700">
          {breakGlass ? "Break-glass gives you access at once; " : ""}
          <span className="font-medium">Who will be asked:</span> {role.approvers}
          {role.approvalsRequired === 2 ? " (two of them must approve)" : ""}.
        </p>
        <Field label="For how long" htmlFor={`${ids}-duration`} hint={`At most ${describeDuration(role.maxDurationSeconds)} for this role.`} error={error?.fields?.durationSeconds}>
          <DurationSelect id={`${ids}-duration`} max={role.maxDurationSeconds} value={duration} onChange={setDuration} />
        </Field>
        <Field label={role.reasonRequired || breakGlass ? "Why you need it" : "Why you need it (optional)"} htmlFor={`${ids}-reason`} hint="Approvers and the audit log read it." error={error?.fields?.reason}>
          <Textarea id={`${ids}-reason`} value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} rows={3} invalid={Boolean(error?.fields?.reason)} autoFocus />
        </Field>
        {role.ticketPattern ? (
          <Field label="Ticket" htmlFor={`${ids}-ticket`} hint={`Must match ${role.ticketPattern}`} error={error?.fields?.ticket}>
            <Input id={`${ids}-ticket`} value={ticket} onChange={(e) => setTicket(e.target.value)} maxLength={64} invalid={Boolean(error?.fields?.ticket)} />
          </Field>
        ) : null}
        {role.breakGlass ? (
          <label className="flex items-start gap-3 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900">
            <input type="checkbox" className="mt-0.5 h-4 w-4" checked={breakGlass} onChange={(e) => setBreakGlass(e.target.checked)} />
            <span>
              <span className="font-medium">Break-glass: access now, without waiting.</span> Every approver is told at once, and one of them will review whether it was justified.
            </span>
          </label>
        ) : null}
        {error && !error.fields ? <Alert>{error.message}</Alert> : null}
        {error?.fields ? <p className="sr-only" role="alert">{error.message}</p> : null}
        <div className="flex flex-wrap justify-end gap-2">
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" variant={breakGlass ? "danger" : "primary"} disabled={pending}>
            {pending ? "Sending…" : breakGlass ? "Use break-glass now" : "Send request"}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

type Step = "approve" | "deny" | "withdraw" | "extend" | "end" | "review" | null;

/** One request: what was asked, by whom, where it stands, its decisions, and the steps the
 * viewer may take. */
export function RequestCard({ request: r, now, detailLink = true, onMessage }: { request: AccessRequestDto; now: number; detailLink?: boolean; onMessage?: (m: string) => void }) {
  const [step, setStep] = useState<Step>(null);
  const title = `${r.role.accountName} / ${r.role.displayName}`;
  return (
    <article className="rounded-lg border border-slate-200 bg-white p-4" data-testid="access-request" data-request-id={r.id} aria-label={`${ACCESS_KIND_LABELS[r.kind]} by ${r.requester.email} for ${title}`}>
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div className="min-w-0">
          <h2 className="text-sm font-semibold break-words text-slate-900">
            {detailLink ? (
              <Link href={`/requests/${r.id}`} className="hover:underline">
                {title}
              </Link>
            ) : (
              title
            )}
          </h2>
          <p className="text-xs break-all text-slate-600">{r.role.roleArn}</p>
        </div>
        <div className="flex flex-wrap items-center gap-1.5">
          {r.kind !== "request" ? (
            <Badge tone={r.kind === "break_glass" ? "red" : "indigo"}>
              {r.kind === "break_glass" ? <ShieldAlert className="h-3 w-3" aria-hidden /> : null}
              {ACCESS_KIND_LABELS[r.kind]}
            </Badge>
          ) : null}
          <StatusBadge request={r} />
          {r.review ? <Badge tone={r.review.state === "pending" ? "amber" : r.review.state === "justified" ? "emerald" : "red"}>{r.review.state === "pending" ? "Review due" : r.review.state === "justified" ? "Justified" : "Not justified"}</Badge> : null}
        </div>
      </div>
      <dl className="mt-3 grid grid-cols-1 gap-x-6 gap-y-1 text-sm sm:grid-cols-2">
        <Meta label="Asked by">
          <span className="break-all">{r.requester.email}</span>, <When iso={r.createdAt} now={now} />
        </Meta>
        <Meta label="For">
          {describeDuration(r.grantedSeconds ?? r.requestedSeconds)}
          {r.grantedSeconds && r.grantedSeconds < r.requestedSeconds && r.kind !== "break_glass" ? ` (asked for ${describeDuration(r.requestedSeconds)})` : ""}
        </Meta>
        <Meta label="Reason">{r.reason || <span className="text-slate-500">none given</span>}</Meta>
        {r.ticket ? <Meta label="Ticket">{r.ticket}</Meta> : null}
        {r.status === "approved" && r.endsAt ? (
          <Meta label="Access ends">
            <span className="inline-flex items-center gap-1">
              <Clock className="h-3.5 w-3.5" aria-hidden />
              <When iso={r.endsAt} now={now} /> ({utcMinute(r.endsAt)})
            </span>
          </Meta>
        ) : null}
        {r.status === "pending" ? <Meta label="Approvals">{`${r.decisions.filter((d) => d.decision === "approve").length} of ${r.approvalsRequired}`}</Meta> : null}
        {r.endedAt ? (
          <Meta label="Ended">
            {utcMinute(r.endedAt)}
            {r.endedBy ? ` by ${r.endedBy}` : ""}
            {r.endComment ? `: ${r.endComment}` : ""}
          </Meta>
        ) : null}
        {r.revokeOnEnd && r.revocation.state !== "none" ? (
          <Meta label="Live sessions">
            {r.revocation.state === "done" ? (r.revocation.revokedAt ? `revoked ${utcMinute(r.revocation.revokedAt)}` : "none to revoke") : r.revocation.state === "failed" ? "revoking failed; an administrator can revoke them on the Sessions page" : "being revoked…"}
          </Meta>
        ) : null}
        {r.review && r.review.state !== "pending" ? (
          <Meta label="Reviewed">
            {r.review.by} {r.review.at ? utcMinute(r.review.at) : ""}
            {r.review.comment ? `: ${r.review.comment}` : ""}
          </Meta>
        ) : null}
      </dl>
      {r.decisions.length ? (
        <ul className="mt-3 space-y-1 border-t border-slate-100 pt-2 text-sm" aria-label="Decisions">
          {r.decisions.map((d) => (
            <li key={`${d.approverEmail}-${d.at}`} className="text-slate-700">
              <span className={d.decision === "approve" ? "font-medium text-emerald-700" : "font-medium text-red-700"}>{d.decision === "approve" ? "Approved" : "Denied"}</span> by{" "}
              <span className="break-all">{d.approverEmail}</span>
              {d.grantedSeconds && d.grantedSeconds !== r.requestedSeconds ? ` for ${describeDuration(d.grantedSeconds)}` : ""}, <When iso={d.at} now={now} />
              {d.comment ? <span className="text-slate-600">: “{d.comment}”</span> : null}
            </li>
          ))}
        </ul>
      ) : null}
      <div className="mt-3 flex flex-wrap gap-2">
        {r.can.approve ? (
          <Button size="sm" onClick={() => setStep("approve")}>
            Approve…
          </Button>
        ) : null}
        {r.can.deny ? (
          <Button size="sm" variant="secondary" onClick={() => setStep("deny")}>
            Deny…
          </Button>
        ) : null}
        {r.status === "approved" && r.requester.id && r.can.withdraw ? (
          <Link href={`/switch/${r.role.id}`} className="inline-flex min-h-8 items-center rounded-md bg-indigo-600 px-3 py-1 text-sm font-medium text-white hover:bg-indigo-700">
            Switch now
          </Link>
        ) : null}
        {r.can.extend ? (
          <Button size="sm" variant="secondary" onClick={() => setStep("extend")}>
            Extend…
          </Button>
        ) : null}
        {r.can.review ? (
          <Button size="sm" onClick={() => setStep("review")}>
            Review…
          </Button>
        ) : null}
        {r.can.end ? (
          <Button size="sm" variant="danger" onClick={() => setStep("end")}>
            End access now…
          </Button>
        ) : null}
        {r.can.withdraw ? (
          <Button size="sm" variant="ghost" onClick={() => setStep("withdraw")}>
            {r.status === "pending" ? "Withdraw…" : "Give up access…"}
          </Button>
        ) : null}
      </div>
      {step ? <StepDialog step={step} request={r} onClose={() => setStep(null)} onDone={(m) => (setStep(null), onMessage?.(m))} /> : null}
    </article>
  );
}

function Meta({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="flex min-w-0 gap-2">
      <dt className="shrink-0 text-slate-500">{label}:</dt>
      <dd className="min-w-0 text-slate-900">{children}</dd>
    </div>
  );
}

const STEP_TITLES: Record<Exclude<Step, null>, string> = {
  approve: "Approve the request",
  deny: "Deny the request",
  withdraw: "Withdraw",
  extend: "Ask to extend your access",
  end: "End access now",
  review: "Review a break-glass use",
};

function StepDialog({ step, request: r, onClose, onDone }: { step: Exclude<Step, null>; request: AccessRequestDto; onClose: () => void; onDone: (message: string) => void }) {
  const ids = useId();
  const [comment, setComment] = useState("");
  const [duration, setDuration] = useState(step === "approve" ? r.requestedSeconds : Math.min(1800, r.requestedSeconds));
  const [verdict, setVerdict] = useState<"justified" | "unjustified">("justified");
  const { pending, error, run } = useStep<AccessRequestDto>();
  const who = r.requester.email;
  const title = `${r.role.accountName} / ${r.role.displayName}`;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const id = r.id;
    if (step === "approve") run(() => approveAccessRequestAction({ id, comment, durationSeconds: duration }), (d) => onDone(d.status === "approved" ? `Approved: ${who} has ${title} until ${utcMinute(d.endsAt!)}.` : "Your approval is recorded; a second approver must approve too."));
    if (step === "deny") run(() => denyAccessRequestAction({ id, comment }), () => onDone(`Denied ${who}'s request for ${title}.`));
    if (step === "withdraw") run(() => cancelAccessRequestAction({ id }), (d) => onDone(d.status === "withdrawn" ? "Your request is withdrawn." : "Your access has ended."));
    if (step === "extend") run(() => extendAccessRequestAction({ id, durationSeconds: duration, reason: comment }), () => onDone("Your extension is asked for; the approvers are told."));
    if (step === "end") run(() => endAccessRequestAction({ id, comment }), () => onDone(`${who}'s access to ${title} has ended.`));
    if (step === "review") run(() => reviewBreakGlassAction({ id, verdict, comment }), () => onDone("Your review is recorded."));
  };
  const label = { approve: "Approve", deny: "Deny", withdraw: r.status === "pending" ? "Withdraw request" : "Give up access", extend: "Ask to extend", end: "End access now", review: "Record review" }[step];
  return (
    <Dialog open onClose={onClose} title={STEP_TITLES[step]} description={`${who} · ${title}`}>
      <form onSubmit={submit} className="space-y-4" noValidate>
        {step === "end" ? (
          <Alert tone="warning">
            {who} loses access at once{r.revokeOnEnd ? ", and their live AWS sessions in this role are revoked" : ""}.
          </Alert>
        ) : null}
        {step === "withdraw" && r.status === "approved" ? <Alert tone="warning">Your access ends now{r.revokeOnEnd ? ", and your live AWS sessions in this role are revoked" : ""}.</Alert> : null}
        {step === "approve" ? (
          <Field label="For how long" htmlFor={`${ids}-duration`} hint={`${who} asked for ${describeDuration(r.requestedSeconds)}; you can shorten it, not lengthen it.`} error={error?.fields?.durationSeconds}>
            <DurationSelect id={`${ids}-duration`} max={r.requestedSeconds} value={duration} onChange={setDuration} />
          </Field>
        ) : null}
        {step === "extend" ? (
          <Field label="For how much longer" htmlFor={`${ids}-duration`} error={error?.fields?.durationSeconds}>
            <DurationSelect id={`${ids}-duration`} max={43_200} value={duration} onChange={setDuration} />
          </Field>
        ) : null}
        {step === "review" ? (
          <fieldset className="space-y-2">
            <legend className="text-sm font-medium text-slate-900">Was it justified?</legend>
            {(["justified", "unjustified"] as const).map((v) => (
              <label key={v} className="flex items-center gap-2 text-sm">
                <input type="radio" name={`${ids}-verdict`} checked={verdict === v} onChange={() => setVerdict(v)} className="h-4 w-4" />
                {v === "justified" ? "Justified" : "Not justified"}
              </label>
            ))}
          </fieldset>
        ) : null}
        {step !== "withdraw" ? (
          <Field label={step === "extend" ? "Why you need more time" : "Comment (optional)"} htmlFor={`${ids}-comment`} error={error?.fields?.comment ?? error?.fields?.reason}>
            <Textarea id={`${ids}-comment`} value={comment} onChange={(e) => setComment(e.target.value)} maxLength={500} rows={3} autoFocus={step !== "approve"} />
          </Field>
        ) : null}
        {error ? (
          <Alert>
            <span className="inline-flex items-start gap-1.5">
              <AlertTriangle className="mt-0.5 h-4 w-4 shrink-0" aria-hidden />
              {error.message}
            </span>
          </Alert>
        ) : null}
        <div className="flex flex-wrap justify-end gap-2">
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" variant={step === "deny" || step === "end" || step === "withdraw" ? "danger" : "primary"} disabled={pending} data-initial-focus={step === "withdraw" ? true : undefined}>
            {pending ? "Working…" : label}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
