import "server-only";
// Test support: fresh, empty stores on both dialects, so that store tests never see each
// other's data or a developer's store. SQLite: a file in a temp directory. Postgres: a new
// database (switchboard_test_<id>) on the server that postgres.global-setup.ts found, dropped
// when the test file ends. Use at the top of a test file:
//
//   describe.each(testDatabases().map((store) => [store.label, store] as const))("%s: …", (_, store) => {
//     it.skipIf(store.skip)("…", async () => {
//       const { db } = await store.create();
//       …
//     });
//   });
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Kysely } from "kysely";
import pg from "pg";
import { afterAll, inject } from "vitest";
import type { DatabaseConfig } from "@/lib/config";
import { createDb } from "./client";
import { newId } from "./ids";
import { TEST_DATABASE_PREFIX } from "./postgres.global-setup";
import type { Database } from "./schema";

export type TestStore = {
  config: DatabaseConfig;
  /** A client for the store (not migrated). */
  db: Kysely<Database>;
  /** Another client for the same store, as a second process would have; closed with the rest. */
  connect(): Kysely<Database>;
};

export type TestDatabase = {
  dialect: DatabaseConfig["dialect"];
  /** For test titles: "SQLite", "Postgres", or "Postgres (skipped: why)". */
  label: string;
  /** Why this dialect's cases cannot run here (pass it to skipIf); undefined when they can. */
  skip: string | undefined;
  /** A new, empty store. */
  create(): Promise<TestStore>;
};

/** SQLite and Postgres. Registers an afterAll that closes every client and deletes every
 * store the file created. */
export function testDatabases(): TestDatabase[] {
  const clients: Kysely<Database>[] = [];
  const cleanups: (() => Promise<void>)[] = [];
  const postgres = inject("postgres") ?? { available: false, reason: "the Vitest global setup (lib/db/postgres.global-setup.ts) did not run" };

  const track = (config: DatabaseConfig): TestStore => {
    const connect = () => {
      const db = createDb(config);
      clients.push(db);
      return db;
    };
    return { config, db: connect(), connect };
  };

  afterAll(async () => {
    await Promise.all(clients.splice(0).map((db) => db.destroy()));
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  return [
    {
      dialect: "sqlite",
      label: "SQLite",
      skip: undefined,
      create: async () => {
        const dir = mkdtempSync(join(tmpdir(), "switchboard-store-"));
        cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
        return track({ dialect: "sqlite", path: join(dir, "switchboard.db") });
      },
    },
    {
      dialect: "postgres",
      label: postgres.available ? "Postgres" : `Postgres (skipped: ${postgres.reason})`,
      skip: postgres.available ? undefined : postgres.reason,
      create: async () => {
        if (!postgres.available) throw new Error(`Postgres store tests cannot run: ${postgres.reason}`);
        const name = TEST_DATABASE_PREFIX + newId().toLowerCase();
        await asAdmin(postgres.adminUrl, `create database "${name}"`);
        cleanups.push(() => asAdmin(postgres.adminUrl, `drop database if exists "${name}" with (force)`));
        const url = new URL(postgres.adminUrl);
        url.pathname = `/${name}`;
        return track({ dialect: "postgres", url: url.toString() });
      },
    },
  ];
}

/** Runs one statement on the admin database, on a connection of its own: CREATE and DROP
 * DATABASE cannot run inside a transaction or while connected to the database concerned. */
async function asAdmin(adminUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
