// Postgres for the specs that run a console on it: a fresh database each, and a dump of what it holds.
import { randomBytes } from "node:crypto";
import pg from "pg";

const POSTGRES_ADMIN_URL = process.env.SWITCHBOARD_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

/** A fresh, empty database on the local Postgres (trust auth), dropped by `drop()`. */
export async function freshPostgresDatabase(): Promise<{ url: string; name: string; drop(): Promise<void> }> {
  const name = `switchboard_sec_${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL, connectionTimeoutMillis: 5000 });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: async () => {
      const c = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
      await c.connect();
      try {
        await c.query(`drop database if exists ${name} with (force)`);
      } finally {
        await c.end();
      }
    },
  };
}

/** Every row of every table of a Postgres database, as text. */
export async function dumpPostgres(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const tables = await client.query<{ table_name: string }>("select table_name from information_schema.tables where table_schema = 'public'");
    const parts: string[] = [];
    for (const { table_name } of tables.rows) {
      const rows = await client.query(`select * from "${table_name}"`);
      parts.push(`${table_name}\n${JSON.stringify(rows.rows)}`);
    }
    return parts.join("\n");
  } finally {
    await client.end();
  }
}
