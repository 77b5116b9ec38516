import "server-only";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import SqliteDatabase from "better-sqlite3";
import { Kysely, PostgresDialect, SqliteDialect, type SqliteDatabase as KyselySqliteDatabase, type SqliteStatement } from "kysely";
import pg from "pg";
import { getConfig, type DatabaseConfig } from "@/lib/config";
import { logger } from "@/lib/log";
import { migrateToLatest } from "./migrate";
import type { Database } from "./schema";

// Connections per console instance. Several instances share one Postgres, whose default
// max_connections is 100.
const POSTGRES_POOL_SIZE = 10;

// How long a SQLite write waits for another connection's write (the CLI migrating while the
// server runs) before failing with SQLITE_BUSY.
const SQLITE_BUSY_TIMEOUT_MS = 5000;

const INT8_OID = 20;

// Prepared statements kept per SQLite connection, by SQL text. Kysely prepares every query
// afresh, and preparing (parsing and planning) costs as much as running the small queries a
// request makes. The console's queries come from a fixed set of builders, so the set is small;
// the bound keeps a query with a varying `in (…)` list from growing it without end.
const STATEMENT_CACHE_SIZE = 500;

/** The connection as Kysely uses it (prepare, close), with prepared statements reused. A
 * statement still iterating a streamed result is busy and cannot run again: then a fresh one. */
function reusingStatements(db: SqliteDatabase.Database): KyselySqliteDatabase {
  const statements = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => {
      statements.clear();
      db.close();
    },
    prepare(sql: string): SqliteStatement {
      const kept = statements.get(sql);
      if (kept && !kept.busy) {
        // Most recently used last: the first key is the one to drop when full.
        statements.delete(sql);
        statements.set(sql, kept);
        return kept;
      }
      const statement = db.prepare(sql);
      if (!kept) {
        statements.set(sql, statement);
        if (statements.size > STATEMENT_CACHE_SIZE) statements.delete(statements.keys().next().value!);
      }
      return statement;
    },
  };
}

function sqliteDialect(path: string): SqliteDialect {
  return new SqliteDialect({
    // Opened on first use, so that creating a client has no side effects.
    database: async () => {
      if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
      const db = new SqliteDatabase(path);
      // WAL: readers do not block the writer. NORMAL is durable in WAL mode except for the
      // last transactions before a power loss (https://www.sqlite.org/pragma.html#pragma_synchronous).
      db.pragma("journal_mode = WAL");
      db.pragma("synchronous = NORMAL");
      // SQLite enforces foreign keys only when asked, per connection.
      db.pragma("foreign_keys = ON");
      db.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
      return reusingStatements(db);
    },
  });
}

function postgresDialect(url: string): PostgresDialect {
  return new PostgresDialect({
    pool: async () => {
      const pool = new pg.Pool({
        connectionString: url,
        max: POSTGRES_POOL_SIZE,
        // count(*) and other bigint results arrive as strings by default; as numbers they match
        // what SQLite returns. Counts in this store stay far below 2^53.
        types: { getTypeParser: (oid: number, format?: "text" | "binary") => (oid === INT8_OID ? Number : pg.types.getTypeParser(oid, format)) },
      });
      // An idle connection that the server drops emits "error" on the pool; unhandled, that
      // would end the process. The pool replaces the connection by itself.
      pool.on("error", (err) => logger.error({ err, operation: "store" }, "an idle Postgres connection failed"));
      return pool;
    },
  });
}

/** A store client for the given database: SQLite through better-sqlite3 (the parent directory
 * is created on first use), or Postgres through a bounded pool. Not migrated: see getDb(). */
export function createDb(database: DatabaseConfig): Kysely<Database> {
  const dialect = database.dialect === "postgres" ? postgresDialect(database.url) : sqliteDialect(database.path);
  return new Kysely<Database>({ dialect });
}

type Holder = { db?: Promise<Kysely<Database>> };

// On globalThis rather than in a module variable: Next.js dev re-evaluates modules on every
// edit, and each evaluation would otherwise open another pool.
const holder: Holder = ((globalThis as { __switchboardStore?: Holder }).__switchboardStore ??= {});

/** The process-wide store, built from the configuration and migrated to the latest schema
 * before first use. Concurrent first callers share one migration; after a failure the next
 * call tries again. */
export function getDb(): Promise<Kysely<Database>> {
  if (!holder.db) {
    const opening = open();
    holder.db = opening;
    opening.catch(() => {
      if (holder.db === opening) holder.db = undefined;
    });
  }
  return holder.db;
}

async function open(): Promise<Kysely<Database>> {
  const db = createDb(getConfig().database);
  try {
    await migrateToLatest(db);
    return db;
  } catch (err) {
    await db.destroy().catch(() => {});
    throw err;
  }
}

/** Closes the process-wide store (tests, shutdown). The next getDb() opens it again. */
export async function closeDb(): Promise<void> {
  const pending = holder.db;
  holder.db = undefined;
  const db = await pending?.catch(() => undefined);
  await db?.destroy();
}
