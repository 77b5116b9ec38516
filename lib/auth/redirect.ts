// Where to send someone after signing in: only a path on this console. Anything else — another
// origin, a protocol-relative URL, backslash tricks, control characters — falls back to "/".
// OWASP ASVS 3.7.2; the vectors are the classic open-redirect ones (`//evil.com`, `/\evil.com`).

const MAX_LENGTH = 2000;

export function safeCallbackPath(value: string | null | undefined, base = "http://switchboard.invalid", opts: { allowSignInPage?: boolean } = {}): string {
  if (!value || value.length > MAX_LENGTH) return "/";
  if (/[\u0000-\u001f\u007f\\]/.test(value)) return "/";
  let candidate = value;
  // Absolute URLs on our own origin are accepted and reduced to their path.
  if (!candidate.startsWith("/")) {
    if (!URL.canParse(candidate)) return "/";
    const url = new URL(candidate);
    if (url.origin !== new URL(base).origin) return "/";
    candidate = `${url.pathname}${url.search}${url.hash}`;
  }
  if (candidate.startsWith("//")) return "/";
  const resolved = new URL(candidate, base);
  if (resolved.origin !== new URL(base).origin) return "/";
  // Resolving collapses dot segments, so `/.//evil.example`, `/x/..//evil.example` and
  // `/%2e//evil.example` all become the path `//evil.example` — which, sent as a Location or
  // pushed to the router, a browser reads as the host evil.example. Check the result, not the input.
  if (/^\/[/\\]/.test(resolved.pathname)) return "/";
  // Never loop back into the sign-in flow itself (signing out may land on the sign-in page).
  if ((resolved.pathname === "/signin" && !opts.allowSignInPage) || resolved.pathname.startsWith("/api/auth")) return "/";
  const path = `${resolved.pathname}${resolved.search}${resolved.hash}`;
  // The last word: whatever we return must still resolve to this console.
  return isSameOriginPath(path) ? path : "/";
}

/** True when `path` is a path on whatever origin it is resolved against (no scheme, no host). */
export function isSameOriginPath(path: string): boolean {
  const probe = "http://switchboard.invalid";
  return path.startsWith("/") && !/^\/[/\\]/.test(path) && !/[\u0000-\u001f\u007f]/.test(path) && URL.canParse(path, probe) && new URL(path, probe).origin === probe;
}
