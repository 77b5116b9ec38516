// A plan as a profile for ~/.aws/config, so the CLI and SDKs assume the new role with the
// operator's own credentials (source_profile), or with those of where the code runs
// (credential_source: an EC2 instance's role, an ECS task's role, the environment's keys). The
// two are mutually exclusive in one profile. Settings:
// https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-role.html
// https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-role.html#cli-configure-role-ec2
// PURE: no server-only, no node: imports.

import { CREDENTIAL_SOURCE_TEXT, isCredentialSource, profileNameFor, type CredentialSource } from "@/lib/aws/credential-formats";
import { isRegion, partitionOfRegion } from "@/lib/aws/partitions";
import type { Plan } from "@/lib/provision/types";
import { HOME_REGION, commentText, requiredExternalId, requiresMfa, trustsIamPrincipal } from "./shared";

export type AwsConfigOptions = {
  /** The section name; sanitized. Default: the Switch Role menu's name for the role
   * (`profileNameFor`, e.g. `production-delegate-read-my-bucket`). */
  profileName?: string;
  /** For the default profile name; the plan knows only the account id. */
  accountName?: string;
  /** The operator's own profile whose credentials assume the role; sanitized. Default "default". */
  sourceProfile?: string;
  /** Instead of `sourceProfile`: where the CLI finds the credentials that assume the role
   * (`credential_source`); the profile then has no source_profile line. */
  credentialSource?: CredentialSource;
  /** Default: the partition's home region. Must be in the plan's partition. */
  region?: string;
  /** What CloudTrail shows as the session (the operator's login, say); sanitized. Default
   * "switchboard". */
  sessionName?: string;
  /** The operator's MFA device ARN, when the trust policy requires MFA. The CLI does not inherit
   * it from source_profile (aws/aws-cli#2279), so without it the profile carries a commented
   * placeholder. */
  mfaSerial?: string;
};

// The STS and IAM patterns: ExternalId [\w+=,.@:/-]{2,1224}; SerialNumber [\w+=/:,.@-]{9,256}.
// Neither admits a space, `#`, `;` or a line break, so no value can end its INI line.
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;
const MFA_SERIAL = /^[\w+=/:,.@-]{9,256}$/;
const ROLE_ARN = /^arn:aws(?:-[a-z]+)*:iam::\d{12}:role\/[\x21-\x7e]{1,576}$/;

/** The plan's role as a `[profile …]` section. Throws when the plan holds something no profile can
 * carry (an ExternalId STS would refuse, a region of another partition); the message names the
 * field. */
export function exportAwsConfig(plan: Plan, options: AwsConfigOptions = {}): string {
  const profile = options.profileName !== undefined ? profileName(options.profileName, "switchboard") : profileNameFor(options.accountName ?? plan.accountId, plan.roleName);
  const sourceProfile = profileName(options.sourceProfile ?? "default", "default");
  const sessionName = roleSessionName(options.sessionName ?? "switchboard");
  const region = options.region ?? HOME_REGION[plan.partition];
  const externalId = requiredExternalId(plan.trustPolicy);
  const mfa = requiresMfa(plan.trustPolicy);

  const checks: Array<[string, boolean]> = [
    ["roleArn", ROLE_ARN.test(plan.roleArn)],
    ["credentialSource", options.credentialSource === undefined || isCredentialSource(options.credentialSource)],
    ["region", isRegion(region) && partitionOfRegion(region) === plan.partition],
    ["externalId", externalId === undefined || EXTERNAL_ID.test(externalId)],
    ["mfaSerial", options.mfaSerial === undefined || MFA_SERIAL.test(options.mfaSerial)],
    ["effectiveSessionSeconds", Number.isInteger(plan.effectiveSessionSeconds) && plan.effectiveSessionSeconds >= 900 && plan.effectiveSessionSeconds <= 43200],
  ];
  const bad = checks.filter(([, ok]) => !ok).map(([field]) => field);
  if (bad.length > 0) throw new Error(`Cannot render the ~/.aws/config profile: invalid ${bad.join(", ")}`);

  const source = options.credentialSource;
  const lines = [
    `# ${commentText(source === undefined ? `Assumes ${plan.roleArn} with the credentials of profile ${sourceProfile}.` : `Assumes ${plan.roleArn} with the credentials of the ${CREDENTIAL_SOURCE_TEXT[source].label}.`)}`,
    ...(trustsIamPrincipal(plan.trustPolicy)
      ? []
      : ["# The trust policy trusts no IAM user or role (only a service or an identity provider): this profile cannot assume the role as it is."]),
    ...(externalId !== undefined ? ["# The trust policy requires this ExternalId, so the console's Switch Role cannot use the role."] : []),
    // The config file names the default profile [default], every other one [profile name].
    profile === "default" ? "[default]" : `[profile ${profile}]`,
    `role_arn = ${plan.roleArn}`,
    source === undefined ? `source_profile = ${sourceProfile}` : `credential_source = ${source}`,
    `role_session_name = ${sessionName}`,
    `duration_seconds = ${plan.effectiveSessionSeconds}`,
    ...(externalId !== undefined ? [`external_id = ${externalId}`] : []),
    ...(mfa
      ? options.mfaSerial !== undefined
        ? [`mfa_serial = ${options.mfaSerial}`]
        : ["# The trust policy requires MFA: uncomment and set your MFA device (the CLI then asks for a code).", `# mfa_serial = arn:${plan.partition}:iam::YOUR_ACCOUNT_ID:mfa/YOUR_DEVICE`]
      : []),
    `region = ${region}`,
  ];
  return `${lines.join("\n")}\n`;
}

/** A profile name the CLI reads back unchanged: letters, digits, `_`, `.` and `-`, at most 64. */
function profileName(name: string, fallback: string): string {
  const clean = name
    .replace(/[^A-Za-z0-9_.-]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 64)
    .replace(/-+$/, "");
  return clean || fallback;
}

/** RoleSessionName: 2–64 of [\w+=,.@-]. */
function roleSessionName(name: string): string {
  const clean = name
    .replace(/[^\w+=,.@-]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 64);
  return clean.length >= 2 ? clean : "switchboard";
}
