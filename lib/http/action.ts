import "server-only";
import { headers } from "next/headers";
import { unstable_rethrow } from "next/navigation";
import type { z } from "zod";
import type { Actor } from "@/lib/auth/guard";
import { AppError, type ErrorCode } from "@/lib/errors";
import { authorize, type Requirement } from "./authorize";
import { describeFailure } from "./failure";
import { requestMetaFrom, type RequestMeta } from "./request-meta";
import { describeZodError } from "./validation";

export type ActionError = { code: ErrorCode; message: string; fields?: Record<string, string>; details?: Record<string, unknown> };
export type ActionResult<T> = { ok: true; data: T } | { ok: false; error: ActionError };

/** Server actions are public POST endpoints: each one is built with this wrapper, which
 * re-authenticates against the store, checks the declared permission and parses the input
 * before the handler runs, and returns a small result instead of throwing to the browser. */
export function protectedAction<S extends z.ZodType, T>(
  spec: Requirement & { input: S },
  handler: (ctx: { actor: Actor; input: z.infer<S>; meta: RequestMeta }) => Promise<T>,
): (input: z.input<S>) => Promise<ActionResult<T>> {
  return async (raw: z.input<S>): Promise<ActionResult<T>> => {
    const meta = requestMetaFrom(await headers());
    const operation = `action ${spec.permission ?? "(signed in)"}`;
    let actor: Actor | null = null;
    try {
      actor = await authorize(spec, { operation, meta });
      const parsed = spec.input.safeParse(raw);
      if (!parsed.success) {
        const { message, fields } = describeZodError(parsed.error);
        throw new AppError("bad_request", message, { fields });
      }
      return { ok: true, data: await handler({ actor, input: parsed.data, meta }) };
    } catch (err) {
      unstable_rethrow(err);
      const { code, message, fields, details } = await describeFailure(err, { actor, operation, meta });
      return { ok: false, error: { code, message, ...(fields ? { fields } : {}), ...(details ? { details } : {}) } };
    }
  };
}
