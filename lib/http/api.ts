import "server-only";
import { unstable_rethrow } from "next/navigation";
import type { NextRequest } from "next/server";
import { z } from "zod";
import type { Actor } from "@/lib/auth/actor";
import { getActor } from "@/lib/auth/guard";
import { AppError } from "@/lib/errors";
import { authorize, authorizeToken, bearerToken, type Requirement } from "./authorize";
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

/** What a route parses, and its status for a successful JSON answer (default 200). */
type Parsing<P extends z.ZodType, B extends z.ZodType, Q extends z.ZodType> = {
  params?: P;
  body?: B;
  query?: Q;
  status?: number;
};

type Spec<P extends z.ZodType, B extends z.ZodType, Q extends z.ZodType> = Requirement & Parsing<P, B, Q>;

/** A failure's headers: never cached, with the request id (and Retry-After for 429 and 503). */
function failureHeaders(failure: Failure): Record<string, string> {
  return {
    ...NO_STORE,
    ...(failure.body.requestId ? { "X-Request-Id": failure.body.requestId } : {}),
    ...(failure.retryAfter ? { "Retry-After": String(failure.retryAfter) } : {}),
  };
}

/** What the guard needs from a request, whoever received it: Next.js (apiRoute) or the console's
 * own listener for the switch (lib/http/fast-route.ts). */
export type IncomingRequest = {
  method: string;
  pathname: string;
  headers: Headers;
  /** The origin Next.js serves the request at, allowed besides the configured base URL's. */
  origin?: string;
  searchParams: URLSearchParams;
  params: () => Promise<Record<string, string | string[] | undefined>>;
  /** The body as text; may stop reading (and throw payload_too_large) past MAX_JSON_BODY_BYTES. */
  text: () => Promise<string>;
  /** Who the session cookie names (getActor inside Next.js). */
  actor: () => Promise<Actor | null>;
};

const TOO_LARGE_MESSAGE = "The request body must be at most 1 MB.";

export const tooLarge = () => new AppError("payload_too_large", TOO_LARGE_MESSAGE);

