"use client";

import { BellRing, Send, Trash2 } from "lucide-react";
import { useEffect, useId, useRef, useState, useTransition, type FormEvent, type ReactNode } from "react";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { Dialog } from "@/components/ui/dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { Alert, Field, Input } from "@/components/ui/field";
import { ACCESS_EVENT_LABELS, type WebhookEventType } from "@/lib/access/events";
import type { ActionError } from "@/lib/http/action";
import { DELIVERY_STATUS_LABELS, SUBSCRIBABLE_EVENTS, WEBHOOK_KIND_CHOICES, WEBHOOK_KIND_LABELS, type DeliveryDto, type WebhookDto, type WebhookKindChoice } from "@/lib/webhooks/schemas";
import { agoText, utcMinute } from "../../sessions/format";
import { createWebhookAction, deleteWebhookAction, testWebhookAction, updateWebhookAction } from "./actions";
import { SecretOnce } from "@/components/ui/secret-once";

type Props = {
  webhooks: WebhookDto[];
  /** Each webhook's latest deliveries, newest first. */
  deliveries: Record<string, DeliveryDto[]>;
  asOf: string;
  /** SWITCHBOARD_WEBHOOK_ALLOW_PRIVATE: http:// and local addresses are accepted (tests, the demo). */
  allowHttp: boolean;
};

const FIELDS = ["name", "kind", "url", "events"] as const;
const STATUS_TONE: Record<DeliveryDto["status"], BadgeTone> = { delivered: "emerald", pending: "amber", failed: "red" };
const eventLabel = (type: string) => ACCESS_EVENT_LABELS[type as WebhookEventType] ?? type;

function When({ iso, now }: { iso: string; now: number }) {
  return (
    <time dateTime={iso} title={utcMinute(iso)}>
      {agoText(iso, now)}
    </time>
  );
}

function DeliveryBadge({ delivery }: { delivery: DeliveryDto }) {
  return <Badge tone={STATUS_TONE[delivery.status]}>{DELIVERY_STATUS_LABELS[delivery.status]}</Badge>;
}

/** One delivery, in a line: what, its state, how many tries, the receiver's last answer. */
function DeliveryLine({ delivery, now }: { delivery: DeliveryDto; now: number }) {
  const answer = delivery.lastStatusCode ? `HTTP ${delivery.lastStatusCode}` : null;
  return (
    <li className="space-y-1 py-2 text-sm" data-testid="delivery-row">
      <div className="flex flex-wrap items-center gap-2">
        <DeliveryBadge delivery={delivery} />
        <span className="font-medium text-slate-800">{eventLabel(delivery.eventType)}</span>
        <span className="text-slate-500">
          <When iso={delivery.createdAt} now={now} /> · {delivery.attempts} {delivery.attempts === 1 ? "try" : "tries"}
          {answer ? ` · ${answer}` : null}
        </span>
      </div>
      {delivery.lastError && delivery.status !== "delivered" ? <p className="text-slate-600 [overflow-wrap:anywhere]">{delivery.lastError}</p> : null}
      {delivery.status === "pending" && delivery.nextAttemptAt ? (
        <p className="text-xs text-slate-500">
          Next try <time dateTime={delivery.nextAttemptAt}>{utcMinute(delivery.nextAttemptAt)}</time>
        </p>
      ) : null}
    </li>
  );
}

/** The signing secret, shown this once. */
function ShownSecret({ name, secret, onDone }: { name: string; secret: string; onDone: () => void }) {
  const titleId = useId();
  useEffect(() => document.getElementById("webhook-secret")?.focus(), []);
  return (
    <section aria-labelledby={titleId} data-testid="webhook-secret-shown" className="space-y-4">
      <h3 id={titleId} className="font-medium text-slate-900 [overflow-wrap:anywhere]">
        The signing secret of “{name}”
      </h3>
      <Alert tone="warning" title="Copy it now: it will not be shown again">
        Give it to the service that receives the webhook: it checks each delivery&apos;s X-Switchboard-Signature with it (the README shows how). If it is lost, rotate it.
      </Alert>
      <SecretOnce label="Signing secret" value={secret} copyLabel="Copy secret" ids={{ field: "webhook-secret", copy: "webhook-secret-copy", done: "webhook-secret-done" }} onDone={onDone} />
    </section>
  );
}

