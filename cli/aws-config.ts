// The profiles `switchboard config export` keeps in the AWS config file: one per granted role,
// each getting its credentials from `switchboard credentials … --format credential-process`
// (https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-sourcing-external.html).
// Pure text in, text out: everything outside the marker comments is left byte for byte.
import { BEGIN_MARKER, END_MARKER, managedBlock, profilesFor, type ExportedProfile } from "@/lib/catalog/config-export";

// The profiles' text is the console's own (lib/catalog/config-export.ts), so that the web page's
// export and this command write the same block.
export { BEGIN_MARKER, END_MARKER, managedBlock, profilesFor, type ExportedProfile };

/** The profile names already used in the file outside the managed block. */
export function foreignProfiles(text: string): Set<string> {
  const names = new Set<string>();
  for (const line of splitBlock(text).outside.split("\n")) {
    const m = /^\s*\[\s*(?:profile\s+)?([^\]]+?)\s*\]\s*$/.exec(line);
    if (m && !/^(?:sso-session|services)\s/.test(m[1]!)) names.add(m[1]!);
  }
  return names;
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
