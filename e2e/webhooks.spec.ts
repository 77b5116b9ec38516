// Webhooks, as an administrator sets them up: a signed JSON webhook and a Slack webhook, both
// pointed at a receiver this spec runs on 127.0.0.1 (the console runs with
// SWITCHBOARD_WEBHOOK_ALLOW_PRIVATE=true, e2e/global-setup.ts). The secret is shown once and
// verifies the signature the receiver gets; the Slack URL is shown only as its origin; a test
// arrives in each shape; the page passes axe at phone and laptop width in both themes; an
// operator is refused the API.
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Page } from "@playwright/test";
import { createUser, expect, signInAsAdmin, signInWithApi, signInWithForm, test } from "./fixtures";
import { ADMIN, uniqueEmail } from "./support/accounts";
import { shootBothThemes } from "./support/screens";

type Received = { path: string; headers: IncomingHttpHeaders; body: string };
let receiver: Server;
let receiverUrl: string;
const received: Received[] = [];

test.beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      received.push({ path: req.url ?? "", headers: req.headers, body });
      res.writeHead(200, { "Content-Type": "text/plain" });
      res.end("ok");
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
});

test.afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));

const card = (page: Page, name: string) => page.getByTestId("webhook-card").filter({ has: page.getByRole("heading", { name, exact: true }) });

/** What a receiver does: recompute HMAC-SHA256(secret, "<timestamp>.<body>") and compare. */
function verifies(secret: string, r: Received): boolean {
  const timestamp = String(r.headers["x-switchboard-timestamp"]);
  if (Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) return false;
  const expected = Buffer.from(`v1=${createHmac("sha256", secret).update(`${timestamp}.${r.body}`).digest("hex")}`);
  const got = Buffer.from(String(r.headers["x-switchboard-signature"]));
  return got.length === expected.length && timingSafeEqual(got, expected);
}

test("[WEBHOOKS]: an administrator adds a JSON and a Slack webhook, sends tests, and the receiver gets both shapes, signed", async ({ page, context, baseURL }) => {
  test.setTimeout(120_000);
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseURL });
  const run = Date.now().toString(36);
  const jsonName = `Approvals JSON ${run}`;
  const slackName = `#access-approvals ${run}`;
  const slackPath = `/services/T000/B000/slack-secret-${run}`;

  // From Settings, through its card.
  await signInWithForm(page, ADMIN.email, ADMIN.password, "/settings");
  await page.getByTestId("settings-webhooks-link").click();
  await page.waitForURL("**/settings/webhooks");
  await expect(page.getByRole("heading", { level: 1, name: "Webhooks" })).toBeVisible();
  if ((await page.getByTestId("webhook-card").count()) === 0) {
    await expect(page.getByText("No webhooks yet")).toBeVisible();
    await page.setViewportSize({ width: 390, height: 844 });
    await shootBothThemes(page, "webhooks-empty-390");
    await page.setViewportSize({ width: 1440, height: 900 });
  }

  // A nameless webhook is refused at its field.
  await page.getByTestId("webhook-url").fill(`${receiverUrl}/json`);
  await page.getByTestId("webhook-create").click();
  await expect(page.getByTestId("webhook-name")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByTestId("webhook-name")).toBeFocused();

  // The JSON webhook: every access event by default; its secret is shown once.
  const form = page.getByTestId("webhook-create-form");
  await page.getByTestId("webhook-name").fill(jsonName);
  await form.getByRole("radio", { name: /^JSON, signed/ }).check();
  for (const label of ["Access requested", "Request approved", "Break-glass access used"]) await expect(form.getByRole("checkbox", { name: label })).toBeChecked();
  await expect(form.getByRole("checkbox", { name: "Test delivery" })).toHaveCount(0);
  await page.getByTestId("webhook-create").click();
  await expect(page.getByTestId("webhook-secret-shown")).toContainText("will not be shown again");
  const secret = await page.getByTestId("webhook-secret").inputValue();
  expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
  await page.getByTestId("webhook-secret-copy").click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
  await page.getByTestId("webhook-secret-done").click();
  await expect(page.getByTestId("webhook-name")).toBeFocused();

  // The Slack webhook, for requests only: no secret (its URL is one), shown by its origin only.
  await page.getByTestId("webhook-name").fill(slackName);
  await form.getByRole("radio", { name: /^Slack/ }).check();
  await page.getByTestId("webhook-url").fill(`${receiverUrl}${slackPath}`);
  for (const label of ["Request approved", "Request denied", "Request withdrawn", "Access ended early", "Access expired", "Break-glass access used", "Extension requested"]) await form.getByRole("checkbox", { name: label }).uncheck();
  await page.getByTestId("webhook-create").click();
  const slack = card(page, slackName);
  await expect(slack).toBeVisible();
  await expect(page.getByTestId("webhook-secret-shown")).toHaveCount(0);
  await expect(slack.getByTestId("webhook-target")).toHaveText(`${receiverUrl}/…`);
  await expect(slack).toContainText("Access requested");
  await expect(page.locator("main")).not.toContainText("slack-secret");

  // Send test: JSON, signed with the secret shown.
  const json = card(page, jsonName);
  await expect(json).toContainText("Every access event");
  await json.getByTestId("webhook-test").click();
  await expect(json.getByTestId("webhook-test-result")).toContainText("Test delivered");
  await expect(json.getByTestId("webhook-test-result")).toContainText("HTTP 200");
  const jsonHit = received.find((r) => r.path === "/json");
  expect(jsonHit).toBeDefined();
  expect(jsonHit!.headers).toMatchObject({ "content-type": "application/json", "user-agent": "Switchboard-Webhook", "x-switchboard-event": "webhook.test" });
  expect(jsonHit!.headers["x-switchboard-delivery"]).toMatch(/^[0-9A-Z]{26}$/);
  expect(verifies(secret, jsonHit!)).toBe(true);
  expect(verifies(`${secret.slice(0, -1)}x`, jsonHit!)).toBe(false);
  const event = JSON.parse(jsonHit!.body) as { type: string; actor: { email: string }; links: { console: string } };
  expect(event).toMatchObject({ type: "webhook.test", actor: { email: ADMIN.email }, links: { console: baseURL } });
  expect(jsonHit!.body).not.toContain(secret);

  // Send test: Slack's shape.
  await slack.getByTestId("webhook-test").click();
  await expect(slack.getByTestId("webhook-test-result")).toContainText("Test delivered");
  const slackHit = received.find((r) => r.path === slackPath);
  const message = JSON.parse(slackHit!.body) as { text: string; blocks: Array<{ type: string }> };
  expect(message.text).toBe("A test from Switchboard: this webhook works.");
  expect(message.blocks.map((b) => b.type)).toEqual(["section", "context", "actions"]);
  expect(slackHit!.headers["x-switchboard-signature"]).toBeUndefined();
  await expect(slack.getByTestId("delivery-row").first()).toContainText("Delivered");

  // Nothing the API answers holds the secret or the Slack URL's path.
  const listed = await page.request.get("/api/v1/webhooks");
  expect(listed.status()).toBe(200);
  const text = await listed.text();
  expect(text).toContain(jsonName);
  expect(text).not.toContain(secret);
  expect(text).not.toContain("slack-secret");

  // The page, on a phone and a laptop, in both themes.
  await page.setViewportSize({ width: 390, height: 844 });
  await shootBothThemes(page, "webhooks-390");
  await page.setViewportSize({ width: 1440, height: 900 });
  await shootBothThemes(page, "webhooks-1440");

  // Off, and back on.
  await slack.getByTestId("webhook-toggle").click();
  await expect(slack).toContainText("Off");
  await expect(slack.getByTestId("webhook-toggle")).toHaveText("Turn on");

  // Delete, after a confirmation.
  for (const name of [slackName, jsonName]) {
    await card(page, name).getByTestId("webhook-delete").click();
    const dialog = page.getByRole("dialog");
    await expect(dialog).toContainText("Delete this webhook?");
    if (name === slackName) await shootBothThemes(page, "webhooks-delete-dialog-1440", false);
    await dialog.getByTestId("confirm").click();
    await expect(card(page, name)).toHaveCount(0);
  }
  await expect(page.locator("main")).toContainText("is deleted");
});

