import "server-only";
import { randomUUID } from "node:crypto";
import { headers } from "next/headers";
import { cache } from "react";
import { getConfig } from "@/lib/config";
import { peerHeaderName } from "./peer-address";

export type RequestMeta = {
  ip?: string;
  userAgent?: string;
  requestId: string;
  /** The personal access token the request was authenticated with (set by the guard): every
   * audit row the request writes says so. */
  token?: { id: string; name: string };
};

/** Who is asking, for the audit log and the per-address limits.
 * - The address is the connection's (lib/http/peer-address.ts), unless the console sits behind
 *   reverse proxies you run (SWITCHBOARD_TRUST_PROXY=N): then it is the X-Forwarded-For entry
 *   the outermost of them appended, N from the right. Entries further left were written by the
 *   client and prove nothing; taking the first one, as many apps do, lets anyone pick their IP.
 * - The request id is always made here: an id sent by the client could collide with, or
 *   impersonate, another request's in the audit log. */
export function requestMetaFrom(h: Headers, hops: number = getConfig().trustProxy): RequestMeta {
  const peerHeader = peerHeaderName();
  const peer = (peerHeader && h.get(peerHeader)) || undefined;
  let ip = peer;
  if (hops > 0) {
    const forwarded = h.get("x-forwarded-for")?.split(",").map((s) => s.trim()).filter(Boolean) ?? [];
    ip = forwarded.length >= hops ? forwarded[forwarded.length - hops] : (forwarded[0] ?? peer);
  }
  return {
    ip: ip ? ip.slice(0, 100) : undefined,
    userAgent: h.get("user-agent")?.slice(0, 500) ?? undefined,
    requestId: randomUUID(),
  };
}

/** The same, for server components and actions: one per request. */
export const requestMeta = cache(async (): Promise<RequestMeta> => requestMetaFrom(await headers()));
