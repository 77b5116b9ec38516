import "server-only";
import { Migrator, SqliteAdapter, type Kysely, type MigrationResultSet } from "kysely";
import { setTimeout as sleep } from "node:timers/promises";
import { migrationProvider, type MigrationName } from "./migrations";
import type { Database } from "./schema";

/** Migrations did not run; the message names the one that failed. On Postgres the store is left
 * as it was before the attempt (Kysely runs the pending migrations in one transaction, and
 * Postgres rolls DDL back); on SQLite each migration is its own step, so those before the one
 * that failed stay applied. */
export class MigrationError extends Error {
  readonly migration: string | undefined;
  constructor(migration: string | undefined, cause: unknown) {
    const why = cause instanceof Error ? cause.message : String(cause);
    super(migration ? `Store migration ${migration} failed: ${why}` : `Store migrations could not run: ${why}`, { cause });
    this.name = "MigrationError";
    this.migration = migration;
  }
}

// Two processes may migrate one store at the same time: console instances starting together
// on Postgres, or `npm run db:migrate` next to a running server on SQLite.
// - Postgres: Kysely's Migrator holds a session advisory lock (per database) while it works, so
//   the later process waits, then finds nothing left to do.
// - SQLite: Kysely takes no lock across connections. The slower process fails instead (its
//   snapshot is stale, or the table it creates now exists, or SQLITE_BUSY), after rolling back
//   everything it did. So when a run fails and another process has applied migrations in the
//   meantime, or the file was busy, the run is simply repeated.
const SQLITE_ATTEMPTS = 3;
const SQLITE_RETRY_DELAY_MS = 100;

type Operation = (migrator: Migrator) => Promise<MigrationResultSet>;

/** The executed migrations, or undefined when they cannot be read right now. */
async function executed(migrator: Migrator): Promise<string | undefined> {
  try {
    return (await migrator.getMigrations()).filter((m) => m.executedAt).map((m) => m.name).join(",");
  } catch {
    return undefined;
  }
}

function isBusy(error: unknown): boolean {
  return typeof error === "object" && error !== null && "code" in error && String(error.code).startsWith("SQLITE_BUSY");
}

async function run(db: Kysely<Database>, operation: Operation): Promise<string[]> {
  const migrator = new Migrator({ db, provider: migrationProvider });
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  // SQLite runs each migration on its own (its adapter has no transactional DDL in Kysely), so an
  // attempt that fails halfway may already have applied some: they count as applied by this run.
  const applied: string[] = [];
  for (let attempt = 1; ; attempt++) {
    const before = sqlite ? await executed(migrator) : undefined;
    const { error, results = [] } = await operation(migrator);
    applied.push(...results.filter((r) => r.status === "Success").map((r) => r.migrationName));
    if (error === undefined) return applied;
    if (sqlite && attempt < SQLITE_ATTEMPTS) {
      await sleep(SQLITE_RETRY_DELAY_MS * attempt);
      if (isBusy(error) || (await executed(migrator)) !== before) continue;
    }
    throw new MigrationError(results.find((r) => r.status === "Error")?.migrationName, error);
  }
}

/** Applies every pending migration; returns the names of those applied now (none: up to date). */
export function migrateToLatest(db: Kysely<Database>): Promise<string[]> {
  return run(db, (migrator) => migrator.migrateToLatest());
}

/** Migrates up or down to `target` (tests start from an older schema with it). Returns the
 * names of the migrations run, in the order they ran. */
export function migrateTo(db: Kysely<Database>, target: MigrationName): Promise<string[]> {
  return run(db, (migrator) => migrator.migrateTo(target));
}
