// Open redirects: a corpus of open-redirect vectors against every
// place a URL comes from input — the sign-in page's server redirect, the sign-in form's
// client-side navigation (real Chromium), next-auth's redirect callback (credentials, OIDC,
// sign-out, the callback-url cookie), and the signed-out redirect to /signin?callbackUrl=<path>.
// Every Location header is followed hop by hop. Bar: 0 off-origin Location headers, returned
// URLs or navigations.
import type { Request } from "@playwright/test";
import { createUser, expect, signInAsAdmin, test } from "../fixtures";
import { uniqueEmail } from "../support/accounts";
import { scale } from "./scale";
import { Client, pct, type Reply } from "./support";

// Each test stands alone: one failing does not skip the others.
test.describe.configure({ timeout: scale.testTimeout });

const base = () => process.env.E2E_BASE_URL!;
const origin = () => new URL(base()).origin;
const host = () => new URL(base()).host;
const PASSWORD = "redirect-vectors-password";
let email: string;

/** The corpus (≥ 40). Each is the *value* of a callbackUrl-like parameter. */
function vectors(): string[] {
  const o = origin();
  const h = host();
  const port = new URL(o).port;
  return [
    // protocol-relative and slash tricks
    "//evil.example",
    "///evil.example",
    "////evil.example/",
    "/\\evil.example",
    "\\\\evil.example",
    "\\/evil.example",
    "/\\/evil.example",
    "/ /evil.example",
    "//evil.example:443/x",
    "//%65vil.example",
    // dot segments (a path that normalises to //evil.example once got through)
    "/.//evil.example",
    "/x/..//evil.example",
    "/%2e//evil.example",
    "/%2E%2E//evil.example",
    "/./\\evil.example",
    "/accounts/../..//evil.example",
    // encodings
    "%2F%2Fevil.example",
    "%2f%5cevil.example",
    "/%2F/evil.example",
    "/%5Cevil.example",
    "%5C%5Cevil.example",
    "/%252F%252Fevil.example",
    "/\u2215\u2215evil.example",
    "/%E2%88%95%E2%88%95evil.example",
    // whitespace and control characters
    "/\t/evil.example",
    "/\n/evil.example",
    "\t//evil.example",
    " //evil.example",
    "/\r\n/evil.example",
    "%09//evil.example",
    "/%09/evil.example",
    "%0D%0A//evil.example",
    "/%0d%0aLocation:%20https://evil.example",
    // absolute URLs and schemes
    "https://evil.example",
    "http://evil.example/steal",
    "HTTPS://EVIL.EXAMPLE",
    "https:evil.example",
    "https:/evil.example",
    "https:\\\\evil.example",
    "http:/\\/evil.example",
    "ftp://evil.example",
    "javascript:alert(document.domain)",
    "JaVaScRiPt:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    // userinfo and look-alike hosts
    "https://console@evil.example",
    `${o}@evil.example`,
    `http://${h}@evil.example/`,
    `${o}.evil.example`,
    `http://127.0.0.1.nip.io:${port}/`,
    `http://localhost:${port}/`,
    `http://127.0.0.1:${Number(port) + 1}/`,
    `https://${h}/`,
    // IDN / homoglyphs
    "//evil\u3002example",
    "https://evil\uff0eexample",
    "//\uff45\uff56\uff49\uff4c.example",
    "https://xn--vil-7ma.example",
    "//ex\u0430mple.com",
    // nested and odd
    "/signin?callbackUrl=//evil.example",
    "/;@evil.example",
    "///\\;@evil.example",
    "?//evil.example",
  ];
}

/** The URL a request target was sent to (a target like "//evil.example" is a path here). */
const here = (target: string) => new URL(`${origin()}${target.startsWith("/") ? "" : "/"}${target}`);

/** Undefined when `url` (resolved against the console) stays on the console; else why not. */
function offOrigin(url: string | undefined, from = base()): string | undefined {
  if (url === undefined) return undefined;
  let resolved: URL;
  try {
    resolved = new URL(url, from);
  } catch {
    return undefined; // Not a URL a browser would follow.
  }
  return resolved.origin === origin() ? undefined : `${url} → ${resolved.href}`;
}

/** About `n` of `all`, spread evenly (every family of vectors is represented). */
function spread<T>(all: T[], n: number): T[] {
  if (n >= all.length) return all;
  const step = all.length / n;
  return Array.from({ length: n }, (_, i) => all[Math.floor(i * step)]!);
}

/** Follows Location headers hop by hop (as a browser would, cookies kept), at most 6 hops;
 * returns every hop that leaves the console. */
