import "server-only";
import { unstable_rethrow } from "next/navigation";
import type { NextRequest } from "next/server";
import { z } from "zod";
import type { Actor } from "@/lib/auth/actor";
import { AppError } from "@/lib/errors";
import { authorize, type Requirement } from "./authorize";
import { CROSS_SITE_MESSAGE, isCrossSite, recordCrossSite } from "./cross-site";
import { describeFailure, type Failure } from "./failure";
import { requestMetaFrom, type RequestMeta } from "./request-meta";
import { collectServerTiming } from "./server-timing";
import { describeZodError } from "./validation";

export const MAX_JSON_BODY_BYTES = 1024 * 1024;

const NO_STORE = { "Cache-Control": "no-store", Pragma: "no-cache" };

type RouteContext = { params: Promise<Record<string, string | string[] | undefined>> };

export type ApiContext<P, B, Q> = {
  actor: Actor;
  params: P;
  body: B;
  query: Q;
  request: NextRequest;
  meta: RequestMeta;
};

type Spec<P extends z.ZodType, B extends z.ZodType, Q extends z.ZodType> = Requirement & {
  params?: P;
  body?: B;
  query?: Q;
  /** Status for a successful JSON answer (default 200). */
  status?: number;
};

/** A failure as JSON: `{ error: ErrorBody }` with its status, never cached, with the request id
 * as a header too (and Retry-After for 429 and 503). */
export function errorResponse(failure: Failure): Response {
  return Response.json(
    { error: failure.body },
    {
      status: failure.status,
      headers: {
        ...NO_STORE,
        ...(failure.body.requestId ? { "X-Request-Id": failure.body.requestId } : {}),
        ...(failure.retryAfter ? { "Retry-After": String(failure.retryAfter) } : {}),
      },
    },
  );
}

async function readJson(request: NextRequest): Promise<unknown> {
  const length = Number(request.headers.get("content-length") ?? "0");
  if (length > MAX_JSON_BODY_BYTES) throw new AppError("payload_too_large", "The request body must be at most 1 MB.");
  const text = await request.text();
  if (Buffer.byteLength(text) > MAX_JSON_BODY_BYTES) throw new AppError("payload_too_large", "The request body must be at most 1 MB.");
  if (!text.trim()) return {};
  const type = request.headers.get("content-type") ?? "";
  if (!type.includes("application/json")) throw new AppError("bad_request", "Send the body as JSON, with Content-Type: application/json.");
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError("bad_request", "The request body is not valid JSON.");
  }
}

function parse<T extends z.ZodType>(schema: T | undefined, value: unknown, where: string): z.infer<T> {
  if (!schema) return undefined as z.infer<T>;
  const result = schema.safeParse(value);
  if (!result.success) {
    const { message, fields } = describeZodError(result.error);
    throw new AppError("bad_request", where === "body" ? message : `Invalid ${where}: ${message}`, { fields });
  }
  return result.data;
}

/** Every route handler goes through here: it authenticates against the store, checks the
 * declared permission, refuses cross-site writes, parses params, query and body with zod, and
 * maps errors to `{ error: ErrorBody }` (lib/errors.ts) — never a stack trace. */
export function apiRoute<P extends z.ZodType = z.ZodUndefined, B extends z.ZodType = z.ZodUndefined, Q extends z.ZodType = z.ZodUndefined>(
  spec: Spec<P, B, Q>,
  handler: (ctx: ApiContext<z.infer<P>, z.infer<B>, z.infer<Q>>) => Promise<unknown>,
) {
  const handle = async (request: NextRequest, context: RouteContext, meta: RequestMeta): Promise<Response> => {
    const operation = `${request.method} ${request.nextUrl.pathname}`;
    let actor: Actor | null = null;
    try {
      if (request.method !== "GET" && request.method !== "HEAD" && isCrossSite(request.headers, request.nextUrl.origin)) {
        await recordCrossSite(request.headers, operation, meta);
        throw new AppError("forbidden", CROSS_SITE_MESSAGE);
      }
      actor = await authorize(spec, { operation, meta });
      const params = parse(spec.params, await context.params, "path");
      const query = parse(spec.query, Object.fromEntries(request.nextUrl.searchParams), "query");
      const body = spec.body ? parse(spec.body, await readJson(request), "body") : (undefined as z.infer<B>);
      const result = await handler({ actor, params, body, query, request, meta });
      if (result instanceof Response) {
        if (!result.headers.has("Cache-Control")) result.headers.set("Cache-Control", "no-store");
        result.headers.set("X-Request-Id", meta.requestId);
        return result;
      }
      return Response.json(result ?? { ok: true }, { status: spec.status ?? 200, headers: { ...NO_STORE, "X-Request-Id": meta.requestId } });
    } catch (err) {
      unstable_rethrow(err);
      return errorResponse(await describeFailure(err, { actor, operation, meta }));
    }
  };
  return async (request: NextRequest, context: RouteContext): Promise<Response> => {
    const meta = requestMetaFrom(request.headers);
    const { result: response, header } = await collectServerTiming(() => handle(request, context, meta));
    response.headers.set("Server-Timing", header());
    return response;
  };
}
