// Runs once when the server starts (not during `next build`): record each connection's address
// for the rate limits and the audit log, validate the configuration, bring the store up to date,
// and create the first administrator if one is configured.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const [{ installPeerAddressHeader }, http] = await Promise.all([import("./lib/http/peer-address"), import("node:http")]);
  installPeerAddressHeader(http);
  const { startup } = await import("./lib/startup");
  await startup();
}
