// Validates a policy document against IAM's grammar and normalises it.
// Grammar: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
// Messages follow IAM's MalformedPolicyDocument wording where IAM has one, followed by what to fix.

import { childPath, fromJavaScript, JsonNumber, readJson, type JsonObject, type JsonValue } from "./json";
import { parseConditionOperator, type ConditionOperator } from "./operators";
import { invalidPrincipalMessage, isValidPrincipalValue, PRINCIPAL_TYPES, type PrincipalType } from "./principal";
import type { ConditionBlock, ParseResult, Policy, PolicyIssue, PolicyKind, PrincipalBlock, Statement } from "./types";
import { parseBase64, parseBoolean, parseDate, parseIpRange, parseNumber } from "./values";

const SYNTAX = "Syntax errors in policy.";
const VERSIONS = ["2012-10-17", "2008-10-17"] as const;
const POLICY_FIELDS = ["Version", "Id", "Statement"];
const STATEMENT_FIELDS = [
  "Sid",
  "Effect",
  "Principal",
  "NotPrincipal",
  "Action",
  "NotAction",
  "Resource",
  "NotResource",
  "Condition",
];
const ACTIONS_MESSAGE = "Policy statement must contain actions.";
const RESOURCES_MESSAGE = "Policy statement must contain resources.";
const VENDOR_MESSAGE = "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.";

const SID = /^[0-9A-Za-z]*$/;
// Actions are case-insensitive in IAM, so `S3:GetObject` is as valid as `s3:GetObject`.
const ACTION_VENDOR = /^[A-Za-z0-9-]+:/;
const ACTION = /^[A-Za-z0-9-]+:[A-Za-z0-9*?]+$/;
// `prefix:name`; prefixes include provider hosts and paths (`token.actions.githubusercontent.com`,
// `oidc.eks.us-east-1.amazonaws.com/id/ABC`), names may contain tag keys with spaces and colons.
const CONDITION_KEY = /^[A-Za-z0-9][A-Za-z0-9._/-]*:[^\u0000-\u001f]+$/;

/**
 * Parses and validates a policy document for the given kind of policy.
 * `input` is JSON text, or a value that has already been parsed from JSON.
 * Every problem is reported, each with a JSON path into the document as written.
 */
export function parsePolicy(input: unknown, kind: PolicyKind): ParseResult {
  const read = typeof input === "string" ? readJson(input) : fromJavaScript(input);
  const errors: PolicyIssue[] = [...read.issues];
  if (read.value === undefined) {
    return { ok: false, errors: errors.length > 0 ? errors : [{ path: "$", message: SYNTAX }] };
  }
  const policy = new Validator(kind, errors).policy(read.value);
  if (errors.length > 0 || !policy) return { ok: false, errors };
  return { ok: true, policy };
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof JsonNumber);
}

function has(object: JsonObject, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(object, key);
}

function quote(value: string): string {
  return JSON.stringify(value);
}

class Validator {
  private readonly sids = new Map<string, string>();
  private version: Policy["Version"];

  constructor(
    private readonly kind: PolicyKind,
    private readonly errors: PolicyIssue[],
  ) {}

  private error(path: string, message: string): undefined {
    this.errors.push({ path, message });
    return undefined;
  }

  policy(document: JsonValue): Policy | undefined {
    if (!isObject(document)) return this.error("$", `${SYNTAX} The policy must be a JSON object.`);
    for (const key of Object.keys(document)) {
      if (!POLICY_FIELDS.includes(key)) {
        this.error(childPath("$", key), `${SYNTAX} Unknown field ${quote(key)}; a policy may contain only Version, Id and Statement.`);
      }
    }
    const policy: Partial<Policy> = {};
    if (has(document, "Version")) {
      const version = document.Version;
      if (typeof version === "string" && (VERSIONS as readonly string[]).includes(version)) {
        this.version = version as Policy["Version"];
        policy.Version = this.version;
      } else {
        this.error("$.Version", `The policy must contain a valid version string. Use "2012-10-17" (the current version).`);
      }
    }
    if (has(document, "Id")) {
      if (typeof document.Id === "string") policy.Id = document.Id;
      else this.error("$.Id", `${SYNTAX} Id must be a string.`);
    }
    policy.Statement = this.statements(document);
    return policy.Statement ? { ...policy, Statement: policy.Statement } : undefined;
  }

