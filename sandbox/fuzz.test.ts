// Robustness: thousands of random and mutated requests — malformed forms and JSON, unknown
// actions, model-shaped inputs with hostile values, broken policies, bad signatures, oversized
// bodies — must each get a well-formed AWS answer (never a 5xx or a dropped connection), and the
// sandbox must keep serving.
import { readFileSync } from "node:fs";
import { AssumeRoleCommand, GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signRequest } from "./core/sigv4";
import { credsOf, startTestSandbox, type Creds, type TestSandbox } from "./testing";

type Shape = { type: string; members?: Record<string, { shape: string }>; member?: { shape: string }; min?: number; max?: number; pattern?: string; enum?: string[] };
type Model = { operations: Record<string, { input?: { shape: string } }>; shapes: Record<string, Shape>; metadata: { apiVersion: string; targetPrefix?: string } };

const load = (name: string) => JSON.parse(readFileSync(new URL(`./models/${name}.json`, import.meta.url), "utf8")) as Model;
const MODELS = { sts: load("sts"), iam: load("iam"), organizations: load("organizations") };

let t: TestSandbox;
let admin: Creds;
beforeAll(async () => {
  t = await startTestSandbox({ persistDelayMs: 200 });
  admin = credsOf(
    await t.sts(t.broker).send(
      new AssumeRoleCommand({ RoleArn: "arn:aws:iam::444444444444:role/OrganizationAccountAccessRole", RoleSessionName: "fuzz", DurationSeconds: 3600 }),
    ),
  );
});
afterAll(async () => {
  await t?.close();
});

// ---- Generators -----------------------------------------------------------------------------

const validPolicy = {
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::222222222222:root" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "sts:ExternalId": "abc" } } }],
};

/** A valid policy with one part replaced by something random. */
const mutatedPolicy = fc
  .tuple(
    fc.constantFrom("Version", "Statement", "Effect", "Principal", "Action", "Resource", "Condition", "NotPrincipal", "Sid", "extra"),
    fc.oneof(fc.jsonValue(), fc.string(), fc.constant(null), fc.array(fc.string()), fc.constant("*")),
  )
  .map(([key, value]) => {
    const doc = structuredClone(validPolicy) as Record<string, unknown>;
    if (key === "Version" || key === "Statement" || key === "extra") doc[key] = value;
    else (doc.Statement as Array<Record<string, unknown>>)[0]![key] = value;
    return JSON.stringify(doc);
  });

const policyDocument = fc.oneof(
  mutatedPolicy,
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 200 }),
  fc.constant(JSON.stringify(validPolicy)),
  fc.constant(`{"Version":"2012-10-17","Statement":[${'{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"},'.repeat(60)}{}]}`),
);

const hostileString = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.stringMatching(/^[\w+=,.@-]{1,70}$/),
  fc.constantFrom("", " ", "<script>", "&amp;", "]]>", "\u0000", "arn:aws:iam::111111111111:role/ReadOnly", "/", "//", "a".repeat(2000)),
);

function valueFor(model: Model, shapeName: string, memberName: string, depth: number): fc.Arbitrary<unknown> {
  const shape = model.shapes[shapeName]!;
  if (/PolicyDocument|^Policy$|^Document$/.test(memberName)) return policyDocument;
  switch (shape.type) {
    case "structure":
      return depth > 3 ? fc.constant({}) : structureOf(model, shapeName, depth + 1);
    case "list":
      return fc.array(valueFor(model, shape.member!.shape, "member", depth + 1), { maxLength: depth > 2 ? 1 : 4 });
    case "integer":
    case "long":
      return fc.oneof(fc.integer(), fc.constantFrom(0, -1, 900, 3600, 43200, 43201, 2 ** 31), fc.constant("12abc"));
    case "boolean":
      return fc.oneof(fc.boolean(), fc.constantFrom("yes", "TRUE", ""));
    case "timestamp":
      return fc.oneof(fc.date().map((d) => (Number.isNaN(d.getTime()) ? "x" : d.toISOString())), fc.constant("not-a-date"));
    default:
      return shape.enum ? fc.oneof(fc.constantFrom(...shape.enum), hostileString) : hostileString;
  }
}

function structureOf(model: Model, shapeName: string, depth = 0): fc.Arbitrary<Record<string, unknown>> {
  const members = Object.entries(model.shapes[shapeName]?.members ?? {});
  const record = Object.fromEntries(members.map(([name, ref]) => [name, valueFor(model, ref.shape, name, depth)]));
  return fc.record(record, { requiredKeys: [] }) as fc.Arbitrary<Record<string, unknown>>;
}

