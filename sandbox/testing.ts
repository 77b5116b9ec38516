// Helpers for tests that drive a real sandbox over HTTP with the real AWS SDK clients. Each
// call starts an isolated sandbox (its own temp directory and free port).
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { IAMClient } from "@aws-sdk/client-iam";
import { OrganizationsClient } from "@aws-sdk/client-organizations";
import { STSClient } from "@aws-sdk/client-sts";
import { startSandbox, type Sandbox } from "./server";

export type Creds = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };

export type SeedInfo = {
  organization: { id: string; managementAccountId: string; rootId: string };
  accounts: Array<{ id: string; name: string; alias?: string }>;
  users: Array<{ accountId: string; userName: string; arn: string; accessKeyId: string; secretAccessKey: string }>;
  mfaDevices: Array<{ accountId: string; userName: string; serialNumber: string; seed: string }>;
};

export type CallRecord = {
  seq: number;
  service: string;
  action: string;
  accountId?: string;
  caller?: string;
  outcome: string;
  status: number;
  detail: Record<string, string | number | boolean>;
};

export class AdminClient {
  readonly url: string;
  private readonly token: string;

  constructor(url: string, token: string) {
    this.url = url;
    this.token = token;
  }

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.url}/_sandbox/${path}`, {
      method,
      headers: { authorization: `Bearer ${this.token}`, ...(body ? { "content-type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const json = (await res.json()) as T & { error?: string };
    if (!res.ok) throw new Error(`sandbox admin ${method} ${path}: ${res.status} ${json.error ?? ""}`);
    return json;
  }

  seed = () => this.request<SeedInfo>("GET", "seed");
  addFault = (fault: { service?: string; action?: string; code?: string; status?: number; message?: string; count?: number; rate?: number; latencyMs?: number }) =>
    this.request<{ id: string }>("POST", "faults", fault);
  clearFaults = () => this.request("DELETE", "faults");
  advanceClock = (seconds: number) => this.request<{ now: string }>("POST", "clock", { advanceSeconds: seconds });
  now = async () => new Date((await this.request<{ now: string }>("GET", "clock")).now);
  reset = () => this.request("POST", "reset");
  calls = async (filter: { since?: number; service?: string; action?: string } = {}) => {
    const q = new URLSearchParams(Object.entries(filter).map(([k, v]) => [k, String(v)]));
    return (await this.request<{ calls: CallRecord[]; lastSeq: number }>("GET", `calls?${q}`)).calls;
  };
  lastSeq = async () => (await this.request<{ lastSeq: number }>("GET", "calls?since=999999999")).lastSeq;
  /** The AWS calls the sandbox received while `run` ran, as "service:action". */
  callsDuring = async (run: () => Promise<unknown>): Promise<string[]> => {
    const since = await this.lastSeq();
    await run();
    return (await this.calls({ since })).map((c) => `${c.service}:${c.action}`);
  };
  totp = async (serialNumber: string) => (await this.request<{ code: string }>("POST", "totp", { serialNumber })).code;
  instanceCredentials = async (accountId: string, instanceProfileName: string): Promise<Creds> => {
    const r = await this.request<{ AccessKeyId: string; SecretAccessKey: string; Token: string }>("POST", "instance-credentials", {
      accountId,
      instanceProfileName,
    });
    return { accessKeyId: r.AccessKeyId, secretAccessKey: r.SecretAccessKey, sessionToken: r.Token };
  };
}

export type TestSandbox = {
  sandbox: Sandbox;
  url: string;
  dir: string;
  admin: AdminClient;
  seed: SeedInfo;
  broker: Creds;
  developer: Creds;
  sts(creds: Creds, opts?: { maxAttempts?: number }): STSClient;
  iam(creds: Creds, opts?: { maxAttempts?: number }): IAMClient;
  organizations(creds: Creds, opts?: { maxAttempts?: number }): OrganizationsClient;
  close(): Promise<void>;
};

/** `initialState`: a state.json to start from (e.g. one written by an older sandbox) instead of
 * a fresh seed. */
export async function startTestSandbox(opts: { persistDelayMs?: number; initialState?: unknown } = {}): Promise<TestSandbox> {
  const dir = mkdtempSync(join(tmpdir(), "switchboard-sandbox-"));
  if (opts.initialState !== undefined) writeFileSync(join(dir, "state.json"), JSON.stringify(opts.initialState));
  const token = randomBytes(24).toString("hex");
  const sandbox = await startSandbox({ dir, port: 0, adminToken: token, persistDelayMs: opts.persistDelayMs ?? 20, log: () => {} });
  const admin = new AdminClient(sandbox.url, token);
  const seed = await admin.seed();
  const keyOf = (userName: string): Creds => {
    const u = seed.users.find((x) => x.userName === userName)!;
    return { accessKeyId: u.accessKeyId, secretAccessKey: u.secretAccessKey };
  };
  const common = (creds: Creds, o?: { maxAttempts?: number }) => ({
    endpoint: sandbox.url,
    region: "us-east-1",
    credentials: creds,
    maxAttempts: o?.maxAttempts ?? 1,
  });
  return {
    sandbox,
    url: sandbox.url,
    dir,
    admin,
    seed,
    broker: keyOf("switchboard"),
    developer: keyOf("developer"),
    sts: (creds, o) => new STSClient(common(creds, o)),
    iam: (creds, o) => new IAMClient(common(creds, o)),
    organizations: (creds, o) => new OrganizationsClient(common(creds, o)),
    close: async () => {
      await sandbox.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Credentials in the SDK's shape from an STS response. */
export function credsOf(response: { Credentials?: { AccessKeyId?: string; SecretAccessKey?: string; SessionToken?: string } }): Creds {
  const c = response.Credentials!;
  return { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! };
}
