// Webhooks as administrators manage them, against a real SQLite store: the secret is in the
// answer that makes or rotates it and nowhere after (not in a DTO, the store's deliveries, the
// audit log or the log), a Slack URL shows only its origin, URLs that could reach the console's
// own network are refused, and only webhooks.manage may do any of it.
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { signedInTestEnv } from "@/lib/http/testing";

signedInTestEnv("webhooks", { SWITCHBOARD_WEBHOOK_ALLOW_PRIVATE: "false" });

const { addTestUser } = await import("@/lib/auth/testing");
const { getDb } = await import("@/lib/db/client");
const { logger } = await import("@/lib/log");
const { createWebhook, deleteWebhook, listDeliveries, listWebhooks, testWebhook, updateWebhook } = await import("./service");

const meta = { requestId: "test-request", ip: "192.0.2.7" };
const SLACK_URL = "https://hooks.slack.com/services/T0000/B0000/SlackPathSecret123";
let admin: Awaited<ReturnType<typeof addTestUser>>;
let operator: Awaited<ReturnType<typeof addTestUser>>;

beforeAll(async () => {
  admin = await addTestUser("wanda.admin@example.com", "admin");
  operator = await addTestUser("otto.operator@example.com", "operator");
});
afterEach(() => vi.restoreAllMocks());

describe("webhooks", () => {
  it("shows a JSON webhook's secret once and a Slack URL by its origin only, everywhere", async () => {
    const lines: unknown[] = [];
    for (const level of ["info", "warn", "error"] as const) vi.spyOn(logger, level).mockImplementation(((...args: unknown[]) => void lines.push(args)) as never);

    const json = await createWebhook(admin, { name: "Ops", kind: "json", url: "https://hooks.example.invalid/in?token=QueryToken", events: ["access.requested"], enabled: true }, meta);
    expect(json.secret).toMatch(/^whsec_/);
    expect(json.webhook).toMatchObject({ name: "Ops", kind: "json", target: "https://hooks.example.invalid/in?…", events: ["access.requested"], enabled: true, lastDelivery: null });
    const slack = await createWebhook(admin, { name: "#approvals", kind: "slack", url: SLACK_URL, events: ["access.requested", "access.approved"], enabled: true }, meta);
    expect(slack.secret).toBeNull();
    expect(slack.webhook.target).toBe("https://hooks.slack.com/…");

    const rotated = await updateWebhook(admin, json.webhook.id, { rotateSecret: true }, meta);
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(json.secret);
    await expect(updateWebhook(admin, slack.webhook.id, { rotateSecret: true }, meta)).rejects.toMatchObject({ code: "bad_request" });

    // A test to a host that does not resolve: queued, tried once, waiting to be tried again.
    const delivery = await testWebhook(admin, json.webhook.id, meta);
    expect(delivery).toMatchObject({ eventType: "webhook.test", status: "pending", attempts: 1, lastStatusCode: null, lastError: "hooks.example.invalid could not be resolved (DNS)." });
    expect((await listDeliveries(admin, json.webhook.id)).map((d) => d.id)).toEqual([delivery.id]);

    const db = await getDb();
    const everything = JSON.stringify([
      await listWebhooks(admin),
      await listDeliveries(admin, json.webhook.id),
      await listDeliveries(admin, slack.webhook.id),
      await db.selectFrom("webhook_deliveries").selectAll().execute(),
      await db.selectFrom("audit_events").selectAll().where("action", "like", "webhook.%").execute(),
      lines,
    ]);
    for (const secret of [json.secret!, rotated.secret!, "SlackPathSecret123", "QueryToken"]) expect(everything).not.toContain(secret);
    expect(everything).toContain("webhook.create");
    expect(everything).toContain("webhook.test");
    expect(JSON.stringify(await listWebhooks(admin))).not.toContain("secret");
  });

  it.each([
    ["http://hooks.example.com/x", /https:\/\//],
    ["https://localhost/x", /localhost/],
    ["https://169.254.169.254/latest/meta-data/iam/", /link-local/],
    ["https://10.0.0.5/x", /private/],
    ["https://[::ffff:127.0.0.1]/x", /loopback/],
    ["https://user:pw@hooks.example.com/x", /user name/],
  ])("refuses %s", async (url, message) => {
    await expect(createWebhook(admin, { name: "bad", kind: "json", url, events: ["access.requested"], enabled: true }, meta)).rejects.toMatchObject({ code: "bad_request", message: expect.stringMatching(message) });
  });

  it("is for webhooks.manage only, and a removed webhook is gone with its deliveries", async () => {
    await expect(listWebhooks(operator)).rejects.toMatchObject({ code: "forbidden" });
    await expect(createWebhook(operator, { name: "x", kind: "json", url: "https://hooks.example.com/x", events: ["access.requested"], enabled: true }, meta)).rejects.toMatchObject({ code: "forbidden" });
    const { webhook } = await createWebhook(admin, { name: "Temp", kind: "json", url: "https://hooks.example.com/t", events: ["access.requested"], enabled: false }, meta);
    await expect(deleteWebhook(operator, webhook.id, meta)).rejects.toMatchObject({ code: "forbidden" });
    await deleteWebhook(admin, webhook.id, meta);
    await expect(listDeliveries(admin, webhook.id)).rejects.toMatchObject({ code: "not_found" });
  });
});
