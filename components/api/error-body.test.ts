import { describe, expect, it } from "vitest";
import { errorOfAnswer, errorText, readErrorBody, statusMessage } from "./error-body";

describe("readErrorBody", () => {
  it("keeps every part of the shape", () => {
    const body = { code: "bad_request", message: "Fix it.", requestId: "req-1", fields: { name: "Too long" }, details: { findings: [] }, retryAfter: 3 };
    expect(readErrorBody(body)).toEqual(body);
  });

  it("drops what is not part of the shape, and fields that are not text", () => {
    expect(readErrorBody({ code: "conflict", message: "Taken.", fields: { a: 1, b: "ok" }, details: "x", retryAfter: -1, extra: true })).toEqual({ code: "conflict", message: "Taken.", fields: { b: "ok" } });
  });

  it.each([
    ["a string", "Denied"],
    ["null", null],
    ["an unknown code", { code: "exploded", message: "x" }],
    ["an inherited key as code", { code: "toString", message: "x" }],
    ["an empty message", { code: "internal", message: "" }],
    ["no message", { code: "internal" }],
  ])("refuses %s", (_, value) => {
    expect(readErrorBody(value)).toBeNull();
  });
});

describe("errorOfAnswer", () => {
  it("reads an API route's { error } and reads details where they are nested", () => {
    const explanation = { kind: "trust", summary: "The trust policy does not name the console." };
    expect(errorOfAnswer({ error: { code: "aws_denied", message: "Denied.", details: { explanation } } }, 403, "req-9")).toEqual({
      code: "aws_denied",
      message: "Denied.",
      details: { explanation },
      requestId: "req-9",
    });
  });

  it("prefers the body's request id to the header's", () => {
    expect(errorOfAnswer({ error: { code: "internal", message: "Oops.", requestId: "body" } }, 500, "header").requestId).toBe("body");
  });

  it("explains the status when the answer is not the console's JSON", () => {
    expect(errorOfAnswer(undefined, 502, "req-2")).toEqual({ code: "http_error", message: statusMessage(502), requestId: "req-2" });
    expect(errorOfAnswer({ error: "text" }, 404)).toEqual({ code: "http_error", message: "Not found." });
  });

  it("lets the page word a status in its own terms", () => {
    expect(errorOfAnswer(undefined, 401, null, (s) => (s === 401 ? "Sign in again; your draft is kept." : undefined)).message).toBe("Sign in again; your draft is kept.");
    expect(errorOfAnswer(undefined, 429, null, (s) => (s === 401 ? "x" : undefined)).message).toBe(statusMessage(429));
  });
});

describe("errorText", () => {
  it("adds the request id to a generic failure", () => {
    expect(errorText({ code: "http_error", message: "The console could not answer (HTTP 502).", requestId: "r1" })).toBe("The console could not answer (HTTP 502). Request id: r1.");
  });

  it("does not repeat a request id the message already names", () => {
    expect(errorText({ code: "internal", message: "Something went wrong on our side. Request id: r1.", requestId: "r1" })).toBe("Something went wrong on our side. Request id: r1.");
  });

  it("leaves a message that says what to do as it is", () => {
    expect(errorText({ code: "forbidden", message: "Only administrators can do this.", requestId: "r1" })).toBe("Only administrators can do this.");
    expect(errorText({ code: "internal", message: "Oops." })).toBe("Oops.");
  });
});
