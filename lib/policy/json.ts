// A small JSON reader for policy documents. `JSON.parse` is not enough here: on Node 20 its
// errors carry no position, it silently keeps the last of two duplicate keys, and it turns
// `1.50` into `1.5` — while IAM compares condition values as the strings that were written.

import type { PolicyIssue } from "./types";

/** A number as written in the document (`3600`, `1.50`), so conditions keep its exact text. */
export class JsonNumber {
  constructor(readonly raw: string) {}
}

export type JsonValue = null | boolean | string | JsonNumber | JsonValue[] | JsonObject;
/** Null-prototype object, so keys such as `__proto__` stay plain data. */
export type JsonObject = { [key: string]: JsonValue };

export type JsonReadResult = { value?: JsonValue; issues: PolicyIssue[] };

/** Deep enough for any valid policy (the deepest is Statement → Condition → operator → key →
 * values), shallow enough that hostile input cannot exhaust the stack. */
const MAX_DEPTH = 32;

const SYNTAX = "Syntax errors in policy.";

/** The first problems say what to fix; a document made of characters IAM rejects would otherwise
 * produce one issue per character (issue 10: 120,000 of them). */
export const MAX_ISSUES = 50;

/** The issues of one read, at most MAX_ISSUES of them, then one that counts the rest. A syntax
 * error that stops the read is always kept: it is the one that says why there is no value. */
class IssueList {
  private readonly kept: PolicyIssue[] = [];
  private dropped = 0;
  private fatal: PolicyIssue | undefined;

  add(issue: PolicyIssue): void {
    if (this.kept.length < MAX_ISSUES) this.kept.push(issue);
    else this.dropped++;
  }

  /** Adds lazily: the message (and its position) is only worked out for an issue that is kept. */
  addLazy(make: () => PolicyIssue): void {
    if (this.kept.length < MAX_ISSUES) this.kept.push(make());
    else this.dropped++;
  }

  stop(issue: PolicyIssue): void {
    this.fatal = issue;
  }

  list(): PolicyIssue[] {
    const out = [...this.kept];
    if (this.dropped > 0) out.push({ path: "$", message: `…and ${this.dropped} more problems like these.` });
    if (this.fatal) out.push(this.fatal);
    return out;
  }
}

/** JSON path of a child, e.g. `$.Statement[0]` or `$.Statement[0].Condition['aws:SourceIp']`. */
export function childPath(parent: string, key: string | number): string {
  if (typeof key === "number") return `${parent}[${key}]`;
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) return `${parent}.${key}`;
  return `${parent}['${key.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}']`;
}

/** IAM accepts only TAB, LF, CR and U+0020–U+00FF in a policy document.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html */
export function isAllowedPolicyChar(code: number): boolean {
  return code === 0x09 || code === 0x0a || code === 0x0d || (code >= 0x20 && code <= 0xff);
}

export function describeChar(code: number): string {
  return `U+${code.toString(16).toUpperCase().padStart(4, "0")}`;
}

function disallowedCharMessage(code: number, where?: string): string {
  const at = where ? ` ${where}` : "";
  return `Character ${describeChar(code)}${at} is not allowed; a policy may contain only TAB, LF, CR and characters U+0020 to U+00FF.`;
}

class SyntaxFailure extends Error {}

/** Reads JSON text. Returns the value when the syntax is valid; `issues` lists syntax errors
 * (with line and column), duplicate keys and characters IAM does not accept. */
export function readJson(text: string): JsonReadResult {
  return new Reader(text).read();
}

class Reader {
  private pos = 0;
  private readonly issues = new IssueList();
  /** Offsets where each line starts, built on the first position asked for. */
  private lineStarts: number[] | undefined;

  constructor(private readonly text: string) {}

  read(): JsonReadResult {
    try {
      this.skipWhitespace();
      const value = this.value("$", 0);
      this.skipWhitespace();
      if (this.pos < this.text.length) this.fail("Unexpected content after the end of the document");
      return { value, issues: this.issues.list() };
    } catch (error) {
      if (error instanceof SyntaxFailure) return { issues: this.issues.list() };
      throw error;
    }
  }

