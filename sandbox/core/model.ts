// A codec driven by AWS's own service models (trimmed botocore models in ../models): it turns a
// Query-protocol form or a JSON 1.1 body into a typed input, checks it against the model's
// constraints with AWS's validation messages, and renders outputs the way each protocol does.
// Protocols: https://smithy.io/2.0/aws/protocols/aws-query-protocol.html and
// https://smithy.io/2.0/aws/protocols/aws-json-1_1-protocol.html
import { readFileSync } from "node:fs";
import { AwsError } from "./errors";

type ShapeRef = { shape: string; locationName?: string; flattened?: boolean };
type Shape = {
  type: "structure" | "list" | "map" | "string" | "integer" | "long" | "boolean" | "timestamp" | "blob" | "double" | "float";
  members?: Record<string, ShapeRef>;
  required?: string[];
  member?: ShapeRef;
  key?: ShapeRef;
  value?: ShapeRef;
  min?: number;
  max?: number;
  pattern?: string;
  enum?: string[];
  flattened?: boolean;
  error?: { code?: string; httpStatusCode?: number; senderFault?: boolean };
  exception?: boolean;
};
type Operation = {
  name: string;
  input?: ShapeRef;
  output?: ShapeRef & { resultWrapper?: string };
  errors?: ShapeRef[];
};
type ServiceModel = {
  metadata: {
    apiVersion: string;
    protocol: "query" | "json";
    xmlNamespace?: string;
    targetPrefix?: string;
    serviceId: string;
  };
  operations: Record<string, Operation>;
  shapes: Record<string, Shape>;
};

export type Value = string | number | boolean | Date | Value[] | { [key: string]: Value } | undefined;
export type Input = Record<string, unknown>;

const patternCache = new Map<string, RegExp>();

function anchored(pattern: string): RegExp {
  let re = patternCache.get(pattern);
  if (!re) {
    // AWS validates the whole value against a model pattern. Model patterns are Java regexes:
    // `\p{L}` needs JavaScript's unicode mode, which in turn refuses a few escapes (`\-`
    // outside a class) that Java accepts, so fall back to the plain mode for those.
    try {
      re = new RegExp(`^(?:${pattern})$`, "su");
    } catch {
      re = new RegExp(`^(?:${pattern})$`, "s");
    }
    patternCache.set(pattern, re);
  }
  return re;
}

const lowerFirst = (name: string) => name.charAt(0).toLowerCase() + name.slice(1);

export class ServiceCodec {
  readonly model: ServiceModel;

  constructor(model: ServiceModel) {
    this.model = model;
  }

  static load(service: "iam" | "sts" | "organizations"): ServiceCodec {
    const url = new URL(`../models/${service}.json`, import.meta.url);
    return new ServiceCodec(JSON.parse(readFileSync(url, "utf8")) as ServiceModel);
  }

  get apiVersion() {
    return this.model.metadata.apiVersion;
  }

  get xmlNamespace() {
    return this.model.metadata.xmlNamespace ?? "";
  }

  hasOperation(name: string) {
    return Object.prototype.hasOwnProperty.call(this.model.operations, name);
  }

  /** The HTTP status the model assigns to an error code, if it knows the code. */
  statusForError(code: string): number | undefined {
    for (const shape of Object.values(this.model.shapes)) {
      if (shape.exception && (shape.error?.code ?? "") === code) return shape.error?.httpStatusCode;
    }
    return undefined;
  }

  private shape(name: string): Shape {
    const shape = this.model.shapes[name];
    if (!shape) throw new Error(`model has no shape ${name}`);
    return shape;
  }

  // ---- Query protocol input -------------------------------------------------------------

  /** Decodes `Foo.member.1.Key=…` style parameters into a nested input per the model. */
  parseQueryInput(operation: string, params: URLSearchParams): Input {
    const op = this.model.operations[operation];
    if (!op?.input) return {};
    const flat = new Map<string, string>();
    for (const [key, value] of params) {
      if (key === "Action" || key === "Version") continue;
      flat.set(key, value);
    }
    return (this.readQueryValue(this.shape(op.input.shape), "", flat) as Input | undefined) ?? {};
  }