  private statements(document: JsonObject): Statement[] | undefined {
    if (!has(document, "Statement")) return this.error("$", `${SYNTAX} Missing required field Statement.`);
    const value = document.Statement;
    if (isObject(value)) {
      const statement = this.statement(value, "$.Statement");
      return statement ? [statement] : undefined;
    }
    if (!Array.isArray(value) || value.length === 0) {
      return this.error("$.Statement", `${SYNTAX} Statement must be an object or a non-empty array of objects.`);
    }
    const statements: Statement[] = [];
    value.forEach((item, i) => {
      const path = childPath("$.Statement", i);
      if (!isObject(item)) {
        this.error(path, `${SYNTAX} Each statement must be a JSON object.`);
        return;
      }
      const statement = this.statement(item, path);
      if (statement) statements.push(statement);
    });
    return statements.length === value.length ? statements : undefined;
  }

  private statement(object: JsonObject, path: string): Statement | undefined {
    const before = this.errors.length;
    for (const key of Object.keys(object)) {
      if (!STATEMENT_FIELDS.includes(key)) {
        this.error(
          childPath(path, key),
          `${SYNTAX} Unknown field ${quote(key)} in a statement; allowed fields are ${STATEMENT_FIELDS.join(", ")}.`,
        );
      }
    }
    const sid = this.sid(object, path);
    const effect = this.effect(object, path);
    const principals = this.principals(object, path);
    const actions = this.exactlyOne(object, path, "Action", "NotAction", ACTIONS_MESSAGE, (v, p) => this.action(v, p));
    const resources = this.resources(object, path);
    const condition = has(object, "Condition") ? this.condition(object.Condition, childPath(path, "Condition")) : undefined;
    if (this.errors.length > before || !effect) return undefined;
    return {
      ...(sid !== undefined && { Sid: sid }),
      Effect: effect,
      ...principals,
      ...actions,
      ...resources,
      ...(condition && { Condition: condition }),
    };
  }

  private sid(object: JsonObject, path: string): string | undefined {
    if (!has(object, "Sid")) return undefined;
    const sidPath = childPath(path, "Sid");
    const sid = object.Sid;
    if (typeof sid !== "string") return this.error(sidPath, `${SYNTAX} Sid must be a string.`);
    // IAM's own documents (identity and trust policies) restrict Sids to letters and digits;
    // other services' resource policies (S3, SQS, SNS…) accept any string.
    if (this.kind !== "resource" && !SID.test(sid)) {
      this.error(
        sidPath,
        "Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*",
      );
    }
    if (sid !== "") {
      if (this.sids.has(sid)) {
        this.error(sidPath, `Statement IDs (SID) in a single policy must be unique. ${quote(sid)} is also used at ${this.sids.get(sid)}.`);
      } else {
        this.sids.set(sid, sidPath);
      }
    }
    return sid;
  }

  private effect(object: JsonObject, path: string): Statement["Effect"] | undefined {
    if (!has(object, "Effect")) return this.error(path, `${SYNTAX} Missing required field Effect; use "Allow" or "Deny".`);
    const effect = object.Effect;
    if (effect === "Allow" || effect === "Deny") return effect;
    const shown = typeof effect === "string" ? quote(effect) : "a non-string value";
    return this.error(childPath(path, "Effect"), `${SYNTAX} Invalid effect ${shown}; Effect must be exactly "Allow" or "Deny".`);
  }

  /** Principal rules differ by kind: identity policies have none, resource policies need one of
   * Principal/NotPrincipal, role trust policies need Principal and forbid NotPrincipal. */
  private principals(object: JsonObject, path: string): Pick<Statement, "Principal" | "NotPrincipal"> {
    const hasPrincipal = has(object, "Principal");
    const hasNot = has(object, "NotPrincipal");
    if (this.kind === "identity") {
      if (hasPrincipal) this.error(childPath(path, "Principal"), "Policy document should not specify a principal.");
      if (hasNot) this.error(childPath(path, "NotPrincipal"), "Policy document should not specify a principal.");
      return {};
    }
    if (this.kind === "trust" && hasNot) {
      this.error(
        childPath(path, "NotPrincipal"),
        "Has prohibited field NotPrincipal. A role trust policy must name the trusted principals in Principal.",
      );
    }
    if (!hasPrincipal && (this.kind === "trust" || !hasNot)) {
      this.error(path, "Missing required field Principal");
      return {};
    }
    if (hasPrincipal && hasNot && this.kind === "resource") {
      this.error(path, `${SYNTAX} A statement can contain Principal or NotPrincipal, not both.`);
    }
    const result: Pick<Statement, "Principal" | "NotPrincipal"> = {};
    if (hasPrincipal) {
      const principalPath = childPath(path, "Principal");
      const principal = this.principalBlock(object.Principal, principalPath);
      // IAM role trust policies reject a bare "*"; {"AWS": "*"} is accepted (and public).
      if (principal === "*" && this.kind === "trust") {
        this.error(
          principalPath,
          `Invalid principal in policy: "*". A role trust policy cannot use "Principal": "*"; name the trusted principals instead.`,
        );
      }
      if (principal) result.Principal = principal;
    }
    if (hasNot && this.kind === "resource") {
      const principal = this.principalBlock(object.NotPrincipal, childPath(path, "NotPrincipal"));
      if (principal) result.NotPrincipal = principal;
    }
    return result;
  }

