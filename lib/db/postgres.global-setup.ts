// Vitest global setup: finds the Postgres server the store tests run against, and tells the
// test files (inject("postgres")) whether they can use it.
// - SWITCHBOARD_TEST_POSTGRES_URL if set (a role that may CREATE DATABASE), else the local
//   server at postgres://postgres@127.0.0.1:5432/postgres, started first if it is installed but
//   stopped (Debian/Ubuntu's pg_ctlcluster).
// - No Postgres: the Postgres cases are skipped, with one line saying why. Under CI=true that is
//   a failure instead: CI must test both dialects.
// The only test code that reads the environment; test files learn the outcome through inject.
import { execFile } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { promisify } from "node:util";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { maskUrl } from "./describe";
import { idTime } from "./ids";

export type PostgresForTests = { available: true; adminUrl: string } | { available: false; reason: string };

declare module "vitest" {
  export interface ProvidedContext {
    postgres: PostgresForTests;
  }
}

const LOCAL_URL = "postgres://postgres@127.0.0.1:5432/postgres";
const START_WAIT_MS = 20_000;
// Test databases are dropped when their file ends; older ones were left by killed runs.
const STALE_AFTER_MS = 6 * 60 * 60_000;
/** Every test database is named this followed by a (time-ordered) id: see testing.ts. */
export const TEST_DATABASE_PREFIX = "switchboard_test_";

/** Undefined when the server answers; otherwise why not. */
async function problemWith(url: string): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query("select 1");
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message || (err as { code?: string }).code || err.name : String(err);
  } finally {
    await client.end().catch(() => {});
  }
}

/** Starts the local cluster(s) of an installed Debian/Ubuntu Postgres; false if there is none. */
async function startLocalPostgres(): Promise<boolean> {
  if (!existsSync("/etc/postgresql")) return false;
  const versions = readdirSync("/etc/postgresql");
  for (const version of versions) {
    // "already running" and other refusals are reported by the next connection attempt.
    await promisify(execFile)("pg_ctlcluster", ["--skip-systemctl-redirect", version, "main", "start"], { timeout: START_WAIT_MS }).catch(() => {});
  }
  return versions.length > 0;
}

async function sweepStaleDatabases(adminUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>("select datname from pg_database where datname like $1", [`${TEST_DATABASE_PREFIX}%`]);
    for (const { datname } of rows) {
      const made = (() => {
        try {
          return idTime(datname.slice(TEST_DATABASE_PREFIX.length).toUpperCase());
        } catch {
          return undefined;
        }
      })();
      if (made !== undefined && Date.now() - made > STALE_AFTER_MS) await client.query(`drop database if exists "${datname}" with (force)`);
    }
  } finally {
    await client.end();
  }
}

export default async function setup(project: TestProject): Promise<void> {
  const explicit = process.env.SWITCHBOARD_TEST_POSTGRES_URL || undefined;
  const url = explicit ?? LOCAL_URL;
  let problem = await problemWith(url);
  if (problem && !explicit && (await startLocalPostgres())) {
    for (const started = Date.now(); problem && Date.now() - started < START_WAIT_MS; ) {
      await sleep(250);
      problem = await problemWith(url);
    }
  }

  if (problem) {
    const reason = `no Postgres answers at ${maskUrl(url)} (${problem})`;
    if (process.env.CI === "true") {
      throw new Error(
        `The Postgres store tests must run in CI, but ${reason}. Provide a server and point SWITCHBOARD_TEST_POSTGRES_URL at it, e.g. postgres://postgres:password@127.0.0.1:5432/postgres (a role that may CREATE DATABASE).`,
      );
    }
    console.log(`Postgres store tests skipped: ${reason}. Set SWITCHBOARD_TEST_POSTGRES_URL to run them.`);
    project.provide("postgres", { available: false, reason });
    return;
  }

  await sweepStaleDatabases(url).catch(() => {});
  project.provide("postgres", { available: true, adminUrl: url });
}
