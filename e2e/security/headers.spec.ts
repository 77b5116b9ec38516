// The security headers on every page, API route, error
// response and a static asset — CSP with frame-ancestors 'none' (pages: a per-response nonce of
// ≥ 128 bits, on the page's own scripts, no 'unsafe-eval' or 'unsafe-inline' in script-src),
// HSTS ≥ 1 year with includeSubDomains, nosniff, Referrer-Policy no-referrer — also when the
// request carries x-middleware-subrequest (CVE-2025-29927), which must not let a signed-out
// request reach protected content either. Pages hydrate in Chromium with 0 CSP violations.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { createUser as createUserWithApi, expect, signInWithApi, test } from "../fixtures";
import { ADMIN, uniqueEmail } from "../support/accounts";
import { sandbox } from "../support/sandbox";
import { scale } from "./scale";
import { Client, createUser, operations, signedIn, switchableRole, type Reply } from "./support";

// Each test stands alone: one failing does not skip the others.
test.describe.configure({ timeout: scale.testTimeout });

const base = () => process.env.E2E_BASE_URL!;
const ACCOUNT = "810000000004";
const PASSWORD = "headers-admin-password";
let admin: Client;
let operator: Client;
let roleId: string;

const SUBREQUEST_VARIANTS = [
  undefined,
  "middleware",
  "proxy",
  "src/middleware",
  "src/proxy",
  "middleware:middleware:middleware:middleware:middleware",
  "proxy:proxy:proxy:proxy:proxy",
  "src/middleware:src/middleware:src/middleware:src/middleware:src/middleware",
  "pages/_middleware",
];

/** What only a signed-in person's page or API answer holds. */
const SIGNED_IN_MARKERS = ["@example.com", '"accounts"', '"users"', '"roles"', '"role"', "user-menu", "switch-role-button", "switch-confirm", "Welcome,", "Sign out"];

const PROTECTED_PAGES = ["/", "/accounts", "/roles", "/roles/new", "/audit", "/users", "/settings"];

/** What is wrong with a response's security headers, if anything. */
function headerProblems(reply: Reply, kind: "page" | "other"): string[] {
  const problems: string[] = [];
  const csp = reply.header("content-security-policy") ?? "";
  if (!/frame-ancestors 'none'/.test(csp)) problems.push(`CSP without frame-ancestors 'none' ("${csp.slice(0, 80)}")`);
  const hsts = reply.header("strict-transport-security") ?? "";
  const maxAge = Number(/max-age=(\d+)/.exec(hsts)?.[1] ?? 0);
  if (maxAge < 31_536_000 || !/includeSubDomains/i.test(hsts)) problems.push(`HSTS "${hsts}"`);
  if (reply.header("x-content-type-options") !== "nosniff") problems.push(`X-Content-Type-Options "${reply.header("x-content-type-options") ?? ""}"`);
  if (!/(^|,\s*)no-referrer(\s*,|$)/.test(reply.header("referrer-policy") ?? "")) problems.push(`Referrer-Policy "${reply.header("referrer-policy") ?? ""}"`);
  if (kind === "page") {
    const scriptSrc = csp.split(/[;,]/).map((d) => d.trim()).filter((d) => d.startsWith("script-src"));
    if (!scriptSrc.length) problems.push("no script-src");
    for (const d of scriptSrc) {
      if (/'unsafe-eval'/.test(d)) problems.push(`script-src allows 'unsafe-eval' (${d})`);
      if (/'unsafe-inline'/.test(d) && !/'nonce-/.test(d)) problems.push(`script-src allows 'unsafe-inline' (${d})`);
    }
    const nonce = nonceOf(reply);
    if (!nonce) problems.push("no nonce in script-src");
    else {
      if (Buffer.from(nonce, "base64").length < 16) problems.push(`a nonce of ${Buffer.from(nonce, "base64").length * 8} bits`);
      // The page's own scripts carry it (otherwise the page cannot hydrate).
      const scripts = [...reply.text.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
      const without = scripts.filter((s) => !s.includes(`nonce="${nonce}"`));
      if (scripts.length && without.length) problems.push(`${without.length} of ${scripts.length} <script> tags without the response's nonce`);
    }
  }
  return problems;
}

const nonceOf = (reply: Reply) => /'nonce-([^']+)'/.exec(reply.header("content-security-policy") ?? "")?.[1];

test.beforeAll(async () => {
  const root = await signedIn(base(), ADMIN.email, ADMIN.password);
  const email = uniqueEmail("headers.admin");
  await createUser(root, { email, name: "Headers Admin", password: PASSWORD, role: "admin" });
  admin = await signedIn(base(), email, PASSWORD);
  const operatorEmail = uniqueEmail("headers.operator");
  await createUser(root, { email: operatorEmail, name: "Headers Operator", password: PASSWORD, role: "operator" });
  operator = await signedIn(base(), operatorEmail, PASSWORD);
  ({ roleId } = await switchableRole(root, sandbox, ACCOUNT, "Headers Tests", [operatorEmail]));
});

