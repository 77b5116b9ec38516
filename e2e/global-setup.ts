// Starts what the end-to-end tests run against, once: a local OpenID provider, the sandbox
// (with its test interface on), and the production build of the console pointed at both.
// Tests find them through the E2E_* variables set here.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
// @ts-expect-error -- plain ESM helper shared with npm run demo
import { freePort, sandboxEnv, startConsole, startSandbox } from "../scripts/lib/stack.mjs";
import { ADMIN } from "./support/accounts";
import { OIDC_CLIENT, startOidcProvider } from "./support/oidc-provider";

export default async function globalSetup() {
  const root = process.cwd();
  const dir = mkdtempSync(join(tmpdir(), "switchboard-e2e-"));
  const [consolePort, sandboxPort, oidcPort] = [await freePort(), await freePort(), await freePort()];
  const consoleUrl = `http://127.0.0.1:${consolePort}`;
  const sandboxToken = randomBytes(24).toString("hex");
  const oidc = await startOidcProvider({ port: oidcPort, redirectUri: `${consoleUrl}/api/auth/callback/oidc` });
  const sandbox = await startSandbox({ root, dir: join(dir, "sandbox"), port: sandboxPort, adminToken: sandboxToken, reset: true });
  let app;
  try {
    app = await startConsole({
      root,
      port: consolePort,
      env: {
        ...sandboxEnv(sandbox),
        // A production build pointed at the sandbox must say so (lib/config refuses otherwise).
        SWITCHBOARD_ALLOW_SANDBOX: "true",
        // Every spec signs in from 127.0.0.1, wrong passwords included: the shared console gives
        // that address room. The rate-limit specs run their own console with the defaults.
        SWITCHBOARD_RATE_SIGNIN_IP: "2000/5m",
        // e2e/webhooks.spec.ts delivers to a receiver on 127.0.0.1 over http (lib/webhooks/send.ts).
        SWITCHBOARD_WEBHOOK_ALLOW_PRIVATE: "true",
        NEXTAUTH_URL: consoleUrl,
        NEXTAUTH_SECRET: randomBytes(32).toString("base64"),
        SWITCHBOARD_DATA_DIR: join(dir, "data"),
        SWITCHBOARD_ADMIN_EMAIL: ADMIN.email,
        SWITCHBOARD_ADMIN_PASSWORD: ADMIN.password,
        SWITCHBOARD_ADMIN_NAME: ADMIN.name,
        SWITCHBOARD_OIDC_ISSUER: oidc.issuer,
        SWITCHBOARD_OIDC_CLIENT_ID: OIDC_CLIENT.id,
        SWITCHBOARD_OIDC_CLIENT_SECRET: OIDC_CLIENT.secret,
        SWITCHBOARD_OIDC_NAME: "Acme SSO",
        SWITCHBOARD_OIDC_SCOPES: "openid email profile groups",
        SWITCHBOARD_OIDC_ROLE_MAPPING: "platform-admins=admin,sre=operator,security=auditor",
      },
    });
  } catch (err) {
    await sandbox.stop();
    await oidc.close();
    throw err;
  }
  process.env.E2E_BASE_URL = consoleUrl;
  process.env.E2E_SANDBOX_URL = sandbox.url;
  process.env.E2E_SANDBOX_TOKEN = sandboxToken;
  process.env.E2E_SANDBOX_DIR = join(dir, "sandbox");
  process.env.E2E_OIDC_ISSUER = oidc.issuer;
  // The console's SQLite file, for specs that must set up what no request can (an old sign-in).
  process.env.E2E_STORE = join(dir, "data", "switchboard.db");

  return async () => {
    await app.stop();
    await sandbox.stop();
    await oidc.close();
    rmSync(dir, { recursive: true, force: true });
  };
}
