import "server-only";
// The switch, answered by the console itself ahead of Next.js.
//
// A switch is the request people wait on, and most of what the console adds to it was Next.js's
// own per-request work, not ours: routing, a web Request built from the Node request, an
// AsyncLocalStorage snapshot, the body piped through web streams. Measured in one run, a route
// handler that does nothing costs 2.05 ms end to end under `next start`, a Pages API route 1.06 ms
// and a bare node:http server 0.15 ms; the switch's own work (session check, grant check, audit
// row) is about 1 ms. So `POST /api/v1/sessions`, exactly that path, is answered here, through the
// same guard as every route (lib/http/api.ts: cross-site check, authorize, zod, describeFailure),
// with the same cookie parser Next.js uses and the same security headers next.config.js sets.
// Anything else, and any variant of it (a query string, a trailing slash, another method, a request
// from an Origin other than the configured base URL's), goes on to Next.js, whose route handler
// for the path (app/api/v1/sessions/route.ts) is the same operation: the answer is the same either
// way, only faster here.
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { RequestCookies } from "next/dist/server/web/spec-extension/cookies";
import { actorFromCookies } from "@/lib/auth/guard";
import { ERROR_STATUS, internalErrorBody } from "@/lib/errors";
import { logger, requestLogger } from "@/lib/log";
import { MAX_JSON_BODY_BYTES, tooLarge, type ApiOperation, type IncomingRequest } from "./api";
import { isCrossSite } from "./cross-site";
import { markPeerAddress } from "./peer-address";
import { requestMetaFrom } from "./request-meta";
import securityHeaderList from "./security-headers.json";

export type FastRoute = { method: "POST"; path: `/api/${string}`; operation: ApiOperation };

const SECURITY_HEADERS: Record<string, string> = Object.fromEntries(securityHeaderList.map(({ key, value }) => [key, value]));

type Global = { __switchboardFastRoutes?: boolean };
const g = globalThis as Global;

/** Answers the given routes ahead of Next.js in this process's HTTP servers (once per process;
 * called from instrumentation.ts before any request). */
export function installFastRoutes(http: { Server: typeof Server }, routes: readonly FastRoute[]): void {
  if (g.__switchboardFastRoutes) return;
  g.__switchboardFastRoutes = true;
  const take = fastRoutes(routes);
  const emit = http.Server.prototype.emit as (this: Server, event: string | symbol, ...args: unknown[]) => boolean;
  http.Server.prototype.emit = function (this: Server, event: string | symbol, ...args: unknown[]): boolean {
    if (event === "request" && take(args[0] as IncomingMessage, args[1] as ServerResponse)) return true;
    return emit.call(this, event, ...args);
  } as typeof http.Server.prototype.emit;
}

/** The routes as a request listener that answers what it takes and says whether it did; what it
 * does not take is left untouched, for Next.js. */
export function fastRoutes(routes: readonly FastRoute[]): (req: IncomingMessage, res: ServerResponse) => boolean {
  const byRequestLine = new Map(routes.map((route) => [`${route.method} ${route.path}`, route]));
  return (req, res) => {
    const route = byRequestLine.get(`${req.method} ${req.url}`);
    const headers = route && ownRequest(req);
    if (!route || !headers) return false;
    markPeerAddress(req, headers);
    // serve() answers every failure itself; this only keeps a bug in it from becoming an
    // unhandled rejection (which would end the process) or a request left hanging.
    serve(route, req, res, headers).catch((err: unknown) => {
      logger.error({ err, operation: `${route.method} ${route.path}` }, "the switch's fast route failed");
      if (!res.headersSent) res.writeHead(ERROR_STATUS.internal, { ...SECURITY_HEADERS, "Cache-Control": "no-store" });
      res.end();
    });
    return true;
  };
}

/** The request's headers when the console takes it: not cross-site by the configured base URL
 * alone (Next.js also allows the origin it is served at; such a request goes to it). */
function ownRequest(req: IncomingMessage): Headers | undefined {
  let headers: Headers;
  try {
    headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (Array.isArray(value)) for (const v of value) headers.append(name, v);
      else if (value !== undefined) headers.set(name, value);
    }
  } catch {
    return undefined;
  }
  return isCrossSite(headers) ? undefined : headers;
}

async function serve(route: FastRoute, req: IncomingMessage, res: ServerResponse, headers: Headers): Promise<void> {
  const meta = requestMetaFrom(headers);
  const request: IncomingRequest = {
    method: route.method,
    pathname: route.path,
    headers,
    searchParams: new URLSearchParams(),
    params: async () => ({}),
    text: () => readBody(req),
    actor: () => actorFromCookies(new RequestCookies(headers)),
  };
  let status: number;
  let answerHeaders: Record<string, string>;
  let body: string;
  try {
    const answer = await route.operation.answer(request, meta);
    ({ status, headers: answerHeaders } = answer);
    body = JSON.stringify(answer.json);
  } catch (err) {
    requestLogger(meta).error({ err, operation: `${route.method} ${route.path}` }, "unexpected failure");
    status = ERROR_STATUS.internal;
    answerHeaders = { "Cache-Control": "no-store", Pragma: "no-cache", "X-Request-Id": meta.requestId };
    body = JSON.stringify({ error: internalErrorBody(meta.requestId) });
  }
  res.writeHead(status, { ...SECURITY_HEADERS, "Content-Type": "application/json", ...answerHeaders, "Content-Length": String(Buffer.byteLength(body)) });
  res.end(body);
}

/** The body as text, as a web Request's text() reads it (UTF-8, a leading BOM dropped, bad bytes
 * replaced), read no further than one byte past the limit. */
function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    const onData = (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > MAX_JSON_BODY_BYTES) {
        req.off("data", onData);
        // The rest is read and dropped, so the connection can carry the answer.
        req.resume();
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    };
    req.on("data", onData);
    req.once("end", () => resolve(new TextDecoder().decode(Buffer.concat(chunks))));
    req.once("error", reject);
  });
}
