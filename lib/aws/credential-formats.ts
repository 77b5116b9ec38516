// Temporary credentials as text for each shell, file and tool an operator pastes them into.
// PURE: no server-only, no node: imports; the copy dialog renders these in the browser.
// Formats follow the IAM Identity Center "Access keys" dialog (export / set / $Env:, the
// credentials-file block), the AWS CLI's config and credential_process documentation:
// https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-files.html
// https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-role.html
// https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-sourcing-external.html

import { isRegion } from "./partitions";

/** Where the AWS CLI finds the credentials that assume a role, for a `credential_source` profile
 * (instead of `source_profile`: the two are mutually exclusive in one profile).
 * https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-role.html#cli-configure-role-ec2 */
export const CREDENTIAL_SOURCES = ["Ec2InstanceMetadata", "EcsContainer", "Environment"] as const;
export type CredentialSource = (typeof CREDENTIAL_SOURCES)[number];

export const isCredentialSource = (value: unknown): value is CredentialSource => typeof value === "string" && (CREDENTIAL_SOURCES as readonly string[]).includes(value);

/** Each source in words: its name in a list, and one sentence on when to use it. */
export const CREDENTIAL_SOURCE_TEXT: Record<CredentialSource, { label: string; when: string }> = {
  Ec2InstanceMetadata: {
    label: "EC2 instance role (Ec2InstanceMetadata)",
    when: "For code on an EC2 instance whose instance role the role trusts: the AWS CLI assumes the role with the instance profile's credentials.",
  },
  EcsContainer: {
    label: "ECS task role (EcsContainer)",
    when: "For code in an ECS task whose task role the role trusts: the AWS CLI assumes the role with the task role's credentials.",
  },
  Environment: {
    label: "Environment variables (Environment)",
    when: "For keys in the environment (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, a CI job's say) of a principal the role trusts.",
  },
};

export type TemporaryCredentials = {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  /** ISO 8601. */
  expiration: string;
};

export type CredentialFormatId = "bash" | "fish" | "powershell" | "cmd" | "credentials" | "config" | "credential_process" | "dotenv";

export type CredentialFormat = {
  id: CredentialFormatId;
  label: string;
  /** Where the text belongs, for the formats that are (part of) a file. */
  filename?: string;
};

export const CREDENTIAL_FORMATS: readonly CredentialFormat[] = [
  { id: "bash", label: "bash / zsh" },
  { id: "fish", label: "fish" },
  { id: "powershell", label: "PowerShell" },
  { id: "cmd", label: "Command Prompt (cmd)" },
  { id: "credentials", label: "Credentials file profile", filename: "~/.aws/credentials" },
  { id: "config", label: "Config file role profile", filename: "~/.aws/config" },
  { id: "credential_process", label: "credential_process JSON" },
  { id: "dotenv", label: ".env file", filename: ".env" },
];

export type CredentialContext = {
  credentials: TemporaryCredentials;
  region: string;
  /** INI section name, e.g. from `profileNameFor()`. */
  profileName: string;
  roleArn: string;
  sessionName: string;
  externalId?: string;
  /** The operator's own profile that assumes the role in the `config` format. */
  sourceProfile: string;
  /** Instead of `sourceProfile`: where the AWS CLI finds the credentials that assume the role
   * (`credential_source`). */
  credentialSource?: CredentialSource;
  durationSeconds: number;
};

/** The text for one format. Every value is checked first (see `checkContext`), so none can
 * break out of its quoting, its INI line or its comment. */
export function renderCredentials(formatId: CredentialFormatId, ctx: CredentialContext): string {
  checkContext(ctx);
  return `${RENDERERS[formatId](ctx).join("\n")}\n`;
}

type Renderer = (ctx: CredentialContext) => string[];

