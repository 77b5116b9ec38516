// Wildcards, ARNs and policy variables: the string matching that Action, Resource and the
// String/Arn condition operators share.

import { contextValues } from "./context";
import type { Policy, RequestContext } from "./types";

/** A policy value after variable substitution. In `wild` text `*` and `?` are wildcards;
 * `literal` text (a substituted context value, `${*}`, a default) matches only itself. */
export type PatternPart = { text: string; literal: boolean };
export type Pattern = PatternPart[];

export type MatchOptions = { ignoreCase?: boolean };

/** A pattern as written, with no variables resolved. */
export function toPattern(text: string): Pattern {
  return [{ text, literal: false }];
}

export function patternText(pattern: Pattern): string {
  return pattern.map((part) => part.text).join("");
}

type Token = { kind: "char"; char: string } | { kind: "star" } | { kind: "one" };

function tokenize(pattern: Pattern, fold: (c: string) => string): Token[] {
  const tokens: Token[] = [];
  for (const part of pattern) {
    for (const char of part.text) {
      if (!part.literal && char === "*") tokens.push({ kind: "star" });
      else if (!part.literal && char === "?") tokens.push({ kind: "one" });
      else tokens.push({ kind: "char", char: fold(char) });
    }
  }
  return tokens;
}

/** `*` matches any sequence (newlines included), `?` exactly one character. Iterative
 * matching with one backtrack point: linear in practice and never exponential, whatever the
 * pattern (a policy is user input). */
export function wildcardMatch(pattern: string | Pattern, value: string, options: MatchOptions = {}): boolean {
  const fold = options.ignoreCase ? (c: string) => c.toLowerCase() : (c: string) => c;
  const tokens = tokenize(typeof pattern === "string" ? toPattern(pattern) : pattern, fold);
  const chars = Array.from(value, fold);
  let t = 0;
  let v = 0;
  let starAt = -1;
  let starValue = 0;
  while (v < chars.length) {
    const token = tokens[t];
    if (token && (token.kind === "one" || (token.kind === "char" && token.char === chars[v]))) {
      t++;
      v++;
    } else if (token?.kind === "star") {
      starAt = t++;
      starValue = v;
    } else if (starAt >= 0) {
      t = starAt + 1;
      v = ++starValue;
    } else {
      return false;
    }
  }
  while (tokens[t]?.kind === "star") t++;
  return t === tokens.length;
}

/** Actions are case-insensitive: `iam:createrole` matches `iam:CreateRole`.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html */
export function actionMatches(pattern: string, action: string): boolean {
  return wildcardMatch(pattern, action, { ignoreCase: true });
}

export type Arn = { partition: string; service: string; region: string; account: string; resource: string };

/** `arn:partition:service:region:account:resource`; the resource part may contain colons.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html */
export function parseArn(arn: string): Arn | undefined {
  const parts = splitLimited(arn, ":", 6);
  if (parts.length !== 6 || parts[0] !== "arn") return undefined;
  const [, partition = "", service = "", region = "", account = "", resource = ""] = parts;
  return { partition, service, region, account, resource };
}

function splitLimited(text: string, separator: string, maxPieces: number): string[] {
  const pieces: string[] = [];
  let rest = text;
  while (pieces.length < maxPieces - 1) {
    const at = rest.indexOf(separator);
    if (at < 0) break;
    pieces.push(rest.slice(0, at));
    rest = rest.slice(at + separator.length);
  }
  pieces.push(rest);
  return pieces;
}

/** Splits a pattern at its first `maxPieces - 1` colons, keeping each piece's literal flags. */
function splitPattern(pattern: Pattern, maxPieces: number): Pattern[] {
  const pieces: Pattern[] = [[]];
  for (const part of pattern) {
    let text = part.text;
    let at = text.indexOf(":");
    while (at >= 0 && pieces.length < maxPieces) {
      pieces[pieces.length - 1]?.push({ text: text.slice(0, at), literal: part.literal });
      pieces.push([]);
      text = text.slice(at + 1);
      at = text.indexOf(":");
    }
    pieces[pieces.length - 1]?.push({ text, literal: part.literal });
  }
  return pieces;
}

