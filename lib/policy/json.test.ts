// The policy JSON reader: positions, duplicate keys, IAM's character rule, and what hostile input
// (issue 10: a document made of characters IAM rejects) costs.
import { describe, expect, it } from "vitest";
import { fromJavaScript, JsonNumber, MAX_ISSUES, readJson } from "./json";
import { validatePolicyText } from "./lint";

const positions = (messages: string[]) => messages.map((m) => /at line (\d+), column (\d+)/.exec(m)?.slice(1, 3).map(Number));

describe("readJson", () => {
  it("reads values and keeps numbers as written", () => {
    const read = readJson('{"a": [1.50, true, null, "x"]}');
    expect(read.issues).toEqual([]);
    expect(read.value).toEqual({ a: [new JsonNumber("1.50"), true, null, "x"] });
  });

  it("gives syntax errors a line and column", () => {
    expect(readJson('{\n  "a": 1,\n  "b": ]\n}').issues.map((i) => i.message)).toEqual([
      "Syntax errors in policy. Unexpected character ']'; expected a value at line 3, column 8.",
    ]);
  });

  it("places characters IAM rejects and duplicate keys on later lines", () => {
    const text = '{\n  "a": "ok",\n\n  "b": "x\u0100y\u2019",\n  "a": "again"\n}';
    const read = readJson(text);
    expect(positions(read.issues.map((i) => i.message))).toEqual([
      [4, 10],
      [4, 12],
      [5, 3],
    ]);
    expect(read.issues.map((i) => i.path)).toEqual(["$.b", "$.b", "$.a"]);
  });

  it("caps the issues of a document made of 120,000 characters IAM rejects, with their positions right", () => {
    const count = 120_000;
    // The characters on the sixth line, after five short lines.
    const text = `{\n"Version": "2012-10-17",\n\n\n\n"Id": "${"\u0100".repeat(count)}"\n}`;
    const read = readJson(text);
    expect(read.issues).toHaveLength(MAX_ISSUES + 1);
    expect(positions(read.issues.slice(0, 3).map((i) => i.message))).toEqual([
      [6, 8],
      [6, 9],
      [6, 10],
    ]);
    expect(positions([read.issues[MAX_ISSUES - 1]!.message])).toEqual([[6, 7 + MAX_ISSUES]]);
    expect(read.issues.at(-1)?.message).toBe(`…and ${count - MAX_ISSUES} more problems like these.`);
    // The document is still read to the end.
    expect(read.value).toMatchObject({ Version: "2012-10-17" });
  });

  it("still reports the syntax error that ends the document after the cap", () => {
    const read = readJson(`{"Id": "${"\u0100".repeat(200)}", }`);
    expect(read.value).toBeUndefined();
    expect(read.issues).toHaveLength(MAX_ISSUES + 2);
    expect(read.issues.at(-2)?.message).toBe(`…and ${200 - MAX_ISSUES} more problems like these.`);
    expect(read.issues.at(-1)?.message).toMatch(/^Syntax errors in policy\. Unexpected character '\}'; expected a property name in double quotes at line 1, column 212\.$/);
  });
});

describe("fromJavaScript", () => {
  it("caps the issues of a value made of characters IAM rejects", () => {
    const read = fromJavaScript({ Version: "2012-10-17", Id: "\u0100".repeat(120_000) });
    expect(read.issues).toHaveLength(MAX_ISSUES + 1);
    expect(read.issues.at(-1)?.message).toBe(`…and ${120_000 - MAX_ISSUES} more problems like these.`);
  });
});

describe("validatePolicyText on hostile input", () => {
  it("answers 120,000 rejected characters with a bounded list of findings", () => {
    const text = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: `arn:aws:s3:::${"\u0100".repeat(120_000)}` }] });
    const result = validatePolicyText(text, "identity");
    expect(result.ok).toBe(false);
    expect(result.findings.length).toBeLessThanOrEqual(MAX_ISSUES + 1);
    expect(result.findings.at(-1)?.message).toContain("more problems like these");
  });

  it("answers thousands of invalid statements with a bounded list of findings", () => {
    const statements = Array.from({ length: 5_000 }, () => ({ Effect: "Maybe", Action: "s3:GetObject", Resource: "*" }));
    const result = validatePolicyText(JSON.stringify({ Version: "2012-10-17", Statement: statements }), "identity");
    expect(result.ok).toBe(false);
    expect(result.findings.length).toBeLessThanOrEqual(MAX_ISSUES + 1);
    expect(result.findings.at(-1)).toMatchObject({ severity: "error", message: expect.stringMatching(/^…and 49\d\d more problems like these\.$/) });
  });

  it("answers thousands of trust statements with a bounded list of findings", () => {
    const statements = Array.from({ length: 3_000 }, (_, i) => ({ Effect: "Allow", Principal: { AWS: `arn:aws:iam::111111111111:role/r${i}` }, Action: "sts:AssumeRole", Resource: "*" }));
    const result = validatePolicyText(JSON.stringify({ Version: "2012-10-17", Statement: statements }), "trust");
    expect(result.ok).toBe(false);
    expect(result.findings.length).toBeLessThanOrEqual(MAX_ISSUES + 1);
  });
});
