// Signature Version 4 verification, as AWS does it server-side:
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
// Both the Authorization header form and the query-string (presigned) form are accepted.
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { AwsError } from "./errors";

export type SignedRequest = {
  method: string;
  /** Path as received on the wire, still percent-encoded, without the query string. */
  rawPath: string;
  /** Query string as received, without the leading `?`. */
  rawQuery: string;
  /** Header pairs as received (`IncomingMessage.rawHeaders`), names in any case. */
  rawHeaders: string[];
  body: Buffer;
};

export type Credential = {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
};

export type ParsedSignature = {
  credential: Credential;
  signedHeaders: string[];
  signature: string;
  amzDate: string;
  securityToken?: string;
  presigned: boolean;
};

const ALGORITHM = "AWS4-HMAC-SHA256";
// AWS refuses requests whose signing time is more than 15 minutes from its clock.
const MAX_SKEW_MS = 15 * 60 * 1000;

const incomplete = (message: string) => new AwsError("IncompleteSignature", message, 400);

function headerValues(rawHeaders: string[], name: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < rawHeaders.length; i += 2) {
    if (rawHeaders[i]!.toLowerCase() === name) out.push(rawHeaders[i + 1]!);
  }
  return out;
}

export function header(req: SignedRequest, name: string): string | undefined {
  const values = headerValues(req.rawHeaders, name.toLowerCase());
  return values.length ? values.join(",") : undefined;
}

function parseCredential(value: string): Credential {
  const parts = value.split("/");
  if (parts.length !== 5 || parts[4] !== "aws4_request" || !parts[0]) {
    throw incomplete(
      `Credential should be scoped to a valid region, not '${parts[2] ?? ""}'. Credential should be scoped to correct service: '${parts[3] ?? ""}'. Credential should be scoped with a valid terminator: 'aws4_request', not '${parts[4] ?? ""}'.`,
    );
  }
  return { accessKeyId: parts[0], date: parts[1]!, region: parts[2]!, service: parts[3]! };
}

/** Finds and parses the signature of a request; `undefined` when it carries none at all. */
export function parseSignature(req: SignedRequest): ParsedSignature | undefined {
  const authorization = header(req, "authorization");
  if (authorization !== undefined) {
    if (!authorization.startsWith(`${ALGORITHM} `)) {
      throw incomplete(`Authorization header requires '${ALGORITHM}' as its algorithm. Authorization=${authorization.split(" ")[0]}`);
    }
    const fields = new Map<string, string>();
    for (const part of authorization.slice(ALGORITHM.length + 1).split(",")) {
      const eq = part.indexOf("=");
      if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
    }
    const missing: string[] = [];
    for (const field of ["Credential", "SignedHeaders", "Signature"]) {
      if (!fields.get(field)) missing.push(`Authorization header requires '${field}' parameter.`);
    }
    const amzDate = header(req, "x-amz-date") ?? header(req, "date");
    if (!amzDate) missing.push("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
    if (missing.length) throw incomplete(`${missing.join(" ")} Authorization=${authorization.slice(0, 40)}`);
    return {
      credential: parseCredential(fields.get("Credential")!),
      signedHeaders: fields.get("SignedHeaders")!.split(";"),
      signature: fields.get("Signature")!,
      amzDate: amzDate!,
      securityToken: header(req, "x-amz-security-token"),
      presigned: false,
    };
  }
  const query = new URLSearchParams(req.rawQuery);
  if (query.has("X-Amz-Algorithm") || query.has("X-Amz-Signature") || query.has("X-Amz-Credential")) {
    const missing = ["X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-SignedHeaders", "X-Amz-Signature", "X-Amz-Date"].filter(
      (k) => !query.get(k),
    );
    if (missing.length) throw incomplete(`AWS query-string parameters must include ${missing.map((m) => `'${m}'`).join(", ")}.`);
    if (query.get("X-Amz-Algorithm") !== ALGORITHM) throw incomplete(`Unsupported algorithm ${query.get("X-Amz-Algorithm")}.`);
    return {
      credential: parseCredential(query.get("X-Amz-Credential")!),
      signedHeaders: query.get("X-Amz-SignedHeaders")!.split(";"),
      signature: query.get("X-Amz-Signature")!,
      amzDate: query.get("X-Amz-Date")!,
      securityToken: query.get("X-Amz-Security-Token") ?? undefined,
      presigned: true,
    };
  }
  return undefined;
}

/** RFC 3986 encoding as SigV4 specifies: everything but unreserved characters. */
export function uriEscape(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function decodeComponent(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, "%20"));
  } catch {
    return value;
  }
}