async function followChain(client: Client, path: string): Promise<{ hops: string[]; off: string[] }> {
  const hops: string[] = [];
  const off: string[] = [];
  let current = path;
  for (let i = 0; i < 6; i++) {
    let reply: Reply;
    try {
      reply = await client.get(current);
    } catch (err) {
      // Node refuses to send some request targets (e.g. control characters): nothing to follow.
      hops.push(`(not sent: ${(err as Error).message.slice(0, 60)})`);
      break;
    }
    const location = reply.header("location");
    hops.push(`${reply.status} ${current}`);
    if (reply.status < 300 || reply.status >= 400 || !location) break;
    const problem = offOrigin(location, here(current).href);
    if (problem) {
      off.push(`${current} → Location ${problem}`);
      break;
    }
    const next = new URL(location, here(current));
    current = `${next.pathname}${next.search}`;
  }
  return { hops, off };
}

test.beforeAll(async ({ playwright, baseURL }) => {
  const admin = await playwright.request.newContext({ baseURL });
  await signInAsAdmin(admin);
  email = uniqueEmail("redirects");
  await createUser(admin, { email, name: "Redirect Vectors", password: PASSWORD, role: "auditor" });
  await admin.dispose();
  expect(vectors().length).toBeGreaterThanOrEqual(40);
});

test("[REDIRECT]: GET /signin?callbackUrl=<vector> while signed in — every hop of the server redirect stays on the console", async () => {
  const client = new Client(base());
  await client.signIn(email, PASSWORD);
  const off: string[] = [];
  let hops = 0;
  for (const v of vectors()) {
    const chain = await followChain(client, `/signin?callbackUrl=${pct(v)}`);
    hops += chain.hops.length;
    off.push(...chain.off);
  }
  console.log(`redirects GET /signin?callbackUrl= (signed in): ${vectors().length} vectors, ${hops} hops followed, ${off.length} off-origin`);
  expect(off).toEqual([]);
});

/** A real credentials sign-in with callbackUrl=v in the body (what the sign-in form sends), and
 * one with v planted in the callback-url cookie instead. */
async function viaSignIn(v: string): Promise<string[]> {
  const off: string[] = [];
  const a = new Client(base());
  const signIn = await a.attemptSignIn(email, PASSWORD, { callbackUrl: v });
  if (signIn.status !== 200) off.push(`POST /api/auth/callback/credentials callbackUrl=${JSON.stringify(v)}: the sign-in itself failed (${signIn.status})`);
  const url = signIn.status === 200 ? signIn.json<{ url?: string }>().url : signIn.header("location");
  const problem = offOrigin(url);
  if (problem) off.push(`POST /api/auth/callback/credentials callbackUrl=${JSON.stringify(v)}: ${problem}`);
  const cookie = a.jar.get("next-auth.callback-url") ?? a.jar.get("__Secure-next-auth.callback-url");
  if (cookie && offOrigin(decodeURIComponent(cookie))) off.push(`callback-url cookie after callbackUrl=${JSON.stringify(v)}: ${decodeURIComponent(cookie)}`);
  const b = new Client(base());
  b.jar.set("next-auth.callback-url", pct(v));
  const planted = await b.attemptSignIn(email, PASSWORD);
  const plantedUrl = planted.status === 200 ? planted.json<{ url?: string }>().url : planted.header("location");
  const plantedProblem = offOrigin(plantedUrl);
  if (plantedProblem) off.push(`planted callback-url cookie ${JSON.stringify(v)}: ${plantedProblem}`);
  return off;
}

test("[REDIRECT]: next-auth's redirect callback — credentials sign-in, the callback-url cookie, sign-out, OIDC and /api/auth/signin never return another origin", async () => {
  const off: string[] = [];
  let checks = 0;
  const issuer = process.env.E2E_OIDC_ISSUER ? new URL(process.env.E2E_OIDC_ISSUER).origin : undefined;
  const withSignIn = new Set(spread(vectors(), scale.signInRedirectVectors));
  for (const v of vectors()) {
    if (withSignIn.has(v)) off.push(...(await viaSignIn(v)));
    checks += withSignIn.has(v) ? 2 : 0;
    const b = new Client(base());
    // Sign-out's callbackUrl (json=true answers { url }).
    const csrf = await b.csrfToken();
    const signOut = await b.post("/api/auth/signout", { form: { csrfToken: csrf, callbackUrl: v, json: "true" } });
    checks++;
    const signOutUrl = signOut.status === 200 ? signOut.json<{ url?: string }>().url : signOut.header("location");
    const signOutProblem = offOrigin(signOutUrl);
    if (signOutProblem) off.push(`POST /api/auth/signout callbackUrl=${JSON.stringify(v)}: ${signOutProblem}`);

    // GET /api/auth/signin?callbackUrl= (redirects to our sign-in page) and the OIDC start.
    for (const path of [`/api/auth/signin?callbackUrl=${pct(v)}`, `/api/auth/signin/oidc?callbackUrl=${pct(v)}`, `/api/auth/signout?callbackUrl=${pct(v)}`]) {
      const chain = await followChain(new Client(base()), path);
      checks++;
      off.push(...chain.off);
    }
    const c = new Client(base());
    const oidcCsrf = await c.csrfToken();
    const oidc = await c.post("/api/auth/signin/oidc", { form: { csrfToken: oidcCsrf, callbackUrl: v, json: "true" } });
    checks++;
    const oidcUrl = oidc.status === 200 ? oidc.json<{ url?: string }>().url : oidc.header("location");
    // The identity provider is the one other origin a sign-in may go to.
    if (oidcUrl && offOrigin(oidcUrl) && (!issuer || new URL(oidcUrl, base()).origin !== issuer)) off.push(`POST /api/auth/signin/oidc callbackUrl=${JSON.stringify(v)}: ${oidcUrl}`);
    const oidcCookie = c.jar.get("next-auth.callback-url") ?? c.jar.get("__Secure-next-auth.callback-url");
    if (oidcCookie && offOrigin(decodeURIComponent(oidcCookie))) off.push(`OIDC callback-url cookie after callbackUrl=${JSON.stringify(v)}: ${decodeURIComponent(oidcCookie)}`);
  }
  console.log(
    `redirects next-auth callback: ${vectors().length} vectors through sign-out, /api/auth/signin and the OIDC start, ${withSignIn.size} of them through a real sign-in (body and planted cookie); ${checks} checks, ${off.length} off-origin`,
  );
  expect(off).toEqual([]);
});

