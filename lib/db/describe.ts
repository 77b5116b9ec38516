import type { DatabaseConfig } from "@/lib/config";

/** The database a config points at, for logs and CLI output: never a password. */
export function describeDatabase(database: DatabaseConfig): string {
  return database.dialect === "sqlite" ? `SQLite ${database.path}` : `Postgres ${maskUrl(database.url)}`;
}

/** A connection URL with its password (in the userinfo or a `password=` parameter) masked. */
export function maskUrl(raw: string): string {
  if (!URL.canParse(raw)) return "(an unparseable URL)";
  const url = new URL(raw);
  if (url.password) url.password = "****";
  for (const key of [...url.searchParams.keys()]) {
    if (/pass|secret|token|key/i.test(key)) url.searchParams.set(key, "****");
  }
  return url.toString();
}
