import "server-only";
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { ACCESS_EVENT_LABELS, describeDuration, type AccessEvent } from "@/lib/access/events";

// What a webhook receives, in its two shapes:
//
// - Slack (and what accepts Slack's incoming-webhook body: Mattermost, Rocket.Chat, Discord's
//   /slack endpoint): `{ text, blocks }` (https://api.slack.com/messaging/webhooks, Block Kit
//   https://api.slack.com/reference/block-kit/blocks): a section that says what happened in plain
//   words, a context line, and a "Review request" button. `text` is the notification's fallback.
// - JSON: the AccessEvent itself, signed (./send.ts sets the headers): HMAC-SHA256 over
//   "<timestamp>.<body>" with the webhook's secret, as Stripe and Standard Webhooks do
//   (https://www.standardwebhooks.com/). The timestamp is inside what is signed so that a receiver
//   can refuse an old delivery replayed by whoever captured it (check it is within 5 minutes).
//
// Neither carries a secret: the event holds who asked for what, why, and links (lib/access/events.ts).

export const SIGNATURE_VERSION = "v1";

/** A new JSON webhook's signing secret: 32 random bytes (256 bits, HMAC-SHA256's block-size
 * strength), base64url, prefixed so that secret scanners and people recognise it. The HMAC key
 * is this whole string's UTF-8 bytes, as shown: nothing to decode on the receiving side. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString("base64url")}`;
}

/** `v1=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`. */
export function signPayload(secret: string, timestamp: number, body: string): string {
  return `${SIGNATURE_VERSION}=${createHmac("sha256", secret).update(`${timestamp}.${body}`, "utf8").digest("hex")}`;
}

/** What a receiver does (README "Webhooks"); here for the tests and anyone reading along. */
export function verifySignature(secret: string, timestamp: string, body: string, header: string, now = Date.now(), toleranceSeconds = 300): boolean {
  const ts = Number(timestamp);
  if (!Number.isInteger(ts) || Math.abs(now / 1000 - ts) > toleranceSeconds) return false;
  const expected = Buffer.from(signPayload(secret, ts, body));
  return header.split(/\s*,\s*/).some((candidate) => {
    const got = Buffer.from(candidate);
    return got.length === expected.length && timingSafeEqual(got, expected);
  });
}

/** Slack's mrkdwn treats &, < and > as control characters (links, mentions such as <!channel>):
 * https://api.slack.com/reference/surfaces/formatting#escaping. Everything a person typed goes
 * through this. */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Slack refuses a section text over 3000 characters; a reason may be long. */
function clip(text: string, max = 1500): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** What happened, as one sentence of plain words (user-supplied parts escaped for mrkdwn). */
export function describeEvent(event: AccessEvent): string {
  const r = event.request;
  const who = (p: { email: string; name: string } | null | undefined) => escapeSlack(p?.email ?? "Someone");
  const actor = event.actor ? who(event.actor) : "Switchboard";
  if (event.type === "webhook.test" || !r) return "A test from Switchboard: this webhook works.";
  const role = `${escapeSlack(r.role.accountName)} / ${escapeSlack(r.role.displayName)}`;
  const requester = who(r.requester);
  const asked = describeDuration(r.requestedSeconds);
  const granted = describeDuration(r.grantedSeconds ?? r.requestedSeconds);
  const reason = r.reason ? `: ${escapeSlack(clip(r.reason))}` : "";
  switch (event.type) {
    case "access.requested":
      return `${requester} asks for ${role} for ${asked}${reason}`;
    case "access.extension_requested":
      return `${requester} asks to extend their access to ${role} by ${asked}${reason}`;
    case "access.break_glass":
      return `${requester} used break-glass access to ${role} for ${granted}${reason}`;
    case "access.approved":
      return `${actor} approved ${requester}'s request for ${role} (${granted})`;
    case "access.denied":
      return `${actor} denied ${requester}'s request for ${role}`;
    case "access.withdrawn":
      return `${requester} withdrew their request for ${role}`;
    case "access.ended":
      return `${actor} ended ${requester}'s access to ${role}`;
    case "access.expired":
      return `${requester}'s access to ${role} expired`;
  }
}

type SlackBlock = Record<string, unknown>;

const button = (text: string, url: string, primary = false): SlackBlock => ({ type: "button", text: { type: "plain_text", text }, url, ...(primary ? { style: "primary" } : {}) });

/** What the reader does next: an approver reviews a request waiting for them; once access is
 * granted, the requester switches from the message (the switch's own page, which confirms first). */
function slackButtons(event: AccessEvent): SlackBlock[] {
  const { request, switch: switchLink, console: home } = event.links;
  if (!request) return [button("Open Switchboard", home)];
  if (event.type === "access.requested" || event.type === "access.extension_requested") return [button("Review request", request, true)];
  if ((event.type === "access.approved" || event.type === "access.break_glass") && switchLink) return [button("Switch now", switchLink, true), button("Open request", request)];
  return [button("Open request", request)];
}
export type SlackMessage = { text: string; blocks: SlackBlock[] };

export function slackMessage(event: AccessEvent): SlackMessage {
  const summary = describeEvent(event);
  const r = event.request;
  const lines = [summary];
  if (r?.ticket) lines.push(`*Ticket:* ${escapeSlack(clip(r.ticket, 200))}`);
  if (event.comment) lines.push(`*Comment:* ${escapeSlack(clip(event.comment))}`);
  const context = [`Switchboard · ${ACCESS_EVENT_LABELS[event.type]}`];
  if (r) context.push(`${escapeSlack(r.role.accountName)} (${r.role.awsAccountId})`);
  const blocks: SlackBlock[] = [
    { type: "section", text: { type: "mrkdwn", text: lines.join("\n") } },
    { type: "context", elements: [{ type: "mrkdwn", text: context.join(" · ") }] },
    { type: "actions", elements: slackButtons(event) },
  ];
  return { text: summary, blocks };
}
