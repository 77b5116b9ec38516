import "server-only";
import { headers } from "next/headers";
import { unstable_rethrow } from "next/navigation";
import type { z } from "zod";
import type { Actor } from "@/lib/auth/actor";
import { AppError, type ErrorBody } from "@/lib/errors";
import { authorize, type Requirement } from "./authorize";
import { CROSS_SITE_MESSAGE, isCrossSite, recordCrossSite } from "./cross-site";
import { describeFailure } from "./failure";
import { requestMetaFrom, type RequestMeta } from "./request-meta";
import { describeZodError } from "./validation";

/** The origin the browser addressed, as Next.js's own action check reads it (Host, or the
 * forwarded host behind a proxy). */
function hostOrigin(h: Headers): string | undefined {
  const host = h.get("x-forwarded-host") ?? h.get("host");
  return host ? `${h.get("x-forwarded-proto") ?? "http"}://${host}` : undefined;
}

/** A failed action's error: the one error body (lib/errors.ts), as API routes answer it. */
export type ActionError = ErrorBody;
export type ActionResult<T> = { ok: true; data: T } | { ok: false; error: ActionError };

/** Server actions are public POST endpoints: each one is built with this wrapper, which
 * re-authenticates against the store, checks the declared permission and parses the input
 * before the handler runs, and returns a small result instead of throwing to the browser. */
export function protectedAction<S extends z.ZodType, T>(
  spec: Requirement & { input: S },
  handler: (ctx: { actor: Actor; input: z.infer<S>; meta: RequestMeta }) => Promise<T>,
): (input: z.input<S>) => Promise<ActionResult<T>> {
  return async (raw: z.input<S>): Promise<ActionResult<T>> => {
    const h = await headers();
    const meta = requestMetaFrom(h);
    const operation = `action ${spec.permission ?? "(signed in)"}`;
    let actor: Actor | null = null;
    try {
      // Next.js checks an action's Origin against its Host, but lets a request with no Origin
      // through; Fetch Metadata closes that gap.
      if (isCrossSite(h, hostOrigin(h))) {
        await recordCrossSite(h, operation, meta);
        throw new AppError("forbidden", CROSS_SITE_MESSAGE);
      }
      actor = await authorize(spec, { operation, meta });
      const parsed = spec.input.safeParse(raw);
      if (!parsed.success) {
        const { message, fields } = describeZodError(parsed.error);
        throw new AppError("bad_request", message, { fields });
      }
      return { ok: true, data: await handler({ actor, input: parsed.data, meta }) };
    } catch (err) {
      unstable_rethrow(err);
      return { ok: false, error: (await describeFailure(err, { actor, operation, meta })).body };
    }
  };
}

/** The same wrapper for the one action that must work before anyone can sign in (/setup): the
 * cross-site check, the input parsed, failures mapped — and no session, which the handler must
 * make up for with a check of its own (the setup token). */
export function publicAction<S extends z.ZodType, T>(
  spec: { operation: string; input: S },
  handler: (ctx: { input: z.infer<S>; meta: RequestMeta }) => Promise<T>,
): (input: z.input<S>) => Promise<ActionResult<T>> {
  return async (raw: z.input<S>): Promise<ActionResult<T>> => {
    const h = await headers();
    const meta = requestMetaFrom(h);
    try {
      if (isCrossSite(h, hostOrigin(h))) {
        await recordCrossSite(h, spec.operation, meta);
        throw new AppError("forbidden", CROSS_SITE_MESSAGE);
      }
      const parsed = spec.input.safeParse(raw);
      if (!parsed.success) {
        const { message, fields } = describeZodError(parsed.error);
        throw new AppError("bad_request", message, { fields });
      }
      return { ok: true, data: await handler({ input: parsed.data, meta }) };
    } catch (err) {
      unstable_rethrow(err);
      return { ok: false, error: (await describeFailure(err, { actor: null, operation: spec.operation, meta })).body };
    }
  };
}
