import { describe, expect, it } from "vitest";
import { hasChanges, lineDiff, type DiffLine } from "./diff";

const same = (text: string): DiffLine => ({ kind: "same", text });
const add = (text: string): DiffLine => ({ kind: "add", text });
const remove = (text: string): DiffLine => ({ kind: "remove", text });

describe("lineDiff", () => {
  it.each<[string, string, string, DiffLine[]]>([
    ["identical texts", "a\nb", "a\nb", [same("a"), same("b")]],
    ["both empty", "", "", []],
    ["everything added", "", "a\nb", [add("a"), add("b")]],
    ["everything removed", "a\nb", "", [remove("a"), remove("b")]],
    ["a line inserted in the middle", "a\nc", "a\nb\nc", [same("a"), add("b"), same("c")]],
    ["a line removed", "a\nb\nc", "a\nc", [same("a"), remove("b"), same("c")]],
    ["a line changed: removal before addition", "a\nb\nc", "a\nx\nc", [same("a"), remove("b"), add("x"), same("c")]],
    ["a trailing newline is not a line", "a\n", "a", [same("a")]],
    ["CRLF equals LF", "a\r\nb", "a\nb", [same("a"), same("b")]],
  ])("%s", (_name, before, after, expected) => {
    expect(lineDiff(before, after)).toEqual(expected);
  });

  it("shows a principal added to a formatted trust policy as one added line and a changed one", () => {
    const before = JSON.stringify({ Principal: { AWS: "arn:aws:iam::111111111111:role/Broker" } }, null, 2);
    const after = JSON.stringify({ Principal: { AWS: ["arn:aws:iam::111111111111:role/Broker", "arn:aws:iam::222222222222:root"] } }, null, 2);
    const diff = lineDiff(before, after);
    expect(diff.filter((d) => d.kind === "add").map((d) => d.text.trim())).toEqual(['"AWS": [', '"arn:aws:iam::111111111111:role/Broker",', '"arn:aws:iam::222222222222:root"', "]"]);
    expect(diff.filter((d) => d.kind === "remove").map((d) => d.text.trim())).toEqual(['"AWS": "arn:aws:iam::111111111111:role/Broker"']);
  });

  it("falls back to remove-all/add-all for very long texts", () => {
    const long = Array.from({ length: 2001 }, (_, i) => `line ${i}`).join("\n");
    const diff = lineDiff(long, "x");
    expect(diff.filter((d) => d.kind === "remove")).toHaveLength(2001);
    expect(diff.at(-1)).toEqual(add("x"));
  });
});

describe("hasChanges", () => {
  it("is false only when every line is kept", () => {
    expect(hasChanges(lineDiff("a", "a"))).toBe(false);
    expect(hasChanges(lineDiff("a", "b"))).toBe(true);
  });
});