function canonicalQuery(rawQuery: string, presigned: boolean): string {
  if (!rawQuery) return "";
  const pairs: Array<[string, string]> = [];
  for (const part of rawQuery.split("&")) {
    if (!part) continue;
    const eq = part.indexOf("=");
    const key = decodeComponent(eq < 0 ? part : part.slice(0, eq));
    const value = eq < 0 ? "" : decodeComponent(part.slice(eq + 1));
    if (presigned && key === "X-Amz-Signature") continue;
    pairs.push([uriEscape(key), uriEscape(value)]);
  }
  pairs.sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join("&");
}

function canonicalPath(rawPath: string): string {
  // Non-S3 services encode each path segment twice: the client signs its already-encoded path.
  const segments = rawPath.split("/").map((s) => uriEscape(decodeComponent(s)));
  const path = segments.join("/");
  return path.startsWith("/") ? path : `/${path}`;
}

const sha256 = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");
const hmac = (key: Buffer | string, data: string) => createHmac("sha256", key).update(data).digest();

export function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  return hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), "aws4_request");
}

export function canonicalRequest(req: SignedRequest, sig: ParsedSignature): string {
  const headers = sig.signedHeaders.map((name) => {
    const values = headerValues(req.rawHeaders, name);
    return `${name}:${values.map((v) => v.trim().replace(/\s+/g, " ")).join(",")}`;
  });
  const payloadHash = sig.presigned ? sha256(req.body) : (header(req, "x-amz-content-sha256") ?? sha256(req.body));
  return [
    req.method,
    canonicalPath(req.rawPath),
    canonicalQuery(req.rawQuery, sig.presigned),
    `${headers.join("\n")}\n`,
    sig.signedHeaders.join(";"),
    payloadHash,
  ].join("\n");
}

function parseAmzDate(value: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (m) return Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
  return new Date(value).getTime();
}

/** Checks the signature with the secret of the key it names; throws AWS's errors. `now` is the
 * real wall clock (the sandbox's virtual clock only moves expiries, not signing times). */
export function verifySignature(req: SignedRequest, sig: ParsedSignature, secret: string, now = Date.now()): void {
  if (!sig.signedHeaders.includes("host")) {
    throw new AwsError("SignatureDoesNotMatch", "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.", 403);
  }
  const signedAt = parseAmzDate(sig.amzDate);
  if (Number.isNaN(signedAt)) {
    throw incomplete(`Date must be in ISO-8601 'basic format'. Got '${sig.amzDate}'. See http://en.wikipedia.org/wiki/ISO_8601`);
  }
  if (Math.abs(now - signedAt) > MAX_SKEW_MS) {
    const fmt = (t: number) => new Date(t).toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
    throw new AwsError(
      "SignatureDoesNotMatch",
      `Signature expired: ${fmt(signedAt)} is now earlier than ${fmt(now - MAX_SKEW_MS)} (${fmt(now)} - 15 min.)`,
      403,
    );
  }
  const { date, region, service } = sig.credential;
  const canonical = canonicalRequest(req, sig);
  const stringToSign = [ALGORITHM, sig.amzDate, `${date}/${region}/${service}/aws4_request`, sha256(canonical)].join("\n");
  const expected = createHmac("sha256", signingKey(secret, date, region, service)).update(stringToSign).digest();
  const given = Buffer.from(sig.signature, "hex");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new AwsError(
      "SignatureDoesNotMatch",
      "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
      403,
    );
  }
}

/** Signs a request the way an SDK would; used by the sandbox's own tests and tools. */
export function signRequest(opts: {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body: string;
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  region: string;
  service: string;
  now?: Date;
}): Record<string, string> {
  const now = opts.now ?? new Date();
  const amzDate = now.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
  const date = amzDate.slice(0, 8);
  const headers: Record<string, string> = { ...opts.headers, host: opts.url.host, "x-amz-date": amzDate };
  if (opts.sessionToken) headers["x-amz-security-token"] = opts.sessionToken;
  const signedHeaders = Object.keys(headers)
    .map((h) => h.toLowerCase())
    .sort();
  const rawHeaders = Object.entries(headers).flatMap(([k, v]) => [k, v]);
  const parsed: ParsedSignature = {
    credential: { accessKeyId: opts.accessKeyId, date, region: opts.region, service: opts.service },
    signedHeaders,
    signature: "",
    amzDate,
    presigned: false,
  };
  const canonical = canonicalRequest(
    { method: opts.method, rawPath: opts.url.pathname, rawQuery: opts.url.search.slice(1), rawHeaders, body: Buffer.from(opts.body) },
    parsed,
  );
  const scope = `${date}/${opts.region}/${opts.service}/aws4_request`;
  const signature = createHmac("sha256", signingKey(opts.secretAccessKey, date, opts.region, opts.service))
    .update([ALGORITHM, amzDate, scope, sha256(canonical)].join("\n"))
    .digest("hex");
  return {
    ...headers,
    authorization: `${ALGORITHM} Credential=${opts.accessKeyId}/${scope}, SignedHeaders=${signedHeaders.join(";")}, Signature=${signature}`,
  };
}
