import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  consoleDestination,
  federationEndpoint,
  isAllowedDestination,
  isRegion,
  partitionOfRegion,
  PARTITIONS,
  regionName,
  REGIONS,
  type Partition,
} from "./partitions";

const SANDBOX = "http://127.0.0.1:4566";

describe("partitionOfRegion", () => {
  it.each<[string, Partition]>([
    ["us-east-1", "aws"],
    ["eu-central-2", "aws"],
    ["ap-southeast-7", "aws"],
    ["us-gov-west-1", "aws-us-gov"],
    ["us-gov-east-1", "aws-us-gov"],
    ["cn-north-1", "aws-cn"],
    ["cn-northwest-1", "aws-cn"],
    ["eusc-de-east-1", "aws-eusc"],
    // ISO partitions have no public console; like Granted, they fall back to commercial.
    ["us-iso-east-1", "aws"],
  ])("%s is in %s", (region, partition) => {
    expect(partitionOfRegion(region)).toBe(partition);
  });

  it("agrees with REGIONS for every listed region", () => {
    for (const partition of PARTITIONS) {
      for (const { code } of REGIONS[partition]) expect(partitionOfRegion(code)).toBe(partition);
    }
  });
});

describe("isRegion", () => {
  it.each(["us-east-1", "us-gov-west-1", "cn-northwest-1", "eusc-de-east-1", "ap-southeast-7", "il-central-1", "me-west-1"])(
    "accepts %s",
    (value) => expect(isRegion(value)).toBe(true),
  );

  it.each([
    "",
    "us-east",
    "useast1",
    "US-EAST-1",
    "us-east-123",
    "us_east_1",
    "u-east-1",
    "usa-east-1",
    " us-east-1",
    "us-east-1 ",
    "us-east-1.evil.com",
    "evil.com/us-east-1",
    "us-east-1\n",
    "aws-global",
  ])("rejects %j", (value) => expect(isRegion(value)).toBe(false));

  it("accepts every region in REGIONS, each listed once", () => {
    const codes = PARTITIONS.flatMap((p) => REGIONS[p].map((r) => r.code));
    expect(codes.every(isRegion)).toBe(true);
    expect(new Set(codes).size).toBe(codes.length);
  });
});

describe("REGIONS", () => {
  it("lists each partition's public regions with their names", () => {
    expect(REGIONS.aws[0]).toEqual({ code: "us-east-1", name: "US East (N. Virginia)" });
    expect(REGIONS.aws.length).toBeGreaterThanOrEqual(30);
    expect(REGIONS["aws-us-gov"].map((r) => r.code)).toEqual(["us-gov-west-1", "us-gov-east-1"]);
    expect(REGIONS["aws-cn"].map((r) => r.code)).toEqual(["cn-north-1", "cn-northwest-1"]);
    expect(REGIONS["aws-eusc"].map((r) => r.code)).toEqual(["eusc-de-east-1"]);
  });

  it("names a region, or falls back to its code", () => {
    expect(regionName("eu-west-1")).toBe("Europe (Ireland)");
    expect(regionName("cn-north-1")).toBe("China (Beijing)");
    expect(regionName("xx-new-9")).toBe("xx-new-9");
  });
});

