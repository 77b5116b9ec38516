// GET /switch/<roleId> never issues a session, whatever Fetch
// Metadata says and even when it is where the sign-in page sends a person — a crafted link must
// not drop someone into a role an attacker chose. It shows the confirmation page; only the
// same-origin POST from it issues. Checked against the sandbox's call log (AssumeRole).
import { createUser, expect, signInAsAdmin, signInWithApi, test } from "../fixtures";
import { ADMIN, uniqueEmail } from "../support/accounts";
import { sandbox } from "../support/sandbox";
import { Client, signedIn, switchableRole } from "./support";



const ACCOUNT = "810000000001";
const PASSWORD = "switch-get-operator-password";
const base = () => process.env.E2E_BASE_URL!;
let operatorEmail: string;
let roleId: string;

const assumeRolesSince = async (seq: number) => (await sandbox.calls({ since: seq, action: "AssumeRole" })).length;

test.beforeAll(async () => {
  const admin = await signedIn(base(), ADMIN.email, ADMIN.password);
  operatorEmail = uniqueEmail("switch.get");
  await admin.post("/api/v1/users", { json: { email: operatorEmail, name: "Switch Get", password: PASSWORD, role: "operator" } }).then((r) => expect(r.status, r.text).toBe(201));
  ({ roleId } = await switchableRole(admin, sandbox, ACCOUNT, "Switch Get Tests", [operatorEmail]));
});

test("[SWITCH-GET]: GET /switch/<roleId> answers the confirmation page for every Fetch Metadata combination, and makes no AWS call", async () => {
  const operator = new Client(base());
  await operator.signIn(operatorEmail, PASSWORD);
  const since = await sandbox.lastSeq();
  const variants: Array<Record<string, string>> = [
    {},
    { "sec-fetch-site": "same-origin", "sec-fetch-mode": "navigate", "sec-fetch-dest": "document", "sec-fetch-user": "?1" },
    { "sec-fetch-site": "same-origin", origin: new URL(base()).origin, referer: `${base()}/signin` },
    { "sec-fetch-site": "none", "sec-fetch-mode": "navigate" },
    { "sec-fetch-site": "same-site" },
    { "sec-fetch-site": "cross-site", "sec-fetch-mode": "navigate" },
    { "x-middleware-subrequest": "middleware:middleware:middleware:middleware:middleware", "sec-fetch-site": "same-origin" },
    { "next-router-prefetch": "1", rsc: "1", "sec-fetch-site": "same-origin" },
    { purpose: "prefetch", "sec-purpose": "prefetch", "sec-fetch-site": "same-origin" },
  ];
  const paths = [`/switch/${roleId}`, `/switch/${roleId}?region=eu-west-1`, `/switch/${roleId}?service=s3`];
  let requests = 0;
  for (const path of paths) {
    for (const headers of variants) {
      for (const method of ["GET", "HEAD"]) {
        let reply = await operator.request(method, path, { headers });
        requests++;
        // Next.js answers an RSC request without its cache-busting parameter with a redirect to
        // the same path plus `_rsc`: follow it (it must stay on the console).
        if (reply.status === 307) {
          const location = new URL(reply.header("location") ?? "", base());
          expect(location.origin).toBe(new URL(base()).origin);
          reply = await operator.request(method, `${location.pathname}${location.search}`, { headers });
          requests++;
        }
        expect(reply.status, `${method} ${path} ${JSON.stringify(headers)}`).toBe(200);
        if (method === "GET") {
          expect(reply.text, `${method} ${path} ${JSON.stringify(headers)}`).toContain('data-testid="switch-confirm"');
          expect(reply.text).not.toContain("SigninToken");
        }
      }
    }
  }
  expect(await assumeRolesSince(since), "AssumeRole calls after GET/HEAD /switch").toBe(0);
  console.log(`switch GET/HEAD: ${requests} requests (${variants.length} Fetch Metadata variants), 0 sessions issued`);

  // The positive control: the confirmation page's own POST does issue (so the check above means something).
  const post = await operator.post(`/switch/${roleId}`, { headers: { origin: new URL(base()).origin, "sec-fetch-site": "same-origin" }, form: {} });
  expect(post.status, post.text.slice(0, 300)).toBe(200);
  expect(post.text).toContain("SigninToken");
  expect(await assumeRolesSince(since)).toBe(1);
});

test("[SWITCH-GET]: a crafted /switch link followed through the sign-in page lands on the confirmation, not in the role", async ({ page, baseURL }) => {
  const since = await sandbox.lastSeq();
  await page.goto(`/switch/${roleId}?region=eu-west-1`);
  await expect(page).toHaveURL(/\/signin\?callbackUrl=/);
  await page.getByLabel("Email").fill(operatorEmail);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByTestId("switch-confirm")).toBeVisible({ timeout: 15_000 });
  expect(new URL(page.url()).origin).toBe(new URL(baseURL!).origin);
  expect(await assumeRolesSince(since), "AssumeRole after the post-sign-in redirect").toBe(0);
  // Reloading (a same-origin navigation) does not issue either.
  await page.reload();
  await expect(page.getByTestId("switch-confirm")).toBeVisible();
  expect(await assumeRolesSince(since)).toBe(0);
});

test("[SWITCH-GET]: a signed-in person who opens a crafted link from the console itself still gets the confirmation", async ({ page, playwright, baseURL }) => {
  const api = await playwright.request.newContext({ baseURL });
  await signInAsAdmin(api);
  const email = uniqueEmail("switch.link");
  await createUser(api, { email, name: "Switch Link", password: PASSWORD, role: "operator" });
  expect((await api.post("/api/v1/grants", { data: { roleId, userEmail: email } })).status()).toBe(201);
  await api.dispose();
  await signInWithApi(page.context().request, email, PASSWORD);
  await page.goto("/");
  const since = await sandbox.lastSeq();
  // A link on a console page (same-origin navigation, Sec-Fetch-Site: same-origin).
  await page.evaluate((href) => {
    const a = document.createElement("a");
    a.href = href;
    a.textContent = "crafted";
    a.id = "crafted-link";
    document.body.append(a);
  }, `/switch/${roleId}`);
  await page.locator("#crafted-link").click();
  await expect(page.getByTestId("switch-confirm")).toBeVisible();
  expect(await assumeRolesSince(since)).toBe(0);
});
