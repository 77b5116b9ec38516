// Switchboard's configuration: every environment variable it reads, validated once, with a
// message per variable that says what it should be. Pure (takes the environment as input) so
// it can be tested; lib/config/index.ts applies it to process.env.
import { z } from "zod";

export const CONSOLE_ROLES = ["admin", "operator", "auditor"] as const;
export type ConsoleRole = (typeof CONSOLE_ROLES)[number];

/** Values that appear in tutorials and templates; a secret equal to one of them is no secret. */
const PLACEHOLDER_SECRETS = new Set([
  "changeme",
  "change-me",
  "secret",
  "nextauth-secret",
  "your-secret",
  "your-secret-here",
  "development-secret",
  "replace-me",
]);

const MIN_SECRET_BYTES = 32;
const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

const emptyToUndefined = (value: unknown) => (typeof value === "string" && value.trim() === "" ? undefined : value);
const optionalString = z.preprocess(emptyToUndefined, z.string().optional());

const httpUrl = (what: string) =>
  z
    .string()
    .refine((v) => URL.canParse(v) && /^https?:$/.test(new URL(v).protocol), `must be an http(s) URL, ${what}`)
    .transform((v) => v.replace(/\/+$/, ""));

const url = (what: string) => z.preprocess(emptyToUndefined, httpUrl(what).optional());
const urlWithDefault = (what: string, fallback: string) => z.preprocess(emptyToUndefined, httpUrl(what).default(fallback));

const booleanFlagDefault = (fallback: boolean) =>
  z
    .enum(["true", "false", "1", "0", "yes", "no", "on", "off"], { error: 'must be "true" or "false"' })
    .default(fallback ? "true" : "false")
    .transform((v) => v === "true" || v === "1" || v === "yes" || v === "on");
const booleanFlag = z.preprocess(emptyToUndefined, booleanFlagDefault(false));

/** SWITCHBOARD_TRUST_PROXY: how many reverse proxies you run in front of the console. "true" is
 * one; "false" or 0 trusts none (the client is the address the connection came from). */
const proxyHops = z.preprocess(
  emptyToUndefined,
  z
    .string()
    .default("0")
    .transform((value, ctx) => {
      const v = value.trim().toLowerCase();
      if (v === "true" || v === "yes") return 1;
      if (v === "false" || v === "no") return 0;
      if (/^\d{1,2}$/.test(v) && Number(v) <= 10) return Number(v);
      ctx.addIssue({ code: "custom", message: 'must be "false", "true" (one proxy) or the number of proxies you run in front of the console (0–10)' });
      return z.NEVER;
    }),
);

/** A rate such as "30/1m": at most 30 in any one minute. Units: s, m, h. */
export type Rate = { points: number; seconds: number };
const rate = (fallback: string) =>
  z.preprocess(
    emptyToUndefined,
    z
      .string()
      .default(fallback)
      .transform((value, ctx): Rate => {
        const m = /^\s*(\d{1,6})\s*\/\s*(\d{1,5})?\s*(s|m|h)\s*$/i.exec(value);
        const points = m ? Number(m[1]) : 0;
        const seconds = m ? Number(m[2] ?? "1") * { s: 1, m: 60, h: 3600 }[m[3]!.toLowerCase() as "s" | "m" | "h"] : 0;
        if (!m || points < 1 || seconds < 1 || seconds > 86400) {
          ctx.addIssue({ code: "custom", message: `must look like "30/1m" (at most 30 per minute; units s, m or h, window at most 24h), not "${value.slice(0, 40)}"` });
          return z.NEVER;
        }
        return { points, seconds };
      }),
  );

/** SWITCHBOARD_ROLE_HEALTH_INTERVAL: how often every role entry is tested again in the
 * background, e.g. "6h", "30m", "1d", or "off". */