describe("federationEndpoint", () => {
  it.each<[Partition, string | undefined, string]>([
    // AWS custom-URL doc: the global host serves us-east-1, `{region}.signin…` the others.
    ["aws", undefined, "https://signin.aws.amazon.com/federation"],
    ["aws", "us-east-1", "https://signin.aws.amazon.com/federation"],
    ["aws", "eu-west-1", "https://eu-west-1.signin.aws.amazon.com/federation"],
    ["aws", "ap-northeast-3", "https://ap-northeast-3.signin.aws.amazon.com/federation"],
    // Granted's rule: no prefix for us-gov-west-1 and cn-north-1.
    ["aws-us-gov", undefined, "https://signin.amazonaws-us-gov.com/federation"],
    ["aws-us-gov", "us-gov-west-1", "https://signin.amazonaws-us-gov.com/federation"],
    ["aws-us-gov", "us-gov-east-1", "https://us-gov-east-1.signin.amazonaws-us-gov.com/federation"],
    ["aws-cn", "cn-north-1", "https://signin.amazonaws.cn/federation"],
    ["aws-cn", "cn-northwest-1", "https://cn-northwest-1.signin.amazonaws.cn/federation"],
    ["aws-eusc", undefined, "https://signin.amazonaws-eusc.eu/federation"],
    ["aws-eusc", "eusc-de-east-1", "https://signin.amazonaws-eusc.eu/federation"],
  ])("%s %s → %s", (partition, region, expected) => {
    expect(federationEndpoint(partition, region)).toBe(expected);
  });

  it("uses the sandbox's own endpoint when one is configured", () => {
    expect(federationEndpoint("aws", "eu-west-1", SANDBOX)).toBe(`${SANDBOX}/federation`);
    expect(federationEndpoint("aws", undefined, `${SANDBOX}/`)).toBe(`${SANDBOX}/federation`);
  });

  it.each<[Partition, string]>([
    ["aws", "cn-north-1"],
    ["aws-cn", "us-east-1"],
    ["aws", "evil.example.com#"],
    ["aws", "us-east-1.evil.com"],
  ])("refuses to build a host from %s region %j", (partition, region) => {
    expect(() => federationEndpoint(partition, region)).toThrow();
  });
});

describe("consoleDestination", () => {
  it.each<[Parameters<typeof consoleDestination>[0], string]>([
    [{ partition: "aws", region: "us-east-1" }, "https://us-east-1.console.aws.amazon.com/console/home?region=us-east-1"],
    [{ partition: "aws", region: "eu-west-1", service: "ec2" }, "https://eu-west-1.console.aws.amazon.com/ec2/home?region=eu-west-1"],
    [{ partition: "aws-us-gov", region: "us-gov-east-1" }, "https://console.amazonaws-us-gov.com/console/home?region=us-gov-east-1"],
    [{ partition: "aws-cn", region: "cn-northwest-1", service: "s3" }, "https://console.amazonaws.cn/s3/home?region=cn-northwest-1"],
    [{ partition: "aws-eusc", region: "eusc-de-east-1" }, "https://console.amazonaws-eusc.eu/console/home?region=eusc-de-east-1"],
    [{ partition: "aws", region: "eu-west-1", sandboxUrl: SANDBOX }, `${SANDBOX}/console/home?region=eu-west-1`],
    [{ partition: "aws", region: "eu-west-1", service: "iam", sandboxUrl: `${SANDBOX}/` }, `${SANDBOX}/console/iam/home?region=eu-west-1`],
  ])("%j → %s", (opts, expected) => {
    expect(consoleDestination(opts)).toBe(expected);
  });

  it.each(["../../evil", "//evil.com", "EC2", "a", "ec2?x=1", "ec2/home", "x".repeat(41), "ec2#frag", ""])(
    "ignores the service %j and opens console home",
    (service) => {
      expect(consoleDestination({ partition: "aws", region: "us-east-2", service })).toBe(
        "https://us-east-2.console.aws.amazon.com/console/home?region=us-east-2",
      );
    },
  );

  it("refuses a region of another partition", () => {
    expect(() => consoleDestination({ partition: "aws-cn", region: "us-east-1" })).toThrow(/not in the aws-cn partition/);
  });

  it("builds only destinations that isAllowedDestination accepts", () => {
    for (const partition of PARTITIONS) {
      for (const { code } of REGIONS[partition]) {
        expect(isAllowedDestination(consoleDestination({ partition, region: code, service: "cloudwatch" }), partition)).toBe(true);
      }
    }
    expect(isAllowedDestination(consoleDestination({ partition: "aws", region: "us-east-1", sandboxUrl: SANDBOX }), "aws", SANDBOX)).toBe(true);
  });
});

