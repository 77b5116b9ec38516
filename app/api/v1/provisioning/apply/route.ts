import type { ErrorBody } from "@/lib/errors";
import { apiRoute } from "@/lib/http/api";
import { describeFailure } from "@/lib/http/failure";
import { applyInput, idempotencyKeyHeader } from "@/lib/provision/api-schemas";
import { earlierApply, executeApply, prepareApply, type CreateRoleResult } from "@/lib/provision/service";

/** An apply that ran and failed says why in words (which step, what AWS answered, what was rolled
 * back); answers stored before errors had codes (replayed by Idempotency-Key) do too. They are
 * answered in the one error body, as AWS's failure: upstream_error. */
function answer(result: CreateRoleResult, requestId: string): Omit<CreateRoleResult, "error"> & { error?: ErrorBody } {
  const { error, ...rest } = result as Omit<CreateRoleResult, "error"> & { error?: string | ErrorBody };
  if (error === undefined) return rest;
  return { ...rest, error: typeof error === "string" ? { code: "upstream_error", message: error, requestId } : { ...error, requestId: error.requestId ?? requestId } };
}

// POST /api/v1/provisioning/apply — create the role of a wizard document through the account's
// provisioning role, rolled back on failure: { ok, steps, error?, role? }. With
// `Accept: application/x-ndjson` the steps stream as they change ({ type: "steps" } lines, then
// one { type: "result" } line), so a page can show progress. A failure's `error` is the one error
// body (lib/errors.ts), in the JSON answer and on the stream's result line alike. A plan with
// errors or unacknowledged warnings is refused with a 400 before anything is created, streaming
// or not.
// With an `Idempotency-Key` header, asking again with the same key returns the first answer
// (`Idempotent-Replayed: true`) instead of applying twice; 409 while the first is still running.
// Creating a role needs a sign-in from the last 15 minutes (step_up_required otherwise).
export const POST = apiRoute({ permission: "provisioning.manage", stepUp: true, body: applyInput }, async ({ actor, body, meta, request }) => {
  const idempotencyKey = idempotencyKeyHeader(request.headers.get("idempotency-key"));
  const streaming = (request.headers.get("accept") ?? "").includes("application/x-ndjson");
  const replay = idempotencyKey ? await earlierApply(actor, idempotencyKey, body.document) : undefined;
  if (replay) {
    const headers = { "Idempotent-Replayed": "true", "Cache-Control": "no-store" };
    if (!streaming) return Response.json(answer(replay, meta.requestId), { headers });
    return new Response(`${JSON.stringify({ type: "result", ...answer(replay, meta.requestId) })}\n`, { headers: { ...headers, "Content-Type": "application/x-ndjson; charset=utf-8" } });
  }
  const prepared = await prepareApply(actor, body.document, { acknowledgeWarnings: body.acknowledgeWarnings });
  if (!streaming) return answer(await executeApply(actor, prepared, meta, undefined, { idempotencyKey }), meta.requestId);

  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (line: object) => controller.enqueue(encoder.encode(`${JSON.stringify(line)}\n`));
      try {
        const result = await executeApply(actor, prepared, meta, (steps) => send({ type: "steps", steps }), { idempotencyKey });
        send({ type: "result", ...answer(result, meta.requestId) });
      } catch (err) {
        // The 200 and its headers are sent already, so a thrown failure becomes the result line,
        // through the same mapping as every other answer: an AppError in its own words, anything
        // else logged and answered generically with the request id.
        const failure = await describeFailure(err, { actor, operation: "POST /api/v1/provisioning/apply", meta });
        send({ type: "result", ok: false, error: failure.body });
      } finally {
        controller.close();
      }
    },
  });
  return new Response(stream, { headers: { "Content-Type": "application/x-ndjson; charset=utf-8", "Cache-Control": "no-store" } });
});