const MIN_HEALTH_INTERVAL_SECONDS = 10;
const MAX_HEALTH_INTERVAL_SECONDS = 7 * 86400;
const healthInterval = (fallback: string) =>
  z.preprocess(
    emptyToUndefined,
    z
      .string()
      .default(fallback)
      .transform((value, ctx): number | null => {
        const v = value.trim().toLowerCase();
        if (v === "off" || v === "false" || v === "0") return null;
        const m = /^(\d{1,6})\s*(s|m|h|d)$/.exec(v);
        const seconds = m ? Number(m[1]) * { s: 1, m: 60, h: 3600, d: 86400 }[m[2] as "s" | "m" | "h" | "d"] : 0;
        if (!m || seconds < MIN_HEALTH_INTERVAL_SECONDS || seconds > MAX_HEALTH_INTERVAL_SECONDS) {
          ctx.addIssue({ code: "custom", message: `must be a duration from 10s to 7d such as "6h", "30m" or "1d", or "off", not "${value.slice(0, 40)}"` });
          return z.NEVER;
        }
        return seconds;
      }),
  );

const durationMinutes = (what: string, min: number, max: number, fallback: number) =>
  z.preprocess(
    emptyToUndefined,
    z.coerce
      .number({ error: `must be a number of minutes (${what})` })
      .int(`must be a whole number of minutes`)
      .min(min, `must be at least ${min} minutes`)
      .max(max, `must be at most ${max} minutes`)
      .default(fallback),
  );

/** A permissions boundary for every role the wizard creates: a policy ARN, where `{accountId}`
 * stands for the account the role is created in. */
const boundaryArn = z.preprocess(
  emptyToUndefined,
  z
    .string()
    .regex(
      /^arn:aws(-[a-z]+)*:iam::(\d{12}|aws|\{accountId\}):policy\/[\w+=,.@\/-]{1,512}$/,
      "must be a policy ARN, e.g. arn:aws:iam::{accountId}:policy/SwitchboardBoundary ({accountId} is replaced by each role's account)",
    )
    .optional(),
);

const roleMapping = z.preprocess(
  emptyToUndefined,
  z
    .string()
    .default("")
    .transform((value, ctx) => {
      const map: Record<string, ConsoleRole> = {};
      for (const pair of value.split(",").map((p) => p.trim()).filter(Boolean)) {
        const eq = pair.lastIndexOf("=");
        const group = pair.slice(0, eq).trim();
        const role = pair.slice(eq + 1).trim();
        if (eq <= 0 || !group || !(CONSOLE_ROLES as readonly string[]).includes(role)) {
          ctx.addIssue({
            code: "custom",
            message: `"${pair}" must look like group=role, with role one of ${CONSOLE_ROLES.join(", ")} (e.g. "platform-admins=admin,sre=operator")`,
          });
          return z.NEVER;
        }
        map[group] = role as ConsoleRole;
      }
      return map;
    }),
);

