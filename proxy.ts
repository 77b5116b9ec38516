// Proxy (formerly middleware) does only optimistic work and is never a security boundary:
// every page, route handler and server action authorizes the caller itself (lib/auth/guard.ts).
// Here: redirect obviously signed-out page requests to the sign-in page, pass the requested
// path on (so the guard can return people where they were), give each request an id, and set a
// per-request nonce Content-Security-Policy.
import { NextResponse, type NextRequest } from "next/server";
import { AppError, errorBody } from "@/lib/errors";

const SESSION_COOKIES = ["next-auth.session-token", "__Secure-next-auth.session-token"];
const PUBLIC_PAGES = ["/signin", "/setup"];

function hasSessionCookie(request: NextRequest): boolean {
  // next-auth splits large tokens into `<name>.0`, `<name>.1`, …
  return request.cookies.getAll().some((c) => SESSION_COOKIES.some((name) => c.name === name || c.name.startsWith(`${name}.`)));
}

function contentSecurityPolicy(nonce: string): string {
  // Next.js inlines NODE_ENV at build time; React's development build needs eval.
  const devEval = process.env.NODE_ENV === "production" ? "" : " 'unsafe-eval'";
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${devEval}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** Next.js answers a path it cannot percent-decode (`%ZZ`, a lone `%`, an overlong or surrogate
 * UTF-8 sequence) with a plain-text 500 before any handler runs; answer it as the bad request it is. */
function undecodable(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return false;
  } catch {
    return true;
  }
}

/** Server actions accept at most 1 MB (Next.js's default bodySizeLimit); past it Next.js throws
 * and answers 500. Refuse by the declared length first. */
const MAX_ACTION_BODY_BYTES = 1024 * 1024;

/** A refusal in the one error body (lib/errors.ts), with a request id of its own: the request
 * never reaches a handler that would give it one. */
function refuse(code: "bad_request" | "payload_too_large", message: string) {
  const requestId = crypto.randomUUID();
  const err = new AppError(code, message);
  return NextResponse.json({ error: errorBody(err, requestId) }, { status: err.status, headers: { "Cache-Control": "no-store", "X-Request-Id": requestId } });
}

export function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  if (undecodable(pathname)) return refuse("bad_request", "This address is not valid: part of its path is not correctly percent-encoded.");
  if (request.headers.has("next-action") && Number(request.headers.get("content-length") ?? "0") > MAX_ACTION_BODY_BYTES) {
    return refuse("payload_too_large", "The request body must be at most 1 MB.");
  }
  // JSON routes authenticate every request themselves and need no nonce; they only pass the
  // checks above.
  if (pathname.startsWith("/api/")) return NextResponse.next();
  if (!PUBLIC_PAGES.includes(pathname) && !hasSessionCookie(request)) {
    const signIn = new URL("/signin", request.url);
    signIn.searchParams.set("callbackUrl", `${pathname}${search}`);
    return NextResponse.redirect(signIn);
  }

  const nonce = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
  const csp = contentSecurityPolicy(nonce);
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-switchboard-path", `${pathname}${search}`);
  requestHeaders.set("x-request-id", crypto.randomUUID());
  // Next.js reads the nonce from the request's CSP header and puts it on its own scripts.
  requestHeaders.set("Content-Security-Policy", csp);
  requestHeaders.set("x-nonce", nonce);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", csp);
  return response;
}

export const config = {
  matcher: [
    // Pages: everything but static assets (the command line's download, /cli/, among them) and /api.
    "/((?!_next/static|_next/image|favicon.ico|icon.svg|cli/|api/).*)",
    // /api only when its path holds a percent sign, the one case the proxy has work there (an
    // undecodable path): JSON routes authenticate every request themselves and need no nonce,
    // so every other API call, a switch included, skips the hop.
    "/api/:path(.*%.*)",
  ],
};
