// The sandbox's test interface, under /_sandbox/. Loopback only (checked by the server) and off
// unless a token is configured: tests use it to inject faults, move the clock, reset the world
// and read which calls were made.
import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import { secretAccessKey, sessionToken, uniqueId } from "./core/ids";
import type { CallLog, Faults } from "./core/runtime";
import { PROVISIONING_ROLE } from "./core/seed";
import type { Session } from "./core/state";
import { totp } from "./core/totp";
import { PARTITION, type World } from "./core/world";

export type AdminDeps = {
  world: World;
  faults: Faults;
  calls: CallLog;
  token: string | undefined;
  reset: () => void;
};

const faultInput = z
  .object({
    service: z.enum(["sts", "iam", "organizations", "signin"]).optional(),
    action: z.string().min(1).max(128).optional(),
    code: z.string().regex(/^[A-Za-z][\w.]{0,127}$/).optional(),
    status: z.number().int().min(400).max(599).optional(),
    message: z.string().max(1000).optional(),
    count: z.number().int().min(1).max(1_000_000).optional(),
    rate: z.number().min(0).max(1).optional(),
    latencyMs: z.number().int().min(0).max(60_000).optional(),
  })
  .strict()
  .refine((f) => f.code !== undefined || f.latencyMs !== undefined, "A fault needs an error code, a latency, or both.");

const clockInput = z.union([
  z.object({ advanceSeconds: z.number().int().min(-10 * 365 * 86400).max(10 * 365 * 86400) }).strict(),
  z.object({ set: z.iso.datetime() }).strict(),
]);

const totpInput = z.object({ serialNumber: z.string().min(9).max(256) }).strict();

const instanceCredentialsInput = z
  .object({ accountId: z.string().regex(/^\d{12}$/), instanceProfileName: z.string().regex(/^[\w+=,.@-]{1,128}$/) })
  .strict();

const accountInput = z
  .object({
    id: z.string().regex(/^\d{12}$/, "Account id must be 12 digits"),
    name: z.string().min(1).max(50),
    email: z.email().optional(),
  })
  .strict();

/** Instance-profile credentials last six hours, refreshed by EC2 before they expire. */
const INSTANCE_CREDENTIALS_SECONDS = 6 * 3600;

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "Content-Type": "application/json", "Cache-Control": "no-store" });
  res.end(JSON.stringify(body));
}

