// The wire protocols, signature checks, limits and the test interface. Requests here are
// signed by @smithy/signature-v4 (the SDK's own signer) or built by hand to break them.
import { createHash, createHmac } from "node:crypto";
import { networkInterfaces } from "node:os";
import { readFileSync, readdirSync } from "node:fs";
import { DescribeOrganizationCommand, ListAccountsCommand } from "@aws-sdk/client-organizations";
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { SignatureV4 } from "@smithy/signature-v4";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signRequest } from "./core/sigv4";
import { startSandbox } from "./server";
import { credsOf, startTestSandbox, type Creds, type TestSandbox } from "./testing";

let t: TestSandbox;
beforeAll(async () => {
  t = await startTestSandbox();
});
afterAll(async () => {
  await t?.close();
});

type Source = string | ArrayBuffer | ArrayBufferView;
const bytes = (data: Source): string | Uint8Array =>
  typeof data === "string" ? data : ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(data);

class Sha256 {
  private readonly hash;
  constructor(secret?: Source) {
    this.hash = secret ? createHmac("sha256", bytes(secret)) : createHash("sha256");
  }
  update(data: Source) {
    this.hash.update(bytes(data));
  }
  async digest() {
    return new Uint8Array(this.hash.digest());
  }
}

const signer = (creds: Creds, service = "sts") => new SignatureV4({ credentials: creds, region: "us-east-1", service, sha256: Sha256 });