test("[HEADERS]: pages, API routes, error responses and a static asset keep every security header, with and without x-middleware-subrequest", async () => {
  const chunks = readdirSync(join(process.cwd(), ".next", "static", "chunks")).filter((f) => f.endsWith(".js"));
  expect(chunks.length).toBeGreaterThan(0);
  const anonymous = new Client(base());
  const apiGets = (await operations(base())).filter((op) => op.method === "GET").map((op) => op.path.replace(/\{\w+\}/g, "01J00000000000000000000000"));
  const targets: Array<{ name: string; client: Client; path: string; kind: "page" | "other"; method?: string; json?: unknown }> = [
    ...PROTECTED_PAGES.map((path) => ({ name: `page ${path}`, client: admin, path, kind: "page" as const })),
    { name: "page /signin", client: anonymous, path: "/signin", kind: "page" },
    { name: "page /setup", client: anonymous, path: "/setup", kind: "page" },
    { name: "404 page", client: admin, path: "/no-such-page", kind: "page" },
    { name: "403 page", client: operator, path: "/users", kind: "page" },
    { name: "/switch confirmation", client: operator, path: `/switch/${roleId}`, kind: "page" },
    { name: "/switch error page", client: operator, path: "/switch/01J00000000000000000000000", kind: "page" },
    ...apiGets.map((path) => ({ name: `API GET ${path}`, client: admin, path, kind: "other" as const })),
    { name: "API 401", client: anonymous, path: "/api/v1/accounts", kind: "other" },
    { name: "API 403", client: operator, path: "/api/v1/users", kind: "other" },
    { name: "API 400", client: admin, path: "/api/v1/accounts", kind: "other", method: "POST", json: { accountId: "1" } },
    { name: "API 404", client: admin, path: "/api/v1/roles/01J00000000000000000000000", kind: "other" },
    { name: "API unknown path", client: admin, path: "/api/v1/nope", kind: "other" },
    // The switch is answered ahead of Next.js (lib/http/fast-route.ts); with a query string, by Next.js's route handler.
    { name: "API POST /sessions 400", client: operator, path: "/api/v1/sessions", kind: "other", method: "POST", json: {} },
    { name: "API POST /sessions 200", client: operator, path: "/api/v1/sessions", kind: "other", method: "POST", json: { roleId, kind: "credentials" } },
    { name: "API POST /sessions?via=next 400", client: operator, path: "/api/v1/sessions?via=next", kind: "other", method: "POST", json: {} },
    { name: "/api/health", client: anonymous, path: "/api/health", kind: "other" },
    { name: "/api/auth/csrf", client: anonymous, path: "/api/auth/csrf", kind: "other" },
    { name: "/api/auth/session", client: admin, path: "/api/auth/session", kind: "other" },
    { name: "static asset", client: anonymous, path: `/_next/static/chunks/${chunks[0]}`, kind: "other" },
    { name: "missing static asset", client: anonymous, path: "/_next/static/chunks/nope.js", kind: "other" },
  ];
  const problems: string[] = [];
  let responses = 0;
  for (const variant of SUBREQUEST_VARIANTS) {
    for (const t of targets) {
      const headers = variant ? { "x-middleware-subrequest": variant } : undefined;
      const reply = await t.client.request(t.method ?? "GET", t.path, { headers, ...(t.json === undefined ? {} : { json: t.json }) });
      responses++;
      for (const p of headerProblems(reply, t.kind)) problems.push(`${t.name}${variant ? ` [x-middleware-subrequest: ${variant}]` : ""} (${reply.status}): ${p}`);
    }
  }
  console.log(`headers: ${targets.length} routes × ${SUBREQUEST_VARIANTS.length} x-middleware-subrequest variants = ${responses} responses, ${problems.length} problems`);
  expect(problems).toEqual([]);
});

