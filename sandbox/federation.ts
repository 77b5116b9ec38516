// The console federation endpoint and a small console page, following AWS's custom identity
// broker protocol: https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_enable-console-custom-url.html
//   getSigninToken: temporary credentials → SigninToken (SessionDuration 900–43200, refused for
//                   credentials from role chaining with HTTP 400)
//   login:          SigninToken (≤ 15 minutes old, once) → console session cookie → Destination
import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { deniedBy } from "./core/denial";
import { AwsError } from "./core/errors";
import { opaqueToken } from "./core/ids";
import { escapeXml as escapeHtml } from "./core/model";
import type { CallLog, Faults } from "./core/runtime";
import type { Session } from "./core/state";
import type { World } from "./core/world";

/** A sign-in token (and so the login URL) is good for 15 minutes. */
export const SIGNIN_TOKEN_TTL_MS = 15 * 60 * 1000;
const CONSOLE_COOKIE = "sandbox-console";

type FederationDeps = {
  world: World;
  faults: Faults;
  calls: CallLog;
  endpoint: string;
  readBody: (req: IncomingMessage) => Promise<Buffer>;
};

const hash = (value: string) => createHash("sha256").update(value).digest("hex");

class FederationError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

const noStore = { "Cache-Control": "no-store", Pragma: "no-cache", "Referrer-Policy": "no-referrer" };

async function readParams(req: IncomingMessage, url: URL, readBody: FederationDeps["readBody"]): Promise<URLSearchParams> {
  const params = new URLSearchParams(url.search);
  if (req.method === "POST") {
    const body = await readBody(req).catch(() => {
      throw new FederationError(413, "Request body too large.");
    });
    for (const [k, v] of new URLSearchParams(body.toString("utf8"))) params.append(k, v);
  }
  return params;
}

function liveSession(world: World, accessKeyId: string): Session | undefined {
  const session = world.state.sessions[accessKeyId];
  return session && session.expiresAt > world.now() ? session : undefined;
}

function getSigninToken(params: URLSearchParams, deps: FederationDeps): { token: string; note: Record<string, string | number | boolean> } {
  const { world } = deps;
  const raw = params.get("Session");
  if (!raw) throw new FederationError(400, "Missing Session parameter: a JSON object {\"sessionId\",\"sessionKey\",\"sessionToken\"}.");
  let creds: unknown;
  try {
    creds = JSON.parse(raw);
  } catch {
    throw new FederationError(400, "Invalid Session parameter: not JSON.");
  }
  const c = creds as Record<string, unknown>;
  if (typeof c !== "object" || c === null || typeof c.sessionId !== "string" || typeof c.sessionKey !== "string" || typeof c.sessionToken !== "string") {
    throw new FederationError(400, "Invalid Session parameter: it needs the string fields sessionId, sessionKey and sessionToken.");
  }
  const note: Record<string, string | number | boolean> = { sessionId: c.sessionId };
  const session = world.state.sessions[c.sessionId];
  // Only temporary credentials can be exchanged; long-term keys never match a session.
  if (!session || session.secretAccessKey !== c.sessionKey || session.sessionToken !== c.sessionToken) {
    throw new FederationError(400, "Invalid credentials parameter");
  }
  if (session.expiresAt <= world.now()) throw new FederationError(400, "Invalid credentials parameter: the credentials have expired");
  if (session.kind !== "assumed-role") {
    throw new FederationError(400, "Invalid credentials parameter: use credentials from AssumeRole or GetFederationToken");
  }
  const durationRaw = params.get("SessionDuration");
  let sessionDuration: number | undefined;
  if (durationRaw !== null) {
    sessionDuration = Number(durationRaw);
    if (!/^\d+$/.test(durationRaw) || sessionDuration < 900 || sessionDuration > 43200) {
      throw new FederationError(400, "Invalid SessionDuration: it must be a number of seconds from 900 to 43200");
    }
    // AWS refuses SessionDuration for credentials obtained by role chaining (HTTP 400).
    // https://repost.aws/knowledge-center/invalid-credentials-parameter
    if (session.chained) throw new FederationError(400, "Invalid credentials parameter");
    note.SessionDuration = sessionDuration;
  }
  const token = opaqueToken(48);
  world.state.signinTokens[hash(token)] = {
    hash: hash(token),
    accessKeyId: session.accessKeyId,
    issuedAt: world.now(),
    sessionDuration,
    used: false,
  };
  world.changed();
  return { token, note };
}

/** The Destination must be this sandbox's own console; anything else is refused. */
function checkDestination(destination: string, endpoint: string): URL {
  let url: URL;
  try {
    url = new URL(destination);
  } catch {
    throw new FederationError(400, "Invalid Destination: not a URL.");
  }
  const own = new URL(endpoint);
  const loopbackHosts = new Set(["127.0.0.1", "localhost", "[::1]"]);
  const sameOrigin =
    url.protocol === own.protocol &&
    url.port === own.port &&
    (url.hostname === own.hostname || (loopbackHosts.has(url.hostname) && loopbackHosts.has(own.hostname)));
  if (!sameOrigin || !(url.pathname === "/console" || url.pathname.startsWith("/console/"))) {
    throw new FederationError(400, `Invalid Destination: the sandbox signs in only to its own console at ${endpoint}/console.`);
  }
  return url;
}

