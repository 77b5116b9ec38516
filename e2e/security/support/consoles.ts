// Consoles of our own (with their own data, logs and secrets) for the specs that need to own the
// whole process, each against a sandbox of its own.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
// @ts-expect-error -- plain ESM helper shared with npm run demo
import { freePort, sandboxEnv, startConsole, startSandbox } from "../../../scripts/lib/stack.mjs";
import { ADMIN } from "../../support/accounts";
import { sandboxClient, type SandboxClient } from "../../support/sandbox";

export type OwnSandbox = { url: string; dir: string; token: string; broker: { accessKeyId: string; secretAccessKey: string }; api: SandboxClient; stop(): Promise<void> };

export type OwnConsole = {
  url: string;
  env: Record<string, string>;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  exited(): boolean;
  /** Stops the process (SIGTERM); removes its data directory unless asked to keep it. */
  stop(opts?: { keepData?: boolean }): Promise<void>;
};

/** A sandbox of our own (fresh seeded world, its own test-interface token). */
export async function startOwnSandbox(root = process.cwd()): Promise<OwnSandbox> {
  const dir = mkdtempSync(join(tmpdir(), "switchboard-sec-sandbox-"));
  const token = randomBytes(24).toString("hex");
  const port = await freePort();
  const sandbox = await startSandbox({ root, dir, port, adminToken: token, reset: true });
  return {
    url: sandbox.url,
    dir,
    token,
    broker: sandbox.broker,
    api: sandboxClient(sandbox.url, token),
    stop: async () => {
      await sandbox.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A production console of our own against `sandbox`: its own data directory (or DATABASE_URL),
 * secret, port and log. `env` overrides anything. */
export async function startOwnConsole(
  sandbox: Pick<OwnSandbox, "url" | "dir" | "broker">,
  env: Record<string, string> = {},
  root = process.cwd(),
  port?: number,
): Promise<OwnConsole & { dataDir: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), "switchboard-sec-console-"));
  port ??= (await freePort()) as number;
  const url = `http://127.0.0.1:${port}`;
  const chunks: string[] = [];
  const fullEnv: Record<string, string> = {
    ...sandboxEnv({ url: sandbox.url, broker: sandbox.broker }),
    NEXTAUTH_URL: url,
    NEXTAUTH_SECRET: randomBytes(32).toString("base64"),
    SWITCHBOARD_DATA_DIR: dataDir,
    SWITCHBOARD_ADMIN_EMAIL: ADMIN.email,
    SWITCHBOARD_ADMIN_PASSWORD: ADMIN.password,
    SWITCHBOARD_ADMIN_NAME: ADMIN.name,
    SWITCHBOARD_ALLOW_SANDBOX: "true",
    ...env,
  };
  const app = await startConsole({ root, port, env: fullEnv, echo: (s: string) => chunks.push(s) });
  return {
    url,
    env: fullEnv,
    dataDir,
    output: () => chunks.join(""),
    exited: () => app.child.exitCode !== null || app.child.signalCode !== null,
    stop: async (opts: { keepData?: boolean } = {}) => {
      await app.stop();
      if (!opts.keepData) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
