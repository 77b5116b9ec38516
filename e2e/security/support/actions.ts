// Server actions: discovery from the build's manifest, and calls the way the browser makes them.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Client, Reply } from "./http";

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
