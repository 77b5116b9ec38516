import { unstable_rethrow } from "next/navigation";
import type { NextRequest } from "next/server";
import { z } from "zod";
import type { Actor } from "@/lib/auth/actor";
import { idField, regionField } from "@/lib/catalog/schemas";
import { getConfig } from "@/lib/config";
import { AppError, type ErrorCode } from "@/lib/errors";
import { authorize } from "@/lib/http/authorize";
import { describeFailure, type Failure } from "@/lib/http/failure";
import { requestMetaFrom, type RequestMeta } from "@/lib/http/request-meta";
import { findSwitchableRole, startSession } from "@/lib/sessions/start-session";
import { parseTheme, THEME_COOKIE, type ThemeChoice } from "@/components/ui/theme";
import { confirmPage, errorPage, handoffPage, type SwitchTarget } from "./html";

const params = z.object({ roleId: idField("role") });
const query = z.object({
  region: regionField.optional(),
  service: z.string().regex(/^[a-z0-9-]{2,40}$/).optional(),
});

const HEADERS = { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store", "Referrer-Policy": "no-referrer" };

const html = (body: string, status = 200, extra: Record<string, string> = {}) => new Response(body, { status, headers: { ...HEADERS, ...extra } });

/** A POST that came from a page of this console: the confirmation page's button, or the Switch
 * Role menu's form. Browsers that send Fetch Metadata say it outright (pages cannot forge it).
 * (Our pages use Referrer-Policy no-referrer, under which Chrome sends `Origin: null` on form
 * posts, so Origin alone cannot be relied on.) */
function sameOriginPost(request: NextRequest): boolean {
  const site = request.headers.get("sec-fetch-site");
  if (site) return site === "same-origin";
  const origin = request.headers.get("origin");
  return origin !== null && (origin === new URL(getConfig().baseUrl).origin || origin === request.nextUrl.origin);
}

const TITLES: Partial<Record<ErrorCode, string>> = {
  bad_request: "This link is not valid",
  forbidden: "Not granted",
  not_found: "No such role",
  rate_limited: "Too many switches",
  unauthorized: "Sign in again",
  aws_denied: "AWS did not let the console switch",
};

/** The one error body (lib/http/failure.ts) as a page: its message, and the request id in a
 * header as every other answer has it. (A switch AWS refused goes to the console's own failure
 * page instead, with the explanation and its fix: see handle.) */
function failurePage({ status, body, retryAfter }: Failure, nonce: string | undefined, theme: ThemeChoice): Response {
  const title = TITLES[body.code] ?? (status >= 500 ? "Something went wrong" : "The console could not open this role");
  return html(errorPage(title, body.message, nonce, theme), status, {
    ...(body.requestId ? { "X-Request-Id": body.requestId } : {}),
    ...(retryAfter ? { "Retry-After": String(retryAfter) } : {}),
  });
}

/** GET shows what the link opens and waits for a click; only the POST from a page of this
 * console issues a session. A GET never does, wherever it comes from: a crafted link followed
 * through the sign-in page arrives as a same-origin navigation, so Fetch Metadata on a GET cannot
 * tell a person's intent from an attacker's (ASVS 3.5.3: no state change on GET). */
async function handle(request: NextRequest, context: { params: Promise<{ roleId: string }> }, method: "GET" | "POST"): Promise<Response> {
  const nonce = request.headers.get("x-nonce") ?? undefined;
  // The console's theme, as app/layout.tsx reads it: these pages are plain HTML, not the layout.
  const theme = parseTheme(request.cookies.get(THEME_COOKIE)?.value);
  const meta: RequestMeta = requestMetaFrom(request.headers);
  const operation = `${method} /switch`;
  const p = params.safeParse(await context.params);
  const q = query.safeParse(Object.fromEntries(request.nextUrl.searchParams));
  if (!p.success || !q.success) {
    const malformed = new AppError("bad_request", "The role or region in this link is malformed. Open the role from the Switch role menu instead.");
    return failurePage(await describeFailure(malformed, { actor: null, operation, meta }), nonce, theme);
  }
  const here = `${request.nextUrl.pathname}${request.nextUrl.search}`;

  let actor: Actor | null = null;
  let target: SwitchTarget | null = null;
  try {
    actor = await authorize({ permission: "sessions.create" }, { operation, meta });
    const { role } = await findSwitchableRole(actor, p.data.roleId, "console", meta);
    target = { roleId: role.id, roleLabel: role.displayName, roleArn: role.roleArn, accountName: role.accountName, accountId: role.accountId, environment: role.environment, color: role.color, region: q.data.region ?? role.defaultRegion };
    if (method === "GET" || !sameOriginPost(request)) return html(confirmPage(target, here, nonce, theme));
    const session = await startSession(actor, { roleId: p.data.roleId, kind: "console", region: target.region, service: q.data.service }, meta);
    if (session.kind !== "console") throw new Error("unexpected session kind");
    return html(handoffPage(session.form, target, nonce, theme));
  } catch (err) {
    unstable_rethrow(err);
    if (err instanceof AppError && err.code === "unauthorized" && !actor) {
      return Response.redirect(new URL(`/signin?callbackUrl=${encodeURIComponent(here)}`, getConfig().baseUrl), 303);
    }
    const failure = await describeFailure(err, { actor, operation, meta });
    // AWS refused a switch that was asked for (the role was found and granted): the person lands
    // on the failure page in the console's own frame, which reads the switch's audit record by
    // this request's id (POST/redirect/GET: a reload repeats nothing). Only the request id and
    // the region go in the URL; nothing about the failure is secret, and no session was issued.
    if (method === "POST" && target && failure.body.code === "aws_denied") {
      const page = new URL(`/switch/${encodeURIComponent(target.roleId)}/failed`, getConfig().baseUrl);
      page.search = new URLSearchParams({ request: meta.requestId, region: target.region }).toString();
      return new Response(null, { status: 303, headers: { ...HEADERS, Location: page.toString(), "X-Request-Id": meta.requestId } });
    }
    return failurePage(failure, nonce, theme);
  }
}

// GET /switch/{roleId}?region= — what the link opens, and a button to open it (never a session)
export const GET = (request: NextRequest, context: { params: Promise<{ roleId: string }> }) => handle(request, context, "GET");
// POST /switch/{roleId}?region= — open the AWS console in this role: from the confirmation's button or the Switch Role menu
export const POST = (request: NextRequest, context: { params: Promise<{ roleId: string }> }) => handle(request, context, "POST");
