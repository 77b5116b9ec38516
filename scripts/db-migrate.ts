// `npm run db:migrate`: applies pending store migrations to the configured database
// (DATABASE_URL, or SQLite under SWITCHBOARD_DATA_DIR) and says what it did. The server also
// migrates on start; this is for deployments that migrate as a separate step.
import { getConfig } from "@/lib/config";
import { ConfigError } from "@/lib/config/schema";
import { createDb } from "@/lib/db/client";
import { describeDatabase } from "@/lib/db/describe";
import { migrateToLatest } from "@/lib/db/migrate";

async function main(): Promise<number> {
  let database;
  try {
    database = getConfig().database;
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      return 1;
    }
    throw err;
  }
  const where = describeDatabase(database);
  const db = createDb(database);
  try {
    const applied = await migrateToLatest(db);
    console.log(applied.length ? `Applied ${applied.length} migration(s) to ${where}: ${applied.join(", ")}.` : `${where} is already up to date.`);
    return 0;
  } catch (err) {
    // MigrationError names the migration; driver errors never carry the connection password.
    console.error(`Could not migrate ${where}: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  } finally {
    await db.destroy().catch(() => {});
  }
}

process.exitCode = await main();
