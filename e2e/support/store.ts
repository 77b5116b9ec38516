// The shared console's store (a real SQLite file), for the few things a test must arrange that no
// request can: a sign-in, or a grant, that happened long enough ago.
import Database from "better-sqlite3";

/** Runs one write on the shared store, waiting for the console's own writes to finish. */
function onStore(run: (db: Database.Database) => void): void {
  const db = new Database(process.env.E2E_STORE!);
  try {
    db.pragma("busy_timeout = 5000");
    run(db);
  } finally {
    db.close();
  }
}

const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

/** Makes every open console session of this person look as if it began `minutes` ago. */
export function ageSessions(email: string, minutes: number): void {
  onStore((db) => db.prepare("update console_sessions set created_at = ? where user_id = (select id from users where email = ?)").run(ago(minutes * 60_000), email.toLowerCase()));
}

/** Makes every grant held by this person (directly, not through a group) look as if it was made
 * `days` ago: an access review flags only grants older than its window as unused. */
export function ageGrants(email: string, days: number): void {
  onStore((db) => db.prepare("update grants set created_at = ? where user_id = (select id from users where email = ?)").run(ago(days * 86_400_000), email.toLowerCase()));
}