/** Query-protocol flattening: lists as `.member.N`, structures as `.Member`. */
function flatten(value: unknown, prefix: string, out: Array<[string, string]>): void {
  if (Array.isArray(value)) {
    if (value.length === 0) out.push([prefix, ""]);
    value.forEach((v, i) => flatten(v, `${prefix}.member.${i + 1}`, out));
  } else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (value !== undefined) {
    out.push([prefix, String(value)]);
  }
}

type Req = { kind: string; method: string; path: string; headers: Record<string, string>; body: string; service: string };

function signed(creds: Creds, service: string, body: string, headers: Record<string, string>, path = "/"): Req {
  const url = new URL(`${t.url}${path}`);
  return { kind: "signed", method: "POST", path, body, service, headers: signRequest({ method: "POST", url, headers, body, ...creds, region: "us-east-1", service }) };
}

const queryOperation = (service: "sts" | "iam") => {
  const model = MODELS[service];
  const names = Object.keys(model.operations);
  return fc.constantFrom(...names).chain((action) =>
    (model.operations[action]!.input ? structureOf(model, model.operations[action]!.input!.shape) : fc.constant({})).map((input) => ({ action, input })),
  );
};

const queryRequest = fc
  .tuple(fc.constantFrom("sts" as const, "iam" as const), fc.boolean(), fc.boolean())
  .chain(([service, useAdmin, mangleAction]) =>
    queryOperation(service).chain(({ action, input }) =>
      fc.string({ maxLength: 30 }).map((junk) => {
        const pairs: Array<[string, string]> = [["Action", mangleAction && junk ? junk : action], ["Version", MODELS[service].metadata.apiVersion]];
        flatten(input, "", pairs);
        const body = new URLSearchParams(pairs).toString();
        return signed(useAdmin ? admin : t.broker, service, body, { "content-type": "application/x-www-form-urlencoded; charset=utf-8" });
      }),
    ),
  );

const jsonRequest = fc
  .tuple(
    fc.oneof(fc.constantFrom(...Object.keys(MODELS.organizations.operations)), fc.string({ maxLength: 20 })),
    fc.oneof(
      structureOf(MODELS.organizations, "ListAccountsRequest").map((v) => JSON.stringify(v)),
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc.string({ maxLength: 100 }),
    ),
  )
  .map(([action, body]) =>
    signed(t.broker, "organizations", body, {
      "content-type": "application/x-amz-json-1.1",
      "x-amz-target": `${MODELS.organizations.metadata.targetPrefix}.${action}`,
    }),
  );

const unsignedRequest = fc
  .record({
    body: fc.oneof(fc.string({ maxLength: 300 }), fc.jsonValue().map((v) => JSON.stringify(v))),
    authorization: fc.option(fc.oneof(fc.string({ maxLength: 120 }), fc.constant("AWS4-HMAC-SHA256 Credential=AKIA/x/y/z/aws4_request"), fc.constant("AWS4-HMAC-SHA256 ")), { nil: undefined }),
    target: fc.option(fc.string({ maxLength: 40 }), { nil: undefined }),
  })
  .map(({ body, authorization, target }): Req => ({
    kind: "unsigned",
    method: "POST",
    path: "/",
    body,
    service: target ? "organizations" : "sts",
    headers: {
      "content-type": target ? "application/x-amz-json-1.1" : "application/x-www-form-urlencoded",
      ...(authorization ? { authorization } : {}),
      ...(target ? { "x-amz-target": target } : {}),
    },
  }));

/** A correctly signed request whose body is then changed by one character. */
const tamperedRequest = fc.tuple(queryRequest, fc.nat(), fc.string({ minLength: 1, maxLength: 1 })).map(([req, pos, ch]): Req => {
  const i = req.body.length ? pos % req.body.length : 0;
  const body = req.body.slice(0, i) + ch + req.body.slice(i + 1);
  return { ...req, kind: body === req.body ? "signed" : "tampered", body };
});

const federationRequest = fc
  .record({
    Action: fc.oneof(fc.constantFrom("getSigninToken", "login"), fc.string({ maxLength: 20 })),
    Session: fc.option(fc.oneof(fc.string({ maxLength: 100 }), fc.jsonValue().map((v) => JSON.stringify(v))), { nil: undefined }),
    SessionDuration: fc.option(fc.oneof(fc.integer().map(String), fc.string({ maxLength: 10 })), { nil: undefined }),
    SigninToken: fc.option(fc.string({ maxLength: 80 }), { nil: undefined }),
    Destination: fc.option(fc.oneof(fc.webUrl(), fc.string({ maxLength: 60 })), { nil: undefined }),
  })
  .map((params): Req => {
    const body = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== undefined) as Array<[string, string]>).toString();
    return { kind: "federation", method: "POST", path: "/federation", body, service: "signin", headers: { "content-type": "application/x-www-form-urlencoded" } };
  });

