import "server-only";
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from "node:dns";
import http from "node:http";
import https from "node:https";
import { isIP, type LookupFunction } from "node:net";
import type { AccessEvent } from "@/lib/access/events";
import type { WebhookKind } from "@/lib/db/schema";
import { refusedAddress } from "./address";
import { signPayload, slackMessage } from "./format";

// One delivery attempt: the request, with the address checks of ./address.ts applied to the address
// the socket actually connects to. Nothing here logs or returns the URL: a Slack incoming-webhook
// URL is its own secret (https://api.slack.com/messaging/webhooks: "keep it secret"), so errors
// name the host at most.

/** Per attempt: connecting, sending and the answer's head and body together. */
export const ATTEMPT_TIMEOUT_MS = 10_000;
/** The answer's body is read this far and thrown away (a receiver cannot make the console hold more). */
export const MAX_RESPONSE_BYTES = 64 * 1024;

export type Target = { kind: WebhookKind; url: string; secret: string | null };

export type AttemptResult =
  | { ok: true; status: number }
  | { ok: false; status: number | null; error: string; permanent: boolean; retryAfterSeconds?: number };

export type SendOptions = { allowPrivate: boolean; timeoutMs?: number; now?: () => number };

/** Why this URL can never be delivered to (a sentence for the person who set it), or null. Checks
 * what can be checked without DNS; the addresses are checked when connecting. */
export function refusedUrl(raw: string, allowPrivate: boolean): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "Give a full URL, starting with https://.";
  }
  if (url.protocol !== "https:" && !(allowPrivate && url.protocol === "http:")) {
    return allowPrivate ? "The URL must start with https:// or http://." : "The URL must start with https:// (webhooks carry who asked for which access; plain HTTP would show that to the network).";
  }
  if (url.username || url.password) return "Leave the user name and password out of the URL.";
  if (allowPrivate) return null;
  const host = url.hostname.replace(/^\[|\]$/g, "").replace(/\.$/, "").toLowerCase();
  if (host === "localhost" || host.endsWith(".localhost")) return "The URL cannot point at this machine (localhost).";
  if (isIP(host)) {
    const why = refusedAddress(host);
    if (why) return `The URL cannot point at ${why}.`;
  }
  return null;
}

/** A `lookup` for the request: resolves the name, refuses the answer when any address is one a
 * webhook may not reach, and hands the socket exactly the checked addresses (so it connects to
 * what was checked: no second resolution a rebinding DNS server could answer differently). */
export function guardedLookup(allowPrivate: boolean): LookupFunction {
  return ((hostname: string, options: LookupOptions, callback: (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, "");
      const list = addresses as LookupAddress[];
      const bad = allowPrivate ? undefined : list.map((a) => ({ a, why: refusedAddress(a.address) })).find((x) => x.why);
      if (bad) {
        const refused: NodeJS.ErrnoException = new Error(`${hostname} resolves to ${bad.why} (${bad.a.address})`);
        refused.code = "EWEBHOOKADDRESS";
        return callback(refused, "");
      }
      if (!list.length) return callback(Object.assign(new Error(`${hostname} has no address`), { code: "ENOTFOUND" }), "");
      if (options.all) return callback(null, list);
      callback(null, list[0]!.address, list[0]!.family);
    });
  }) as LookupFunction;
}

/** The body and headers of one delivery. */
export function buildRequest(target: Target, payload: string, event: Pick<AccessEvent, "type">, deliveryId: string, nowMs: number): { body: string; headers: Record<string, string> } {
  const base = { "User-Agent": "Switchboard-Webhook", "Content-Type": "application/json" };
  if (target.kind === "slack") return { body: JSON.stringify(slackMessage(JSON.parse(payload) as AccessEvent)), headers: base };
  const timestamp = Math.floor(nowMs / 1000);
  return {
    body: payload,
    headers: {
      ...base,
      "X-Switchboard-Event": event.type,
      "X-Switchboard-Delivery": deliveryId,
      "X-Switchboard-Timestamp": String(timestamp),
      "X-Switchboard-Signature": signPayload(target.secret ?? "", timestamp, payload),
    },
  };
}

