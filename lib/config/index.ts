import "server-only";
import { parseConfig, type Config } from "./schema";

export { ConfigError, CONSOLE_ROLES, type Config, type ConsoleRole, type DatabaseConfig } from "./schema";

let cached: Config | undefined;

/** The validated configuration. This module is the only reader of process.env (the AWS SDK
 * reads its own standard variables: credentials, AWS_ENDPOINT_URL, …). Parsed on first use, so
 * that importing it during `next build` does not require production secrets. */
export function getConfig(): Config {
  cached ??= parseConfig(process.env);
  return cached;
}
