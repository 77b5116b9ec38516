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

const booleanFlag = z.preprocess(
  emptyToUndefined,
  z
    .enum(["true", "false", "1", "0", "yes", "no"], { error: 'must be "true" or "false"' })
    .default("false")
    .transform((v) => v === "true" || v === "1" || v === "yes"),
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
  SWITCHBOARD_TRUST_PROXY: booleanFlag,
  LOG_LEVEL: z.preprocess(emptyToUndefined, z.enum(["error", "warn", "info", "debug"]).default("info")),
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
      }
    | undefined;
  aws: { region: string; sandboxUrl: string | undefined };
  trustProxy: boolean;
  logLevel: "error" | "warn" | "info" | "debug";
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
          }
        : undefined,
    aws: { region: e.AWS_REGION ?? e.AWS_DEFAULT_REGION ?? "us-east-1", sandboxUrl: e.SWITCHBOARD_SANDBOX_URL },
    trustProxy: e.SWITCHBOARD_TRUST_PROXY,
    logLevel: e.LOG_LEVEL,
  };
}