/** Retry-After as seconds (delta-seconds or an HTTP date, RFC 9110 §10.2.3). */
function retryAfter(value: string | string[] | undefined, nowMs: number): number | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (!v) return undefined;
  if (/^\d+$/.test(v.trim())) return Number(v.trim());
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.round((at - nowMs) / 1000));
}

/** Connection failures, in words, by their code only (a Node error's message can hold the URL). */
function describeNetworkError(err: NodeJS.ErrnoException, host: string): { error: string; permanent: boolean } {
  switch (err.code) {
    case "EWEBHOOKADDRESS":
      return { error: `Refused: ${err.message.slice(0, 200)}. Webhooks go to public addresses only.`, permanent: true };
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return { error: `${host} could not be resolved (DNS).`, permanent: false };
    case "ECONNREFUSED":
      return { error: `${host} refused the connection.`, permanent: false };
    case "ETIMEDOUT":
    case "EWEBHOOKTIMEOUT":
      return { error: `No answer from ${host} within ${ATTEMPT_TIMEOUT_MS / 1000} s.`, permanent: false };
    case "ECONNRESET":
    case "EPIPE":
      return { error: `${host} closed the connection.`, permanent: false };
    default:
      if (err.code?.startsWith("ERR_TLS") || /CERT|SSL/.test(err.code ?? "")) return { error: `${host}'s TLS certificate was not accepted (${err.code}).`, permanent: false };
      return { error: `Could not reach ${host}${err.code ? ` (${err.code})` : ""}.`, permanent: false };
  }
}

/** Sends once. Never throws. A 2xx is delivered; 408, 429 and 5xx are tried again; any other answer
 * (a 3xx — redirects are not followed — or a 4xx) means the receiver refuses it: trying again would
 * not help, so it fails at once. */
export async function sendOnce(target: Target, payload: string, event: Pick<AccessEvent, "type">, deliveryId: string, opts: SendOptions): Promise<AttemptResult> {
  const now = opts.now ?? Date.now;
  const refused = refusedUrl(target.url, opts.allowPrivate);
  if (refused) return { ok: false, status: null, error: refused, permanent: true };
  const url = new URL(target.url);
  const host = url.hostname;
  if (target.kind === "json" && !target.secret) return { ok: false, status: null, error: "The webhook has no signing secret: rotate it.", permanent: true };
  const { body, headers } = buildRequest(target, payload, event, deliveryId, now());
  const timeoutMs = opts.timeoutMs ?? ATTEMPT_TIMEOUT_MS;
  const client = url.protocol === "https:" ? https : http;
  return new Promise<AttemptResult>((resolve) => {
    let settled = false;
    const finish = (result: AttemptResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const req = client.request(
      url,
      {
        method: "POST",
        headers: { ...headers, "Content-Length": String(Buffer.byteLength(body)) },
        // A fresh connection for each attempt: a pooled one may have been made for another host.
        agent: false,
        lookup: guardedLookup(opts.allowPrivate),
      },
      (res) => {
        const status = res.statusCode ?? 0;
        let read = 0;
        res.on("data", (chunk: Buffer) => {
          read += chunk.length;
          if (read > MAX_RESPONSE_BYTES) res.destroy();
        });
        const done = () => {
          if (status >= 200 && status < 300) return finish({ ok: true, status });
          const transient = status === 408 || status === 429 || status >= 500;
          const after = status === 429 || status === 503 ? retryAfter(res.headers["retry-after"], now()) : undefined;
          finish({
            ok: false,
            status,
            permanent: !transient,
            ...(after !== undefined ? { retryAfterSeconds: after } : {}),
            error:
              status >= 300 && status < 400
                ? `${host} answered HTTP ${status} (a redirect). Redirects are not followed: give the final URL.`
                : transient
                  ? `${host} answered HTTP ${status}.`
                  : `${host} refused the delivery: HTTP ${status}.`,
          });
        };
        res.on("end", done);
        res.on("close", done);
        res.on("error", done);
      },
    );
    const timer = setTimeout(() => {
      req.destroy(Object.assign(new Error("timeout"), { code: "EWEBHOOKTIMEOUT" }));
    }, timeoutMs);
    req.on("error", (err: NodeJS.ErrnoException) => finish({ ok: false, status: null, ...describeNetworkError(err, host) }));
    req.end(body);
  });
}