  /** "line L, column C" of an offset: one pass over the text for the line starts, then a binary
   * search per position, so many issues never rescan the document. */
  private location(offset: number): string {
    if (!this.lineStarts) {
      this.lineStarts = [0];
      for (let i = 0; i < this.text.length; i++) if (this.text.charCodeAt(i) === 0x0a) this.lineStarts.push(i + 1);
    }
    const starts = this.lineStarts;
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (starts[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    return `line ${low + 1}, column ${offset - starts[low]! + 1}`;
  }

  private fail(detail: string, offset = this.pos): never {
    this.issues.stop({ path: "$", message: `${SYNTAX} ${detail} at ${this.location(offset)}.` });
    throw new SyntaxFailure();
  }

  private unexpected(expected: string): never {
    if (this.pos >= this.text.length) this.fail(`Unexpected end of document; expected ${expected}`);
    const code = this.text.codePointAt(this.pos) ?? 0;
    const shown = code >= 0x20 && code < 0x7f ? `'${String.fromCodePoint(code)}'` : describeChar(code);
    this.fail(`Unexpected character ${shown}; expected ${expected}`);
  }

  private skipWhitespace(): void {
    while (this.pos < this.text.length) {
      const c = this.text.charCodeAt(this.pos);
      if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return;
      this.pos++;
    }
  }

  private value(path: string, depth: number): JsonValue {
    if (depth > MAX_DEPTH) this.fail("The document is nested too deeply");
    const c = this.text[this.pos];
    if (c === "{") return this.object(path, depth);
    if (c === "[") return this.array(path, depth);
    if (c === '"') return this.string(path);
    if (c === "-" || (c !== undefined && c >= "0" && c <= "9")) return this.number();
    if (this.text.startsWith("true", this.pos)) return this.literal("true", true);
    if (this.text.startsWith("false", this.pos)) return this.literal("false", false);
    if (this.text.startsWith("null", this.pos)) return this.literal("null", null);
    this.unexpected("a value");
  }

  private literal<T>(word: string, value: T): T {
    this.pos += word.length;
    return value;
  }

  private object(path: string, depth: number): JsonObject {
    const result: JsonObject = Object.create(null) as JsonObject;
    this.pos++;
    this.skipWhitespace();
    if (this.text[this.pos] === "}") {
      this.pos++;
      return result;
    }
    for (;;) {
      if (this.text[this.pos] !== '"') this.unexpected("a property name in double quotes");
      const keyOffset = this.pos;
      const key = this.string(path);
      const valuePath = childPath(path, key);
      if (Object.prototype.hasOwnProperty.call(result, key)) {
        // JSON.parse would keep the last value silently; a reviewer would see the first.
        this.issues.addLazy(() => ({
          path: valuePath,
          message: `${SYNTAX} Duplicate key "${key}" at ${this.location(keyOffset)}; each key may appear only once.`,
        }));
      }
      this.skipWhitespace();
      if (this.text[this.pos] !== ":") this.unexpected("':' after a property name");
      this.pos++;
      this.skipWhitespace();
      result[key] = this.value(valuePath, depth + 1);
      this.skipWhitespace();
      const next = this.text[this.pos];
      if (next === ",") {
        this.pos++;
        this.skipWhitespace();
        continue;
      }
      if (next === "}") {
        this.pos++;
        return result;
      }
      this.unexpected("',' or '}'");
    }
  }

  private array(path: string, depth: number): JsonValue[] {
    const result: JsonValue[] = [];
    this.pos++;
    this.skipWhitespace();
    if (this.text[this.pos] === "]") {
      this.pos++;
      return result;
    }
    for (;;) {
      result.push(this.value(childPath(path, result.length), depth + 1));
      this.skipWhitespace();
      const next = this.text[this.pos];
      if (next === ",") {
        this.pos++;
        this.skipWhitespace();
        continue;
      }
      if (next === "]") {
        this.pos++;
        return result;
      }
      this.unexpected("',' or ']'");
    }
  }

  private number(): JsonNumber {
    const match = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(this.text.slice(this.pos, this.pos + 400));
    if (!match) this.unexpected("a number");
    this.pos += match[0].length;
    return new JsonNumber(match[0]);
  }

  /** `path` is where the string sits, used to point at characters IAM rejects. */
  private string(path: string): string {
    const start = this.pos;
    this.pos++;
    let out = "";
    for (;;) {
      if (this.pos >= this.text.length) this.fail("Unterminated string", start);
      const code = this.text.codePointAt(this.pos) ?? 0;
      if (code === 0x22) {
        this.pos++;
        return out;
      }
      if (code < 0x20) this.fail(`Control character ${describeChar(code)} must be escaped inside a string`);
      if (!isAllowedPolicyChar(code)) {
        const at = this.pos;
        this.issues.addLazy(() => ({ path, message: disallowedCharMessage(code, `at ${this.location(at)}`) }));
      }
      if (code === 0x5c) {
        out += this.escape(path);
        continue;
      }
      out += String.fromCodePoint(code);
      this.pos += code > 0xffff ? 2 : 1;
    }
  }

  private escape(path: string): string {
    const offset = this.pos;
    const c = this.text[this.pos + 1];
    this.pos += 2;
    const simple: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };
    if (c !== undefined && Object.prototype.hasOwnProperty.call(simple, c)) return simple[c] ?? "";
    if (c !== "u") this.fail("Invalid escape sequence in string", offset);
    const hex = this.text.slice(this.pos, this.pos + 4);
    if (!/^[0-9A-Fa-f]{4}$/.test(hex)) this.fail("Invalid \\u escape in string", offset);
    this.pos += 4;
    const code = parseInt(hex, 16);
    // An escaped character is still a character of the policy, so IAM's character rule applies
    // to it as well (for TAB, LF and CR the escape is the only way to write them in a string).
    if (!isAllowedPolicyChar(code)) {
      this.issues.addLazy(() => ({ path, message: disallowedCharMessage(code, `(escaped as \\u${hex}) at ${this.location(offset)}`) }));
    }
    return String.fromCharCode(code);
  }
}

/** Converts an already-parsed JavaScript value into the reader's model, reporting what JSON
 * cannot express and characters IAM rejects. */
export function fromJavaScript(input: unknown): JsonReadResult {
  const issues = new IssueList();
  const seen = new Set<object>();

  const checkChars = (s: string, path: string): void => {
    for (const ch of s) {
      const code = ch.codePointAt(0) ?? 0;
      if (!isAllowedPolicyChar(code)) issues.add({ path, message: disallowedCharMessage(code) });
    }
  };

  const convert = (value: unknown, path: string, depth: number): JsonValue | undefined => {
    if (depth > MAX_DEPTH) {
      issues.add({ path, message: `${SYNTAX} The document is nested too deeply.` });
      return undefined;
    }
    if (value === null || typeof value === "boolean") return value;
    if (typeof value === "string") {
      checkChars(value, path);
      return value;
    }
    if (typeof value === "number") {
      if (Number.isFinite(value)) return new JsonNumber(String(value));
      issues.add({ path, message: `${SYNTAX} ${String(value)} is not a valid JSON number.` });
      return undefined;
    }
    if (Array.isArray(value)) {
      if (seen.has(value)) return cycle(path);
      seen.add(value);
      const out: JsonValue[] = [];
      value.forEach((item, i) => {
        const converted = convert(item, childPath(path, i), depth + 1);
        if (converted !== undefined) out.push(converted);
      });
      seen.delete(value);
      return out;
    }
    if (typeof value === "object") {
      if (seen.has(value)) return cycle(path);
      seen.add(value);
      const out: JsonObject = Object.create(null) as JsonObject;
      for (const [key, item] of Object.entries(value)) {
        const itemPath = childPath(path, key);
        checkChars(key, itemPath);
        const converted = convert(item, itemPath, depth + 1);
        if (converted !== undefined) out[key] = converted;
      }
      seen.delete(value);
      return out;
    }
    issues.add({ path, message: `${SYNTAX} A value of type ${typeof value} cannot appear in a JSON policy.` });
    return undefined;
  };

  const cycle = (path: string): undefined => {
    issues.add({ path, message: `${SYNTAX} The document refers to itself.` });
    return undefined;
  };

  const value = convert(input, "$", 0);
  return value === undefined ? { issues: issues.list() } : { value, issues: issues.list() };
}
