// Test support. The configuration (and so the store and the AWS clients) is read from the
// environment on first use, so a test file that exercises lib/ against the sandbox sets the
// environment first and imports the modules under test after.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";
import type { TestSandbox } from "@/sandbox/testing";

/**
 * Points the console at the sandbox with the broker's keys and a fresh SQLite store, exactly as
 * `npm run demo` does. When the file ends the sandbox is closed and the environment put back, so
 * later test files in this worker do not inherit these settings. Returns the store's folder.
 */
export function configureForSandbox(t: Pick<TestSandbox, "url" | "broker" | "close">, name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `switchboard-${name}-`));
  const savedEnv = { ...process.env };
  Object.assign(process.env, {
    DATABASE_URL: `file:${join(dir, "store.db")}`,
    NEXTAUTH_URL: "https://switchboard.example.com",
    SWITCHBOARD_SANDBOX_URL: t.url,
    AWS_ENDPOINT_URL: t.url,
    AWS_ACCESS_KEY_ID: t.broker.accessKeyId,
    AWS_SECRET_ACCESS_KEY: t.broker.secretAccessKey,
    AWS_REGION: "us-east-1",
    AWS_EC2_METADATA_DISABLED: "true",
  });
  afterAll(async () => {
    await t.close();
    for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
    Object.assign(process.env, savedEnv);
  });
  return dir;
}

/** A fresh SQLite store for this test file (DATABASE_URL, read on first use), put back when the
 * file ends. Returns the store's folder. */
export function withTempStore(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `switchboard-${name}-`));
  const saved = process.env.DATABASE_URL;
  process.env.DATABASE_URL = `file:${join(dir, "store.db")}`;
  afterAll(() => {
    if (saved === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = saved;
  });
  return dir;
}