/** Request paths an attacker links to while the victim is signed out. */
const HOSTILE_PATHS = [
  "//evil.example",
  "//evil.example/",
  "///evil.example",
  "/\\evil.example",
  "/%5Cevil.example",
  "/%2F%2Fevil.example",
  "/.//evil.example",
  "/accounts/..//evil.example",
  "/accounts//evil.example",
  "/%2e%2e//evil.example",
  "/roles/%2F%2Fevil.example",
  "/audit?x=//evil.example",
  "/switch/01J00000000000000000000000?region=//evil.example",
  "/switch/..%2F..%2F%2Fevil.example",
  "/settings/",
  "/users//",
];

test("[REDIRECT]: signed-out visits to hostile paths — /signin?callbackUrl=<path>, then signing in, never leave the console", async () => {
  const off: string[] = [];
  let hops = 0;
  const signedIn = new Client(base());
  await signedIn.signIn(email, PASSWORD);
  for (const path of HOSTILE_PATHS) {
    const anonymous = new Client(base());
    const chain = await followChain(anonymous, path);
    hops += chain.hops.length;
    off.push(...chain.off);
    // Where the sign-in page was asked to return to, followed once signed in.
    const first = await anonymous.get(path).catch(() => undefined);
    const location = first?.header("location");
    if (location && !offOrigin(location)) {
      const target = new URL(location, base());
      const after = await followChain(signedIn, `${target.pathname}${target.search}`);
      hops += after.hops.length;
      off.push(...after.off);
      const callbackUrl = target.searchParams.get("callbackUrl");
      if (callbackUrl !== null) {
        const viaApi = await new Client(base()).attemptSignIn(email, PASSWORD, { callbackUrl });
        const problem = viaApi.status === 200 ? offOrigin(viaApi.json<{ url?: string }>().url) : undefined;
        if (problem) off.push(`sign-in with callbackUrl from ${path}: ${problem}`);
      }
    }
  }
  console.log(`redirects signed-out hostile paths: ${HOSTILE_PATHS.length} paths, ${hops} hops followed, ${off.length} off-origin`);
  expect(off).toEqual([]);
});

test("[REDIRECT]: the sign-in form in Chromium — after signing in with a hostile callbackUrl the browser stays on the console and asks no other host", async ({ browser, baseURL }) => {
  const all = vectors();
  // Every vector in full runs; by default a spread across the families.
  const chosen = spread(all, scale.browserRedirectVectors);
  const off: string[] = [];
  // One browser, signed out between vectors (its cookies cleared), as a person on a shared machine.
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  let foreign: string[] = [];
  let dialogs: string[] = [];
  page.on("request", (r: Request) => {
    const url = r.url();
    if (!url.startsWith("data:") && !url.startsWith("blob:") && new URL(url).origin !== origin()) foreign.push(url);
  });
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  for (const v of chosen) {
    foreign = [];
    dialogs = [];
    await context.clearCookies();
    await page.goto(`/signin?callbackUrl=${pct(v)}`);
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.waitForURL((u) => u.pathname !== "/signin", { timeout: 15_000 }).catch(() => undefined);
    await page.waitForLoadState("networkidle").catch(() => undefined);
    const url = page.url();
    if (!url.startsWith(`${origin()}/`)) off.push(`${JSON.stringify(v)}: the browser is at ${url}`);
    // Signed in and moved on (otherwise the check above proved nothing).
    else if (new URL(url).pathname === "/signin") off.push(`${JSON.stringify(v)}: still on the sign-in page (${url})`);
    if (foreign.length) off.push(`${JSON.stringify(v)}: requests to ${foreign.join(", ")}`);
    if (dialogs.length) off.push(`${JSON.stringify(v)}: a script ran (dialog "${dialogs[0]}")`);
  }
  await context.close();
  console.log(`redirects sign-in form in Chromium: ${chosen.length} of ${all.length} vectors, ${off.length} off-origin navigations or requests`);
  expect(off).toEqual([]);
});