const envSchema = z.object({
  NODE_ENV: z.preprocess(emptyToUndefined, z.enum(["development", "production", "test"]).default("development")),
  NEXTAUTH_URL: urlWithDefault("the address people open the console at (e.g. https://switchboard.example.com)", "http://localhost:3000"),
  NEXTAUTH_SECRET: optionalString,
  DATABASE_URL: optionalString,
  SWITCHBOARD_DATA_DIR: z.preprocess(emptyToUndefined, z.string().default("data")),
  SWITCHBOARD_ADMIN_EMAIL: z.preprocess(emptyToUndefined, z.email("must be an email address").optional()),
  SWITCHBOARD_ADMIN_PASSWORD: z.preprocess(emptyToUndefined, z.string().min(12, "must be at least 12 characters").max(200).optional()),
  SWITCHBOARD_ADMIN_NAME: z.preprocess(emptyToUndefined, z.string().max(100).default("Administrator")),
  SWITCHBOARD_SESSION_HOURS: z.preprocess(
    emptyToUndefined,
    z.coerce.number({ error: "must be a number of hours" }).min(1, "must be at least 1 hour").max(24, "must be at most 24 hours").default(12),
  ),
  SWITCHBOARD_OIDC_ISSUER: url("the issuer of your OpenID provider (its /.well-known/openid-configuration lives under it)"),
  SWITCHBOARD_OIDC_CLIENT_ID: optionalString,
  SWITCHBOARD_OIDC_CLIENT_SECRET: optionalString,
  SWITCHBOARD_OIDC_NAME: z.preprocess(emptyToUndefined, z.string().max(60).default("Single sign-on")),
  SWITCHBOARD_OIDC_SCOPES: z.preprocess(emptyToUndefined, z.string().default("openid email profile")),
  SWITCHBOARD_OIDC_GROUPS_CLAIM: z.preprocess(emptyToUndefined, z.string().max(100).default("groups")),
  SWITCHBOARD_OIDC_ROLE_MAPPING: roleMapping,
  SWITCHBOARD_OIDC_DEFAULT_ROLE: z.preprocess(
    emptyToUndefined,
    z.enum(["none", ...CONSOLE_ROLES], { error: `must be none, ${CONSOLE_ROLES.join(", ")}` }).default("none"),
  ),
  AWS_REGION: optionalString,
  AWS_DEFAULT_REGION: optionalString,
  SWITCHBOARD_SANDBOX_URL: url("the sandbox endpoint (e.g. http://127.0.0.1:4566)"),
  SWITCHBOARD_TRUST_PROXY: proxyHops,
  SWITCHBOARD_ALLOW_SANDBOX: booleanFlag,
  SWITCHBOARD_SECURE_COOKIES: booleanFlag,
  SWITCHBOARD_IDLE_MINUTES: durationMinutes("of inactivity after which a session ends", 5, 1440, 60),
  SWITCHBOARD_TOKEN_MAX_DAYS: z.preprocess(
    emptyToUndefined,
    z.coerce.number({ error: "must be a number of days" }).int("must be a whole number of days").min(1, "must be at least 1 day").max(365, "must be at most 365 days").default(90),
  ),
  SWITCHBOARD_OIDC_REQUIRE_EMAIL_VERIFIED: z.preprocess(emptyToUndefined, booleanFlagDefault(true)),
  SWITCHBOARD_PERMISSIONS_BOUNDARY_ARN: boundaryArn,
  SWITCHBOARD_ALLOW_PRIVILEGED_EXTERNAL_TRUST: booleanFlag,
  SWITCHBOARD_CREDENTIAL_CACHE: z.preprocess(emptyToUndefined, booleanFlagDefault(true)),
  SWITCHBOARD_ROLE_HEALTH_INTERVAL: healthInterval("6h"),
  SWITCHBOARD_ROLE_HEALTH_RATE: rate("2/1s"),
  /** How often each instance looks for access on request that expired (lib/access/expiry.ts). */
  SWITCHBOARD_ACCESS_EXPIRY_INTERVAL: healthInterval("30s"),
  SWITCHBOARD_WEBHOOK_ALLOW_PRIVATE: booleanFlag,
  SWITCHBOARD_RATE_SWITCH: rate("30/1m"),
  SWITCHBOARD_RATE_STS: rate("50/1s"),
  SWITCHBOARD_RATE_SIGNIN_IP: rate("20/5m"),
  SWITCHBOARD_SIGNIN_DELAY_AFTER: z.preprocess(
    emptyToUndefined,
    z.coerce.number({ error: "must be a number of failed sign-ins" }).int("must be a whole number").min(1, "must be at least 1").max(100, "must be at most 100").default(5),
  ),
  SWITCHBOARD_SIGNIN_MAX_DELAY_MINUTES: durationMinutes("the longest wait between sign-in attempts after repeated failures", 1, 1440, 15),
  LOG_LEVEL: z.preprocess(emptyToUndefined, z.enum(["error", "warn", "info", "debug"]).default("info")),
  SWITCHBOARD_LOG_FORMAT: z.preprocess(emptyToUndefined, z.enum(["json", "pretty"], { error: 'must be "json" or "pretty"' }).default("json")),
});

export type DatabaseConfig = { dialect: "sqlite"; path: string } | { dialect: "postgres"; url: string };

