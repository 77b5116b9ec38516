// Runs once when the server starts (not during `next build`): validate the configuration,
// bring the store up to date, and create the first administrator if one is configured.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startup } = await import("./lib/startup");
  await startup();
}