test("[WEBHOOKS]: an operator is refused the webhooks API (403) and the page", async ({ playwright, baseURL, page }) => {
  const admin = await playwright.request.newContext({ baseURL });
  await signInAsAdmin(admin);
  const email = uniqueEmail("olga.webhooks");
  await createUser(admin, { email, name: "Olga Operator", password: "webhooks-e2e-operator", role: "operator" });
  const hook = await admin.post("/api/v1/webhooks", { data: { name: "Refusal target", kind: "json", url: `${receiverUrl}/refusal` } });
  expect(hook.status()).toBe(201);
  const id = ((await hook.json()) as { webhook: { id: string } }).webhook.id;

  const operator = await playwright.request.newContext({ baseURL });
  await signInWithApi(operator, email, "webhooks-e2e-operator");
  for (const [method, path] of [
    ["GET", "/api/v1/webhooks"],
    ["POST", "/api/v1/webhooks"],
    ["PATCH", `/api/v1/webhooks/${id}`],
    ["DELETE", `/api/v1/webhooks/${id}`],
    ["POST", `/api/v1/webhooks/${id}/test`],
    ["GET", `/api/v1/webhooks/${id}/deliveries`],
  ] as const) {
    const reply = await operator.fetch(path, { method, data: method === "GET" || method === "DELETE" ? undefined : { name: "x", kind: "json", url: "https://evil.example/x" } });
    expect(reply.status(), `${method} ${path}`).toBe(403);
    expect(((await reply.json()) as { error: { code: string } }).error.code).toBe("forbidden");
  }
  expect(received.filter((r) => r.path === "/refusal")).toEqual([]);

  await signInWithForm(page, email, "webhooks-e2e-operator");
  const res = await page.goto("/settings/webhooks");
  expect(res?.status()).toBe(403);

  expect((await admin.delete(`/api/v1/webhooks/${id}`)).status()).toBe(200);
  await admin.dispose();
  await operator.dispose();
});
