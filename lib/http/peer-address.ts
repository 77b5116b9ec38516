import "server-only";
// The address a request's connection came from, which Next.js does not give route handlers.
//
// Next.js fills in `x-forwarded-for` from the socket only when the client sent none
// (`req.headers['x-forwarded-for'] ??= socket.remoteAddress` in next/dist/server/base-server.js),
// so without a proxy in front, a client chooses its own "address" — and with it, its own
// per-address rate-limit bucket and the IP in the audit log. At start-up we wrap the HTTP
// server's request event to copy the socket's address into a header whose name is random per
// process: a client cannot set it, because it cannot know it.
import type { IncomingMessage, Server } from "node:http";
import { randomBytes } from "node:crypto";

type Global = { __switchboardPeerHeader?: string };
const g = globalThis as Global;

/** The header carrying the peer address in this process, once installed. */
export function peerHeaderName(): string | undefined {
  return g.__switchboardPeerHeader;
}

/** Installs the wrapper (once per process). Called from instrumentation.ts, before requests. */
export function installPeerAddressHeader(http: { Server: typeof Server }): void {
  if (g.__switchboardPeerHeader) return;
  const name = `x-switchboard-peer-${randomBytes(12).toString("hex")}`;
  const emit = http.Server.prototype.emit as (this: Server, event: string | symbol, ...args: unknown[]) => boolean;
  http.Server.prototype.emit = function (this: Server, event: string | symbol, ...args: unknown[]): boolean {
    if (event === "request") markPeerAddress(args[0] as IncomingMessage);
    return emit.call(this, event, ...args);
  } as typeof http.Server.prototype.emit;
  g.__switchboardPeerHeader = name;
}

/** Copies the connection's address into the request's headers (and `headers`, a copy of them
 * already made) under this process's header name, once installed. */
export function markPeerAddress(req: IncomingMessage, headers?: Headers): void {
  const name = g.__switchboardPeerHeader;
  const address = req.socket?.remoteAddress;
  if (!name || !address) return;
  req.headers[name] = address;
  headers?.set(name, address);
}
