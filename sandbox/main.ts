// `npm run sandbox [-- --reset]`: starts the sandbox and prints how to reach it.
// `npm run sandbox -- totp [serial]`: prints the current code of a virtual MFA device.
import { relative } from "node:path";
import { parseArgs } from "node:util";
import { z } from "zod";
import { StateStore } from "./core/store";
import { totp } from "./core/totp";
import { startSandbox } from "./server";

const env = z
  .object({
    SANDBOX_HOST: z.string().min(1).default("127.0.0.1"),
    SANDBOX_PORT: z.coerce.number().int().min(0).max(65535).default(4566),
    SANDBOX_DIR: z.string().min(1).default(".sandbox"),
    SANDBOX_ADMIN_TOKEN: z.string().min(16, "SANDBOX_ADMIN_TOKEN must be at least 16 characters").optional(),
  })
  .safeParse(process.env);

if (!env.success) {
  for (const issue of env.error.issues) console.error(`sandbox: ${issue.path.join(".")}: ${issue.message}`);
  process.exit(2);
}

const { values, positionals } = parseArgs({
  options: { reset: { type: "boolean", default: false }, quiet: { type: "boolean", default: false } },
  allowPositionals: true,
});

const config = env.data;

if (positionals[0] === "totp") {
  const state = StateStore.read(`${config.SANDBOX_DIR}/state.json`);
  if (!state) {
    console.error("sandbox: no state yet; start the sandbox once with `npm run sandbox`.");
    process.exit(1);
  }
  const devices = Object.values(state.accounts).flatMap((a) => Object.values(a.mfaDevices));
  const device = positionals[1] ? devices.find((d) => d.serialNumber === positionals[1]) : devices[0];
  if (!device) {
    console.error(`sandbox: no MFA device ${positionals[1] ?? ""}`.trim());
    process.exit(1);
  }
  console.log(`${device.serialNumber} ${totp(device.seed, Date.now() + state.clockOffsetMs)}`);
  process.exit(0);
}

try {
  const sandbox = await startSandbox({
    host: config.SANDBOX_HOST,
    port: config.SANDBOX_PORT,
    dir: config.SANDBOX_DIR,
    reset: values.reset,
    adminToken: config.SANDBOX_ADMIN_TOKEN,
  });
  const rel = (p: string) => relative(process.cwd(), p) || p;
  if (!values.quiet) {
    console.log(
      [
        "Switchboard sandbox: a local AWS (IAM, STS, Organizations, console sign-in)",
        `  endpoint     ${sandbox.url}`,
        `  console      ${sandbox.url}/console`,
        `  state        ${rel(sandbox.stateFile)}${values.reset ? " (reseeded)" : ""}`,
        `  credentials  ${rel(sandbox.files.credentials)}`,
        `  config       ${rel(sandbox.files.config)}`,
        `  MFA seeds    ${rel(sandbox.files.mfa)}`,
        `  test API     ${config.SANDBOX_ADMIN_TOKEN ? `${sandbox.url}/_sandbox/ (loopback, token required)` : "off (set SANDBOX_ADMIN_TOKEN to enable)"}`,
        "",
        "Try it:",
        `  AWS_SHARED_CREDENTIALS_FILE=${rel(sandbox.files.credentials)} AWS_CONFIG_FILE=${rel(sandbox.files.config)} \\`,
        `    aws --endpoint-url ${sandbox.url} --profile production-readonly sts get-caller-identity`,
        "",
        "Ctrl-C stops it; state is kept for the next start (--reset reseeds).",
      ].join("\n"),
    );
  }
  const stop = (signal: string) => {
    sandbox.close().then(
      () => process.exit(0),
      () => process.exit(signal === "SIGINT" ? 130 : 143),
    );
  };
  process.once("SIGINT", () => stop("SIGINT"));
  process.once("SIGTERM", () => stop("SIGTERM"));
} catch (err) {
  const e = err as NodeJS.ErrnoException;
  if (e.code === "EADDRINUSE") {
    console.error(
      `sandbox: ${config.SANDBOX_HOST}:${config.SANDBOX_PORT} is already in use (another sandbox, LocalStack or moto?). Stop it or set SANDBOX_PORT.`,
    );
  } else {
    console.error(`sandbox: could not start: ${e.message}`);
  }
  process.exit(1);
}
