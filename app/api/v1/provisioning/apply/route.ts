import { apiRoute } from "@/lib/http/api";
import { applyInput } from "@/lib/provision/api-schemas";
import { executeApply, prepareApply } from "@/lib/provision/service";

// POST /api/v1/provisioning/apply — create the role of a wizard document through the account's
// provisioning role, rolled back on failure: { ok, steps, error?, role? }. With
// `Accept: application/x-ndjson` the steps stream as they change ({ type: "steps" } lines, then
// one { type: "result" } line), so a page can show progress. A plan with errors or
// unacknowledged warnings is refused with a 400 before anything is created, streaming or not.
export const POST = apiRoute({ permission: "provisioning.manage", body: applyInput }, async ({ actor, body, meta, request }) => {
  const prepared = await prepareApply(actor, body.document, { acknowledgeWarnings: body.acknowledgeWarnings });
  if (!(request.headers.get("accept") ?? "").includes("application/x-ndjson")) return executeApply(actor, prepared, meta);

  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (line: object) => controller.enqueue(encoder.encode(`${JSON.stringify(line)}\n`));
      try {
        const result = await executeApply(actor, prepared, meta, (steps) => send({ type: "steps", steps }));
        send({ type: "result", ...result });
      } catch (err) {
        console.error(`[provision] apply failed (request ${meta.requestId}): ${err instanceof Error ? err.message : String(err)}`);
        send({ type: "result", ok: false, error: `The role could not be created, and what was created was rolled back as far as possible. Request id: ${meta.requestId}.` });
      } finally {
        controller.close();
      }
    },
  });
  return new Response(stream, { headers: { "Content-Type": "application/x-ndjson; charset=utf-8", "Cache-Control": "no-store" } });
});
