// Just enough HCL to write Terraform by hand: quoted strings, JSON-like values in the object and
// tuple syntax Terraform's documentation uses inside `jsonencode(...)`, and attribute lists laid
// out the way `terraform fmt` lays them out, so a pasted export is already formatted.
// Syntax: https://github.com/hashicorp/hcl/blob/main/hclsyntax/spec.md
// PURE: no server-only, no node: imports.

/** A quoted HCL string. Besides `\` and `"`, a quoted string is a template: `${` and `%{` start
 * interpolations and directives, and are escaped by doubling the sigil — which matters for IAM
 * policy variables such as `${aws:username}`. Control characters become escapes, so the string
 * stays on one line. */
export function hclString(value: string): string {
  const escaped = value.replace(/[\\"\u0000-\u001f\u007f\u2028\u2029]|\$\{|%\{/g, (match) => {
    switch (match) {
      case "\\":
        return "\\\\";
      case '"':
        return '\\"';
      case "\n":
        return "\\n";
      case "\r":
        return "\\r";
      case "\t":
        return "\\t";
      case "${":
        return "$${";
      case "%{":
        return "%%{";
      default:
        return `\\u${match.charCodeAt(0).toString(16).padStart(4, "0")}`;
    }
  });
  return `"${escaped}"`;
}

// Keywords that change the meaning of an object constructor when they appear as a bare key
// (`{ for … }` starts a for expression; `true`, `false` and `null` are literals, not names).
const KEYWORDS = new Set(["true", "false", "null", "for", "in", "if", "else", "endif", "endfor"]);

/** An object key: bare when it is a plain identifier (`Effect`, `team`), quoted otherwise
 * (`"sts:ExternalId"`, `"cost-center"`). */
export function hclKey(key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) && !KEYWORDS.has(key) ? key : hclString(key);
}

/** A resource or output name: lower-case snake case from any text (`ReadOnlyAccess` →
 * `read_only_access`, `a.b@c` → `a_b_c`), starting with a letter as Terraform requires. */
export function hclIdentifier(name: string): string {
  const snake = name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
  if (snake === "") return "unnamed";
  return /^[a-z]/.test(snake) ? snake : `n_${snake}`;
}

/** A JSON value as an HCL expression; `indent` is the indentation of the line it starts on. */
export function hclValue(value: unknown, indent: string): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "string":
      return hclString(value);
    case "boolean":
      return String(value);
    case "number":
      if (!Number.isFinite(value)) throw new Error(`Cannot write ${value} in HCL`);
      return String(value);
    case "object":
      break;
    default:
      throw new Error(`Cannot write a ${typeof value} in HCL`);
  }
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    if (value.length === 1 && !isContainer(value[0])) return `[${hclValue(value[0], inner)}]`;
    return `[\n${value.map((item) => `${inner}${hclValue(item, inner)},\n`).join("")}${indent}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return "{}";
  return `{\n${hclAttributes(
    entries.map(([k, v]) => [hclKey(k), hclValue(v, inner)]),
    inner,
  )}${indent}}`;
}

function isContainer(value: unknown): boolean {
  return typeof value === "object" && value !== null;
}

/** One `key = expression` per line, `null` for a blank line. Like `terraform fmt`, the `=` of
 * consecutive one-line attributes are aligned; an attribute whose value spans lines, a blank
 * line or a closing bracket ends the run. fmt counts grapheme clusters, not UTF-16 units or
 * bytes: `"Zürich"` is 8 columns wide, so is `"Zu\u0301rich"`. */
export function hclAttributes(items: Array<[key: string, expression: string] | null>, indent: string): string {
  const lines: string[] = [];
  let run: Array<[string, string]> = [];
  const flush = () => {
    const width = Math.max(0, ...run.map(([key]) => columns(key)));
    for (const [key, expression] of run) lines.push(`${indent}${key}${" ".repeat(width - columns(key))} = ${expression}`);
    run = [];
  };
  for (const item of items) {
    if (item !== null && !item[1].includes("\n")) {
      run.push(item);
      continue;
    }
    flush();
    lines.push(item === null ? "" : `${indent}${item[0]} = ${item[1]}`);
  }
  flush();
  return lines.map((line) => `${line}\n`).join("");
}

const graphemes = new Intl.Segmenter("en", { granularity: "grapheme" });
const columns = (text: string) => [...graphemes.segment(text)].length;