/** ArnLike / ArnEquals: "Each of the six colon-delimited components of the ARN is checked
 * separately and each can include multi-character match wildcards (*) or single-character match
 * wildcards (?)" — so `*` in the region never swallows the account. Case-sensitive.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_ARN
 * A pattern that is not ARN-shaped (such as a lone `*`) is compared as a whole string. */
export function arnLike(pattern: string | Pattern, arn: string): boolean {
  const patternPieces = splitPattern(typeof pattern === "string" ? toPattern(pattern) : pattern, 6);
  if (patternPieces.length !== 6) return wildcardMatch(pattern, arn);
  const valuePieces = splitLimited(arn, ":", 6);
  if (valuePieces.length !== 6) return false;
  return patternPieces.every((piece, i) => wildcardMatch(piece, valuePieces[i] ?? ""));
}

/** Whether a Resource/NotResource entry covers the requested resource. Resource ARNs are
 * case-sensitive; `*` covers everything, including requests whose resource is `*`. */
export function resourceMatches(pattern: Pattern, resource: string): boolean {
  if (pattern.length === 1 && pattern[0]?.text === "*" && !pattern[0].literal) return true;
  return arnLike(pattern, resource);
}

const VARIABLE = /\$\{([^}]*)\}/g;
const VARIABLE_BODY = /^\s*([^\s,']+)\s*(?:,\s*'((?:[^']|'')*)'\s*)?$/;

/** Policy variables exist only in policy language version 2012-10-17; in older documents (and
 * documents without a Version) `${aws:username}` is literal text.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html */
export function variablesEnabled(version: Policy["Version"]): boolean {
  return version === "2012-10-17";
}

/** Replaces `${key}` with the request-context value of `key`, `${key, 'default'}` with the
 * default when the key is absent, and `${*}`, `${?}`, `${$}` with the literal character.
 * Returns undefined when a variable cannot be resolved: the value then matches nothing.
 * Multivalued keys cannot be used as variables, so a key with several values is unresolved. */
export function substituteVariables(value: string, context: RequestContext): Pattern | undefined {
  const pattern: Pattern = [];
  let last = 0;
  for (const match of value.matchAll(VARIABLE)) {
    const start = match.index;
    if (start > last) pattern.push({ text: value.slice(last, start), literal: false });
    last = start + match[0].length;
    const body = match[1] ?? "";
    if (body === "*" || body === "?" || body === "$") {
      pattern.push({ text: body, literal: true });
      continue;
    }
    const parsed = VARIABLE_BODY.exec(body);
    if (!parsed) {
      pattern.push({ text: match[0], literal: false });
      continue;
    }
    const [, key = "", fallback] = parsed;
    const values = contextValues(context, key);
    if (values?.length === 1 && values[0] !== undefined) pattern.push({ text: values[0], literal: true });
    else if (fallback !== undefined && (values === undefined || values.length === 0)) {
      pattern.push({ text: fallback.replace(/''/g, "'"), literal: true });
    } else return undefined;
  }
  if (last < value.length) pattern.push({ text: value.slice(last), literal: false });
  return pattern;
}

/** A condition value ready for matching: variables resolved when the policy version allows. */
export function resolveValue(value: string, context: RequestContext, withVariables: boolean): Pattern | undefined {
  return withVariables ? substituteVariables(value, context) : toPattern(value);
}

/** A Resource/NotResource entry ready for matching. Variables may appear "only in the resource
 * portion of the ARN", after the fifth colon; earlier they stay literal text.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html#policy-vars-resourceelement */
export function resolveResource(value: string, context: RequestContext, withVariables: boolean): Pattern | undefined {
  const pieces = splitLimited(value, ":", 6);
  if (!withVariables || pieces.length !== 6) return toPattern(value);
  const resourcePart = pieces.pop() ?? "";
  const resolved = substituteVariables(resourcePart, context);
  if (!resolved) return undefined;
  return [{ text: `${pieces.join(":")}:`, literal: false }, ...resolved];
}
