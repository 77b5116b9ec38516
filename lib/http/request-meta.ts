import "server-only";
import { randomUUID } from "node:crypto";
import { headers } from "next/headers";
import { getConfig } from "@/lib/config";

export type RequestMeta = { ip?: string; userAgent?: string; requestId: string };

/** Who is asking, for the audit log. Behind a trusted reverse proxy (SWITCHBOARD_TRUST_PROXY)
 * the client is the first X-Forwarded-For entry; otherwise the address Next.js saw (which it
 * fills in only when the client sent no X-Forwarded-For, so treat it as reported, not proven). */
export function requestMetaFrom(h: Headers): RequestMeta {
  const forwarded = h.get("x-forwarded-for")?.split(",").map((s) => s.trim()).filter(Boolean) ?? [];
  const ip = getConfig().trustProxy ? forwarded[0] : forwarded.at(-1);
  const requestId = h.get("x-request-id");
  return {
    ip: ip || undefined,
    userAgent: h.get("user-agent") ?? undefined,
    requestId: requestId && /^[\w-]{8,64}$/.test(requestId) ? requestId : randomUUID(),
  };
}

export async function requestMeta(): Promise<RequestMeta> {
  return requestMetaFrom(await headers());
}
