// Where to send someone after signing in: only a path on this console. Anything else — another
// origin, a protocol-relative URL, backslash tricks, control characters — falls back to "/".
// OWASP ASVS 3.7.2; the vectors are the classic open-redirect ones (`//evil.com`, `/\evil.com`).

const MAX_LENGTH = 2000;

export function safeCallbackPath(value: string | null | undefined, base = "http://switchboard.invalid"): string {
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
  // Never loop back into the sign-in flow itself.
  if (resolved.pathname === "/signin" || resolved.pathname.startsWith("/api/auth")) return "/";
  return `${resolved.pathname}${resolved.search}${resolved.hash}`;
}