function login(params: URLSearchParams, res: ServerResponse, deps: FederationDeps): Record<string, string | number | boolean> {
  const { world } = deps;
  const token = params.get("SigninToken");
  const destination = params.get("Destination");
  const issuer = params.get("Issuer") ?? undefined;
  if (!token || !destination) throw new FederationError(400, "Action=login needs SigninToken and Destination.");
  const target = checkDestination(destination, deps.endpoint);
  const record = world.state.signinTokens[hash(token)];
  if (!record) throw new FederationError(400, "This sign-in link is not valid.");
  if (record.used) throw new FederationError(400, "This sign-in link was already used. Ask for a new one.");
  if (world.now() - record.issuedAt > SIGNIN_TOKEN_TTL_MS) {
    throw new FederationError(400, "This sign-in link has expired: sign-in links are valid for 15 minutes.");
  }
  const session = liveSession(world, record.accessKeyId);
  if (!session) throw new FederationError(400, "The credentials behind this sign-in link have expired.");
  record.used = true;
  const cookie = opaqueToken(32);
  const now = world.now();
  // Without SessionDuration the console session lasts as long as the credentials.
  const expiresAt = record.sessionDuration ? now + record.sessionDuration * 1000 : session.expiresAt;
  world.state.consoleSessions[hash(cookie)] = {
    hash: hash(cookie),
    accessKeyId: session.accessKeyId,
    issuer: issuer && /^https?:\/\//.test(issuer) ? issuer : undefined,
    createdAt: now,
    expiresAt,
  };
  world.changed();
  res.writeHead(302, {
    ...noStore,
    Location: target.toString(),
    "Set-Cookie": `${CONSOLE_COOKIE}=${cookie}; Path=/console; HttpOnly; SameSite=Lax`,
  });
  res.end();
  return { sessionId: session.accessKeyId, destination: target.pathname };
}

export async function handleFederation(req: IncomingMessage, res: ServerResponse, url: URL, deps: FederationDeps): Promise<void> {
  const started = Date.now();
  let action = "(none)";
  let note: Record<string, string | number | boolean> = {};
  const record = (outcome: string, status: number) =>
    deps.calls.add({
      time: new Date(deps.world.now()).toISOString(),
      service: "signin",
      action,
      outcome,
      status,
      durationMs: Date.now() - started,
      detail: note,
    });
  try {
    if (req.method !== "GET" && req.method !== "POST") throw new FederationError(405, "Use GET or POST.");
    const params = await readParams(req, url, deps.readBody);
    action = params.get("Action") ?? "(none)";
    if (action === "getSigninToken") {
      await deps.faults.apply("signin", action);
      const out = getSigninToken(params, deps);
      note = out.note;
      res.writeHead(200, { ...noStore, "Content-Type": "application/json" });
      res.end(JSON.stringify({ SigninToken: out.token }));
      record("Success", 200);
      return;
    }
    if (action === "login") {
      await deps.faults.apply("signin", action);
      note = login(params, res, deps);
      record("Success", 302);
      return;
    }
    throw new FederationError(400, "Action must be getSigninToken or login.");
  } catch (err) {
    const status = err instanceof FederationError ? err.status : err instanceof AwsError ? err.status : 500;
    const message = err instanceof FederationError || err instanceof AwsError ? err.message : "Internal error";
    record(err instanceof AwsError ? err.code : `HTTP ${status}`, status);
    res.writeHead(status, { ...noStore, "Content-Type": "text/plain; charset=utf-8" });
    res.end(`HTTP Status ${status} - ${message}\n`);
  }
}

function readCookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === name) return v.join("=");
  }
  return undefined;
}

const PAGE_STYLE = `
  body{font:15px/1.5 system-ui,-apple-system,Segoe UI,sans-serif;margin:0;background:#f2f3f3;color:#16191f}
  header{background:#232f3e;color:#fff;padding:10px 24px;display:flex;justify-content:space-between;align-items:center}
  header b{font-size:17px} header span{opacity:.85;font-size:13px}
  main{max-width:760px;margin:32px auto;background:#fff;border-radius:8px;padding:24px 32px;box-shadow:0 1px 3px rgba(0,0,0,.15)}
  dl{display:grid;grid-template-columns:max-content 1fr;gap:8px 24px} dt{color:#545b64} dd{margin:0;font-family:ui-monospace,monospace;word-break:break-all}
  .note{background:#fff7e6;border:1px solid #f0c36d;padding:8px 12px;border-radius:6px;font-size:13px}
  a{color:#0972d3}
  @media (max-width:600px){header{flex-wrap:wrap;gap:2px 12px;padding:10px 16px} main{margin:16px 8px;padding:16px} dl{grid-template-columns:1fr;gap:2px} dd{margin-bottom:8px}}`;

