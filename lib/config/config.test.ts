import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "./schema";

const SECRET = "0123456789abcdef0123456789abcdef";

function problemsOf(env: Record<string, string | undefined>): string[] {
  try {
    parseConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe("parseConfig: defaults", () => {
  it("runs with nothing set outside production: SQLite under data/, 12-hour sessions, us-east-1", () => {
    const config = parseConfig({});
    expect(config.env).toBe("development");
    expect(config.baseUrl).toBe("http://localhost:3000");
    expect(config.database).toEqual({ dialect: "sqlite", path: "data/switchboard.db" });
    expect(config.sessionMaxAgeSeconds).toBe(12 * 3600);
    expect(config.aws).toEqual({ region: "us-east-1", sandboxUrl: undefined });
    expect(config.oidc).toBeUndefined();
    expect(config.initialAdmin).toBeUndefined();
    expect(config.authSecret).toBeUndefined();
  });

  it("treats empty variables as unset", () => {
    expect(parseConfig({ DATABASE_URL: "", SWITCHBOARD_SESSION_HOURS: " ", NEXTAUTH_URL: "" }).sessionMaxAgeSeconds).toBe(43200);
  });
});

describe("parseConfig: each variable's own message", () => {
  it.each([
    [{ NODE_ENV: "production" }, "NEXTAUTH_SECRET: is required in production"],
    [{ NODE_ENV: "production", NEXTAUTH_SECRET: "short" }, "NEXTAUTH_SECRET: must be at least 32 bytes"],
    [{ NEXTAUTH_SECRET: "changeme" }, "NEXTAUTH_SECRET: is a well-known placeholder"],
    [{ NEXTAUTH_URL: "localhost:3000" }, "NEXTAUTH_URL: must be an http(s) URL"],
    [{ NEXTAUTH_URL: "ftp://example.com" }, "NEXTAUTH_URL: must be an http(s) URL"],
    [{ DATABASE_URL: "postgres://" }, "DATABASE_URL: is not a valid postgres:// URL"],
    [{ SWITCHBOARD_SESSION_HOURS: "0" }, "SWITCHBOARD_SESSION_HOURS: must be at least 1 hour"],
    [{ SWITCHBOARD_SESSION_HOURS: "48" }, "SWITCHBOARD_SESSION_HOURS: must be at most 24 hours"],
    [{ SWITCHBOARD_SESSION_HOURS: "twelve" }, "SWITCHBOARD_SESSION_HOURS: must be a number of hours"],
    [{ SWITCHBOARD_ADMIN_EMAIL: "admin" , SWITCHBOARD_ADMIN_PASSWORD: "long-enough-password" }, "SWITCHBOARD_ADMIN_EMAIL: must be an email address"],
    [{ SWITCHBOARD_ADMIN_EMAIL: "admin@example.com" }, "SWITCHBOARD_ADMIN_PASSWORD: is required when SWITCHBOARD_ADMIN_EMAIL is set"],
    [{ SWITCHBOARD_ADMIN_PASSWORD: "long-enough-password" }, "SWITCHBOARD_ADMIN_EMAIL: is required when SWITCHBOARD_ADMIN_PASSWORD is set"],
    [{ SWITCHBOARD_ADMIN_EMAIL: "admin@example.com", SWITCHBOARD_ADMIN_PASSWORD: "short" }, "SWITCHBOARD_ADMIN_PASSWORD: must be at least 12 characters"],
    [{ SWITCHBOARD_OIDC_ISSUER: "https://idp.example.com" }, "SWITCHBOARD_OIDC_CLIENT_ID: is required when any SWITCHBOARD_OIDC_* variable is set"],
    [{ SWITCHBOARD_OIDC_CLIENT_ID: "console" }, "SWITCHBOARD_OIDC_ISSUER: is required when any SWITCHBOARD_OIDC_* variable is set"],
    [{ SWITCHBOARD_OIDC_ISSUER: "not a url", SWITCHBOARD_OIDC_CLIENT_ID: "c", SWITCHBOARD_OIDC_CLIENT_SECRET: "s" }, "SWITCHBOARD_OIDC_ISSUER: must be an http(s) URL"],
    [
      { NODE_ENV: "production", NEXTAUTH_SECRET: SECRET, SWITCHBOARD_OIDC_ISSUER: "http://idp.example.com", SWITCHBOARD_OIDC_CLIENT_ID: "c", SWITCHBOARD_OIDC_CLIENT_SECRET: "s" },
      "SWITCHBOARD_OIDC_ISSUER: must use https",
    ],
    [{ SWITCHBOARD_OIDC_ROLE_MAPPING: "admins=root" }, 'SWITCHBOARD_OIDC_ROLE_MAPPING: "admins=root" must look like group=role'],
    [{ SWITCHBOARD_OIDC_ROLE_MAPPING: "admins" }, 'SWITCHBOARD_OIDC_ROLE_MAPPING: "admins" must look like group=role'],
    [{ SWITCHBOARD_OIDC_DEFAULT_ROLE: "superuser" }, "SWITCHBOARD_OIDC_DEFAULT_ROLE: must be none, admin, operator, auditor"],
    [{ SWITCHBOARD_SANDBOX_URL: "127.0.0.1:4566" }, "SWITCHBOARD_SANDBOX_URL: must be an http(s) URL"],
    [{ SWITCHBOARD_TRUST_PROXY: "maybe" }, 'SWITCHBOARD_TRUST_PROXY: must be "false", "true" (one proxy) or the number of proxies'],
    [{ SWITCHBOARD_TRUST_PROXY: "11" }, 'SWITCHBOARD_TRUST_PROXY: must be "false", "true" (one proxy) or the number of proxies'],
    [{ SWITCHBOARD_RATE_SWITCH: "lots" }, 'SWITCHBOARD_RATE_SWITCH: must look like "30/1m"'],
    [{ SWITCHBOARD_RATE_STS: "0/1s" }, 'SWITCHBOARD_RATE_STS: must look like "30/1m"'],
    [{ SWITCHBOARD_IDLE_MINUTES: "1" }, "SWITCHBOARD_IDLE_MINUTES: must be at least 5 minutes"],
    [{ SWITCHBOARD_PERMISSIONS_BOUNDARY_ARN: "Boundary" }, "SWITCHBOARD_PERMISSIONS_BOUNDARY_ARN: must be a policy ARN"],
    [{ SWITCHBOARD_ROLE_HEALTH_INTERVAL: "6 hours" }, 'SWITCHBOARD_ROLE_HEALTH_INTERVAL: must be a duration from 10s to 7d such as "6h"'],
    [{ SWITCHBOARD_ROLE_HEALTH_INTERVAL: "5s" }, "SWITCHBOARD_ROLE_HEALTH_INTERVAL: must be a duration from 10s to 7d"],
    [{ SWITCHBOARD_ROLE_HEALTH_INTERVAL: "8d" }, "SWITCHBOARD_ROLE_HEALTH_INTERVAL: must be a duration from 10s to 7d"],
    [{ SWITCHBOARD_ROLE_HEALTH_RATE: "fast" }, 'SWITCHBOARD_ROLE_HEALTH_RATE: must look like "30/1m"'],
    // Production settings that are unsafe stop the server, naming the variable.
    [{ NODE_ENV: "production", NEXTAUTH_SECRET: SECRET, NEXTAUTH_URL: "http://switchboard.example.com" }, "NEXTAUTH_URL: is plain http on a network address"],
    [{ NODE_ENV: "production", NEXTAUTH_SECRET: SECRET, SWITCHBOARD_SANDBOX_URL: "http://127.0.0.1:4566" }, "SWITCHBOARD_SANDBOX_URL: points a production server at the local AWS sandbox"],
    [{ SWITCHBOARD_OIDC_DEFAULT_ROLE: "admin" }, "SWITCHBOARD_OIDC_DEFAULT_ROLE: must not be admin"],
    [{ LOG_LEVEL: "verbose" }, "LOG_LEVEL: Invalid option"],
    [{ SWITCHBOARD_LOG_FORMAT: "text" }, 'SWITCHBOARD_LOG_FORMAT: must be "json" or "pretty"'],
    [{ NODE_ENV: "staging" }, "NODE_ENV: Invalid option"],
  ])("%j → %s", (env, expected) => {
    const problems = problemsOf(env);
    expect(problems.some((p) => p.startsWith(expected)), `got: ${problems.join(" | ")}`).toBe(true);
  });

  it("lists every problem at once, each naming its variable", () => {
    const problems = problemsOf({ NODE_ENV: "production", NEXTAUTH_URL: "nope", SWITCHBOARD_SESSION_HOURS: "99" });
    expect(problems.map((p) => p.split(":")[0])).toEqual(expect.arrayContaining(["NEXTAUTH_URL", "SWITCHBOARD_SESSION_HOURS"]));
  });

  it("says where to look in the error's text", () => {
    try {
      parseConfig({ NODE_ENV: "production" });
      expect.unreachable();
    } catch (err) {
      expect((err as Error).message).toMatch(/^Switchboard cannot start: its configuration is invalid\.\n {2}- NEXTAUTH_SECRET: /);
      expect((err as Error).message).toContain("README.md");
    }
  });
});

describe("parseConfig: valid values", () => {
  it("accepts a production configuration with Postgres and OIDC", () => {
    const config = parseConfig({
      NODE_ENV: "production",
      NEXTAUTH_URL: "https://switchboard.example.com/",
      NEXTAUTH_SECRET: SECRET,
      DATABASE_URL: "postgres://switchboard:pw@db:5432/switchboard",
      SWITCHBOARD_OIDC_ISSUER: "https://idp.example.com/realms/acme",
      SWITCHBOARD_OIDC_CLIENT_ID: "switchboard",
      SWITCHBOARD_OIDC_CLIENT_SECRET: "s3cret",
      SWITCHBOARD_OIDC_ROLE_MAPPING: "platform-admins=admin, sre=operator,security=auditor",
      SWITCHBOARD_OIDC_DEFAULT_ROLE: "none",
      AWS_REGION: "eu-west-1",
    });
    expect(config.baseUrl).toBe("https://switchboard.example.com");
    expect(config.database).toEqual({ dialect: "postgres", url: "postgres://switchboard:pw@db:5432/switchboard" });
    expect(config.oidc?.roleMapping).toEqual({ "platform-admins": "admin", sre: "operator", security: "auditor" });
    expect(config.oidc?.defaultRole).toBeUndefined();
    expect(config.oidc?.groupsClaim).toBe("groups");
    expect(config.aws.region).toBe("eu-west-1");
  });

  it("accepts an http issuer on this machine (for a local provider)", () => {
    const config = parseConfig({
      NODE_ENV: "production",
      NEXTAUTH_SECRET: SECRET,
      SWITCHBOARD_OIDC_ISSUER: "http://127.0.0.1:9000",
      SWITCHBOARD_OIDC_CLIENT_ID: "c",
      SWITCHBOARD_OIDC_CLIENT_SECRET: "s",
    });
    expect(config.oidc?.issuer).toBe("http://127.0.0.1:9000");
  });

  it("reads SQLite paths in the forms people write them", () => {
    expect(parseConfig({ DATABASE_URL: "file:/var/lib/switchboard/db.sqlite" }).database).toEqual({ dialect: "sqlite", path: "/var/lib/switchboard/db.sqlite" });
    expect(parseConfig({ DATABASE_URL: "sqlite:data/x.db" }).database).toEqual({ dialect: "sqlite", path: "data/x.db" });
    expect(parseConfig({ SWITCHBOARD_DATA_DIR: "/srv/sb" }).database).toEqual({ dialect: "sqlite", path: "/srv/sb/switchboard.db" });
  });

  it("lower-cases the initial admin's email and keeps the password as given", () => {
    const config = parseConfig({ SWITCHBOARD_ADMIN_EMAIL: "Admin@Example.com", SWITCHBOARD_ADMIN_PASSWORD: "Switchboard-Demo" });
    expect(config.initialAdmin).toEqual({ email: "admin@example.com", password: "Switchboard-Demo", name: "Administrator" });
  });

  it("allows plain http behind a TLS proxy when told so, and then makes cookies Secure", () => {
    const config = parseConfig({ NODE_ENV: "production", NEXTAUTH_SECRET: SECRET, NEXTAUTH_URL: "http://switchboard.internal", SWITCHBOARD_SECURE_COOKIES: "true" });
    expect(config.secureCookies).toBe(true);
    expect(parseConfig({ NODE_ENV: "production", NEXTAUTH_SECRET: SECRET, NEXTAUTH_URL: "http://127.0.0.1:3000" }).secureCookies).toBe(false);
    expect(parseConfig({ NEXTAUTH_URL: "https://switchboard.example.com" }).secureCookies).toBe(true);
  });

  it("allows the sandbox in production only with the explicit opt-in", () => {
    const config = parseConfig({ NODE_ENV: "production", NEXTAUTH_SECRET: SECRET, SWITCHBOARD_SANDBOX_URL: "http://127.0.0.1:4566", SWITCHBOARD_ALLOW_SANDBOX: "true" });
    expect(config.aws.sandboxUrl).toBe("http://127.0.0.1:4566");
  });

  it("reads proxy hops, rates, the idle timeout and the provisioning guardrails", () => {
    const config = parseConfig({
      SWITCHBOARD_TRUST_PROXY: "true",
      SWITCHBOARD_RATE_SWITCH: "10/30s",
      SWITCHBOARD_RATE_STS: "100/1s",
      SWITCHBOARD_RATE_SIGNIN_IP: "50/1h",
      SWITCHBOARD_IDLE_MINUTES: "30",
      SWITCHBOARD_PERMISSIONS_BOUNDARY_ARN: "arn:aws:iam::{accountId}:policy/SwitchboardBoundary",
    });
    expect(config.trustProxy).toBe(1);
    expect(parseConfig({ SWITCHBOARD_TRUST_PROXY: "2" }).trustProxy).toBe(2);
    expect(parseConfig({}).trustProxy).toBe(0);
    expect(config.rateLimits.switch).toEqual({ points: 10, seconds: 30 });
    expect(config.rateLimits.sts).toEqual({ points: 100, seconds: 1 });
    expect(config.rateLimits.signInPerIp).toEqual({ points: 50, seconds: 3600 });
    expect(config.sessionIdleSeconds).toBe(1800);
    expect(config.provisioning).toEqual({ permissionsBoundaryArn: "arn:aws:iam::{accountId}:policy/SwitchboardBoundary", allowPrivilegedExternalTrust: false });
    expect(parseConfig({}).oidc).toBeUndefined();
  });

  it("reads the log level and format: info and JSON lines unless told otherwise", () => {
    expect(parseConfig({})).toMatchObject({ logLevel: "info", logFormat: "json" });
    expect(parseConfig({ LOG_LEVEL: "debug", SWITCHBOARD_LOG_FORMAT: "pretty" })).toMatchObject({ logLevel: "debug", logFormat: "pretty" });
  });

  it("re-tests role entries every 6 hours at 2 a second unless told otherwise, or not at all", () => {
    expect(parseConfig({}).roleHealth).toEqual({ intervalSeconds: 6 * 3600, rate: { points: 2, seconds: 1 } });
    expect(parseConfig({ SWITCHBOARD_ROLE_HEALTH_INTERVAL: "30m", SWITCHBOARD_ROLE_HEALTH_RATE: "10/1m" }).roleHealth).toEqual({ intervalSeconds: 1800, rate: { points: 10, seconds: 60 } });
    expect(parseConfig({ SWITCHBOARD_ROLE_HEALTH_INTERVAL: "1d" }).roleHealth.intervalSeconds).toBe(86400);
    expect(parseConfig({ SWITCHBOARD_ROLE_HEALTH_INTERVAL: "15s" }).roleHealth.intervalSeconds).toBe(15);
    for (const off of ["off", "OFF", "false", "0"]) expect(parseConfig({ SWITCHBOARD_ROLE_HEALTH_INTERVAL: off }).roleHealth.intervalSeconds).toBeNull();
  });

  it("falls back to AWS_DEFAULT_REGION", () => {
    expect(parseConfig({ AWS_DEFAULT_REGION: "ap-southeast-2" }).aws.region).toBe("ap-southeast-2");
  });
});
