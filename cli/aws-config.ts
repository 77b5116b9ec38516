// The profiles `switchboard config export` keeps in the AWS config file: one per granted role,
// each getting its credentials from `switchboard credentials … --format credential-process`
// (https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-sourcing-external.html).
// Pure text in, text out: everything outside the marker comments is left byte for byte.
import { profileNameFor } from "@/lib/aws/credential-formats";
import type { Entry } from "./role-match";

export const BEGIN_MARKER = "# >>> switchboard (managed, do not edit) >>>";
export const END_MARKER = "# <<< switchboard <<<";

export type ExportedProfile = { name: string; entry: Entry };

/** The profile names already used in the file outside the managed block. */
export function foreignProfiles(text: string): Set<string> {
  const names = new Set<string>();
  for (const line of splitBlock(text).outside.split("\n")) {
    const m = /^\s*\[\s*(?:profile\s+)?([^\]]+?)\s*\]\s*$/.exec(line);
    if (m && !/^(?:sso-session|services)\s/.test(m[1]!)) names.add(m[1]!);
  }
  return names;
}

/** One unique profile name per entry: `profileNameFor(account, role)`, then the account id for
 * a clash (the same account and role names in two accounts), then a counter. Never a name a
 * profile outside the block already has. */
export function profilesFor(entries: Entry[], taken: Set<string>): ExportedProfile[] {
  const used = new Set(taken);
  const sorted = [...entries].sort((a, b) => a.path.localeCompare(b.path) || a.id.localeCompare(b.id));
  const base = sorted.map((e) => profileNameFor(e.accountName, e.roleName));
  const count = new Map<string, number>();
  for (const name of base) count.set(name, (count.get(name) ?? 0) + 1);
  return sorted.map((entry, i) => {
    let name = base[i]!;
    if (count.get(name)! > 1 || used.has(name)) name = `${name}-${entry.accountId}`.slice(0, 64);
    for (let n = 2; used.has(name); n++) name = `${base[i]!.slice(0, 56)}-${n}`;
    used.add(name);
    return { name, entry };
  });
}

// What may go on an INI line unquoted: ids are ULIDs, regions and names come from the catalog,
// but a line break in a label must not become a line of config.
const oneLine = (text: string) => text.replace(/[\r\n]+/g, " ");

export function managedBlock(profiles: ExportedProfile[], command = "switchboard"): string {
  const lines = [BEGIN_MARKER, "# Written by `switchboard config export`; it rewrites everything up to the end marker.", ""];
  for (const { name, entry } of profiles) {
    if (!/^[0-9A-Za-z_-]+$/.test(entry.id)) throw new Error(`unexpected role entry id ${JSON.stringify(entry.id)}`);
    lines.push(
      `# ${oneLine(entry.path)} (${entry.accountId})`,
      `[profile ${name}]`,
      `credential_process = ${command} credentials ${entry.id} --format credential-process`,
      `region = ${oneLine(entry.region)}`,
      "",
    );
  }
  lines.push(END_MARKER);
  return lines.join("\n");
}

type Split = { lines: string[]; begin: number; end: number; outside: string };

function splitBlock(text: string): Split {
  const lines = text.split("\n");
  const begin = lines.findIndex((l) => l.trim() === BEGIN_MARKER);
  if (begin < 0) return { lines, begin: -1, end: -1, outside: text };
  const end = lines.findIndex((l, i) => i > begin && l.trim() === END_MARKER);
  if (end < 0) throw new Error(`The AWS config file has the line "${BEGIN_MARKER}" but not "${END_MARKER}" after it. Fix or remove the markers, then run this again.`);
  return { lines, begin, end, outside: [...lines.slice(0, begin), ...lines.slice(end + 1)].join("\n") };
}

/** The file with the managed block replaced where it is (or appended, after a blank line). */
export function withManagedBlock(text: string, block: string): string {
  const { lines, begin, end } = splitBlock(text);
  if (begin >= 0) return [...lines.slice(0, begin), block, ...lines.slice(end + 1)].join("\n");
  if (text === "") return `${block}\n`;
  const separator = text.endsWith("\n\n") ? "" : text.endsWith("\n") ? "\n" : "\n\n";
  return `${text}${separator}${block}\n`;
}

/** A unified diff of two texts as one hunk around what changed (the block is one contiguous
 * region, so the common prefix and suffix are all the context there is). */
export function unifiedDiff(oldText: string, newText: string, oldName: string, newName: string, context = 3): string {
  if (oldText === newText) return "";
  const a = oldText === "" ? [] : oldText.replace(/\n$/, "").split("\n");
  const b = newText === "" ? [] : newText.replace(/\n$/, "").split("\n");
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const from = Math.max(0, start - context);
  const toA = Math.min(a.length, endA + context);
  const toB = Math.min(b.length, endB + context);
  const lines = [`--- ${oldName}`, `+++ ${newName}`, `@@ -${range(from, toA - from)} +${range(from, toB - from)} @@`];
  for (let i = from; i < start; i++) lines.push(` ${a[i]}`);
  for (let i = start; i < endA; i++) lines.push(`-${a[i]}`);
  for (let i = start; i < endB; i++) lines.push(`+${b[i]}`);
  for (let i = endA; i < toA; i++) lines.push(` ${a[i]}`);
  return `${lines.join("\n")}\n`;
}

const range = (from: number, length: number) => (length === 0 ? `${from},0` : length === 1 ? `${from + 1}` : `${from + 1},${length}`);