  private readQueryValue(shape: Shape, prefix: string, flat: Map<string, string>): unknown {
    switch (shape.type) {
      case "structure": {
        const out: Record<string, unknown> = {};
        let found = false;
        for (const [name, ref] of Object.entries(shape.members ?? {})) {
          const key = prefix ? `${prefix}.${ref.locationName ?? name}` : (ref.locationName ?? name);
          const value = this.readQueryValue(this.shape(ref.shape), key, flat);
          if (value !== undefined) {
            out[name] = value;
            found = true;
          }
        }
        return found || !prefix ? out : undefined;
      }
      case "list": {
        const memberRef = shape.member!;
        const memberShape = this.shape(memberRef.shape);
        // An empty list is sent as `Foo=` with no members.
        if (flat.get(prefix) === "") return [];
        const base = shape.flattened ? prefix : `${prefix}.${memberRef.locationName ?? "member"}`;
        const out: unknown[] = [];
        for (let i = 1; i <= 1000; i++) {
          const value = this.readQueryValue(memberShape, `${base}.${i}`, flat);
          if (value === undefined) break;
          out.push(value);
        }
        return out.length ? out : undefined;
      }
      case "map": {
        const base = shape.flattened ? prefix : `${prefix}.entry`;
        const out: Record<string, unknown> = {};
        let found = false;
        for (let i = 1; i <= 1000; i++) {
          const key = flat.get(`${base}.${i}.${shape.key?.locationName ?? "key"}`);
          if (key === undefined) break;
          out[key] = this.readQueryValue(this.shape(shape.value!.shape), `${base}.${i}.${shape.value?.locationName ?? "value"}`, flat);
          found = true;
        }
        return found ? out : undefined;
      }
      default:
        return this.scalarFromString(shape, flat.get(prefix), prefix);
    }
  }

  private scalarFromString(shape: Shape, raw: string | undefined, where: string): unknown {
    if (raw === undefined) return undefined;
    switch (shape.type) {
      case "integer":
      case "long": {
        if (!/^-?\d+$/.test(raw.trim())) {
          throw new AwsError("ValidationError", `Value '${raw}' at '${where}' failed to satisfy constraint: Member must be an integer`);
        }
        return Number(raw.trim());
      }
      case "double":
      case "float": {
        const n = Number(raw);
        if (Number.isNaN(n)) throw new AwsError("ValidationError", `Value '${raw}' at '${where}' failed to satisfy constraint: Member must be a number`);
        return n;
      }
      case "boolean": {
        const v = raw.trim().toLowerCase();
        if (v !== "true" && v !== "false") {
          throw new AwsError("ValidationError", `Value '${raw}' at '${where}' failed to satisfy constraint: Member must be a boolean`);
        }
        return v === "true";
      }
      case "timestamp": {
        const d = new Date(raw);
        if (Number.isNaN(d.getTime())) {
          throw new AwsError("ValidationError", `Value '${raw}' at '${where}' failed to satisfy constraint: Member must be a timestamp`);
        }
        return d;
      }
      default:
        return raw;
    }
  }

  // ---- JSON input ------------------------------------------------------------------------

  /** Checks the types of a JSON 1.1 body against the model (unknown members are ignored, as
   * AWS does). */
  parseJsonInput(operation: string, body: unknown): Input {
    const op = this.model.operations[operation];
    if (!op?.input) return {};
    if (body === undefined || body === null) return {};
    if (typeof body !== "object" || Array.isArray(body)) {
      throw new AwsError("SerializationException", "Start of structure or map found where not expected.");
    }
    return this.readJsonValue(this.shape(op.input.shape), body, "") as Input;
  }

