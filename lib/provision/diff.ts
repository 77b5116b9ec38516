// A line diff between two texts (the trust page's current and proposed policies). Pure, for the
// browser and tests. Longest common subsequence over lines: policies are a few hundred lines at
// most, so the quadratic table is small; above LIMIT lines each side it falls back to "all
// removed, all added" rather than build a table of millions of cells.

export type DiffLine = { kind: "same" | "add" | "remove"; text: string };

const LIMIT = 2000;

function lines(text: string): string[] {
  if (text === "") return [];
  return text.replace(/\r\n?/g, "\n").replace(/\n$/, "").split("\n");
}

/** The lines of `before` and `after` in order, each kept, removed or added. Removals come
 * before additions where both replace the same place, as `diff -u` shows them. */
export function lineDiff(before: string, after: string): DiffLine[] {
  const a = lines(before);
  const b = lines(after);
  if (a.length > LIMIT || b.length > LIMIT) {
    return [...a.map((text): DiffLine => ({ kind: "remove", text })), ...b.map((text): DiffLine => ({ kind: "add", text }))];
  }
  // lcs[i][j]: length of the longest common subsequence of a[i..] and b[j..].
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      out.push({ kind: "same", text: a[i]! });
      i++;
      j++;
    } else if (lcs[i + 1]![j]! >= lcs[i]![j + 1]!) {
      out.push({ kind: "remove", text: a[i++]! });
    } else {
      out.push({ kind: "add", text: b[j++]! });
    }
  }
  while (i < a.length) out.push({ kind: "remove", text: a[i++]! });
  while (j < b.length) out.push({ kind: "add", text: b[j++]! });
  return out;
}

/** Whether a diff changes anything. */
export const hasChanges = (diff: readonly DiffLine[]) => diff.some((d) => d.kind !== "same");
