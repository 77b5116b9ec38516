import "server-only";
import { getConfig } from "@/lib/config";
import { getDb } from "@/lib/db/client";
import { newId } from "@/lib/db/ids";
import type { RequestMeta } from "@/lib/http/request-meta";

// One row per sign-in (migration 0005). The session cookie is a stateless JWT that names its row;
// the guard (getActor) refuses a session whose row has ended or gone idle, and reads the row's
// step-up time for operations that need a recent sign-in.

/** Opens the row for a sign-in that just succeeded, and clears out rows that can no longer be
 * used (older than the longest session), so the table stays the size of the active sessions. */
export async function openConsoleSession(userId: string, meta: RequestMeta): Promise<string> {
  const db = await getDb();
  const now = new Date();
  const id = newId();
  await db
    .insertInto("console_sessions")
    .values({ id, user_id: userId, created_at: now.toISOString(), last_seen_at: now.toISOString(), ip: meta.ip ?? null, user_agent: meta.userAgent?.slice(0, 500) ?? null })
    .execute();
  const stale = new Date(now.getTime() - getConfig().sessionMaxAgeSeconds * 1000).toISOString();
  await db.deleteFrom("console_sessions").where("created_at", "<", stale).execute();
  return id;
}

/** Records that the person proved who they are again in this session (a password re-entered). */
export async function markSteppedUp(sessionId: string): Promise<void> {
  const db = await getDb();
  await db.updateTable("console_sessions").set({ step_up_at: new Date().toISOString() }).where("id", "=", sessionId).execute();
}