async function queryPost(body: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${t.url}/`, { method: "POST", body, headers: { "content-type": "application/x-www-form-urlencoded", ...headers } });
  return { status: res.status, text: await res.text() };
}

async function signedQuery(creds: Creds, params: Record<string, string>, service = "sts") {
  const url = new URL(`${t.url}/`);
  const body = new URLSearchParams(params).toString();
  const headers = signRequest({
    method: "POST",
    url,
    headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
    body,
    ...creds,
    region: "us-east-1",
    service,
  });
  const res = await fetch(url, { method: "POST", body, headers });
  return { status: res.status, text: await res.text() };
}

const xmlCode = (xml: string) => /<Code>([^<]+)<\/Code>/.exec(xml)?.[1];

describe("authentication errors, in AWS's XML error shape", () => {
  it("answers an unsigned request with MissingAuthenticationToken", async () => {
    const res = await queryPost("Action=GetCallerIdentity&Version=2011-06-15");
    expect(res.status).toBe(403);
    expect(res.text).toMatch(/<ErrorResponse xmlns="https:\/\/sts.amazonaws.com\/doc\/2011-06-15\/"><Error><Type>Sender<\/Type><Code>MissingAuthenticationToken<\/Code>/);
    expect(res.text).toMatch(/<RequestId>[0-9a-f-]{36}<\/RequestId>/);
  });

  it("answers a partial Authorization header with IncompleteSignature", async () => {
    const res = await queryPost("Action=GetCallerIdentity&Version=2011-06-15", {
      authorization: `AWS4-HMAC-SHA256 Credential=${t.broker.accessKeyId}/20260101/us-east-1/sts/aws4_request`,
    });
    expect(res.status).toBe(400);
    expect(xmlCode(res.text)).toBe("IncompleteSignature");
    expect(res.text).toContain("Authorization header requires &apos;Signature&apos; parameter.");
  });

  it("refuses a request signed more than 15 minutes ago", async () => {
    const url = new URL(`${t.url}/`);
    const body = "Action=GetCallerIdentity&Version=2011-06-15";
    const headers = signRequest({
      method: "POST",
      url,
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body,
      ...t.broker,
      region: "us-east-1",
      service: "sts",
      now: new Date(Date.now() - 16 * 60 * 1000),
    });
    const res = await fetch(url, { method: "POST", body, headers });
    const text = await res.text();
    expect(res.status).toBe(403);
    expect(xmlCode(text)).toBe("SignatureDoesNotMatch");
    expect(text).toContain("Signature expired");
  });

  it("refuses a body tampered with after signing", async () => {
    const url = new URL(`${t.url}/`);
    const body = "Action=GetCallerIdentity&Version=2011-06-15";
    const headers = signRequest({ method: "POST", url, headers: { "content-type": "application/x-www-form-urlencoded" }, body, ...t.broker, region: "us-east-1", service: "sts" });
    const res = await fetch(url, { method: "POST", body: `${body}&x=1`, headers });
    expect(xmlCode(await res.text())).toBe("SignatureDoesNotMatch");
  });

  it("refuses a service it does not serve", async () => {
    const res = await signedQuery(t.broker, { Action: "ListBuckets" }, "s3");
    expect(res.status).toBe(400);
    expect(xmlCode(res.text)).toBe("InvalidAction");
  });
});

describe("Query protocol", () => {
  it("answers a well-formed request with the response wrapper and a RequestId", async () => {
    const res = await signedQuery(t.broker, { Action: "GetCallerIdentity", Version: "2011-06-15" });
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/<GetCallerIdentityResponse xmlns="https:\/\/sts.amazonaws.com\/doc\/2011-06-15\/"><GetCallerIdentityResult>/);
    expect(res.text).toContain("<Arn>arn:aws:iam::333333333333:user/switchboard</Arn>");
    expect(res.text).toMatch(/<ResponseMetadata><RequestId>[0-9a-f-]{36}<\/RequestId><\/ResponseMetadata>/);
  });

  it("accepts GET with the parameters in the query string, signed by the SDK's signer", async () => {
    const request = await signer(t.broker).sign({
      method: "GET",
      protocol: "http:",
      hostname: "127.0.0.1",
      port: Number(new URL(t.url).port),
      path: "/",
      query: { Action: "GetCallerIdentity", Version: "2011-06-15" },
      headers: { host: new URL(t.url).host },
    });
    const res = await fetch(`${t.url}/?Action=GetCallerIdentity&Version=2011-06-15`, { headers: request.headers as Record<string, string> });
    expect(res.status).toBe(200);
  });

  it("accepts a presigned URL", async () => {
    const request = await signer(t.broker).presign(
      {
        method: "GET",
        protocol: "http:",
        hostname: "127.0.0.1",
        port: Number(new URL(t.url).port),
        path: "/",
        query: { Action: "GetCallerIdentity", Version: "2011-06-15" },
        headers: { host: new URL(t.url).host },
      },
      { expiresIn: 300 },
    );
    const query = new URLSearchParams(request.query as Record<string, string>).toString();
    const res = await fetch(`${t.url}/?${query}`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("user/switchboard");
  });

  it("rejects an unknown action, a missing action and another API version", async () => {
    expect(xmlCode((await signedQuery(t.broker, { Action: "DeleteEverything", Version: "2011-06-15" })).text)).toBe("InvalidAction");
    expect(xmlCode((await signedQuery(t.broker, { Version: "2011-06-15" })).text)).toBe("MissingAction");
    expect(xmlCode((await signedQuery(t.broker, { Action: "GetCallerIdentity", Version: "1999-01-01" })).text)).toBe("InvalidAction");
  });

  it("refuses bodies over 1 MB and keeps serving", async () => {
    const res = await queryPost(`Action=GetCallerIdentity&Version=2011-06-15&Pad=${"x".repeat(1024 * 1024 + 10)}`);
    expect(res.status).toBe(413);
    expect(xmlCode(res.text)).toBe("RequestEntityTooLarge");
    const ok = await t.sts(t.broker).send(new GetCallerIdentityCommand({}));
    expect(ok.Account).toBe("333333333333");
  });
});

describe("Organizations over JSON 1.1", () => {
  it("lists the organization's accounts page by page", async () => {
    const org = t.organizations(t.broker);
    const first = await org.send(new ListAccountsCommand({ MaxResults: 3 }));
    expect(first.Accounts?.map((a) => a.Id)).toEqual(["111111111111", "222222222222", "333333333333"]);
    expect(first.NextToken).toBeTruthy();
    const second = await org.send(new ListAccountsCommand({ MaxResults: 3, NextToken: first.NextToken }));
    expect(second.Accounts?.map((a) => [a.Id, a.Name, a.Status])).toEqual([["444444444444", "Test", "ACTIVE"]]);
    expect(second.NextToken).toBeUndefined();
    expect(first.Accounts?.[0]?.Arn).toMatch(/^arn:aws:organizations::333333333333:account\/o-[a-z0-9]{10}\/111111111111$/);
    expect(first.Accounts?.[0]?.JoinedTimestamp).toBeInstanceOf(Date);
  });

  it("describes the organization", async () => {
    const out = await t.organizations(t.broker).send(new DescribeOrganizationCommand({}));
    expect(out.Organization?.MasterAccountId).toBe("333333333333");
    expect(out.Organization?.FeatureSet).toBe("ALL");
  });

  it("refuses ListAccounts outside the management account, and bad signatures", async () => {
    const denied = await t.organizations(t.developer).send(new ListAccountsCommand({})).catch((e: Error) => e);
    expect((denied as Error).name).toBe("AccessDeniedException");
    const bad = await t.organizations({ ...t.broker, secretAccessKey: "y".repeat(40) }).send(new ListAccountsCommand({})).catch((e: Error) => e);
    expect((bad as Error).name).toBe("InvalidSignatureException");
    const unknown = await t.organizations({ accessKeyId: "AKIAUNKNOWNKEY000000", secretAccessKey: "y".repeat(40) }).send(new ListAccountsCommand({})).catch((e: Error) => e);
    expect((unknown as Error).name).toBe("UnrecognizedClientException");
  });

  it("rejects a bad page token and out-of-range MaxResults", async () => {
    const bad = await t.organizations(t.broker).send(new ListAccountsCommand({ NextToken: "!!!" })).catch((e: Error) => e);
    expect((bad as Error).name).toBe("InvalidInputException");
    const big = await t.organizations(t.broker).send(new ListAccountsCommand({ MaxResults: 21 })).catch((e: Error) => e);
    expect((big as Error).name).toBe("ValidationException");
  });
});

describe("test interface: faults, latency and the call log", () => {
  it("injects an error for a count, and the SDK's retries absorb a throttle", async () => {
    await t.admin.addFault({ service: "sts", action: "GetCallerIdentity", code: "Throttling", message: "Rate exceeded", count: 1 });
    const err = await t.sts(t.broker).send(new GetCallerIdentityCommand({})).catch((e: Error & { $metadata: { httpStatusCode: number } }) => e);
    expect((err as Error).name).toBe("Throttling");
    expect((err as Error).message).toBe("Rate exceeded");
    expect((await t.sts(t.broker).send(new GetCallerIdentityCommand({}))).Account).toBe("333333333333");

    await t.admin.addFault({ service: "sts", action: "GetCallerIdentity", code: "ServiceUnavailable", status: 503, count: 2 });
    const since = await t.admin.lastSeq();
    const out = await t.sts(t.broker, { maxAttempts: 3 }).send(new GetCallerIdentityCommand({}));
    expect(out.Account).toBe("333333333333");
    const calls = await t.admin.calls({ since, action: "GetCallerIdentity" });
    expect(calls.map((c) => c.outcome)).toEqual(["ServiceUnavailable", "ServiceUnavailable", "Success"]);
  });

  it("adds latency", async () => {
    await t.admin.addFault({ service: "sts", action: "GetCallerIdentity", latencyMs: 300, count: 1 });
    const started = performance.now();
    await t.sts(t.broker).send(new GetCallerIdentityCommand({}));
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
  });

  it("records who called what and how it ended, without secrets", async () => {
    const since = await t.admin.lastSeq();
    const out = await t.sts(t.broker).send(new AssumeRoleCommand({ RoleArn: "arn:aws:iam::111111111111:role/ReadOnly", RoleSessionName: "audit" }));
    await t.sts(t.broker).send(new AssumeRoleCommand({ RoleArn: "arn:aws:iam::444444444444:role/DevelopmentTesters", RoleSessionName: "audit" })).catch(() => {});
    const calls = await t.admin.calls({ since });
    expect(calls.map((c) => [c.action, c.caller, c.outcome, c.detail.RoleArn])).toEqual([
      ["AssumeRole", "arn:aws:iam::333333333333:user/switchboard", "Success", "arn:aws:iam::111111111111:role/ReadOnly"],
      ["AssumeRole", "arn:aws:iam::333333333333:user/switchboard", "AccessDenied", "arn:aws:iam::444444444444:role/DevelopmentTesters"],
    ]);
    const text = JSON.stringify(calls);
    expect(text).not.toContain(out.Credentials!.SecretAccessKey!);
    expect(text).not.toContain(out.Credentials!.SessionToken!);
  });

  it("requires the admin token and explains how to send it", async () => {
    const none = await fetch(`${t.url}/_sandbox/calls`);
    expect(none.status).toBe(401);
    expect((await none.json()).error).toContain("Authorization: Bearer");
    const wrong = await fetch(`${t.url}/_sandbox/calls`, { headers: { authorization: "Bearer nope" } });
    expect(wrong.status).toBe(401);
  });

  it("validates fault rules", async () => {
    const res = await fetch(`${t.url}/_sandbox/faults`, {
      method: "POST",
      headers: { authorization: `Bearer ${(t.admin as unknown as { token: string }).token}`, "content-type": "application/json" },
      body: JSON.stringify({ service: "ec2", rate: 2 }),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: string };
    expect(body.error).toContain("service");
    expect(body.error).toContain("rate");
  });
});

describe("persistence and the test interface's absence", () => {
  it("keeps state across restarts, reseeds with reset, and is off without a token", async () => {
    const dir = `${t.dir}-restart`;
    const first = await startSandbox({ dir, port: 0, persistDelayMs: 5, log: () => {} });
    const creds = readFileSync(first.files.credentials, "utf8");
    const key = /\[switchboard\]\naws_access_key_id = (\w+)\naws_secret_access_key = (\S+)/.exec(creds)!;
    const broker = { accessKeyId: key[1]!, secretAccessKey: key[2]! };
    const client = (url: string, credentials: Creds) => new STSClient({ endpoint: url, region: "us-east-1", credentials, maxAttempts: 1 });
    const assumed = await client(first.url, broker).send(
      new AssumeRoleCommand({ RoleArn: "arn:aws:iam::111111111111:role/ReadOnly", RoleSessionName: "persist" }),
    );
    expect((await fetch(`${first.url}/_sandbox/calls`)).status).toBe(404);
    await first.close();
    expect(readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);

    const second = await startSandbox({ dir, port: 0, log: () => {} });
    const again = await client(second.url, credsOf(assumed)).send(new GetCallerIdentityCommand({}));
    expect(again.Arn).toBe("arn:aws:sts::111111111111:assumed-role/ReadOnly/persist");
    await second.close();

    const third = await startSandbox({ dir, port: 0, reset: true, log: () => {} });
    const reseeded = readFileSync(third.files.credentials, "utf8");
    expect(reseeded).not.toContain(key[1]!);
    await third.close();
  });

  it("serves the test interface on loopback only", async () => {
    const external = Object.values(networkInterfaces())
      .flat()
      .find((i) => i && i.family === "IPv4" && !i.internal)?.address;
    if (!external) {
      console.log("protocol.test: no non-loopback IPv4 address on this machine; loopback-only check skipped");
      return;
    }
    const open = await startSandbox({ dir: `${t.dir}-open`, host: "0.0.0.0", port: 0, adminToken: "0123456789abcdef0123", log: () => {} });
    try {
      const res = await fetch(`http://${external}:${open.port}/_sandbox/calls`, { headers: { authorization: "Bearer 0123456789abcdef0123" } });
      expect(res.status).toBe(404);
      const local = await fetch(`http://127.0.0.1:${open.port}/_sandbox/calls`, { headers: { authorization: "Bearer 0123456789abcdef0123" } });
      expect(local.status).toBe(200);
    } finally {
      await open.close();
    }
  });
});
