import "server-only";
import { headers } from "next/headers";
import { unstable_rethrow } from "next/navigation";
import type { z } from "zod";
import { getActor, type Actor } from "@/lib/auth/guard";
import { can, type Permission } from "@/lib/auth/permissions";
import { recordDenial } from "@/lib/audit/record";
import { AppError, type ErrorCode } from "@/lib/errors";
import { requestMetaFrom, type RequestMeta } from "./request-meta";
import { describeZodError } from "./validation";

export type ActionError = { code: ErrorCode; message: string; fields?: Record<string, string>; details?: Record<string, unknown> };
export type ActionResult<T> = { ok: true; data: T } | { ok: false; error: ActionError };

/** Server actions are public POST endpoints: each one is built with this wrapper, which
 * re-authenticates against the store, checks the declared permission and parses the input
 * before the handler runs, and returns a small result instead of throwing to the browser. */
export function protectedAction<S extends z.ZodType, T>(
  spec: { permission: Permission | null; input: S },
  handler: (ctx: { actor: Actor; input: z.infer<S>; meta: RequestMeta }) => Promise<T>,
): (input: z.input<S>) => Promise<ActionResult<T>> {
  return async (raw: z.input<S>): Promise<ActionResult<T>> => {
    const meta = requestMetaFrom(await headers());
    let actor: Actor | null = null;
    try {
      actor = await getActor();
      if (!actor) return { ok: false, error: { code: "unauthorized", message: "Your session has ended. Sign in again." } };
      if (spec.permission && !can(actor.role, spec.permission)) {
        const message = `Your console role (${actor.role}) does not allow this.`;
        await recordDenial(actor, { operation: `action ${spec.permission}`, reason: message, request: meta });
        return { ok: false, error: { code: "forbidden", message } };
      }
      const parsed = spec.input.safeParse(raw);
      if (!parsed.success) {
        const { message, fields } = describeZodError(parsed.error);
        return { ok: false, error: { code: "bad_request", message, fields } };
      }
      return { ok: true, data: await handler({ actor, input: parsed.data, meta }) };
    } catch (err) {
      unstable_rethrow(err);
      if (err instanceof AppError) {
        if (err.code === "forbidden" && !err.audited && actor) await recordDenial(actor, { operation: `action ${spec.permission ?? "(signed in)"}`, reason: err.message, request: meta });
        return { ok: false, error: { code: err.code, message: err.message, ...(err.fields ? { fields: err.fields } : {}), ...(err.details ? { details: err.details } : {}) } };
      }
      console.error(`[action] failed (request ${meta.requestId}): ${err instanceof Error ? err.message : String(err)}`);
      return { ok: false, error: { code: "internal", message: `Something went wrong on our side. Request id: ${meta.requestId}.` } };
    }
  };
}
