import { AppError } from "@/lib/errors";
import { apiRoute } from "@/lib/http/api";
import { applyInput, idempotencyKeyHeader } from "@/lib/provision/api-schemas";
import { earlierApply, executeApply, prepareApply } from "@/lib/provision/service";

// POST /api/v1/provisioning/apply — create the role of a wizard document through the account's
// provisioning role, rolled back on failure: { ok, steps, error?, role? }. With
// `Accept: application/x-ndjson` the steps stream as they change ({ type: "steps" } lines, then
// one { type: "result" } line), so a page can show progress. A plan with errors or
// unacknowledged warnings is refused with a 400 before anything is created, streaming or not.
// With an `Idempotency-Key` header, asking again with the same key returns the first answer
// (`Idempotent-Replayed: true`) instead of applying twice; 409 while the first is still running.
// Creating a role needs a sign-in from the last 15 minutes (step_up_required otherwise).
export const POST = apiRoute({ permission: "provisioning.manage", stepUp: true, body: applyInput }, async ({ actor, body, meta, request }) => {
  const idempotencyKey = idempotencyKeyHeader(request.headers.get("idempotency-key"));
  const streaming = (request.headers.get("accept") ?? "").includes("application/x-ndjson");
  const replay = idempotencyKey ? await earlierApply(actor, idempotencyKey, body.document) : undefined;
  if (replay) {
    const headers = { "Idempotent-Replayed": "true", "Cache-Control": "no-store" };
    if (!streaming) return Response.json(replay, { headers });
    return new Response(`${JSON.stringify({ type: "result", ...replay })}\n`, { headers: { ...headers, "Content-Type": "application/x-ndjson; charset=utf-8" } });
  }
  const prepared = await prepareApply(actor, body.document, { acknowledgeWarnings: body.acknowledgeWarnings });
  if (!streaming) return executeApply(actor, prepared, meta, undefined, { idempotencyKey });

  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (line: object) => controller.enqueue(encoder.encode(`${JSON.stringify(line)}\n`));
      try {
        const result = await executeApply(actor, prepared, meta, (steps) => send({ type: "steps", steps }), { idempotencyKey });
        send({ type: "result", ...result });
      } catch (err) {
        // A message meant for people (a key already in use) is passed on; anything else is logged.
        if (err instanceof AppError && err.status < 500) {
          send({ type: "result", ok: false, error: err.message });
          return;
        }
        console.error(`[provision] apply failed (request ${meta.requestId}): ${err instanceof Error ? err.message : String(err)}`);
        send({ type: "result", ok: false, error: `The role could not be created, and what was created was rolled back as far as possible. Request id: ${meta.requestId}.` });
      } finally {
        controller.close();
      }
    },
  });
  return new Response(stream, { headers: { "Content-Type": "application/x-ndjson; charset=utf-8", "Cache-Control": "no-store" } });
});