  private readJsonValue(shape: Shape, value: unknown, where: string): unknown {
    if (value === null || value === undefined) return undefined;
    const wrong = () => new AwsError("SerializationException", `Unexpected value type for ${where || "input"}; expected ${shape.type}.`);
    switch (shape.type) {
      case "structure": {
        if (typeof value !== "object" || Array.isArray(value)) throw wrong();
        const out: Record<string, unknown> = {};
        for (const [name, ref] of Object.entries(shape.members ?? {})) {
          const v = (value as Record<string, unknown>)[name];
          const parsed = this.readJsonValue(this.shape(ref.shape), v, where ? `${where}.${name}` : name);
          if (parsed !== undefined) out[name] = parsed;
        }
        return out;
      }
      case "list":
        if (!Array.isArray(value)) throw wrong();
        return value.map((v, i) => this.readJsonValue(this.shape(shape.member!.shape), v, `${where}[${i}]`));
      case "map": {
        if (typeof value !== "object" || Array.isArray(value)) throw wrong();
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
          out[k] = this.readJsonValue(this.shape(shape.value!.shape), v, `${where}.${k}`);
        }
        return out;
      }
      case "integer":
      case "long":
        if (typeof value !== "number" || !Number.isInteger(value)) throw wrong();
        return value;
      case "double":
      case "float":
        if (typeof value !== "number") throw wrong();
        return value;
      case "boolean":
        if (typeof value !== "boolean") throw wrong();
        return value;
      case "timestamp":
        if (typeof value !== "number" && typeof value !== "string") throw wrong();
        return new Date(typeof value === "number" ? value * 1000 : value);
      default:
        if (typeof value !== "string") throw wrong();
        return value;
    }
  }

  // ---- Validation ------------------------------------------------------------------------

  /** AWS's "N validation errors detected: …" check of an input against the model's
   * required members, lengths, ranges, patterns and enums. Returns undefined when valid. */
  validate(operation: string, input: Input): string | undefined {
    const op = this.model.operations[operation];
    if (!op?.input) return undefined;
    const problems: string[] = [];
    this.check(this.shape(op.input.shape), input, "", problems);
    if (!problems.length) return undefined;
    const n = problems.length;
    return `${n} validation error${n === 1 ? "" : "s"} detected: ${problems.join("; ")}`;
  }

  private check(shape: Shape, value: unknown, path: string, problems: string[]): void {
    const at = (v: unknown) =>
      `Value ${v === undefined ? "null" : typeof v === "string" ? `'${v}'` : Array.isArray(v) ? `'[${v.join(", ")}]'` : `'${String(v)}'`} at '${path}' failed to satisfy constraint: `;
    if (shape.type === "structure") {
      const obj = (value ?? {}) as Record<string, unknown>;
      for (const [name, ref] of Object.entries(shape.members ?? {})) {
        const memberPath = path ? `${path}.${lowerFirst(name)}` : lowerFirst(name);
        const v = obj[name];
        if (v === undefined) {
          if (shape.required?.includes(name)) problems.push(`Value null at '${memberPath}' failed to satisfy constraint: Member must not be null`);
          continue;
        }
        this.check(this.shape(ref.shape), v, memberPath, problems);
      }
      return;
    }
    if (shape.type === "list") {
      const list = value as unknown[];
      if (shape.min !== undefined && list.length < shape.min) problems.push(`${at(list)}Member must have length greater than or equal to ${shape.min}`);
      if (shape.max !== undefined && list.length > shape.max) problems.push(`${at(list)}Member must have length less than or equal to ${shape.max}`);
      list.forEach((item, i) => this.check(this.shape(shape.member!.shape), item, `${path}.${i + 1}.member`, problems));
      return;
    }
    if (shape.type === "map") return;
    if (typeof value === "string") {
      if (shape.min !== undefined && value.length < shape.min) problems.push(`${at(value)}Member must have length greater than or equal to ${shape.min}`);
      if (shape.max !== undefined && value.length > shape.max) problems.push(`${at(value)}Member must have length less than or equal to ${shape.max}`);
      if (shape.pattern && value.length && !anchored(shape.pattern).test(value)) {
        problems.push(`${at(value)}Member must satisfy regular expression pattern: ${shape.pattern}`);
      }
      if (shape.enum && !shape.enum.includes(value)) problems.push(`${at(value)}Member must satisfy enum value set: [${shape.enum.join(", ")}]`);
      return;
    }
    if (typeof value === "number") {
      if (shape.min !== undefined && value < shape.min) problems.push(`${at(value)}Member must have value greater than or equal to ${shape.min}`);
      if (shape.max !== undefined && value > shape.max) problems.push(`${at(value)}Member must have value less than or equal to ${shape.max}`);
    }
  }

  // ---- Output ---------------------------------------------------------------------------

  /** `<OpResponse><OpResult>…</OpResult><ResponseMetadata>…` as the Query protocol answers. */
  renderQueryResponse(operation: string, output: Record<string, unknown> | undefined, requestId: string): string {
    const op = this.model.operations[operation]!;
    const ns = this.xmlNamespace;
    let result = "";
    if (op.output) {
      const wrapper = op.output.resultWrapper ?? `${operation}Result`;
      const inner = this.xmlMembers(this.shape(op.output.shape), output ?? {});
      result = `<${wrapper}>${inner}</${wrapper}>`;
    }
    return `<?xml version="1.0" encoding="UTF-8"?>\n<${operation}Response xmlns="${ns}">${result}<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${operation}Response>\n`;
  }

  private xmlMembers(shape: Shape, obj: Record<string, unknown>): string {
    let out = "";
    for (const [name, ref] of Object.entries(shape.members ?? {})) {
      const value = obj[name];
      if (value === undefined || value === null) continue;
      out += this.xmlValue(this.shape(ref.shape), ref.locationName ?? name, value, ref.flattened);
    }
    return out;
  }

  private xmlValue(shape: Shape, tag: string, value: unknown, flattenedRef?: boolean): string {
    switch (shape.type) {
      case "structure":
        return `<${tag}>${this.xmlMembers(shape, value as Record<string, unknown>)}</${tag}>`;
      case "list": {
        const memberShape = this.shape(shape.member!.shape);
        const items = value as unknown[];
        if (shape.flattened || flattenedRef) return items.map((v) => this.xmlValue(memberShape, tag, v)).join("");
        const memberTag = shape.member!.locationName ?? "member";
        return `<${tag}>${items.map((v) => this.xmlValue(memberShape, memberTag, v)).join("")}</${tag}>`;
      }
      case "map": {
        const entries = Object.entries(value as Record<string, unknown>);
        const keyTag = shape.key?.locationName ?? "key";
        const valueTag = shape.value?.locationName ?? "value";
        const valueShape = this.shape(shape.value!.shape);
        const body = entries
          .map(([k, v]) => `<entry><${keyTag}>${escapeXml(k)}</${keyTag}>${this.xmlValue(valueShape, valueTag, v)}</entry>`)
          .join("");
        return `<${tag}>${body}</${tag}>`;
      }
      case "timestamp":
        return `<${tag}>${isoSeconds(value as Date)}</${tag}>`;
      case "boolean":
        return `<${tag}>${value ? "true" : "false"}</${tag}>`;
      default:
        return `<${tag}>${escapeXml(String(value))}</${tag}>`;
    }
  }

  /** A JSON 1.1 body: members by name, timestamps as epoch seconds. */
  renderJsonResponse(operation: string, output: Record<string, unknown> | undefined): string {
    const op = this.model.operations[operation]!;
    if (!op.output) return "{}";
    return JSON.stringify(this.jsonValue(this.shape(op.output.shape), output ?? {}));
  }

  private jsonValue(shape: Shape, value: unknown): unknown {
    switch (shape.type) {
      case "structure": {
        const out: Record<string, unknown> = {};
        for (const [name, ref] of Object.entries(shape.members ?? {})) {
          const v = (value as Record<string, unknown>)[name];
          if (v !== undefined && v !== null) out[name] = this.jsonValue(this.shape(ref.shape), v);
        }
        return out;
      }
      case "list":
        return (value as unknown[]).map((v) => this.jsonValue(this.shape(shape.member!.shape), v));
      case "map":
        return Object.fromEntries(
          Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, this.jsonValue(this.shape(shape.value!.shape), v)]),
        );
      case "timestamp":
        return (value as Date).getTime() / 1000;
      default:
        return value;
    }
  }
}

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c]!);
}

/** AWS's timestamp form in XML responses: ISO 8601 in UTC without milliseconds. */
export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** The XML error body the Query protocol uses. */
export function renderQueryError(namespace: string, error: AwsError, requestId: string): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse xmlns="${namespace}"><Error><Type>${error.fault}</Type>` +
    `<Code>${escapeXml(error.code)}</Code><Message>${escapeXml(error.message)}</Message></Error>` +
    `<RequestId>${requestId}</RequestId></ErrorResponse>\n`
  );
}