/** The variables the AWS CLI and SDKs read. AWS_REGION is the SDK-wide one (JavaScript, Java,
 * Go; CLI v2 prefers it); boto3 and CLI v1 read AWS_DEFAULT_REGION; so both are set.
 * https://docs.aws.amazon.com/sdkref/latest/guide/feature-region.html
 * https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-envvars.html */
function environment({ credentials, region }: CredentialContext): Array<[string, string]> {
  return [
    ["AWS_ACCESS_KEY_ID", credentials.accessKeyId],
    ["AWS_SECRET_ACCESS_KEY", credentials.secretAccessKey],
    ["AWS_SESSION_TOKEN", credentials.sessionToken],
    ["AWS_REGION", region],
    ["AWS_DEFAULT_REGION", region],
  ];
}

const expiryNote = ({ roleArn, credentials }: CredentialContext) =>
  `Temporary credentials for ${roleArn}, valid until ${credentials.expiration}`;

/** POSIX shells: inside single quotes nothing is special except `'` itself, written `'\''`. */
const posixQuote = (value: string) => `'${value.replace(/'/g, `'\\''`)}'`;
/** fish: inside single quotes only `\` and `'` need a backslash. */
const fishQuote = (value: string) => `'${value.replace(/[\\']/g, "\\$&")}'`;
/** PowerShell: single-quoted strings are verbatim; `'` is doubled. PowerShell also treats the
 * typographic quotes ‘ ’ ‚ ‛ as single quotes, so they are doubled too. */
const powershellQuote = (value: string) => `'${value.replace(/['\u2018\u2019\u201a\u201b]/g, "$&$&")}'`;

const RENDERERS: Record<CredentialFormatId, Renderer> = {
  bash: (ctx) => [`# ${expiryNote(ctx)}`, ...environment(ctx).map(([k, v]) => `export ${k}=${posixQuote(v)}`)],
  fish: (ctx) => [`# ${expiryNote(ctx)}`, ...environment(ctx).map(([k, v]) => `set -gx ${k} ${fishQuote(v)}`)],
  powershell: (ctx) => [`# ${expiryNote(ctx)}`, ...environment(ctx).map(([k, v]) => `$Env:${k}=${powershellQuote(v)}`)],
  // cmd has no quoting at all: `set X="v"` would put the quotes in the value. The values are
  // checked to be [A-Za-z0-9+/=-] (checkContext), none of which cmd treats specially.
  cmd: (ctx) => [`REM ${expiryNote(ctx)}`, ...environment(ctx).map(([k, v]) => `set ${k}=${v}`)],
  credentials: (ctx) => [
    `# ${expiryNote(ctx)}`,
    `[${ctx.profileName}]`,
    `aws_access_key_id = ${ctx.credentials.accessKeyId}`,
    `aws_secret_access_key = ${ctx.credentials.secretAccessKey}`,
    `aws_session_token = ${ctx.credentials.sessionToken}`,
  ],
  // A role profile as AWS's tutorials write it: the CLI assumes the role itself with the
  // operator's own source_profile (or, with credential_source, the instance's, task's or
  // environment's credentials; never both lines, the CLI refuses a profile with both), so this
  // format carries no temporary credentials (and the role's trust policy must trust that
  // principal, not only the console).
  // https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-role.html#cli-configure-role-ec2
  config: (ctx) => [
    ctx.credentialSource !== undefined
      ? `# Assumes ${ctx.roleArn} with the credentials of the ${CREDENTIAL_SOURCE_TEXT[ctx.credentialSource].label}`
      : `# Assumes ${ctx.roleArn} with the credentials of profile ${ctx.sourceProfile}`,
    // The config file names the default profile [default], every other one [profile name].
    ctx.profileName === "default" ? "[default]" : `[profile ${ctx.profileName}]`,
    `role_arn = ${ctx.roleArn}`,
    ctx.credentialSource !== undefined ? `credential_source = ${ctx.credentialSource}` : `source_profile = ${ctx.sourceProfile}`,
    `role_session_name = ${ctx.sessionName}`,
    ...(ctx.externalId !== undefined ? [`external_id = ${ctx.externalId}`] : []),
    `duration_seconds = ${ctx.durationSeconds}`,
    `region = ${ctx.region}`,
  ],
  // What a credential_process program prints: Version 1 and an ISO 8601 Expiration.
  credential_process: ({ credentials }) => [
    JSON.stringify(
      {
        Version: 1,
        AccessKeyId: credentials.accessKeyId,
        SecretAccessKey: credentials.secretAccessKey,
        SessionToken: credentials.sessionToken,
        Expiration: credentials.expiration,
      },
      null,
      2,
    ),
  ],
  // Unquoted: Docker's --env-file keeps quotes as part of the value, while dotenv, Node's
  // --env-file and Compose all read `KEY=value` with `=` inside the value as intended.
  dotenv: (ctx) => [`# ${expiryNote(ctx)}`, ...environment(ctx).map(([k, v]) => `${k}=${v}`)],
};