function tokenMatches(given: string | undefined, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function handleAdmin(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  deps: AdminDeps,
  readBody: (req: IncomingMessage) => Promise<Buffer>,
): Promise<void> {
  const { world, faults, calls } = deps;
  const route = `${req.method ?? "GET"} ${url.pathname.replace(/\/+$/, "")}`;
  if (route === "GET /_sandbox/health") {
    send(res, 200, { ok: true, now: new Date(world.now()).toISOString() });
    return;
  }
  if (!deps.token) {
    send(res, 404, { error: "The test interface is off. Start the sandbox with SANDBOX_ADMIN_TOKEN set to use it." });
    return;
  }
  const auth = req.headers.authorization?.replace(/^Bearer\s+/i, "");
  if (!tokenMatches(auth, deps.token)) {
    send(res, 401, { error: "Send the sandbox admin token as 'Authorization: Bearer <token>'." });
    return;
  }

  let body: unknown = undefined;
  if (req.method === "POST") {
    const raw = await readBody(req).catch(() => undefined);
    if (raw === undefined) {
      send(res, 413, { error: "Request body too large." });
      return;
    }
    try {
      body = raw.length ? JSON.parse(raw.toString("utf8")) : {};
    } catch {
      send(res, 400, { error: "The request body must be JSON." });
      return;
    }
  }
  const parse = <T>(schema: z.ZodType<T>): T | undefined => {
    const result = schema.safeParse(body);
    if (result.success) return result.data;
    send(res, 400, { error: result.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; ") });
    return undefined;
  };

  switch (route) {
    case "GET /_sandbox/seed": {
      const state = world.state;
      send(res, 200, {
        organization: { id: state.organization.id, managementAccountId: state.organization.masterAccountId, rootId: state.organization.rootId },
        accounts: Object.values(state.accounts).map((a) => ({ id: a.id, name: a.name, alias: a.alias })),
        users: Object.values(state.accessKeys).map((k) => ({
          accountId: k.accountId,
          userName: k.userName,
          arn: `arn:${PARTITION}:iam::${k.accountId}:user/${k.userName}`,
          accessKeyId: k.accessKeyId,
          secretAccessKey: k.secretAccessKey,
        })),
        mfaDevices: Object.values(state.accounts).flatMap((a) =>
          Object.values(a.mfaDevices).map((d) => ({ accountId: a.id, userName: d.userName, serialNumber: d.serialNumber, seed: d.seed })),
        ),
      });
      return;
    }
    case "GET /_sandbox/faults":
      send(res, 200, { faults: faults.list() });
      return;
    case "POST /_sandbox/faults": {
      const input = parse(faultInput);
      if (input) send(res, 201, faults.add(input));
      return;
    }
    case "DELETE /_sandbox/faults":
      faults.clear();
      send(res, 200, { ok: true });
      return;
    case "GET /_sandbox/clock":
      send(res, 200, { now: new Date(world.now()).toISOString(), offsetMs: world.state.clockOffsetMs });
      return;
    case "POST /_sandbox/clock": {
      const input = parse(clockInput);
      if (!input) return;
      world.state.clockOffsetMs =
        "advanceSeconds" in input ? world.state.clockOffsetMs + input.advanceSeconds * 1000 : Date.parse(input.set) - Date.now();
      world.changed();
      send(res, 200, { now: new Date(world.now()).toISOString(), offsetMs: world.state.clockOffsetMs });
      return;
    }
    case "POST /_sandbox/reset":
      deps.reset();
      send(res, 200, { ok: true });
      return;
    case "GET /_sandbox/calls": {
      const since = url.searchParams.get("since");
      send(res, 200, {
        lastSeq: calls.lastSeq,
        calls: calls.list({
          since: since === null ? undefined : Number(since),
          service: url.searchParams.get("service") ?? undefined,
          action: url.searchParams.get("action") ?? undefined,
        }),
      });
      return;
    }
    case "DELETE /_sandbox/calls":
      calls.clear();
      send(res, 200, { ok: true });
      return;
    case "POST /_sandbox/totp": {
      const input = parse(totpInput);
      if (!input) return;
      const device = Object.values(world.state.accounts)
        .map((a) => a.mfaDevices[input.serialNumber])
        .find(Boolean);
      if (!device) {
        send(res, 404, { error: `No MFA device ${input.serialNumber}.` });
        return;
      }
      send(res, 200, { code: totp(device.seed, world.now()) });
      return;
    }
    case "POST /_sandbox/instance-credentials": {
      // What the EC2 instance metadata service hands an instance: role credentials that are
      // not role chaining, so they may assume roles for up to the target's MaxSessionDuration.
      const input = parse(instanceCredentialsInput);
      if (!input) return;
      const account = world.account(input.accountId);
      const profile = account?.instanceProfiles[input.instanceProfileName.toLowerCase()];
      const role = profile?.roles[0] ? account?.roles[profile.roles[0]] : undefined;
      if (!account || !profile || !role) {
        send(res, 404, { error: `Instance profile ${input.instanceProfileName} with a role does not exist in ${input.accountId}.` });
        return;
      }
      const now = world.now();
      const session: Session = {
        accessKeyId: uniqueId("ASIA"),
        secretAccessKey: secretAccessKey(),
        sessionToken: sessionToken(),
        accountId: account.id,
        issuedAt: now,
        expiresAt: now + INSTANCE_CREDENTIALS_SECONDS * 1000,
        mfaAuthenticated: false,
        tags: [],
        transitiveTagKeys: [],
        kind: "assumed-role",
        roleName: role.name,
        roleArn: role.arn,
        roleId: role.id,
        sessionName: `i-${uniqueId("AIPA").slice(4, 21).toLowerCase()}`,
        chained: false,
      };
      world.state.sessions[session.accessKeyId] = session;
      world.changed();
      send(res, 201, {
        AccessKeyId: session.accessKeyId,
        SecretAccessKey: session.secretAccessKey,
        Token: session.sessionToken,
        Expiration: new Date(session.expiresAt).toISOString(),
        RoleArn: role.arn,
      });
      return;
    }
    case "POST /_sandbox/accounts": {
      const input = parse(accountInput);
      if (!input) return;
      if (world.account(input.id)) {
        send(res, 409, { error: `Account ${input.id} already exists.` });
        return;
      }
      const now = world.now();
      const operations = world.state.organization.masterAccountId;
      world.state.accounts[input.id] = {
        id: input.id,
        name: input.name,
        email: input.email ?? `aws+${input.id}@example.com`,
        joinedTimestamp: now,
        users: {},
        roles: {
          [PROVISIONING_ROLE.toLowerCase()]: {
            name: PROVISIONING_ROLE,
            path: "/",
            id: uniqueId("AROA"),
            arn: `arn:${PARTITION}:iam::${input.id}:role/${PROVISIONING_ROLE}`,
            createDate: now,
            assumeRolePolicyDocument: JSON.stringify({
              Version: "2012-10-17",
              // As the seed's: the console's provisioning sessions carry the admin's SourceIdentity.
              Statement: [{ Effect: "Allow", Principal: { AWS: `arn:${PARTITION}:iam::${operations}:root` }, Action: ["sts:AssumeRole", "sts:SetSourceIdentity", "sts:TagSession"] }],
            }),
            description: "Provisioning role created with the account",
            maxSessionDuration: 3600,
            tags: [],
            inlinePolicies: {},
            attachedPolicies: [`arn:${PARTITION}:iam::aws:policy/AdministratorAccess`],
          },
        },
        policies: {},
        instanceProfiles: {},
        oidcProviders: {},
        mfaDevices: {},
      };
      // In the root, with FullAWSAccess and RCPFullAWSAccess, as an account that joins does.
      world.organization.attachDefaults(input.id);
      world.changed();
      send(res, 201, { id: input.id, name: input.name });
      return;
    }
    default:
      send(res, 404, { error: `No test-interface route ${route}.` });
  }
}
