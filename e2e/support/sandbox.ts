// The sandbox the end-to-end tests run against (started by global setup), and its test
// interface: call log, faults, extra accounts.
import { readFileSync } from "node:fs";
import { join } from "node:path";

export const sandboxUrl = () => process.env.E2E_SANDBOX_URL!;

export type SandboxCall = { seq: number; service: string; action: string; caller?: string; outcome: string; detail: Record<string, string | number | boolean> };

/** The test interface of a sandbox at `url` (a spec that starts its own passes its own). */
export function sandboxClient(url: string | (() => string), token: string | (() => string)) {
  const value = (v: string | (() => string)) => (typeof v === "function" ? v() : v);
  async function admin<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${value(url)}/_sandbox/${path}`, {
      method,
      headers: { authorization: `Bearer ${value(token)}`, ...(body ? { "content-type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const json = (await res.json()) as T & { error?: string };
    if (!res.ok && res.status !== 409) throw new Error(`sandbox ${method} ${path}: ${res.status} ${json.error ?? ""}`);
    return json;
  }
  return {
    lastSeq: async () => (await admin<{ lastSeq: number }>("GET", "calls?since=999999999")).lastSeq,
    calls: async (filter: { since?: number; action?: string; service?: string } = {}) =>
      (await admin<{ calls: SandboxCall[] }>("GET", `calls?${new URLSearchParams(Object.entries(filter).map(([k, v]) => [k, String(v)]))}`)).calls,
    /** A new account in the sandbox organization, with its provisioning role trusting Operations. */
    addAccount: (id: string, name: string) => admin("POST", "accounts", { id, name }),
    addFault: (fault: Record<string, unknown>) => admin("POST", "faults", fault),
    clearFaults: () => admin("DELETE", "faults"),
  };
}

export type SandboxClient = ReturnType<typeof sandboxClient>;

/** The sandbox global setup started. */
export const sandbox = sandboxClient(sandboxUrl, () => process.env.E2E_SANDBOX_TOKEN!);

/** Keys of a seeded sandbox user, from the credentials file the sandbox wrote. */
export function sandboxUserKeys(profile: string): { accessKeyId: string; secretAccessKey: string } {
  const text = readFileSync(join(process.env.E2E_SANDBOX_DIR!, "credentials"), "utf8");
  const section = text.split(/^\[/m).find((s) => s.startsWith(`${profile}]`))!;
  return {
    accessKeyId: /aws_access_key_id = (\S+)/.exec(section)![1]!,
    secretAccessKey: /aws_secret_access_key = (\S+)/.exec(section)![1]!,
  };
}
