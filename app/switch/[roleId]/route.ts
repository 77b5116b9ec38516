import { unstable_rethrow } from "next/navigation";
import type { NextRequest } from "next/server";
import { z } from "zod";
import { getActor } from "@/lib/auth/guard";
import { can } from "@/lib/auth/permissions";
import { idField, regionField } from "@/lib/catalog/schemas";
import { getConfig } from "@/lib/config";
import { AppError } from "@/lib/errors";
import { requestMetaFrom } from "@/lib/http/request-meta";
import { findSwitchableRole, startSession } from "@/lib/sessions/start-session";
import { confirmPage, errorPage, handoffPage, statementBlock, type SwitchTarget } from "./html";

const params = z.object({ roleId: idField("role") });
const query = z.object({
  region: regionField.optional(),
  service: z.string().regex(/^[a-z0-9-]{2,40}$/).optional(),
});

const HEADERS = { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store", "Referrer-Policy": "no-referrer" };

const html = (body: string, status = 200) => new Response(body, { status, headers: HEADERS });

/** The switch is allowed to happen without asking only when the browser says the navigation
 * came from this console itself (Fetch Metadata; browsers set it and pages cannot forge it).
 * Links from other sites, bookmarks, and AWS sending people back (Issuer) get a confirmation. */
function fromThisConsole(request: NextRequest): boolean {
  return request.headers.get("sec-fetch-site") === "same-origin";
}

function sameOriginPost(request: NextRequest): boolean {
  const site = request.headers.get("sec-fetch-site");
  // Browsers that send Fetch Metadata say it outright. (Our pages use Referrer-Policy
  // no-referrer, under which Chrome sends `Origin: null` on form posts, so Origin alone
  // cannot be relied on.)
  if (site) return site === "same-origin";
  const origin = request.headers.get("origin");
  return origin !== null && (origin === new URL(getConfig().baseUrl).origin || origin === request.nextUrl.origin);
}

async function handle(request: NextRequest, context: { params: Promise<{ roleId: string }> }, method: "GET" | "POST"): Promise<Response> {
  const nonce = request.headers.get("x-nonce") ?? undefined;
  const meta = requestMetaFrom(request.headers);
  const p = params.safeParse(await context.params);
  const q = query.safeParse(Object.fromEntries(request.nextUrl.searchParams));
  if (!p.success || !q.success) return html(errorPage("This link is not valid", "The role or region in this link is malformed. Open the role from the Switch role menu instead.", "", nonce), 400);
  const actor = await getActor();
  if (!actor) {
    const back = `${request.nextUrl.pathname}${request.nextUrl.search}`;
    return Response.redirect(new URL(`/signin?callbackUrl=${encodeURIComponent(back)}`, getConfig().baseUrl), 303);
  }
  if (!can(actor.role, "sessions.create")) return html(errorPage("You cannot switch roles", "Your console role does not include switching into AWS roles.", "", nonce), 403);

  let target: SwitchTarget;
  try {
    const { role } = await findSwitchableRole(actor, p.data.roleId, "console", meta);
    target = { roleLabel: role.displayName, roleArn: role.roleArn, accountName: role.accountName, accountId: role.accountId, environment: role.environment, color: role.color, region: q.data.region ?? role.defaultRegion };
  } catch (err) {
    unstable_rethrow(err);
    if (err instanceof AppError) return html(errorPage(err.code === "forbidden" ? "Not granted" : "No such role", err.message, "", nonce), err.status);
    throw err;
  }

  const proceed = method === "POST" ? sameOriginPost(request) : fromThisConsole(request);
  if (!proceed) return html(confirmPage(target, `${request.nextUrl.pathname}${request.nextUrl.search}`, nonce));

  try {
    const session = await startSession(actor, { roleId: p.data.roleId, kind: "console", region: target.region, service: q.data.service }, meta);
    if (session.kind !== "console") throw new Error("unexpected session kind");
    return html(handoffPage(session.form, target, nonce));
  } catch (err) {
    unstable_rethrow(err);
    if (err instanceof AppError) {
      const explanation = err.details?.explanation as { fix?: { where: string; statement: object } } | undefined;
      const fix = explanation?.fix ? statementBlock(explanation.fix.where, explanation.fix.statement) : "";
      return html(errorPage("AWS did not let the console switch", err.message, fix, nonce), err.status);
    }
    console.error(`[switch] failed: ${err instanceof Error ? err.message : String(err)}`);
    return html(errorPage("Something went wrong", "The console could not open this role. Try again; if it keeps happening, tell an administrator.", "", nonce), 500);
  }
}

// GET /switch/{roleId}?region= — open the AWS console in this role (asks first unless opened from the console)
export const GET = (request: NextRequest, context: { params: Promise<{ roleId: string }> }) => handle(request, context, "GET");
// POST /switch/{roleId}?region= — the confirmation's button
export const POST = (request: NextRequest, context: { params: Promise<{ roleId: string }> }) => handle(request, context, "POST");
