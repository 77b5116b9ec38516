import NextAuth from "next-auth";
import type { NextRequest } from "next/server";
import { getAuthOptions, SIGN_IN_ERRORS } from "@/lib/auth/options";
import { getConfig } from "@/lib/config";
import { AppError } from "@/lib/errors";
import { requestMetaFrom } from "@/lib/http/request-meta";
import { checkSignIn } from "@/lib/ratelimit/sign-in";

type Context = { params: Promise<{ nextauth: string[] }> };

// GET/POST /api/auth/* — next-auth's own endpoints (CSRF token, credentials and OIDC
// callbacks, sign-out). Options are built on first use so config is validated at runtime.
async function handler(request: NextRequest, context: Context) {
  return NextAuth(request, context, getAuthOptions());
}

/** What next-auth's signIn() reads when it posts with redirect: false: the status, and the
 * `error` parameter of `url`. */
function tooManyAttempts(retryAfter: number, headers?: Headers): Response {
  const url = `${getConfig().baseUrl}/signin?${new URLSearchParams({ error: `${SIGN_IN_ERRORS.rateLimited}:${retryAfter}` })}`;
  // next-auth's own headers (its cookies) are kept; the body is ours.
  const out = new Headers(headers);
  out.delete("Content-Length");
  out.set("Content-Type", "application/json");
  out.set("Cache-Control", "no-store");
  out.set("Retry-After", String(retryAfter));
  return new Response(JSON.stringify({ url }), { status: 429, headers: out });
}

/** The email of a credentials sign-in, read from a copy of the body as next-auth reads it. */
async function emailOf(request: NextRequest): Promise<string> {
  const type = request.headers.get("content-type") ?? "";
  try {
    const text = await request.clone().text();
    if (type.includes("application/json")) {
      const body: unknown = JSON.parse(text);
      const email = typeof body === "object" && body !== null ? (body as Record<string, unknown>).email : undefined;
      return typeof email === "string" ? email : "";
    }
    if (type.includes("application/x-www-form-urlencoded")) return new URLSearchParams(text).get("email") ?? "";
  } catch {
    // Unreadable: next-auth refuses it on its own; only the address limit applies.
  }
  return "";
}

/** The wait next-auth's answer carries when signInWithPassword refused the attempt itself (it
 * passed checkSignIn, then another attempt took the account's turn first); undefined otherwise. */
async function rateLimitedWait(response: Response): Promise<number | undefined> {
  if (response.status !== 401 || !response.headers.get("content-type")?.includes("application/json")) return undefined;
  const body: unknown = await response.clone().json().catch(() => undefined);
  const url = typeof body === "object" && body !== null ? (body as Record<string, unknown>).url : undefined;
  if (typeof url !== "string" || !URL.canParse(url)) return undefined;
  const match = /^rate_limited:(\d{1,6})$/.exec(new URL(url).searchParams.get("error") ?? "");
  return match ? Number(match[1]) : undefined;
}

// POST /api/auth/callback/credentials — password sign-in. Rate limits (per address, per account)
// are checked before next-auth runs and answered as a real 429 with Retry-After; the attempt
// itself is counted inside signInWithPassword. Every other POST goes straight to next-auth.
async function post(request: NextRequest, context: Context) {
  const [action, provider] = (await context.params).nextauth ?? [];
  // next-auth routes on the first two segments alone, so this matches exactly what it handles.
  if (action !== "callback" || provider !== "credentials") return handler(request, context);
  try {
    await checkSignIn(await emailOf(request), requestMetaFrom(request.headers));
  } catch (err) {
    if (err instanceof AppError && err.code === "rate_limited") return tooManyAttempts(err.retryAfter ?? 1);
    throw err;
  }
  const response = await handler(request, context);
  const wait = await rateLimitedWait(response);
  return wait === undefined ? response : tooManyAttempts(wait, response.headers);
}

export { handler as GET, post as POST };
