// AWS partitions, regions, the console sign-in (federation) endpoints and console URLs.
// Pure and browser-safe: no server-only, no node: imports.
//
// Sources:
// - Regions and names: the AWS SDK's partition data (@aws-sdk/core util-endpoints partitions.js,
//   the same table botocore ships), https://docs.aws.amazon.com/general/latest/gr/rande.html
// - Federation protocol: https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_enable-console-custom-url.html
// - Sign-in endpoints: https://docs.aws.amazon.com/general/latest/gr/signin-service.html
// - Hosts per partition: https://docs.aws.amazon.com/general/latest/gr/signin-service.html and the
//   console hosts Granted (pkg/console/partition.go), aws-vault (cli/login.go) and Teleport
//   (lib/srv/app/cloud.go) use.

import type { Partition } from "@/lib/domain/partitions";

export { PARTITIONS, type Partition } from "@/lib/domain/partitions";

/** Maps a region to its partition by prefix, as the SDK's partition regexes do
 * (`^cn-…` aws-cn, `^us-gov-…` aws-us-gov, `^eusc-…` aws-eusc, everything else aws). */
export function partitionOfRegion(region: string): Partition {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  if (region.startsWith("eusc-")) return "aws-eusc";
  return "aws";
}

// Two-letter area (`us`, `eu`, `ap`, `cn`, …), one or more words, a number: `us-east-1`,
// `us-gov-west-1`, `ap-southeast-7`. The European Sovereign Cloud is the one partition whose
// area has four letters (`eusc-de-east-1`, SDK regex `^eusc\-(de)\-\w+\-\d+$`), so it is allowed
// explicitly rather than widening the area to any length.
const REGION = /^(?:[a-z]{2}|eusc)(?:-[a-z]+)+-\d{1,2}$/;

/** Whether `value` has the shape of a region code. Region codes also become host names
 * (`<region>.signin.aws.amazon.com`), so this is what keeps request data out of host names. */
export function isRegion(value: string): boolean {
  return REGION.test(value);
}

export type Region = { code: string; name: string };

/** The public regions of each partition, in the order the console lists them. */
export const REGIONS: Record<Partition, Region[]> = {
  aws: [
    { code: "us-east-1", name: "US East (N. Virginia)" },
    { code: "us-east-2", name: "US East (Ohio)" },
    { code: "us-west-1", name: "US West (N. California)" },
    { code: "us-west-2", name: "US West (Oregon)" },
    { code: "af-south-1", name: "Africa (Cape Town)" },
    { code: "ap-east-1", name: "Asia Pacific (Hong Kong)" },
    { code: "ap-east-2", name: "Asia Pacific (Taipei)" },
    { code: "ap-south-1", name: "Asia Pacific (Mumbai)" },
    { code: "ap-south-2", name: "Asia Pacific (Hyderabad)" },
    { code: "ap-northeast-1", name: "Asia Pacific (Tokyo)" },
    { code: "ap-northeast-2", name: "Asia Pacific (Seoul)" },
    { code: "ap-northeast-3", name: "Asia Pacific (Osaka)" },
    { code: "ap-southeast-1", name: "Asia Pacific (Singapore)" },
    { code: "ap-southeast-2", name: "Asia Pacific (Sydney)" },
    { code: "ap-southeast-3", name: "Asia Pacific (Jakarta)" },
    { code: "ap-southeast-4", name: "Asia Pacific (Melbourne)" },
    { code: "ap-southeast-5", name: "Asia Pacific (Malaysia)" },
    { code: "ap-southeast-6", name: "Asia Pacific (New Zealand)" },
    { code: "ap-southeast-7", name: "Asia Pacific (Thailand)" },
    { code: "ca-central-1", name: "Canada (Central)" },
    { code: "ca-west-1", name: "Canada West (Calgary)" },
    { code: "eu-central-1", name: "Europe (Frankfurt)" },
    { code: "eu-central-2", name: "Europe (Zurich)" },
    { code: "eu-west-1", name: "Europe (Ireland)" },
    { code: "eu-west-2", name: "Europe (London)" },
    { code: "eu-west-3", name: "Europe (Paris)" },
    { code: "eu-south-1", name: "Europe (Milan)" },
    { code: "eu-south-2", name: "Europe (Spain)" },
    { code: "eu-north-1", name: "Europe (Stockholm)" },
    { code: "il-central-1", name: "Israel (Tel Aviv)" },
    { code: "me-south-1", name: "Middle East (Bahrain)" },
    { code: "me-central-1", name: "Middle East (UAE)" },
    { code: "me-west-1", name: "Middle East (Saudi Arabia)" },
    { code: "mx-central-1", name: "Mexico (Central)" },
    { code: "sa-east-1", name: "South America (São Paulo)" },
    { code: "sa-west-1", name: "South America (Chile)" },
  ],
  "aws-us-gov": [
    { code: "us-gov-west-1", name: "AWS GovCloud (US-West)" },
    { code: "us-gov-east-1", name: "AWS GovCloud (US-East)" },
  ],
  "aws-cn": [
    { code: "cn-north-1", name: "China (Beijing)" },
    { code: "cn-northwest-1", name: "China (Ningxia)" },
  ],
  "aws-eusc": [{ code: "eusc-de-east-1", name: "AWS European Sovereign Cloud (Germany)" }],
};