const anyRequest = fc.oneof(
  { weight: 5, arbitrary: queryRequest },
  { weight: 2, arbitrary: jsonRequest },
  { weight: 2, arbitrary: unsignedRequest },
  { weight: 1, arbitrary: tamperedRequest },
  { weight: 1, arbitrary: federationRequest },
);

// ---- Oracles ---------------------------------------------------------------------------------

const XML_ERROR =
  /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<ErrorResponse xmlns="https:\/\/(sts|iam)\.amazonaws\.com\/doc\/[\d-]+\/"><Error><Type>(Sender|Receiver)<\/Type><Code>[A-Za-z][\w.]*<\/Code><Message>[^<]*<\/Message><\/Error><RequestId>[0-9a-f-]{36}<\/RequestId><\/ErrorResponse>\n$/;
const XML_OK = /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<(\w+)Response xmlns="https:\/\/(sts|iam)\.amazonaws\.com\/doc\/[\d-]+\/">[\s\S]*<ResponseMetadata><RequestId>[0-9a-f-]{36}<\/RequestId><\/ResponseMetadata><\/\1Response>\n$/;

function checkAnswer(req: Req, status: number, contentType: string, text: string): void {
  const where = `${req.kind} ${req.service} → ${status}: ${text.slice(0, 300)}`;
  expect(status, where).toBeLessThan(500);
  if (req.service === "signin") {
    if (status === 200) expect(JSON.parse(text).SigninToken, where).toEqual(expect.any(String));
    else if (status !== 302) expect(text, where).toMatch(/^HTTP Status 4\d\d - .+\n$/);
    return;
  }
  if (contentType.includes("json")) {
    const body = JSON.parse(text) as Record<string, unknown>;
    if (status !== 200) {
      expect(body.__type, where).toEqual(expect.stringMatching(/^[A-Za-z]+$/));
      expect(body.Message, where).toEqual(expect.any(String));
    }
    return;
  }
  expect(text, where).toMatch(status === 200 ? XML_OK : XML_ERROR);
  if (req.kind === "unsigned") expect(status, where).not.toBe(200);
  if (req.kind === "tampered") expect(text, where).toContain("<Code>SignatureDoesNotMatch</Code>");
}

async function send(req: Req) {
  const res = await fetch(`${t.url}${req.path}`, { method: req.method, headers: req.headers, body: req.body, redirect: "manual" });
  return { status: res.status, contentType: res.headers.get("content-type") ?? "", text: await res.text() };
}

describe("robustness", () => {
  it("answers 5,000 random and mutated requests with well-formed AWS responses", async () => {
    let count = 0;
    const outcomes = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(anyRequest, async (req) => {
        count++;
        const res = await send(req);
        checkAnswer(req, res.status, res.contentType, res.text);
        const code = /<Code>([^<]+)</.exec(res.text)?.[1] ?? (res.contentType.includes("json") ? /"__type":"(\w+)"/.exec(res.text)?.[1] : undefined);
        const key = res.status < 400 ? "success" : (code ?? `HTTP ${res.status}`);
        outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
      }),
      { numRuns: 5000, seed: Number(process.env.FUZZ_SEED ?? 20261123), endOnFailure: true },
    );
    expect(count).toBeGreaterThanOrEqual(5000);
    // The generators must reach past the front door: real successes and a spread of errors.
    console.log(`fuzz outcomes: ${JSON.stringify(Object.fromEntries([...outcomes].sort((a, b) => b[1] - a[1])))}`);
    expect(outcomes.get("success") ?? 0).toBeGreaterThan(100);
    expect(outcomes.size).toBeGreaterThan(10);
    const id = await t.sts(t.broker).send(new GetCallerIdentityCommand({}));
    expect(id.Account).toBe("333333333333");
  }, 240_000);

  it("refuses oversized bodies of every kind and keeps serving", async () => {
    const big = "x".repeat(1024 * 1024 + 1);
    const requests: Req[] = [
      { kind: "unsigned", method: "POST", path: "/", body: big, service: "sts", headers: { "content-type": "application/x-www-form-urlencoded" } },
      signed(t.broker, "iam", `Action=CreateRole&Version=2010-05-08&AssumeRolePolicyDocument=${big}`, { "content-type": "application/x-www-form-urlencoded" }),
      signed(t.broker, "organizations", `{"NextToken":"${big}"}`, { "content-type": "application/x-amz-json-1.1", "x-amz-target": "AWSOrganizationsV20161128.ListAccounts" }),
    ];
    for (const req of requests) {
      const res = await send(req);
      expect(res.status).toBe(413);
    }
    const federation = await fetch(`${t.url}/federation`, { method: "POST", body: `Action=getSigninToken&Session=${big}`, headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect(federation.status).toBe(413);
    const id = await t.sts(t.broker).send(new GetCallerIdentityCommand({}));
    expect(id.Account).toBe("333333333333");
  });
});