function CreateWebhookForm({ allowHttp, onCreated }: { allowHttp: boolean; onCreated: (webhook: WebhookDto, secret: string | null) => void }) {
  const [error, setError] = useState<ActionError | null>(null);
  const [kind, setKind] = useState<WebhookKindChoice>("slack");
  const [events, setEvents] = useState<string[]>([...SUBSCRIBABLE_EVENTS]);
  const [pending, startTransition] = useTransition();
  const form = useRef<HTMLFormElement>(null);
  const fields = error?.fields ?? {};
  const other = error && (!error.fields || Object.keys(error.fields).some((k) => !(FIELDS as readonly string[]).includes(k.split(".")[0]!)));

  useEffect(() => {
    if (error?.fields) form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [error]);

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    startTransition(async () => {
      const result = await createWebhookAction({ name: String(data.get("name") ?? ""), kind, url: String(data.get("url") ?? ""), events: events as (typeof SUBSCRIBABLE_EVENTS)[number][] });
      if (result.ok) {
        setError(null);
        form.current?.reset();
        setEvents([...SUBSCRIBABLE_EVENTS]);
        onCreated(result.data.webhook, result.data.secret);
      } else setError(result.error);
    });
  };

  const eventsError = fields.events ?? Object.entries(fields).find(([k]) => k.startsWith("events."))?.[1];
  return (
    <form ref={form} onSubmit={submit} noValidate className="space-y-4" data-testid="webhook-create-form" aria-label="New webhook">
      {other ? <Alert title="The webhook was not added">{error.message}</Alert> : null}
      <Field label="Name" htmlFor="webhook-name" hint="Where it posts, so that you can tell your webhooks apart." error={fields.name}>
        <Input id="webhook-name" name="name" data-testid="webhook-name" placeholder="#access-approvals" maxLength={80} autoComplete="off" invalid={Boolean(fields.name)} />
      </Field>
      <fieldset className="space-y-2">
        <legend className="mb-1 text-sm font-medium text-slate-700">Format</legend>
        {WEBHOOK_KIND_CHOICES.map((value) => (
          <label key={value} className="flex items-start gap-2 text-sm text-slate-700">
            <input type="radio" name="kind" value={value} checked={kind === value} onChange={() => setKind(value)} className="mt-0.5 h-4 w-4 shrink-0 accent-indigo-600" />
            <span>
              <span className="font-medium text-slate-900">{WEBHOOK_KIND_LABELS[value]}</span>
              <span className="block text-slate-500">
                {value === "slack" ? "A message with a Review request button; Mattermost and Rocket.Chat take it too." : "The event as JSON, signed with a secret shown once, for your own service."}
              </span>
            </span>
          </label>
        ))}
      </fieldset>
      <Field
        label="URL"
        htmlFor="webhook-url"
        hint={kind === "slack" ? "Slack's incoming-webhook URL (https://hooks.slack.com/services/…). It is a secret: the console shows only its start afterwards." : `Where to POST the events${allowHttp ? "" : "; https only, public addresses only"}.`}
        error={fields.url}
      >
        <Input id="webhook-url" name="url" data-testid="webhook-url" type="url" inputMode="url" placeholder={kind === "slack" ? "https://hooks.slack.com/services/…" : "https://example.com/hooks/switchboard"} maxLength={2048} autoComplete="off" invalid={Boolean(fields.url)} />
      </Field>
      <fieldset className="space-y-2" aria-describedby={eventsError ? "webhook-events-error" : undefined}>
        <legend className="mb-1 text-sm font-medium text-slate-700">Events</legend>
        <div className="grid grid-cols-1 gap-x-6 gap-y-3 sm:grid-cols-2">
          {SUBSCRIBABLE_EVENTS.map((type) => (
            <label key={type} className="flex items-center gap-2 text-sm text-slate-700">
              <input
                type="checkbox"
                name="events"
                value={type}
                checked={events.includes(type)}
                onChange={(e) => setEvents((list) => (e.target.checked ? [...list, type] : list.filter((t) => t !== type)))}
                className="h-4 w-4 shrink-0 accent-indigo-600"
              />
              {ACCESS_EVENT_LABELS[type]}
            </label>
          ))}
        </div>
        {eventsError ? (
          <p id="webhook-events-error" className="text-sm text-red-600">
            {eventsError}
          </p>
        ) : null}
      </fieldset>
      <div className="flex justify-end">
        <Button type="submit" disabled={pending} data-testid="webhook-create">
          <BellRing className="h-4 w-4" aria-hidden />
          {pending ? "Adding…" : "Add webhook"}
        </Button>
      </div>
    </form>
  );
}

