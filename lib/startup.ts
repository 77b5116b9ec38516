import "server-only";
import { getConfig, type Config } from "@/lib/config";
import { ConfigError } from "@/lib/config/schema";
import { getDb } from "@/lib/db/client";
import { logger } from "@/lib/log";
import { LEASE_MS } from "@/lib/provision/runs";
import { ensureInitialAdmin, unsafeHasUsers } from "@/lib/users/bootstrap";
import { setupToken } from "@/lib/users/setup-token";

/** Start-up checks. A bad configuration stops the server with a message naming each variable. */
export async function startup(): Promise<void> {
  let config;
  try {
    config = getConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      // The log settings may be among the problems, so this line uses the defaults (JSON, info).
      logger.error({ operation: "startup", problems: err.problems }, "Switchboard cannot start: its configuration is invalid. See README.md (\"Configuration\") or .env.example.");
      process.exit(1);
    }
    throw err;
  }
  try {
    await getDb();
  } catch (err) {
    const where = config.database.dialect === "sqlite" ? config.database.path : "the Postgres server in DATABASE_URL";
    logger.error({ err, operation: "startup" }, `Switchboard cannot start: the store at ${where} is not usable`);
    process.exit(1);
  }
  const admin = await ensureInitialAdmin();
  if (admin === "created") logger.info({ operation: "startup" }, `Created the first administrator, ${config.initialAdmin?.email}.`);
  if (admin === "not-configured" && !(await unsafeHasUsers())) {
    // The one time a secret belongs in the log: whoever installs the console reads it there
    // (in the message, which redaction leaves alone; a `setupToken` field would be redacted).
    logger.info({ operation: "startup" }, `To create the first administrator, open ${config.baseUrl}/setup?token=${setupToken()} (the page works until someone is set up).`);
  }
  if (!config.authSecret) logger.warn({ operation: "startup" }, "NEXTAUTH_SECRET is not set: using a random secret, so sessions end when the server restarts.");
  // A role-wizard run that a previous process left halfway is rolled back, so no half-made role
  // stays in IAM. In the background: AWS may be slow or unreachable, and start-up must not wait for it.
  // A run only counts as abandoned once its lease has run out, so look again after one lease.
  const reconcile = () =>
    import("@/lib/provision/service")
      .then(({ reconcileInterruptedRuns }) => reconcileInterruptedRuns())
      .catch((err: unknown) => logger.error({ err, operation: "provision.reconcile" }, "reconciling interrupted runs failed"));
  void reconcile();
  setTimeout(() => void reconcile(), LEASE_MS + 5_000).unref();
  await startRoleHealth(config);
  await startAccessExpiry(config);
  await startWebhookDelivery(config);
}

/** The webhook delivery worker (lib/webhooks/delivery.ts): every instance runs one; the store's
 * leases keep two from sending the same delivery. */
async function startWebhookDelivery(config: Config): Promise<void> {
  const { startWebhookWorker, registerWorker } = await import("@/lib/webhooks/delivery");
  if (config.webhooks.allowPrivate) logger.warn({ operation: "webhook.deliver" }, "SWITCHBOARD_WEBHOOK_ALLOW_PRIVATE is on: webhooks may go to http:// and to private and loopback addresses. Only for tests and the demo.");
  const worker = startWebhookWorker({ db: getDb, allowPrivate: config.webhooks.allowPrivate });
  registerWorker(worker);
  for (const signal of ["SIGTERM", "SIGINT"] as const) process.once(signal, () => void worker.stop());
}

/** Each instance looks for access on request that expired and revokes its live sessions
 * (lib/access/expiry.ts); the per-request claims keep instances from doing it twice. */
async function startAccessExpiry(config: Config): Promise<void> {
  const { intervalSeconds } = config.accessExpiry;
  if (intervalSeconds === null) return;
  const { startAccessExpiry: start } = await import("@/lib/access/expiry");
  const schedule = start({ intervalMs: intervalSeconds * 1000 });
  for (const signal of ["SIGTERM", "SIGINT"] as const) process.once(signal, () => void schedule.stop());
}

/** The background re-test of role entries (SWITCHBOARD_ROLE_HEALTH_INTERVAL), stopped when the
 * process is asked to end so that another instance can take the round over at once. */
async function startRoleHealth(config: Config): Promise<void> {
  const { intervalSeconds, rate } = config.roleHealth;
  if (intervalSeconds === null) {
    logger.info({ operation: "role.health" }, "The background re-test of role entries is off (SWITCHBOARD_ROLE_HEALTH_INTERVAL=off).");
    return;
  }
  const { startRoleHealthSchedule } = await import("@/lib/sessions/role-health-schedule");
  const schedule = startRoleHealthSchedule({ db: getDb, intervalMs: intervalSeconds * 1000, rate });
  for (const signal of ["SIGTERM", "SIGINT"] as const) process.once(signal, () => void schedule.stop());
}