// What each value may contain. Access keys and secrets are base64-like, so `[A-Za-z0-9+/=]`
// covers them and needs no escaping in any format (cmd and .env have none).
const ACCESS_KEY_ID = /^[A-Z0-9]{16,128}$/;
const BASE64ISH = /^[A-Za-z0-9+/=]+$/;
const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/;
const PROFILE = /^[A-Za-z0-9_.-]{1,64}$/;
// IAM role ARNs: partition, 12-digit account, path and name of printable ASCII without spaces.
const ROLE_ARN = /^arn:aws(?:-[a-z]+)*:iam::\d{12}:role\/[\x21-\x7e]{1,576}$/;
// AssumeRole's patterns: RoleSessionName [\w+=,.@-]{2,64}; ExternalId [\w+=,.@:/-]{2,1224}.
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;

/** Refuses anything that does not look like what STS and the catalog produce. The message names
 * the field, never the value (it may be a secret). */
function checkContext(ctx: CredentialContext): void {
  const { credentials: c } = ctx;
  const checks: Array<[string, boolean]> = [
    ["accessKeyId", ACCESS_KEY_ID.test(c.accessKeyId)],
    ["secretAccessKey", BASE64ISH.test(c.secretAccessKey)],
    ["sessionToken", BASE64ISH.test(c.sessionToken)],
    ["expiration", ISO_8601.test(c.expiration) && !Number.isNaN(Date.parse(c.expiration))],
    ["region", isRegion(ctx.region)],
    ["profileName", PROFILE.test(ctx.profileName)],
    ["sourceProfile", PROFILE.test(ctx.sourceProfile)],
    ["credentialSource", ctx.credentialSource === undefined || isCredentialSource(ctx.credentialSource)],
    ["roleArn", ROLE_ARN.test(ctx.roleArn)],
    ["sessionName", SESSION_NAME.test(ctx.sessionName)],
    ["externalId", ctx.externalId === undefined || EXTERNAL_ID.test(ctx.externalId)],
    ["durationSeconds", Number.isInteger(ctx.durationSeconds) && ctx.durationSeconds >= 900 && ctx.durationSeconds <= 43200],
  ];
  const bad = checks.filter(([, ok]) => !ok).map(([field]) => field);
  if (bad.length > 0) throw new Error(`Cannot render credentials: invalid ${bad.join(", ")}`);
}

/** A profile name for the INI files from the account and role names, e.g. Production +
 * ReadOnly → `production-readonly`, Acme Dev + delegate_read_my_bucket →
 * `acme-dev-delegate-read-my-bucket`: lower case, accents dropped, anything else a single `-`,
 * at most 64 characters. */
export function profileNameFor(accountName: string, roleName: string): string {
  const name = [slug(accountName), slug(roleName)].filter(Boolean).join("-").slice(0, 64).replace(/-+$/, "");
  return name || "switchboard";
}

function slug(value: string): string {
  return value
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}
