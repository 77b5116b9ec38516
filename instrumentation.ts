// Runs once when the server starts (not during `next build`): record each connection's address
// for the rate limits and the audit log, answer the switch ahead of Next.js, validate the
// configuration, bring the store up to date, and create the first administrator if one is
// configured.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const [{ installPeerAddressHeader }, { installFastRoutes }, { startSessionOperation }, http] = await Promise.all([
    import("./lib/http/peer-address"),
    import("./lib/http/fast-route"),
    import("./lib/sessions/api"),
    import("node:http"),
  ]);
  installPeerAddressHeader(http);
  // The switch, answered ahead of Next.js's per-request work (lib/http/fast-route.ts says why).
  // Not under `next dev`: this bundle is not reloaded when the code changes, the route is.
  if (process.env.NODE_ENV === "production") installFastRoutes(http, [{ method: "POST", path: "/api/v1/sessions", operation: startSessionOperation }]);
  const { startup } = await import("./lib/startup");
  await startup();
}
