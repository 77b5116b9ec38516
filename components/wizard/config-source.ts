// Where the wizard's ~/.aws/config profile gets the credentials that assume the new role: the
// operator's own profile (source_profile) or where the code runs (credential_source), and which
// one the export starts with. Pure and browser-safe.
// https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-role.html#cli-configure-role-ec2
import { CREDENTIAL_SOURCES, type CredentialSource } from "@/lib/aws/credential-formats";
import { credentialSourceReason, type TrustedPrincipalCheck } from "@/lib/provision/trusted-principal-source";

export type ConfigSourceChoice = "source_profile" | CredentialSource;

export const CONFIG_SOURCE_CHOICES: readonly ConfigSourceChoice[] = ["source_profile", ...CREDENTIAL_SOURCES];

export type ConfigSourceDefault = {
  choice: ConfigSourceChoice;
  /** Why the default is a credential_source, for the person. */
  reason: string | null;
  /** What could not be checked, one sentence per trusted role. */
  unchecked: string[];
};

/** The export's default from what the console found out about the trusted roles: the first one
 * (in the trust's order) that is an EC2 instance or ECS task role gives its credential_source;
 * otherwise source_profile, as before. */
export function defaultConfigSource(checks: readonly TrustedPrincipalCheck[]): ConfigSourceDefault {
  const unchecked = checks.flatMap((c) => (c.status === "unchecked" ? [c.reason] : []));
  for (const check of checks) {
    if (check.status !== "checked" || !check.credentialSource) continue;
    return { choice: check.credentialSource, reason: credentialSourceReason(check), unchecked };
  }
  return { choice: "source_profile", reason: null, unchecked };
}

export const isConfigSourceChoice = (value: unknown): value is ConfigSourceChoice => typeof value === "string" && (CONFIG_SOURCE_CHOICES as readonly string[]).includes(value);