  private principalBlock(value: JsonValue | undefined, path: string): PrincipalBlock | undefined {
    if (value === "*") return "*";
    if (!isObject(value)) {
      return this.error(path, `${SYNTAX} A principal must be "*" or an object such as {"AWS": "arn:aws:iam::123456789012:root"}.`);
    }
    const keys = Object.keys(value);
    if (keys.length === 0) return this.error(path, `${SYNTAX} A principal object must name at least one principal.`);
    const block: Exclude<PrincipalBlock, "*"> = {};
    for (const key of keys) {
      const keyPath = childPath(path, key);
      if (!(PRINCIPAL_TYPES as readonly string[]).includes(key)) {
        this.error(keyPath, `${SYNTAX} Unknown principal type ${quote(key)}; use AWS, Service, Federated or CanonicalUser.`);
        continue;
      }
      const type = key as PrincipalType;
      const values = this.stringList(value[key], keyPath, `${SYNTAX} ${type} principals must not be an empty array.`, (v, p) => {
        if (!isValidPrincipalValue(type, v)) this.error(p, invalidPrincipalMessage(type, v));
      });
      if (values) block[type] = values;
    }
    return block;
  }

  private resources(object: JsonObject, path: string): Pick<Statement, "Resource" | "NotResource"> {
    if (this.kind === "trust") {
      // The role is the resource of a trust policy, so IAM rejects Resource and NotResource.
      for (const field of ["Resource", "NotResource"]) {
        if (has(object, field)) {
          this.error(childPath(path, field), `Has prohibited field ${field}. A role trust policy applies to its role; remove ${field}.`);
        }
      }
      return {};
    }
    return this.exactlyOne(object, path, "Resource", "NotResource", RESOURCES_MESSAGE, (v, p) => this.resource(v, p));
  }

  /** For Action/NotAction and Resource/NotResource: exactly one of the pair, each a string or a
   * non-empty array of strings, each value checked by `check`. */
  private exactlyOne<A extends string, B extends string>(
    object: JsonObject,
    path: string,
    field: A,
    negated: B,
    missingMessage: string,
    check: (value: string, path: string) => void,
  ): Partial<Record<A | B, string[]>> {
    const hasField = has(object, field);
    const hasNegated = has(object, negated);
    if (!hasField && !hasNegated) {
      this.error(path, missingMessage);
      return {};
    }
    if (hasField && hasNegated) {
      this.error(path, `${SYNTAX} A statement can contain ${field} or ${negated}, not both.`);
      return {};
    }
    const name = hasField ? field : negated;
    const values = this.stringList(object[name], childPath(path, name), missingMessage, check);
    return values ? ({ [name]: values } as Partial<Record<A | B, string[]>>) : {};
  }

  private stringList(
    value: JsonValue | undefined,
    path: string,
    emptyMessage: string,
    check: (value: string, path: string) => void,
  ): string[] | undefined {
    if (typeof value === "string") {
      check(value, path);
      return [value];
    }
    if (!Array.isArray(value)) return this.error(path, `${SYNTAX} Expected a string or an array of strings.`);
    if (value.length === 0) return this.error(path, emptyMessage);
    const strings: string[] = [];
    value.forEach((item, i) => {
      const itemPath = childPath(path, i);
      if (typeof item !== "string") {
        this.error(itemPath, `${SYNTAX} Expected a string.`);
        return;
      }
      check(item, itemPath);
      strings.push(item);
    });
    return strings.length === value.length ? strings : undefined;
  }