function page(title: string, body: string, status = 200, res: ServerResponse): void {
  res.writeHead(status, { ...noStore, "Content-Type": "text/html; charset=utf-8" });
  res.end(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>` +
      `<meta name="viewport" content="width=device-width,initial-scale=1"><style>${PAGE_STYLE}</style></head>` +
      `<body><header><b>AWS Management Console</b><span>Switchboard sandbox — not real AWS</span></header><main>${body}</main></body></html>`,
  );
}

// An action and a resource that no policy names: only a statement that denies every action on
// every resource (`"Action": "*"` or a NotAction, `"Resource": "*"`) refuses them.
const PROBE_ACTION = "sandbox-console:ProbeEveryAction";
const PROBE_RESOURCE = "arn:aws:sandbox-console:::probe";

/** When the session's policies deny it every action — as revoking sessions does, with a Deny of
 * `*` on `*` whose conditions (`aws:TokenIssueTime`, `aws:userid`, `aws:SourceIdentity`) match
 * it — which kind of policy does, and its names.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_revoke-sessions.html */
function everyActionDenied(world: World, session: Session): { type: string; policies: string[] } | undefined {
  let caller;
  try {
    caller = world.authenticate(session.accessKeyId, session.sessionToken).caller;
  } catch {
    return undefined;
  }
  const result = world.decide(caller, { action: PROBE_ACTION, resource: PROBE_RESOURCE, resourceAccount: session.accountId });
  if (result.decision !== "ExplicitDeny") return undefined;
  const { type, statements } = deniedBy(result, caller.sessionPolicies.length > 0);
  return { type, policies: [...new Set(statements.map((m) => m.policyName))] };
}

/** `/console` and below: who the browser is signed in as, from the console session cookie. */
export function handleConsole(req: IncomingMessage, res: ServerResponse, url: URL, deps: { world: World; endpoint: string }): void {
  const { world } = deps;
  const cookie = readCookie(req, CONSOLE_COOKIE);
  if (url.pathname === "/console/signout") {
    if (cookie) delete world.state.consoleSessions[hash(cookie)];
    world.changed();
    res.setHeader("Set-Cookie", `${CONSOLE_COOKIE}=; Path=/console; HttpOnly; SameSite=Lax; Max-Age=0`);
    page("Signed out", `<h1>You are signed out</h1><p>You signed out of the sandbox console.</p>`, 200, res);
    return;
  }
  const consoleSession = cookie ? world.state.consoleSessions[hash(cookie)] : undefined;
  const session = consoleSession ? world.state.sessions[consoleSession.accessKeyId] : undefined;
  const now = world.now();
  if (!consoleSession || !session || consoleSession.expiresAt <= now) {
    const issuer = consoleSession?.issuer;
    page(
      "Signed out",
      `<h1 data-testid="console-signed-out">You are signed out</h1><p>${consoleSession ? "Your console session has expired." : "There is no console session in this browser."}</p>` +
        (issuer ? `<p><a href="${escapeHtml(issuer)}">Sign in again</a></p>` : ""),
      401,
      res,
    );
    return;
  }
  const account = world.account(session.accountId);
  const service = url.pathname.split("/")[2];
  const region = url.searchParams.get("region") ?? "us-east-1";
  const rows: Array<[string, string]> = [
    ["Account", `${session.accountId}${account ? ` (${account.name})` : ""}`],
  ];
  if (session.kind === "assumed-role") {
    rows.push(
      ["Role", session.roleName],
      ["Session name", session.sessionName],
      ["Signed in as", `arn:aws:sts::${session.accountId}:assumed-role/${session.roleName}/${session.sessionName}`],
    );
  }
  rows.push(
    ["Source identity", session.sourceIdentity ?? "(none)"],
    ["Region", region],
    ["Service", service && service !== "home" ? service : "Console Home"],
    ["Console session expires", new Date(consoleSession.expiresAt).toISOString()],
  );
  const list = rows.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd data-field="${escapeHtml(k)}">${escapeHtml(v)}</dd>`).join("");
  const issuer = consoleSession.issuer
    ? `<p><a data-testid="issuer-link" href="${escapeHtml(consoleSession.issuer)}">Back to where you signed in</a> · <a href="/console/signout">Sign out</a></p>`
    : `<p><a href="/console/signout">Sign out</a></p>`;
  const revoked = everyActionDenied(world, session);
  if (revoked) {
    const article = revoked.type === "identity-based policy" ? "an" : "a";
    page(
      "Session revoked",
      `<h1 data-testid="console-revoked">Your session has been revoked</h1>` +
        `<p data-testid="console-revoked-reason">Your session has been revoked: an explicit deny in ${article} ${escapeHtml(revoked.type)} (${escapeHtml(revoked.policies.join(", "))}) denies every action.</p>` +
        `<dl>${list}</dl>${issuer}`,
      403,
      res,
    );
    return;
  }
  page(
    "Console Home",
    `<h1 data-testid="console-signed-in">Console Home</h1><dl>${list}</dl>${issuer}<p class="note">This page stands in for the AWS Management Console: it shows whose federated session this browser holds.</p>`,
    200,
    res,
  );
}
