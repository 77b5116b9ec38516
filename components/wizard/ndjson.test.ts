import { describe, expect, it } from "vitest";
import { LineSplitter, parseApplyEvent } from "./ndjson";

describe("LineSplitter", () => {
  it("joins lines split across chunks and keeps the unfinished tail", () => {
    const s = new LineSplitter();
    expect(s.push('{"a":')).toEqual([]);
    expect(s.push('1}\n{"b":2}\n{"c"')).toEqual(['{"a":1}', '{"b":2}']);
    expect(s.push(":3}\r\n\n")).toEqual(['{"c":3}']);
    expect(s.end()).toEqual([]);
  });

  it("returns a last line that has no newline when the stream ends", () => {
    const s = new LineSplitter();
    expect(s.push('{"type":"result","ok":true}')).toEqual([]);
    expect(s.end()).toEqual(['{"type":"result","ok":true}']);
  });
});

describe("parseApplyEvent", () => {
  const steps = [
    { id: "role", label: "Create role R", status: "done" },
    { id: "policy", label: "Put inline policy P", status: "failed", error: "MalformedPolicyDocument" },
  ];

  it("reads steps", () => {
    expect(parseApplyEvent(JSON.stringify({ type: "steps", steps }))).toEqual({ type: "steps", steps });
  });

  it("reads a successful result with the new role", () => {
    const role = { id: "01J0000000000000000000000A", roleArn: "arn:aws:iam::111111111111:role/R", displayName: "R" };
    expect(parseApplyEvent(JSON.stringify({ type: "result", ok: true, role }))).toEqual({ type: "result", ok: true, role });
  });

  it("reads a failed result, and the final steps when the server sends them", () => {
    const error = { code: "aws_denied", message: "Denied", requestId: "req-1" };
    expect(parseApplyEvent(JSON.stringify({ type: "result", ok: false, error, steps }))).toEqual({ type: "result", ok: false, error, steps });
  });

  it("keeps a failed result whose error is not the error shape, without the error", () => {
    expect(parseApplyEvent(JSON.stringify({ type: "result", ok: false, error: "Denied" }))).toEqual({ type: "result", ok: false });
  });

  it.each([
    ["not JSON", "{"],
    ["an unknown type", JSON.stringify({ type: "hello" })],
    ["steps with an unknown status", JSON.stringify({ type: "steps", steps: [{ id: "a", label: "b", status: "exploded" }] })],
    ["steps that are not a list", JSON.stringify({ type: "steps", steps: {} })],
    ["a result without ok", JSON.stringify({ type: "result" })],
    ["an array", "[]"],
  ])("ignores %s", (_, line) => {
    expect(parseApplyEvent(line)).toBeNull();
  });

  it("ignores a malformed role rather than linking to nowhere", () => {
    expect(parseApplyEvent(JSON.stringify({ type: "result", ok: true, role: { id: 1 } }))).toEqual({ type: "result", ok: true });
  });
});
