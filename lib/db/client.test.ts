// The store client: getDb() builds and migrates the process-wide store once however many
// callers ask at once, closeDb() closes it, and createDb() sets each dialect up as intended.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import SqliteDatabase from "better-sqlite3";
import { sql, type Generated, type Kysely } from "kysely";
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { DatabaseConfig } from "@/lib/config";
import { closeDb, createDb, getDb } from "./client";
import { migrateToLatest } from "./migrate";
import { MIGRATION_NAMES } from "./migrations";
import type { Database } from "./schema";
import { testDatabases } from "./testing";

// getDb() reads the database from the configuration; here it points at a test store.
const config = vi.hoisted(() => ({ database: undefined as DatabaseConfig | undefined }));
vi.mock("@/lib/config", () => ({
  getConfig: () => {
    if (!config.database) throw new Error("no test database configured");
    return { database: config.database };
  },
}));
// The real migrations, counted.
vi.mock("./migrate", async (importOriginal) => {
  const actual = await importOriginal<typeof import("./migrate")>();
  return { ...actual, migrateToLatest: vi.fn(actual.migrateToLatest) };
});

async function executedMigrations(db: Kysely<Database>): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db);
  return rows.map((r) => r.name);
}

const stores = testDatabases();

describe.each(stores.map((store) => [store.label, store] as const))("%s: getDb", (_, store) => {
  beforeEach(() => {
    vi.mocked(migrateToLatest).mockClear();
  });
  afterEach(async () => {
    await closeDb();
    config.database = undefined;
  });

  it.skipIf(store.skip)("migrates once when many callers ask at once, and each gets the migrated store", async () => {
    config.database = (await store.create()).config;

    const seen = await Promise.all(
      Array.from({ length: 20 }, async () => {
        const db = await getDb();
        return { db, executed: await executedMigrations(db) };
      }),
    );

    expect(migrateToLatest).toHaveBeenCalledTimes(1);
    expect(new Set(seen.map((s) => s.db)).size).toBe(1);
    for (const { executed } of seen) expect(executed).toEqual(MIGRATION_NAMES);
    expect(await getDb()).toBe(seen[0]!.db);
    expect(migrateToLatest).toHaveBeenCalledTimes(1);
  });

  it.skipIf(store.skip)("closeDb closes the store; the next getDb opens it again and finds nothing to migrate", async () => {
    config.database = (await store.create()).config;
    const first = await getDb();

    await closeDb();
    await expect(sql`select 1`.execute(first)).rejects.toThrow();

    const second = await getDb();
    expect(second).not.toBe(first);
    expect(migrateToLatest).toHaveBeenCalledTimes(2);
    expect(await vi.mocked(migrateToLatest).mock.results[1]!.value).toEqual([]);
    expect(await executedMigrations(second)).toEqual(MIGRATION_NAMES);
  });

  it.skipIf(store.skip)("after a store that cannot be opened, the next call tries again", async () => {
    const unreachable: DatabaseConfig =
      store.dialect === "sqlite"
        ? // A file where the directory should be.
          { dialect: "sqlite", path: join(fileInTemp(), "switchboard.db") }
        : { dialect: "postgres", url: "postgres://postgres@127.0.0.1:1/postgres" };
    config.database = unreachable;
    const failures = await Promise.allSettled([getDb(), getDb()]);
    expect(failures.map((f) => f.status)).toEqual(["rejected", "rejected"]);
    expect(migrateToLatest).toHaveBeenCalledTimes(1);

    config.database = (await store.create()).config;
    const db = await getDb();
    expect(await executedMigrations(db)).toEqual(MIGRATION_NAMES);
  });
});

const temp = mkdtempSync(join(tmpdir(), "switchboard-client-"));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

function fileInTemp(): string {
  const path = join(temp, `file-${Math.random().toString(36).slice(2)}`);
  writeFileSync(path, "");
  return path;
}

describe("createDb on SQLite", () => {
  it("creates the file and its directory on first use, in WAL mode with foreign keys on", async () => {
    const path = join(temp, "nested", "deeper", "switchboard.db");
    const db = createDb({ dialect: "sqlite", path });
    try {
      expect(existsSync(path)).toBe(false);
      const pragma = async (name: string) => Object.values((await sql.raw<Record<string, unknown>>(`pragma ${name}`).execute(db)).rows[0] ?? {})[0];
      expect(await pragma("journal_mode")).toBe("wal");
      expect(await pragma("foreign_keys")).toBe(1);
      expect(await pragma("busy_timeout")).toBe(5000);
      // 1 = NORMAL
      expect(await pragma("synchronous")).toBe(1);
      expect(existsSync(path)).toBe(true);
    } finally {
      await db.destroy();
    }
  });
});

describe("createDb on SQLite: prepared statements", () => {
  it("prepares a query once and reuses it, each run with its own parameters, across a schema change and after a failure", async () => {
    const prepare = vi.spyOn(SqliteDatabase.prototype, "prepare");
    const db = createDb({ dialect: "sqlite", path: join(temp, "statements.db") }).withTables<{ t: { id: Generated<number>; name: string; extra: Generated<string> } }>();
    try {
      await db.schema.createTable("t").addColumn("id", "integer", (c) => c.primaryKey()).addColumn("name", "text", (c) => c.notNull().unique()).execute();
      for (const name of ["ada", "bob", "cy"]) await db.insertInto("t").values({ name }).execute();
      const nameOf = async (id: number) => (await db.selectFrom("t").selectAll().where("id", "=", id).executeTakeFirst())?.name;
      const preparedSelects = () => prepare.mock.calls.filter(([text]) => String(text).startsWith('select * from "t"')).length;

      expect([await nameOf(1), await nameOf(2), await nameOf(3), await nameOf(4)]).toEqual(["ada", "bob", "cy", undefined]);
      expect(preparedSelects()).toBe(1);

      // A reused statement sees the table as it is now (SQLite prepares it again by itself).
      await db.schema.alterTable("t").addColumn("extra", "text", (c) => c.defaultTo("x")).execute();
      expect(await db.selectFrom("t").selectAll().where("id", "=", 2).executeTakeFirst()).toEqual({ id: 2, name: "bob", extra: "x" });

      // A statement that failed (a constraint) runs again normally.
      await expect(db.insertInto("t").values({ name: "ada" }).execute()).rejects.toThrow(/UNIQUE/);
      await db.insertInto("t").values({ name: "dee" }).execute();
      expect(await nameOf(4)).toBe("dee");
      expect(preparedSelects()).toBe(1);
    } finally {
      prepare.mockRestore();
      await db.destroy();
    }
  });
});

const postgres = stores.find((store) => store.dialect === "postgres")!;

describe(`createDb on ${postgres.label}`, () => {
  it.skipIf(postgres.skip)("keeps at most 10 connections however many queries wait", async () => {
    const { db } = await postgres.create();
    const pids = await Promise.all(
      Array.from({ length: 25 }, async () => (await sql<{ pid: number }>`select pg_backend_pid() as pid, pg_sleep(0.2)`.execute(db)).rows[0]!.pid),
    );
    expect(new Set(pids).size).toBe(10);
  });
});