async function readJson(request: Pick<IncomingRequest, "headers" | "text">): Promise<unknown> {
  const length = Number(request.headers.get("content-length") ?? "0");
  if (length > MAX_JSON_BODY_BYTES) throw tooLarge();
  const text = await request.text();
  if (Buffer.byteLength(text) > MAX_JSON_BODY_BYTES) throw tooLarge();
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

/** An API answer before it is written: a JSON body (or a Response a handler built itself), its
 * status and headers. */
export type ApiAnswer = { status: number; headers: Record<string, string>; json: unknown } | { response: Response };

/** The guard and the answer, for any request: refuses cross-site writes, authenticates against
 * the store, checks the declared permission, parses params, query and body with zod, runs the
 * handler, and maps errors to `{ error: ErrorBody }` (lib/errors.ts) — never a stack trace. */
async function guarded<P extends z.ZodType, B extends z.ZodType, Q extends z.ZodType, A extends Actor | null = Actor>(
  spec: Parsing<P, B, Q> & { access: Requirement | "public" },
  request: IncomingRequest,
  meta: RequestMeta,
  handler: (ctx: Omit<ApiContext<z.infer<P>, z.infer<B>, z.infer<Q>>, "request" | "actor"> & { actor: A }) => Promise<unknown>,
): Promise<ApiAnswer> {
  const operation = `${request.method} ${request.pathname}`;
  let actor: Actor | null = null;
  try {
    if (request.method !== "GET" && request.method !== "HEAD" && isCrossSite(request.headers, request.origin)) {
      await recordCrossSite(request.headers, operation, meta);
      throw new AppError("forbidden", CROSS_SITE_MESSAGE);
    }
    if (spec.access !== "public") {
      // A personal access token, when the request carries one, and the session cookie otherwise.
      const token = bearerToken(request.headers);
      actor = token === undefined ? await authorize(spec.access, { operation, meta }, request.actor) : await authorizeToken(spec.access, { operation, meta }, token);
    }
    const params = parse(spec.params, await request.params(), "path");
    const query = parse(spec.query, Object.fromEntries(request.searchParams), "query");
    const body = spec.body ? parse(spec.body, await readJson(request), "body") : (undefined as z.infer<B>);
    // A public route's handler is typed to receive null; every other one the actor just checked.
    const result = await handler({ actor: actor as A, params, body, query, meta });
    if (result instanceof Response) {
      if (!result.headers.has("Cache-Control")) result.headers.set("Cache-Control", "no-store");
      result.headers.set("X-Request-Id", meta.requestId);
      return { response: result };
    }
    return { status: spec.status ?? 200, headers: { ...NO_STORE, "X-Request-Id": meta.requestId }, json: result ?? { ok: true } };
  } catch (err) {
    unstable_rethrow(err);
    const failure = await describeFailure(err, { actor, operation, meta });
    return { status: failure.status, headers: failureHeaders(failure), json: { error: failure.body } };
  }
}

function nextRequest(request: NextRequest, context: RouteContext): IncomingRequest {
  return {
    method: request.method,
    pathname: request.nextUrl.pathname,
    headers: request.headers,
    origin: request.nextUrl.origin,
    searchParams: request.nextUrl.searchParams,
    params: async () => (await context.params) ?? {},
    text: () => request.text(),
    actor: getActor,
  };
}

/** Every route handler goes through here (or apiOperation): the one guard above, for Next.js's
 * request and Response. */
export function apiRoute<P extends z.ZodType = z.ZodUndefined, B extends z.ZodType = z.ZodUndefined, Q extends z.ZodType = z.ZodUndefined>(
  spec: Spec<P, B, Q>,
  handler: (ctx: ApiContext<z.infer<P>, z.infer<B>, z.infer<Q>>) => Promise<unknown>,
) {
  return async (request: NextRequest, context: RouteContext): Promise<Response> => {
    const meta = requestMetaFrom(request.headers);
    const { result: answer, header } = await collectServerTiming(() => guarded({ ...spec, access: spec }, nextRequest(request, context), meta, (ctx) => handler({ ...ctx, request })));
    return toResponse(answer, header());
  };
}

function toResponse(answer: ApiAnswer, serverTiming: string): Response {
  const response = "response" in answer ? answer.response : Response.json(answer.json, { status: answer.status, headers: answer.headers });
  response.headers.set("Server-Timing", serverTiming);
  return response;
}

/** The few route handlers nobody signs in for: the command line's device sign-in (RFC 8628:
 * POST /api/v1/device/authorizations and /device/token), where the caller has no session and no
 * token yet; its proof is in the body (the device code), which the handler checks. Everything
 * else of the guard stays: cross-site writes refused (no browser of another site has a reason
 * to call these), params, query and body parsed by zod within the 1 MB limit, the one error
 * body, no-store and the request id. The session cookie and Authorization header are not read:
 * the handler gets no actor, so it can do nothing on anyone's behalf. Declare one only for an
 * entry point whose whole point is to be called before signing in. */
export function publicRoute<P extends z.ZodType = z.ZodUndefined, B extends z.ZodType = z.ZodUndefined, Q extends z.ZodType = z.ZodUndefined>(
  spec: Parsing<P, B, Q>,
  handler: (ctx: Omit<ApiContext<z.infer<P>, z.infer<B>, z.infer<Q>>, "actor">) => Promise<unknown>,
) {
  return async (request: NextRequest, context: RouteContext): Promise<Response> => {
    const meta = requestMetaFrom(request.headers);
    const { result: answer, header } = await collectServerTiming(() =>
      guarded<P, B, Q, null>({ ...spec, access: "public" }, nextRequest(request, context), meta, ({ actor: _actor, ...ctx }) => handler({ ...ctx, request })),
    );
    return toResponse(answer, header());
  };
}

/** An operation that Next.js serves as a route handler (`next`) and the console can also answer
 * itself, ahead of Next.js (`answer`, lib/http/fast-route.ts), through the same guard: for the one
 * request where Next.js's own per-request work is a large share of the time, the switch. Its
 * handler sees no NextRequest and answers JSON. */
export function apiOperation<P extends z.ZodType = z.ZodUndefined, B extends z.ZodType = z.ZodUndefined, Q extends z.ZodType = z.ZodUndefined>(
  spec: Spec<P, B, Q>,
  handler: (ctx: Omit<ApiContext<z.infer<P>, z.infer<B>, z.infer<Q>>, "request">) => Promise<unknown>,
) {
  return {
    next: apiRoute(spec, ({ request: _request, ...ctx }) => handler(ctx)),
    /** The answer to a request received outside Next.js, with its Server-Timing header. */
    answer: async (request: IncomingRequest, meta: RequestMeta): Promise<{ status: number; headers: Record<string, string>; json: unknown }> => {
      const { result: answer, header } = await collectServerTiming(() => guarded({ ...spec, access: spec }, request, meta, handler));
      if ("response" in answer) throw new Error("apiOperation handlers answer JSON, not a Response");
      return { ...answer, headers: { ...answer.headers, "Server-Timing": header() } };
    },
  };
}

export type ApiOperation = ReturnType<typeof apiOperation>;