test("[HEADERS]: x-middleware-subrequest (and other bypass headers) never let a signed-out request reach protected content", async () => {
  const anonymous = new Client(base());
  const leaks: string[] = [];
  const statuses = new Map<number, number>();
  let requests = 0;
  const bypass: Array<Record<string, string>> = [
    ...SUBREQUEST_VARIANTS.filter(Boolean).map((v) => ({ "x-middleware-subrequest": v! })),
    { "x-nextjs-data": "1" },
    { rsc: "1", "next-router-prefetch": "1" },
    { "x-middleware-prefetch": "1" },
    { "x-invoke-path": "/users", "x-invoke-query": "{}" },
    { "x-matched-path": "/signin" },
  ];
  for (const headers of bypass) {
    for (const path of [...PROTECTED_PAGES, `/switch/${roleId}`, "/_next/data/x/users.json", "/api/v1/users", "/api/v1/me", "/api/v1/accounts"]) {
      const reply = await anonymous.get(path, { headers });
      requests++;
      let final = reply;
      // A redirect that is not to the sign-in page (an RSC cache-busting one) is followed once.
      if (reply.status >= 300 && reply.status < 400 && !/\/signin/.test(reply.header("location") ?? "")) {
        const next = new URL(reply.header("location") ?? "/", base());
        final = await anonymous.get(`${next.pathname}${next.search}`, { headers });
        requests++;
      }
      const marker = SIGNED_IN_MARKERS.find((m) => final.text.includes(m));
      if (final.status >= 200 && final.status < 300 && marker) leaks.push(`${path} ${JSON.stringify(headers)} → ${final.status} with "${marker}": ${final.text.slice(0, 80)}`);
      statuses.set(final.status, (statuses.get(final.status) ?? 0) + 1);
    }
  }
  console.log(
    `headers bypass: ${requests} signed-out requests with ${bypass.length} bypass headers (${[...statuses].map(([s, n]) => `${s}×${n}`).join(" ")}), ${leaks.length} reached protected content`,
  );
  expect(leaks).toEqual([]);
});

test("[HEADERS]: every page response gets its own nonce (no collision), and pages hydrate in Chromium with 0 CSP violations", async ({ page, baseURL, playwright }) => {
  const seen = new Set<string>();
  let collisions = 0;
  for (let i = 0; i < scale.nonceSamples; i++) {
    const reply = await admin.get(PROTECTED_PAGES[i % PROTECTED_PAGES.length]!);
    const nonce = nonceOf(reply);
    expect(nonce).toBeTruthy();
    if (seen.has(nonce!)) collisions++;
    seen.add(nonce!);
  }
  console.log(`headers nonces: ${scale.nonceSamples} page responses, ${seen.size} distinct nonces, ${collisions} collisions`);
  expect(collisions).toBe(0);

  const violations: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy|Refused to (execute|load)/i.test(m.text())) violations.push(m.text());
  });
  const api = await playwright.request.newContext({ baseURL });
  const email = uniqueEmail("headers.browser");
  await signInWithApi(api, ADMIN.email, ADMIN.password);
  await createUserWithApi(api, { email, name: "Headers Browser", password: PASSWORD, role: "admin" });
  await api.dispose();
  await signInWithApi(page.context().request, email, PASSWORD);
  for (const path of ["/", "/accounts", "/roles/new", "/audit", "/settings"]) {
    await page.goto(path);
    await page.waitForLoadState("networkidle");
  }
  await page.locator('[data-testid="switch-role-button"][data-live]').waitFor();
  console.log(`headers Chromium: 5 pages loaded and hydrated, ${violations.length} CSP violations`);
  expect(violations).toEqual([]);
});

test("[HEADERS]: the switch answers alike whether the console takes it ahead of Next.js or Next.js's route handler does", async () => {
  // POST /api/v1/sessions exactly is answered by lib/http/fast-route.ts; any variant (here a query
  // string) goes to app/api/v1/sessions/route.ts. Same operation, same guard: same answers.
  const anonymous = new Client(base());
  const cases: Array<{ name: string; client: Client; json: unknown; status: number }> = [
    { name: "a switch", client: operator, json: { roleId, kind: "credentials" }, status: 200 },
    { name: "an empty body", client: operator, json: {}, status: 400 },
    { name: "a role that is not there", client: operator, json: { roleId: "01J00000000000000000000000", kind: "console" }, status: 404 },
    { name: "signed out", client: anonymous, json: { roleId, kind: "console" }, status: 401 },
  ];
  const shape = (reply: Reply) => {
    const json = reply.json<Record<string, unknown> & { error?: { code: string; message: string } }>();
    return {
      status: reply.status,
      keys: Object.keys(json).sort(),
      error: json.error ? { code: json.error.code, message: json.error.message } : undefined,
      contentType: reply.header("content-type"),
      cacheControl: reply.header("cache-control"),
      requestId: /^[0-9a-f-]{36}$/.test(reply.header("x-request-id") ?? ""),
      serverTiming: /(^|, )total;dur=/.test(reply.header("server-timing") ?? ""),
    };
  };
  for (const c of cases) {
    const fast = shape(await c.client.post("/api/v1/sessions", { json: c.json }));
    const next = shape(await c.client.post("/api/v1/sessions?via=next", { json: c.json }));
    expect({ case: c.name, ...fast }).toEqual({ case: c.name, ...next });
    expect(fast.status, c.name).toBe(c.status);
  }
});