/** The display name of a region, or the code itself for one this list does not know yet. */
export function regionName(code: string): string {
  return REGIONS[partitionOfRegion(code)].find((r) => r.code === code)?.name ?? code;
}

type PartitionHosts = {
  /** The global sign-in host (no region prefix). */
  signin: string;
  /** The console host without a region prefix. */
  console: string;
  /** The region whose sign-in endpoint is the global host, or undefined when the partition's
   * sign-in host takes no region prefix at all. */
  signinHome?: string;
};

const HOSTS: Record<Partition, PartitionHosts> = {
  // Global host for us-east-1, `{region}.signin.aws.amazon.com` elsewhere (AWS custom-URL doc,
  // step 2; Sign-In endpoints list).
  aws: { signin: "signin.aws.amazon.com", console: "console.aws.amazon.com", signinHome: "us-east-1" },
  // Granted (PR #419, pkg/console/partition.go) prefixes the region except for us-gov-west-1;
  // Teleport and aws-vault use the global host only.
  "aws-us-gov": { signin: "signin.amazonaws-us-gov.com", console: "console.amazonaws-us-gov.com", signinHome: "us-gov-west-1" },
  // Granted, aws-vault, Teleport: no prefix for cn-north-1; Granted prefixes the other region.
  "aws-cn": { signin: "signin.amazonaws.cn", console: "console.amazonaws.cn", signinHome: "cn-north-1" },
  // The sources above give only the global host (Granted @4a52c35 added the partition in 2026-07;
  // ByteNess aws-vault notes it as "not yet available"), so no regional prefix is used.
  "aws-eusc": { signin: "signin.amazonaws-eusc.eu", console: "console.amazonaws-eusc.eu" },
};

/** Trailing slashes dropped, so `${base}/federation` never has a double slash. */
function sandboxBase(sandboxUrl: string): string {
  return sandboxUrl.replace(/\/+$/, "");
}

/** A region of `partition`, or an error: a region from another partition (or one that is not a
 * region at all) is a bug in the caller, never something to put in a host name. */
function checkRegion(partition: Partition, region: string): void {
  if (!isRegion(region)) throw new Error(`Not a region code: ${JSON.stringify(region)}`);
  if (partitionOfRegion(region) !== partition) throw new Error(`Region ${region} is not in the ${partition} partition`);
}

/** The federation endpoint (getSigninToken and login) for a region of a partition, or the
 * sandbox's own when one is configured. */
export function federationEndpoint(partition: Partition, region: string | undefined, sandboxUrl?: string): string {
  if (sandboxUrl) return `${sandboxBase(sandboxUrl)}/federation`;
  const hosts = HOSTS[partition];
  if (region === undefined || region === "") return `https://${hosts.signin}/federation`;
  checkRegion(partition, region);
  const regional = hosts.signinHome !== undefined && region !== hosts.signinHome;
  return `https://${regional ? `${region}.` : ""}${hosts.signin}/federation`;
}

/** Console service paths as they appear in console URLs (`ec2`, `s3`, `cloudwatch`, …). */
const SERVICE = /^[a-z0-9-]{2,40}$/;

/** The console URL to land on after sign-in. Built here from stored values only, never taken
 * from request input (ASVS 3.7.2: no redirect to a destination the request chose). A `service`
 * that is not a plain path segment is ignored and the console home page is used. */
export function consoleDestination(opts: { partition: Partition; region: string; service?: string; sandboxUrl?: string }): string {
  const { partition, region, sandboxUrl } = opts;
  const service = opts.service !== undefined && SERVICE.test(opts.service) ? opts.service : undefined;
  checkRegion(partition, region);
  const path = service ? `/${service}/home` : "/console/home";
  const query = `?region=${region}`;
  if (sandboxUrl) return `${sandboxBase(sandboxUrl)}/console${service ? `/${service}/home` : "/home"}${query}`;
  // Commercial: the regional console host, as AWS's own region switcher uses it (and aws-vault,
  // Leapp). Other partitions: their console host in HOSTS, with the region in the query string.
  const host = partition === "aws" ? `${region}.${HOSTS.aws.console}` : HOSTS[partition].console;
  return `https://${host}${path}${query}`;
}

/** Whether `url` may be used as a sign-in Destination: https on a console host of the partition
 * (`console.<domain>` or `<region>.console.<domain>` for a region of that partition), with no
 * port or credentials in it; in sandbox mode, only the sandbox's own `/console` pages. */
export function isAllowedDestination(url: string, partition: Partition, sandboxUrl?: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.username !== "" || parsed.password !== "") return false;
  if (sandboxUrl) return isSandboxConsole(parsed, sandboxUrl);
  if (parsed.protocol !== "https:" || parsed.port !== "") return false;
  const consoleHost = HOSTS[partition].console;
  if (parsed.hostname === consoleHost) return true;
  if (!parsed.hostname.endsWith(`.${consoleHost}`)) return false;
  const prefix = parsed.hostname.slice(0, -consoleHost.length - 1);
  return isRegion(prefix) && partitionOfRegion(prefix) === partition;
}

function isSandboxConsole(url: URL, sandboxUrl: string): boolean {
  let own: URL;
  try {
    own = new URL(sandboxUrl);
  } catch {
    return false;
  }
  return url.origin === own.origin && (url.pathname === "/console" || url.pathname.startsWith("/console/"));
}
