import { sql } from "kysely";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { describeFailure } from "@/lib/http/failure";
import { requestMetaFrom } from "@/lib/http/request-meta";
import { requestLogger } from "@/lib/log";

export const dynamic = "force-dynamic";

// GET /api/health — liveness and store reachability for load balancers; no session needed and
// nothing about the deployment revealed.
export async function GET(request: Request) {
  try {
    const db = await getDb();
    await sql`select 1`.execute(db);
    return Response.json({ ok: true }, { headers: { "Cache-Control": "no-store" } });
  } catch (err) {
    // No proxy hops: the caller's address is not needed, and the configuration may be what failed.
    const meta = requestMetaFrom(request.headers, 0);
    requestLogger(meta).error({ err, operation: "GET /api/health" }, "the store is not reachable");
    const { status, body } = await describeFailure(new AppError("unavailable", "The store is not reachable.", { cause: err }), { actor: null, operation: "GET /api/health", meta });
    // `ok` as the healthy answer has it, for probes that read the body rather than the status.
    return Response.json({ ok: false, error: body }, { status, headers: { "Cache-Control": "no-store", "X-Request-Id": meta.requestId } });
  }
}