export type Config = {
  env: "development" | "production" | "test";
  baseUrl: string;
  /** Undefined outside production when NEXTAUTH_SECRET is unset; auth then uses a random
   * per-process secret (sessions end on restart). */
  authSecret: string | undefined;
  dataDir: string;
  database: DatabaseConfig;
  initialAdmin: { email: string; password: string; name: string } | undefined;
  sessionMaxAgeSeconds: number;
  /** A session that makes no request for this long ends. */
  sessionIdleSeconds: number;
  /** The longest a personal access token may live, in days (lib/tokens/). */
  tokenMaxDays: number;
  /** Session cookies are Secure (and __Secure- prefixed): an https NEXTAUTH_URL, or
   * SWITCHBOARD_SECURE_COOKIES behind a proxy that terminates TLS. */
  secureCookies: boolean;
  oidc:
    | {
        issuer: string;
        clientId: string;
        clientSecret: string;
        name: string;
        scopes: string;
        groupsClaim: string;
        roleMapping: Record<string, ConsoleRole>;
        defaultRole: ConsoleRole | undefined;
        /** email_verified must be sent, and true; when false it may be absent (never false). */
        requireEmailVerified: boolean;
      }
    | undefined;
  aws: { region: string; sandboxUrl: string | undefined };
  /** How many reverse proxies in front of the console append to X-Forwarded-For (0: none). */
  trustProxy: number;
  provisioning: {
    /** Every role the wizard creates carries this boundary (`{accountId}` replaced). */
    permissionsBoundaryArn: string | undefined;
    /** Whether administrator-level permissions may go to a role trusted from outside the organization. */
    allowPrivilegedExternalTrust: boolean;
  };
  rateLimits: {
    /** Switches (console or credentials) per person. */
    switch: Rate;
    /** STS calls by the whole console (every instance together on Postgres). */
    sts: Rate;
    /** Sign-in attempts per client address. */
    signInPerIp: Rate;
    /** Failed sign-ins in a row on one account before each next attempt must wait (1 s, 2 s, 4 s, …). */
    signInDelayAfter: number;
    /** The longest such wait: the lock, which expires by itself and which an admin can clear. */
    signInMaxDelaySeconds: number;
  };
  /** Keep issued AWS credentials in memory for repeat switches (lib/sessions/credential-cache.ts). */
  credentialCache: boolean;
  /** The background re-test of every role entry (lib/sessions/role-health-schedule.ts). */
  roleHealth: {
    /** Seconds between rounds; null: off. */
    intervalSeconds: number | null;
    /** At most this many tests (one AssumeRole each) in the window, on top of the STS budget. */
    rate: Rate;
  };
  /** Access on request (lib/access/expiry.ts): seconds between looks for access that expired,
   * whose live sessions are then revoked; null: off (access still ends on time: the grant
   * check compares expiry with the clock on every request). */
  accessExpiry: { intervalSeconds: number | null };
  /** Webhooks (lib/webhooks/): true lets them go to http:// and to loopback and private addresses
   * (the tests, the demo); never in production, where it would open the console to SSRF. */
  webhooks: { allowPrivate: boolean };
  logLevel: "error" | "warn" | "info" | "debug";
  /** One JSON object per line (for a log collector), or coloured text for a person at a terminal. */
  logFormat: "json" | "pretty";
};

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Switchboard cannot start: its configuration is invalid.\n${problems.map((p) => `  - ${p}`).join("\n")}\nSee README.md ("Configuration") or .env.example.`);
    this.name = "ConfigError";
    this.problems = problems;
  }
}

function parseDatabaseUrl(raw: string | undefined, dataDir: string): DatabaseConfig | string {
  if (!raw) return { dialect: "sqlite", path: `${dataDir}/switchboard.db` };
  if (/^postgres(ql)?:\/\//.test(raw)) {
    return URL.canParse(raw) && /^postgres(ql)?:\/\/.+/.test(raw)
      ? { dialect: "postgres", url: raw }
      : "DATABASE_URL: is not a valid postgres:// URL (e.g. postgres://user:password@host:5432/switchboard)";
  }
  const path = raw.replace(/^(sqlite|file):(\/\/)?/, "");
  if (!path) return "DATABASE_URL: must be a postgres:// URL or a SQLite file path (e.g. file:data/switchboard.db)";
  return { dialect: "sqlite", path };
}

/** Validates an environment; throws ConfigError listing every problem at once. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const parsed = envSchema.safeParse(env);
  const problems: string[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push(`${issue.path.join(".")}: ${issue.message}`);
    throw new ConfigError(problems);
  }
  const e = parsed.data;

  const secret = e.NEXTAUTH_SECRET;
  if (secret !== undefined) {
    if (PLACEHOLDER_SECRETS.has(secret.toLowerCase())) {
      problems.push("NEXTAUTH_SECRET: is a well-known placeholder; generate one with `openssl rand -base64 32`");
    } else if (Buffer.byteLength(secret) < MIN_SECRET_BYTES && e.NODE_ENV === "production") {
      problems.push(`NEXTAUTH_SECRET: must be at least ${MIN_SECRET_BYTES} bytes; generate one with \`openssl rand -base64 32\``);
    }
  } else if (e.NODE_ENV === "production") {
    problems.push("NEXTAUTH_SECRET: is required in production; set it to at least 32 random bytes (`openssl rand -base64 32`)");
  }

  const database = parseDatabaseUrl(e.DATABASE_URL, e.SWITCHBOARD_DATA_DIR);
  if (typeof database === "string") problems.push(database);

  if ((e.SWITCHBOARD_ADMIN_EMAIL === undefined) !== (e.SWITCHBOARD_ADMIN_PASSWORD === undefined)) {
    problems.push(
      e.SWITCHBOARD_ADMIN_EMAIL
        ? "SWITCHBOARD_ADMIN_PASSWORD: is required when SWITCHBOARD_ADMIN_EMAIL is set (at least 12 characters)"
        : "SWITCHBOARD_ADMIN_EMAIL: is required when SWITCHBOARD_ADMIN_PASSWORD is set",
    );
  }

  const oidcParts = {
    SWITCHBOARD_OIDC_ISSUER: e.SWITCHBOARD_OIDC_ISSUER,
    SWITCHBOARD_OIDC_CLIENT_ID: e.SWITCHBOARD_OIDC_CLIENT_ID,
    SWITCHBOARD_OIDC_CLIENT_SECRET: e.SWITCHBOARD_OIDC_CLIENT_SECRET,
  };
  const oidcSet = Object.entries(oidcParts).filter(([, v]) => v !== undefined);
  if (oidcSet.length > 0 && oidcSet.length < 3) {
    for (const [name, value] of Object.entries(oidcParts)) {
      if (value === undefined) problems.push(`${name}: is required when any SWITCHBOARD_OIDC_* variable is set (all three enable OIDC sign-in)`);
    }
  }
  if (e.SWITCHBOARD_OIDC_ISSUER && e.NODE_ENV === "production") {
    const issuer = new URL(e.SWITCHBOARD_OIDC_ISSUER);
    if (issuer.protocol !== "https:" && !LOOPBACK.has(issuer.hostname)) {
      problems.push("SWITCHBOARD_OIDC_ISSUER: must use https (plain http is accepted only for a provider on this machine)");
    }
  }

  if (e.NODE_ENV === "production") {
    // Settings that are fine on a laptop and dangerous in front of an organization.
    const base = new URL(e.NEXTAUTH_URL);
    if (base.protocol === "http:" && !LOOPBACK.has(base.hostname) && !e.SWITCHBOARD_SECURE_COOKIES) {
      problems.push(
        "NEXTAUTH_URL: is plain http on a network address, so session cookies would travel unencrypted; use https, or set SWITCHBOARD_SECURE_COOKIES=true if a proxy in front of the console terminates TLS",
      );
    }
    if (e.SWITCHBOARD_SANDBOX_URL && !e.SWITCHBOARD_ALLOW_SANDBOX) {
      problems.push("SWITCHBOARD_SANDBOX_URL: points a production server at the local AWS sandbox; unset it, or set SWITCHBOARD_ALLOW_SANDBOX=true for a demo");
    }
  }
  if (e.SWITCHBOARD_OIDC_DEFAULT_ROLE === "admin") {
    problems.push("SWITCHBOARD_OIDC_DEFAULT_ROLE: must not be admin: everyone your identity provider lets in would administer the console; map an admin group with SWITCHBOARD_OIDC_ROLE_MAPPING instead");
  }

  if (problems.length) throw new ConfigError(problems);

  return {
    env: e.NODE_ENV,
    baseUrl: e.NEXTAUTH_URL,
    authSecret: secret,
    dataDir: e.SWITCHBOARD_DATA_DIR,
    database: database as DatabaseConfig,
    initialAdmin:
      e.SWITCHBOARD_ADMIN_EMAIL && e.SWITCHBOARD_ADMIN_PASSWORD
        ? { email: e.SWITCHBOARD_ADMIN_EMAIL.toLowerCase(), password: e.SWITCHBOARD_ADMIN_PASSWORD, name: e.SWITCHBOARD_ADMIN_NAME }
        : undefined,
    sessionMaxAgeSeconds: Math.round(e.SWITCHBOARD_SESSION_HOURS * 3600),
    sessionIdleSeconds: e.SWITCHBOARD_IDLE_MINUTES * 60,
    tokenMaxDays: e.SWITCHBOARD_TOKEN_MAX_DAYS,
    secureCookies: e.NEXTAUTH_URL.startsWith("https://") || e.SWITCHBOARD_SECURE_COOKIES,
    oidc:
      oidcSet.length === 3
        ? {
            issuer: e.SWITCHBOARD_OIDC_ISSUER!,
            clientId: e.SWITCHBOARD_OIDC_CLIENT_ID!,
            clientSecret: e.SWITCHBOARD_OIDC_CLIENT_SECRET!,
            name: e.SWITCHBOARD_OIDC_NAME,
            scopes: e.SWITCHBOARD_OIDC_SCOPES,
            groupsClaim: e.SWITCHBOARD_OIDC_GROUPS_CLAIM,
            roleMapping: e.SWITCHBOARD_OIDC_ROLE_MAPPING,
            defaultRole: e.SWITCHBOARD_OIDC_DEFAULT_ROLE === "none" ? undefined : e.SWITCHBOARD_OIDC_DEFAULT_ROLE,
            requireEmailVerified: e.SWITCHBOARD_OIDC_REQUIRE_EMAIL_VERIFIED,
          }
        : undefined,
    aws: { region: e.AWS_REGION ?? e.AWS_DEFAULT_REGION ?? "us-east-1", sandboxUrl: e.SWITCHBOARD_SANDBOX_URL },
    trustProxy: e.SWITCHBOARD_TRUST_PROXY,
    provisioning: {
      permissionsBoundaryArn: e.SWITCHBOARD_PERMISSIONS_BOUNDARY_ARN,
      allowPrivilegedExternalTrust: e.SWITCHBOARD_ALLOW_PRIVILEGED_EXTERNAL_TRUST,
    },
    rateLimits: {
      switch: e.SWITCHBOARD_RATE_SWITCH,
      sts: e.SWITCHBOARD_RATE_STS,
      signInPerIp: e.SWITCHBOARD_RATE_SIGNIN_IP,
      signInDelayAfter: e.SWITCHBOARD_SIGNIN_DELAY_AFTER,
      signInMaxDelaySeconds: e.SWITCHBOARD_SIGNIN_MAX_DELAY_MINUTES * 60,
    },
    credentialCache: e.SWITCHBOARD_CREDENTIAL_CACHE,
    roleHealth: { intervalSeconds: e.SWITCHBOARD_ROLE_HEALTH_INTERVAL, rate: e.SWITCHBOARD_ROLE_HEALTH_RATE },
    accessExpiry: { intervalSeconds: e.SWITCHBOARD_ACCESS_EXPIRY_INTERVAL },
    webhooks: { allowPrivate: e.SWITCHBOARD_WEBHOOK_ALLOW_PRIVATE },
    logLevel: e.LOG_LEVEL,
    logFormat: e.SWITCHBOARD_LOG_FORMAT,
  };
}
