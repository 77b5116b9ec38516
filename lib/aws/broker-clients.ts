import "server-only";
import { IAMClient } from "@aws-sdk/client-iam";
import { OrganizationsClient } from "@aws-sdk/client-organizations";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { getConfig } from "@/lib/config";
import { brokerCredentials, getBrokerIdentity, type BrokerCredentialKind } from "./broker-identity";
import type { Partition } from "./partitions";

// The console's AWS clients. Everything goes through the SDK's default credential chain and
// endpoint configuration (AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_STS, …), so the same build talks
// to real AWS, the sandbox, LocalStack or moto. Clients are reused (keep-alive connections).

/** One SDK retry on top of the first attempt: STS throttling is absorbed by the SDK's backoff,
 * and nothing retries on top of it (security R11: no retry amplification). */
const MAX_ATTEMPTS = 2;

/** The region STS is called in for each partition: the console's own region for the
 * commercial partition, the partition's main region elsewhere. */
function stsRegion(partition: Partition): string {
  switch (partition) {
    case "aws-us-gov":
      return "us-gov-west-1";
    case "aws-cn":
      return "cn-north-1";
    case "aws-eusc":
      return "eusc-de-east-1";
    default:
      return getConfig().aws.region;
  }
}

const stsClients = new Map<string, STSClient>();

/** STS with the broker's own credentials. */
export function brokerSts(partition: Partition = "aws"): STSClient {
  const region = stsRegion(partition);
  let client = stsClients.get(region);
  if (!client) {
    client = new STSClient({ region, credentials: brokerCredentials(), maxAttempts: MAX_ATTEMPTS });
    stsClients.set(region, client);
  }
  return client;
}

let organizations: OrganizationsClient | undefined;

/** Organizations with the broker's credentials (its API lives in us-east-1). */
export function brokerOrganizations(): OrganizationsClient {
  organizations ??= new OrganizationsClient({ region: "us-east-1", credentials: brokerCredentials(), maxAttempts: MAX_ATTEMPTS });
  return organizations;
}

let brokerKind: { kind: BrokerCredentialKind; arn: string; accountId: string; at: number } | undefined;
const BROKER_KIND_TTL_MS = 5 * 60_000;

/** Which kind of credentials the broker holds (decides the 1-hour chaining cap), and who it is;
 * looked up once every few minutes, not on every switch. */
export async function brokerProfile(): Promise<{ kind: BrokerCredentialKind; arn: string; accountId: string }> {
  if (brokerKind && Date.now() - brokerKind.at < BROKER_KIND_TTL_MS) return brokerKind;
  const identity = await getBrokerIdentity();
  if (!identity.ok) throw new Error(identity.message);
  brokerKind = { kind: identity.kind, arn: identity.arn, accountId: identity.account, at: Date.now() };
  return brokerKind;
}

type ProvisioningCredentials = { accessKeyId: string; secretAccessKey: string; sessionToken: string; expiration: number };
const provisioning = new Map<string, ProvisioningCredentials>();
/** Reuse provisioning-role credentials until five minutes before they expire. */
const EXPIRY_SKEW_MS = 5 * 60_000;

/** IAM in a registered account, through its provisioning role (assumed by the broker). These
 * credentials stay on the server and are used only after the caller's permission was checked;
 * they are cached per account, never handed to anyone. */
export async function provisioningIam(account: { awsAccountId: string; partition: Partition; provisioningRoleName: string }): Promise<IAMClient> {
  const roleArn = `arn:${account.partition}:iam::${account.awsAccountId}:role/${account.provisioningRoleName}`;
  let creds = provisioning.get(roleArn);
  if (!creds || creds.expiration - EXPIRY_SKEW_MS < Date.now()) {
    const out = await brokerSts(account.partition).send(
      new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "switchboard-provisioning", DurationSeconds: 3600 }),
    );
    const c = out.Credentials!;
    creds = { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken!, expiration: c.Expiration!.getTime() };
    provisioning.set(roleArn, creds);
  }
  // IAM is a global service: us-east-1 signs for the commercial partition.
  return new IAMClient({
    region: account.partition === "aws" ? "us-east-1" : stsRegion(account.partition),
    credentials: { accessKeyId: creds.accessKeyId, secretAccessKey: creds.secretAccessKey, sessionToken: creds.sessionToken },
    maxAttempts: MAX_ATTEMPTS,
  });
}

/** Forget cached provisioning credentials (after a failure that may mean they were revoked). */
export function forgetProvisioning(account: { awsAccountId: string; partition: Partition; provisioningRoleName: string }): void {
  provisioning.delete(`arn:${account.partition}:iam::${account.awsAccountId}:role/${account.provisioningRoleName}`);
}
