// What a webhook receives: Slack's incoming-webhook shape with everything a person typed escaped,
// and the signed JSON body whose signature a receiver recomputes with node:crypto alone.
import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { escapeSlack, newWebhookSecret, signPayload, slackMessage, verifySignature } from "./format";
import { buildRequest } from "./send";
import { sampleEvent } from "./testing";

describe("the Slack message", () => {
  it("says who asks for what, for how long and why, in plain words, with a Review request button", () => {
    const msg = slackMessage(sampleEvent());
    expect(msg.text).toBe("alice@example.com asks for Production / ReadOnly for 2 hours: Investigate &lt;!channel&gt; INC-42 &amp; friends &gt; all");
    expect(msg.blocks.map((b) => b.type)).toEqual(["section", "context", "actions"]);
    expect(msg.blocks[0]).toMatchObject({ type: "section", text: { type: "mrkdwn" } });
    expect(JSON.stringify(msg.blocks[0])).toContain("*Ticket:* INC-42");
    expect(msg.blocks[2]).toEqual({
      type: "actions",
      elements: [{ type: "button", text: { type: "plain_text", text: "Review request" }, url: "https://switchboard.example.com/requests/01JREQUEST00000000000000AA", style: "primary" }],
    });
    // No unescaped control character from the person's text reaches Slack.
    expect(JSON.stringify(msg)).not.toContain("<!channel>");
  });

  it("escapes &, < and > and nothing else", () => {
    expect(escapeSlack("a & b < c > d *e* _f_")).toBe("a &amp; b &lt; c &gt; d *e* _f_");
  });

  it("words each event, and a test", () => {
    const approved = slackMessage(sampleEvent({ type: "access.approved", actor: { email: "bob@example.com", name: "Bob" }, comment: "ok <b>" }));
    expect(approved.text).toBe("bob@example.com approved alice@example.com's request for Production / ReadOnly (2 hours)");
    expect(JSON.stringify(approved.blocks)).toContain("*Comment:* ok &lt;b&gt;");
    // The requester switches from the message; others open the request.
    expect(approved.blocks[2]).toEqual({
      type: "actions",
      elements: [
        { type: "button", text: { type: "plain_text", text: "Switch now" }, url: "https://switchboard.example.com/switch/01JROLE0000000000000000000", style: "primary" },
        { type: "button", text: { type: "plain_text", text: "Open request" }, url: "https://switchboard.example.com/requests/01JREQUEST00000000000000AA" },
      ],
    });
    expect(slackMessage(sampleEvent({ type: "access.denied" })).blocks[2]).toMatchObject({ elements: [{ text: { text: "Open request" } }] });
    expect(slackMessage(sampleEvent({ type: "access.expired", actor: null })).text).toBe("alice@example.com's access to Production / ReadOnly expired");
    const test = slackMessage(sampleEvent({ type: "webhook.test", request: null, links: { console: "https://switchboard.example.com" } }));
    expect(test.text).toBe("A test from Switchboard: this webhook works.");
    expect(test.blocks[2]).toMatchObject({ elements: [{ text: { text: "Open Switchboard" }, url: "https://switchboard.example.com" }] });
  });
});

describe("the signed JSON body", () => {
  it("is the event as it is, with headers a receiver verifies by recomputing the HMAC", () => {
    const secret = newWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    const event = sampleEvent();
    const payload = JSON.stringify(event);
    const now = Date.parse("2026-12-03T10:00:05.000Z");
    const { body, headers } = buildRequest({ kind: "json", url: "https://hooks.example.com/x", secret }, payload, event, "01JDELIVERY000000000000000", now);
    expect(body).toBe(payload);
    expect(headers).toMatchObject({
      "Content-Type": "application/json",
      "User-Agent": "Switchboard-Webhook",
      "X-Switchboard-Event": "access.requested",
      "X-Switchboard-Delivery": "01JDELIVERY000000000000000",
      "X-Switchboard-Timestamp": String(now / 1000),
    });
    // What a receiver writes, with node:crypto only.
    const expected = "v1=" + createHmac("sha256", secret).update(`${headers["X-Switchboard-Timestamp"]}.${body}`).digest("hex");
    expect(headers["X-Switchboard-Signature"]).toBe(expected);
    expect(verifySignature(secret, headers["X-Switchboard-Timestamp"]!, body, headers["X-Switchboard-Signature"]!, now)).toBe(true);
    // A wrong secret, a changed body, or an old timestamp (a replay) does not verify.
    expect(verifySignature(newWebhookSecret(), headers["X-Switchboard-Timestamp"]!, body, headers["X-Switchboard-Signature"]!, now)).toBe(false);
    expect(verifySignature(secret, headers["X-Switchboard-Timestamp"]!, body.replace("ReadOnly", "Admin"), headers["X-Switchboard-Signature"]!, now)).toBe(false);
    expect(verifySignature(secret, headers["X-Switchboard-Timestamp"]!, body, headers["X-Switchboard-Signature"]!, now + 301_000)).toBe(false);
    // The secret is nowhere in what is sent but the signature it makes.
    expect(body).not.toContain(secret);
    expect(JSON.stringify(headers)).not.toContain(secret);
    expect(signPayload(secret, 1, "x")).toMatch(/^v1=[0-9a-f]{64}$/);
  });

  it("sends a Slack webhook the Slack shape, unsigned", () => {
    const event = sampleEvent();
    const { body, headers } = buildRequest({ kind: "slack", url: "https://hooks.slack.com/services/T/B/X", secret: null }, JSON.stringify(event), event, "d", Date.now());
    expect(Object.keys(JSON.parse(body) as object)).toEqual(["text", "blocks"]);
    expect(headers["X-Switchboard-Signature"]).toBeUndefined();
  });
});
