import "server-only";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { fromNodeProviderChain } from "@aws-sdk/credential-providers";
import { getConfig } from "@/lib/config";
import { describeAwsError } from "./errors";

/** How the console's own AWS identity (the broker) holds its credentials, which decides how long
 * the sessions it issues can last:
 * - `long-term`: IAM user access keys — sessions up to each role's MaxSessionDuration (≤ 12 h);
 * - `instance-profile`: EC2 instance profile — temporary, but AWS does not count it as role
 *   chaining, so the same as long-term;
 * - `temporary`: any other role session (ECS task role, EKS/IRSA, SSO, an assumed role) — every
 *   AssumeRole it makes is role chaining, capped at one hour.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_terms-and-concepts.html#iam-term-role-chaining */
export type BrokerCredentialKind = "long-term" | "instance-profile" | "temporary";

export type BrokerIdentity =
  | { ok: true; account: string; arn: string; userId: string; kind: BrokerCredentialKind; maxSessionSeconds: number; explanation: string }
  | { ok: false; message: string; error: unknown };

export const ROLE_CHAINING_MAX_SECONDS = 3600;
export const MAX_SESSION_SECONDS = 43200;

const EXPLANATIONS: Record<BrokerCredentialKind, string> = {
  "long-term":
    "The console holds long-term access keys, so the sessions it opens can last up to each role's maximum session duration (at most 12 hours).",
  "instance-profile":
    "The console runs on an EC2 instance profile, which AWS does not count as role chaining, so sessions can last up to each role's maximum session duration (at most 12 hours).",
  temporary:
    "The console itself runs on temporary role credentials, so every session it opens is role chaining, which AWS caps at one hour whatever the role allows.",
};

/** EC2 names an instance-profile session after the instance id. */
const INSTANCE_SESSION = /:assumed-role\/[^/]+\/i-[0-9a-f]{8,17}$/;

export function classifyCredentials(hasSessionToken: boolean, arn: string): BrokerCredentialKind {
  if (!hasSessionToken) return "long-term";
  return INSTANCE_SESSION.test(arn) ? "instance-profile" : "temporary";
}

let provider: ReturnType<typeof fromNodeProviderChain> | undefined;

/** The standard SDK credential chain (environment, shared files, SSO, web identity, ECS, IMDS),
 * resolved once and cached by the SDK until the credentials near expiry. */
export function brokerCredentials() {
  provider ??= fromNodeProviderChain();
  return provider;
}

export async function getBrokerIdentity(): Promise<BrokerIdentity> {
  const { region } = getConfig().aws;
  try {
    const credentials = await brokerCredentials()();
    const sts = new STSClient({ region, credentials, maxAttempts: 2 });
    const id = await sts.send(new GetCallerIdentityCommand({}));
    const kind = classifyCredentials(Boolean(credentials.sessionToken), id.Arn ?? "");
    return {
      ok: true,
      account: id.Account ?? "",
      arn: id.Arn ?? "",
      userId: id.UserId ?? "",
      kind,
      maxSessionSeconds: kind === "temporary" ? ROLE_CHAINING_MAX_SECONDS : MAX_SESSION_SECONDS,
      explanation: EXPLANATIONS[kind],
    };
  } catch (err) {
    return { ok: false, message: describeAwsError(err, "find the console's own AWS identity (sts:GetCallerIdentity)"), error: err };
  }
}
