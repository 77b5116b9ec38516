import "server-only";
import { IAMClient } from "@aws-sdk/client-iam";
import { OrganizationsClient } from "@aws-sdk/client-organizations";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { getConfig } from "@/lib/config";
import { logger } from "@/lib/log";
import { addStsBudget } from "@/lib/ratelimit/sts";
import { brokerCredentials, getBrokerIdentity, type BrokerCredentialKind } from "./broker-identity";
import { appErrorOf } from "./errors";
import type { Partition } from "./partitions";

// The console's AWS clients. Everything goes through the SDK's default credential chain and
// endpoint configuration (AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_STS, …), so the same build talks
// to real AWS, the sandbox, LocalStack or moto. Clients are reused (keep-alive connections).

/** One SDK retry on top of the first attempt: STS throttling is absorbed by the SDK's backoff,
 * and nothing retries on top of it: retries on top of retries would multiply the calls a
 * throttled STS receives. */
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
    // cacheMiddleware: the SDK resolves the middleware stack once per command type instead of on
    // every call; safe because the budget middleware below is added before the first call.
    client = new STSClient({ region, credentials: brokerCredentials(), maxAttempts: MAX_ATTEMPTS, cacheMiddleware: true });
    // Every call spends one point of the console-wide STS budget (lib/ratelimit/sts.ts).
    addStsBudget(client);
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

type BrokerProfile = { kind: BrokerCredentialKind; arn: string; accountId: string };
let brokerKind: (BrokerProfile & { at: number }) | undefined;
let brokerKindLookup: Promise<BrokerProfile> | undefined;
const BROKER_KIND_TTL_MS = 5 * 60_000;

/** Which kind of credentials the broker holds (decides the 1-hour chaining cap), and who it is;
 * looked up once every few minutes, not on every switch, by one call however many requests want
 * it at that moment. If a later look-up fails, the last answer stays in use (the broker's
 * identity does not change while the console runs) and the failure is logged; with no answer yet,
 * it is the caller's error, in words, as an AWS failure (502, or 403/503) — never an internal one. */
export async function brokerProfile(): Promise<BrokerProfile> {
  if (brokerKind && Date.now() - brokerKind.at < BROKER_KIND_TTL_MS) return brokerKind;
  brokerKindLookup ??= lookUpBrokerProfile().finally(() => {
    brokerKindLookup = undefined;
  });
  return brokerKindLookup;
}

async function lookUpBrokerProfile(): Promise<BrokerProfile> {
  const identity = await getBrokerIdentity();
  if (!identity.ok) {
    if (brokerKind) {
      logger.warn({ err: identity.error, operation: "broker.identity" }, "could not refresh the console's own AWS identity; keeping the last one");
      brokerKind = { ...brokerKind, at: Date.now() };
      return brokerKind;
    }
    throw appErrorOf(identity.error, identity.message);
  }
  brokerKind = { kind: identity.kind, arn: identity.arn, accountId: identity.account, at: Date.now() };
  return brokerKind;
}

type ProvisioningCredentials = { accessKeyId: string; secretAccessKey: string; sessionToken: string; expiration: number };
/** Keyed by provisioning role ARN and the person's identity: each person's changes are made in a
 * session of their own, so CloudTrail never attributes one person's change to another. */
const provisioning = new Map<string, ProvisioningCredentials>();
/** Reuse provisioning-role credentials until five minutes before they expire. */
const EXPIRY_SKEW_MS = 5 * 60_000;

type ProvisioningAccount = { awsAccountId: string; partition: Partition; provisioningRoleName: string };

const provisioningRoleArn = (account: ProvisioningAccount) => `arn:${account.partition}:iam::${account.awsAccountId}:role/${account.provisioningRoleName}`;

/**
 * IAM in a registered account, through its provisioning role (assumed by the broker), in a
 * session that carries `who` — the acting person's AWS identity (`awsIdentityOf`) — as both
 * RoleSessionName and SourceIdentity, so CloudTrail shows who created or changed each role; the
 * source identity stays on every call made with the session.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_control-access_monitor.html
 * These credentials stay on the server and are used only after the caller's permission was
 * checked; they are cached per role and person, never handed to anyone.
 */
export async function provisioningIam(account: ProvisioningAccount, who: string): Promise<IAMClient> {
  const roleArn = provisioningRoleArn(account);
  const key = `${roleArn}\u0000${who}`;
  let creds = provisioning.get(key);
  if (!creds || creds.expiration - EXPIRY_SKEW_MS < Date.now()) {
    let out;
    try {
      out = await brokerSts(account.partition).send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: who, SourceIdentity: who, DurationSeconds: 3600 }));
    } catch (err) {
      throw await provisioningDenied(err, roleArn);
    }
    const c = out.Credentials!;
    creds = { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken!, expiration: c.Expiration!.getTime() };
    provisioning.set(key, creds);
  }
  // IAM is a global service: us-east-1 signs for the commercial partition.
  return new IAMClient({
    region: account.partition === "aws" ? "us-east-1" : stsRegion(account.partition),
    credentials: { accessKeyId: creds.accessKeyId, secretAccessKey: creds.secretAccessKey, sessionToken: creds.sessionToken },
    maxAttempts: MAX_ATTEMPTS,
  });
}

/** An AccessDenied from AssumeRole of a provisioning role, with what to add to its trust policy:
 * setting a source identity needs sts:SetSourceIdentity there as well as sts:AssumeRole, and a
 * trust policy written before the console set one (AWS Organizations' OrganizationAccountAccessRole
 * among them) allows only sts:AssumeRole.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_control-access_monitor.html#id_credentials_temp_control-access_monitor-perms */
async function provisioningDenied(err: unknown, roleArn: string): Promise<unknown> {
  const name = (err as { name?: string })?.name ?? "";
  if (!/^AccessDenied/.test(name)) return err;
  const broker = await brokerProfile().catch(() => undefined);
  // A trust policy names an assumed-role session by its role's ARN.
  const session = broker && /^arn:([\w-]+):sts::(\d{12}):assumed-role\/([\w+=,.@-]+)\/[^/]+$/.exec(broker.arn);
  const principal = session ? `arn:${session[1]}:iam::${session[2]}:role/${session[3]}` : (broker?.arn ?? "<the console's broker ARN>");
  const statement = { Sid: "SwitchboardProvisioning", Effect: "Allow", Principal: { AWS: principal }, Action: ["sts:AssumeRole", "sts:SetSourceIdentity", "sts:TagSession"] };
  const message =
    `${err instanceof Error ? err.message.replace(/\.?$/, ".") : "AccessDenied."} The provisioning role's trust policy must let the console's broker (${principal}) assume it and set a source identity (sts:SetSourceIdentity), ` +
    `which records in CloudTrail who made each change. Add this statement to the trust policy of ${roleArn}: ${JSON.stringify(statement)}`;
  return Object.assign(new Error(message, { cause: err }), { name });
}

/** Forget cached provisioning credentials, every person's (after a failure that may mean they
 * were revoked). */
export function forgetProvisioning(account: ProvisioningAccount): void {
  const prefix = `${provisioningRoleArn(account)}\u0000`;
  for (const key of [...provisioning.keys()]) if (key.startsWith(prefix)) provisioning.delete(key);
}
