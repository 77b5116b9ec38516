import { sql } from "kysely";
import { getDb } from "@/lib/db/client";

export const dynamic = "force-dynamic";

// GET /api/health — liveness and store reachability for load balancers; no session needed and
// nothing about the deployment revealed.
export async function GET() {
  try {
    const db = await getDb();
    await sql`select 1`.execute(db);
    return Response.json({ ok: true }, { headers: { "Cache-Control": "no-store" } });
  } catch {
    return Response.json({ ok: false, error: { code: "unavailable", message: "The store is not reachable." } }, { status: 503, headers: { "Cache-Control": "no-store" } });
  }
}