describe("isAllowedDestination", () => {
  it.each<[string, Partition]>([
    ["https://console.aws.amazon.com/ec2/home", "aws"],
    ["https://eu-west-1.console.aws.amazon.com/console/home?region=eu-west-1", "aws"],
    ["https://console.amazonaws-us-gov.com/console/home?region=us-gov-west-1", "aws-us-gov"],
    ["https://us-gov-east-1.console.amazonaws-us-gov.com/", "aws-us-gov"],
    ["https://console.amazonaws.cn/console/home", "aws-cn"],
    ["https://console.amazonaws-eusc.eu/console/home", "aws-eusc"],
  ])("allows %s in %s", (url, partition) => {
    expect(isAllowedDestination(url, partition)).toBe(true);
  });

  // Open-redirect vectors and hosts of the wrong partition.
  it.each<[string, Partition]>([
    ["http://console.aws.amazon.com/", "aws"],
    ["https://console.aws.amazon.com.evil.test/", "aws"],
    ["https://evilconsole.aws.amazon.com/", "aws"],
    ["https://evil.test/.console.aws.amazon.com", "aws"],
    ["https://console.aws.amazon.com@evil.test/", "aws"],
    ["https://user:pw@console.aws.amazon.com/", "aws"],
    ["https://console.aws.amazon.com:8443/", "aws"],
    ["https://evil.eu-west-1.console.aws.amazon.com/", "aws"],
    ["https://cn-north-1.console.aws.amazon.com/", "aws"],
    ["https://console.amazonaws.cn/", "aws"],
    ["https://console.aws.amazon.com/", "aws-cn"],
    ["https://signin.aws.amazon.com/federation", "aws"],
    ["//console.aws.amazon.com/", "aws"],
    ["/console/home", "aws"],
    ["javascript:alert(1)//console.aws.amazon.com", "aws"],
    ["data:text/html,console.aws.amazon.com", "aws"],
    ["not a url", "aws"],
  ])("refuses %s in %s", (url, partition) => {
    expect(isAllowedDestination(url, partition)).toBe(false);
  });

  it("in sandbox mode allows only the sandbox's own /console pages", () => {
    expect(isAllowedDestination(`${SANDBOX}/console/home?region=eu-west-1`, "aws", SANDBOX)).toBe(true);
    expect(isAllowedDestination(`${SANDBOX}/console`, "aws", SANDBOX)).toBe(true);
    expect(isAllowedDestination(`${SANDBOX}/consoleX`, "aws", SANDBOX)).toBe(false);
    expect(isAllowedDestination(`${SANDBOX}/federation`, "aws", SANDBOX)).toBe(false);
    expect(isAllowedDestination("http://127.0.0.1:4567/console/home", "aws", SANDBOX)).toBe(false);
    expect(isAllowedDestination("https://console.aws.amazon.com/", "aws", SANDBOX)).toBe(false);
    expect(isAllowedDestination(`http://x:y@127.0.0.1:4566/console/home`, "aws", SANDBOX)).toBe(false);
  });
});

describe("browser-safe modules", () => {
  // The copy dialog and the menu import these from client components: no server-only marker,
  // no node: built-ins, no SDK, and only each other and the shared lists of lib/domain among
  // local imports.
  it.each(["partitions.ts", "duration.ts", "credential-formats.ts"])("%s imports nothing server-only", (file) => {
    const source = readFileSync(new URL(`./${file}`, import.meta.url), "utf8");
    const imports = [...source.matchAll(/^import\s[^;]*?["']([^"']+)["']/gm)].map((m) => m[1]);
    expect(imports.every((path) => path === "./partitions" || path === "./duration" || path?.startsWith("@/lib/domain/"))).toBe(true);
    expect(source).not.toMatch(/["'](?:server-only|node:[a-z_/]+|@aws-sdk\/[a-z-]+)["']/);
  });
});