function ConfirmDialog({ title, description, confirm, danger, onClose, onConfirm }: { title: string; description: ReactNode; confirm: string; danger?: boolean; onClose: () => void; onConfirm: () => Promise<ActionError | null> }) {
  const [error, setError] = useState<ActionError | null>(null);
  const [pending, startTransition] = useTransition();
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    startTransition(async () => setError(await onConfirm()));
  };
  return (
    <Dialog open onClose={onClose} title={title} description={description}>
      <form onSubmit={submit} className="space-y-4">
        {error ? <Alert title="Nothing was changed">{error.message}</Alert> : null}
        <div className="flex flex-wrap justify-end gap-2 pt-2">
          <Button variant="secondary" onClick={onClose} disabled={pending}>
            Cancel
          </Button>
          <Button type="submit" variant={danger ? "danger" : "primary"} disabled={pending} data-initial-focus data-testid="confirm">
            {confirm}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

type Asking = { kind: "delete" | "rotate"; webhook: WebhookDto };

function WebhookCard({
  webhook,
  deliveries,
  now,
  onChanged,
  onDeliveries,
  onAsk,
}: {
  webhook: WebhookDto;
  deliveries: DeliveryDto[];
  now: number;
  onChanged: (w: WebhookDto) => void;
  onDeliveries: (list: DeliveryDto[]) => void;
  onAsk: (a: Asking) => void;
}) {
  const [result, setResult] = useState<{ tone: "success" | "error" | "warning"; title: string; text: string } | null>(null);
  const [pending, startTransition] = useTransition();
  const titleId = useId();
  const allEvents = SUBSCRIBABLE_EVENTS.every((t) => webhook.events.includes(t));

  const sendTest = () =>
    startTransition(async () => {
      setResult(null);
      const r = await testWebhookAction({ id: webhook.id });
      if (!r.ok) return setResult({ tone: "error", title: "The test was not sent", text: r.error.message });
      onDeliveries(r.data.deliveries);
      const d = r.data.delivery;
      if (d.status === "delivered") setResult({ tone: "success", title: "Test delivered", text: `The receiver answered HTTP ${d.lastStatusCode}.` });
      else if (d.status === "pending") setResult({ tone: "warning", title: "The test did not get through yet", text: `${d.lastError ?? "No answer."} It will be tried again.` });
      else setResult({ tone: "error", title: "The test failed", text: d.lastError ?? "The receiver refused it." });
    });

  const toggle = () =>
    startTransition(async () => {
      const r = await updateWebhookAction({ id: webhook.id, enabled: !webhook.enabled });
      if (r.ok) onChanged(r.data.webhook);
      else setResult({ tone: "error", title: "Nothing was changed", text: r.error.message });
    });

  return (
    <li data-testid="webhook-card" data-webhook-id={webhook.id} aria-labelledby={titleId} className={`rounded-lg border border-slate-200 p-4 shadow-sm ${webhook.enabled ? "bg-white" : "bg-slate-50"}`}>
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0 space-y-1">
          <div className="flex flex-wrap items-center gap-2">
            <h3 id={titleId} className="font-medium text-slate-900 [overflow-wrap:anywhere]">
              {webhook.name}
            </h3>
            <Badge tone={webhook.kind === "slack" ? "violet" : "sky"}>{webhook.kind === "slack" ? "Slack" : "JSON"}</Badge>
            {webhook.enabled ? <Badge tone="emerald">On</Badge> : <Badge>Off</Badge>}
          </div>
          <p className="font-mono text-xs text-slate-600 [overflow-wrap:anywhere]" data-testid="webhook-target">
            {webhook.target}
          </p>
          <p className="text-sm text-slate-600">{allEvents ? "Every access event" : webhook.events.map(eventLabel).join(", ")}</p>
        </div>
      </div>
      <div className="mt-3 flex flex-wrap gap-2">
        <Button size="sm" onClick={sendTest} disabled={pending} data-testid="webhook-test">
          <Send className="h-4 w-4" aria-hidden />
          {pending ? "Working…" : "Send test"}
        </Button>
        <Button size="sm" variant="secondary" onClick={toggle} disabled={pending} data-testid="webhook-toggle" aria-label={`${webhook.enabled ? "Turn off" : "Turn on"} ${webhook.name}`}>
          {webhook.enabled ? "Turn off" : "Turn on"}
        </Button>
        {webhook.kind === "json" ? (
          <Button size="sm" variant="secondary" onClick={() => onAsk({ kind: "rotate", webhook })} disabled={pending} aria-label={`Rotate the secret of ${webhook.name}`}>
            Rotate secret
          </Button>
        ) : null}
        <Button size="sm" variant="secondary" onClick={() => onAsk({ kind: "delete", webhook })} disabled={pending} data-testid="webhook-delete" aria-label={`Delete ${webhook.name}`}>
          <Trash2 className="h-4 w-4" aria-hidden />
          Delete
        </Button>
      </div>
      <div aria-live="polite" className="empty:hidden mt-3" data-testid="webhook-test-result">
        {result ? (
          <Alert tone={result.tone} title={result.title}>
            {result.text}
          </Alert>
        ) : null}
      </div>
      <details className="mt-3" open={deliveries.length > 0 && deliveries.length <= 3}>
        <summary className="cursor-pointer text-sm font-medium text-slate-700">Recent deliveries ({deliveries.length})</summary>
        {deliveries.length ? (
          <ul className="mt-1 divide-y divide-slate-100" aria-label={`Recent deliveries of ${webhook.name}`}>
            {deliveries.map((d) => (
              <DeliveryLine key={d.id} delivery={d} now={now} />
            ))}
          </ul>
        ) : (
          <p className="mt-2 text-sm text-slate-600">Nothing sent yet. Send a test to check that it arrives.</p>
        )}
      </details>
    </li>
  );
}

export function WebhooksClient({ webhooks: initial, deliveries: initialDeliveries, asOf, allowHttp }: Props) {
  const [webhooks, setWebhooks] = useState(initial);
  const [deliveries, setDeliveries] = useState(initialDeliveries);
  const [now, setNow] = useState(() => Date.parse(asOf));
  const [secret, setSecret] = useState<{ name: string; secret: string } | null>(null);
  const [asking, setAsking] = useState<Asking | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const listTitle = useId();

  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);

  const replace = (w: WebhookDto) => setWebhooks((list) => list.map((x) => (x.id === w.id ? w : x)));

  const onCreated = (w: WebhookDto, s: string | null) => {
    setNow(Date.now());
    setWebhooks((list) => [...list, w]);
    setDeliveries((d) => ({ ...d, [w.id]: [] }));
    setNotice(`“${w.name}” is added. Send a test to check that it arrives.`);
    if (s) setSecret({ name: w.name, secret: s });
  };

  const confirm = async (): Promise<ActionError | null> => {
    if (!asking) return null;
    const { webhook } = asking;
    if (asking.kind === "delete") {
      const r = await deleteWebhookAction({ id: webhook.id });
      if (!r.ok) return r.error;
      setWebhooks((list) => list.filter((x) => x.id !== webhook.id));
      setNotice(`“${webhook.name}” is deleted: it receives nothing from now on.`);
    } else {
      const r = await updateWebhookAction({ id: webhook.id, rotateSecret: true });
      if (!r.ok) return r.error;
      replace(r.data.webhook);
      if (r.data.secret) setSecret({ name: webhook.name, secret: r.data.secret });
    }
    setAsking(null);
    return null;
  };

  return (
    <div className="space-y-8">
      <div className="grid grid-cols-1 items-start gap-6 lg:grid-cols-2">
        <Card>
          <CardHeader title="New webhook" description="Every change to an access request is sent to each webhook that is on and wants that event." />
          <div className="px-5 py-4">
            {secret ? (
              <ShownSecret
                name={secret.name}
                secret={secret.secret}
                onDone={() => {
                  setSecret(null);
                  requestAnimationFrame(() => document.getElementById("webhook-name")?.focus());
                }}
              />
            ) : (
              <CreateWebhookForm allowHttp={allowHttp} onCreated={onCreated} />
            )}
          </div>
        </Card>
        <Card>
          <CardHeader title="How deliveries work" />
          <div className="space-y-3 px-5 py-4 text-sm text-slate-700">
            <p>Each event is queued with the change it announces, then sent by the console within seconds. A delivery that fails is tried again after 10 seconds, 1 minute, 5 minutes, 30 minutes and 2 hours; then it is marked failed.</p>
            <p>A receiver that answers 2xx has it. 408, 429 and 5xx are tried again (Retry-After is honoured); any other answer, such as 404 or 410 from a removed Slack webhook, fails at once. Redirects are not followed.</p>
            <p>
              JSON deliveries carry <code className="font-mono text-xs">X-Switchboard-Signature: v1=…</code>, an HMAC-SHA256 of <code className="font-mono text-xs">timestamp.body</code> with the webhook&apos;s secret. No delivery ever holds a password, a
              credential or a sign-in link.
            </p>
          </div>
        </Card>
      </div>

      <section aria-labelledby={listTitle} className="space-y-3">
        <h2 id={listTitle} className="text-lg font-semibold text-slate-900">
          Webhooks
        </h2>
        <div aria-live="polite">{notice ? <Alert tone="success">{notice}</Alert> : null}</div>
        {webhooks.length ? (
          <ul className="space-y-3" aria-label="Webhooks">
            {webhooks.map((w) => (
              <WebhookCard key={w.id} webhook={w} deliveries={deliveries[w.id] ?? []} now={now} onChanged={replace} onDeliveries={(list) => setDeliveries((d) => ({ ...d, [w.id]: list }))} onAsk={setAsking} />
            ))}
          </ul>
        ) : (
          <EmptyState icon={<BellRing className="h-5 w-5" aria-hidden />} title="No webhooks yet">
            A webhook tells approvers when someone asks for access, and everyone when a request is approved, denied or ends, in a Slack channel or your own service, so that nobody has to watch this console. Add one above.
          </EmptyState>
        )}
      </section>

      {asking ? (
        <ConfirmDialog
          key={`${asking.kind}-${asking.webhook.id}`}
          title={asking.kind === "delete" ? "Delete this webhook?" : "Rotate the signing secret?"}
          description={
            asking.kind === "delete" ? (
              <>
                <span className="font-medium [overflow-wrap:anywhere]">“{asking.webhook.name}”</span> and its deliveries are removed; nothing more is sent to it. This cannot be undone.
              </>
            ) : (
              <>
                <span className="font-medium [overflow-wrap:anywhere]">“{asking.webhook.name}”</span> gets a new secret at once: deliveries signed with the old one stop verifying, so update the receiver right after.
              </>
            )
          }
          confirm={asking.kind === "delete" ? "Delete webhook" : "Rotate secret"}
          danger={asking.kind === "delete"}
          onClose={() => setAsking(null)}
          onConfirm={confirm}
        />
      ) : null}
    </div>
  );
}