  private action(value: string, path: string): void {
    if (value === "*" || ACTION.test(value)) return;
    if (!ACTION_VENDOR.test(value)) {
      this.error(path, `${VENDOR_MESSAGE} ${quote(value)} must look like service:Action, e.g. sts:AssumeRole.`);
      return;
    }
    this.error(
      path,
      `${SYNTAX} Invalid action ${quote(value)}: after "service:" an action may contain only letters, digits, * and ?.`,
    );
  }

  private resource(value: string, path: string): void {
    if (value === "*") return;
    const parts = value.split(":");
    if (parts.length < 6 || parts[0] !== "arn") {
      this.error(path, `Resource ${value} must be in ARN format or "*".`);
    }
  }

  private condition(value: JsonValue | undefined, path: string): ConditionBlock | undefined {
    if (!isObject(value)) return this.error(path, `${SYNTAX} Condition must be an object of operators, e.g. {"StringEquals": {"aws:PrincipalOrgID": "o-abc123"}}.`);
    const block: ConditionBlock = {};
    for (const [name, keys] of Object.entries(value)) {
      const operatorPath = childPath(path, name);
      const lookup = parseConditionOperator(name);
      if (!lookup.ok) {
        this.error(operatorPath, lookup.reason);
        continue;
      }
      if (!isObject(keys)) {
        this.error(operatorPath, `${SYNTAX} ${name} must map condition keys to values, e.g. {"aws:SourceIp": "203.0.113.0/24"}.`);
        continue;
      }
      const entries: Record<string, string[]> = {};
      for (const [key, values] of Object.entries(keys)) {
        const keyPath = childPath(operatorPath, key);
        if (!CONDITION_KEY.test(key)) {
          this.error(keyPath, `${VENDOR_MESSAGE} Condition key ${quote(key)} must look like prefix:name, e.g. aws:SourceIp.`);
          continue;
        }
        const normalised = this.conditionValues(lookup.operator, values, keyPath);
        if (normalised) entries[key] = normalised;
      }
      block[name] = entries;
    }
    return block;
  }

  /** Condition values as IAM compares them: strings, so `true` becomes "true" and `3600` "3600". */
  private conditionValues(operator: ConditionOperator, value: JsonValue | undefined, path: string): string[] | undefined {
    const items = Array.isArray(value) ? value : [value];
    if (Array.isArray(value) && value.length === 0) {
      return this.error(path, `${SYNTAX} Condition values must not be an empty array.`);
    }
    const strings: string[] = [];
    items.forEach((item, i) => {
      const itemPath = Array.isArray(value) ? childPath(path, i) : path;
      const text =
        typeof item === "string" ? item : typeof item === "boolean" ? String(item) : item instanceof JsonNumber ? item.raw : undefined;
      if (text === undefined) {
        this.error(itemPath, `${SYNTAX} A condition value must be a string, number or boolean.`);
        return;
      }
      const problem = this.conditionValueProblem(operator, text);
      if (problem) this.error(itemPath, problem);
      strings.push(text);
    });
    return strings.length === items.length ? strings : undefined;
  }

  private conditionValueProblem(operator: ConditionOperator, value: string): string | undefined {
    const shown = quote(value);
    // A policy variable in a Bool value is resolved at request time, so it cannot be checked now.
    const variable = this.version === "2012-10-17" && value.includes("${");
    switch (operator.family) {
      case "Null":
        return parseBoolean(value) === undefined ? `${operator.name} needs "true" or "false"; ${shown} is neither.` : undefined;
      case "Bool":
        if (variable || parseBoolean(value) !== undefined) return undefined;
        return `${operator.name} needs "true" or "false"; ${shown} is neither.`;
      case "Numeric":
        return parseNumber(value) === undefined ? `${operator.name} needs a number; ${shown} is not one.` : undefined;
      case "Date":
        return parseDate(value) === undefined
          ? `${operator.name} needs an ISO 8601 date such as 2025-01-31T00:00:00Z or epoch seconds; ${shown} is neither.`
          : undefined;
      case "IpAddress":
        return parseIpRange(value) === undefined
          ? `${operator.name} needs an IPv4 or IPv6 address or CIDR range such as 203.0.113.0/24; ${shown} is not one.`
          : undefined;
      case "Binary":
        return parseBase64(value) === undefined ? `${operator.name} needs a base64-encoded value; ${shown} is not valid base64.` : undefined;
      case "String":
      case "Arn":
        return undefined;
    }
  }
}
