import "server-only";
import { getActor } from "@/lib/auth/guard";
import { recordAudit } from "@/lib/audit/record";
import { getConfig } from "@/lib/config";
import type { RequestMeta } from "./request-meta";

/** Whether a state-changing request came from another site. Browsers send Fetch Metadata and an
 * Origin with every cross-site POST, and pages cannot forge them: a Sec-Fetch-Site other than
 * same-origin (or none: typed by the person) is refused, and so is an Origin other than the
 * console's own — `null` included (sandboxed frames, GHSA-mq59-m269-xvcx). Clients that send
 * neither (curl, SDKs) are not browsers and cannot be tricked into sending the cookie.
 * Route handlers get no CSRF check from Next.js at all, and its server-action check lets a
 * request without an Origin through, so both use this (security reference N4). */
export function isCrossSite(headers: Headers, requestOrigin?: string): boolean {
  const site = headers.get("sec-fetch-site");
  if (site && site !== "same-origin" && site !== "none") return true;
  const origin = headers.get("origin");
  if (origin === null) return false;
  return origin !== new URL(getConfig().baseUrl).origin && origin !== requestOrigin;
}

export const CROSS_SITE_MESSAGE = "Cross-site requests are refused. Use the console itself, or call the API without browser cookies from another site.";

/** Audits a refused cross-site request, naming the person whose cookie the other site tried to use. */
export async function recordCrossSite(headers: Headers, operation: string, meta: RequestMeta): Promise<void> {
  const victim = await getActor().catch(() => null);
  await recordAudit({
    action: "access.denied",
    outcome: "denied",
    actor: victim,
    reason: CROSS_SITE_MESSAGE,
    request: meta,
    details: { operation, origin: (headers.get("origin") ?? "").slice(0, 200), fetchSite: headers.get("sec-fetch-site") },
  }).catch(() => undefined);
}
