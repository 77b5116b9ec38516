// apiRoute's request body: at most MAX_JSON_BODY_BYTES, counted in bytes whatever Content-Length
// claims, and JSON only. Signed in for real (next-auth's JWT encoding, a console_sessions row in a
// real SQLite store); only the framework's request scope (next/headers) is stood in for.
import { beforeAll, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { signInTestUser, signedInTestEnv } from "./testing";

signedInTestEnv("api");
vi.mock("next/headers", async () => (await import("./testing")).nextHeadersStub());

const { NextRequest } = await import("next/server");
const { apiRoute, MAX_JSON_BODY_BYTES } = await import("./api");

/** A route that takes `{ note }` and answers how many characters it got. */
const route = apiRoute({ permission: null, body: z.object({ note: z.string() }) }, async ({ body }) => ({ received: body.note.length }));

/** `{"note":"xxx…"}` of exactly `bytes` bytes. */
function bodyOfBytes(bytes: number): string {
  const wrapper = JSON.stringify({ note: "" }).length;
  return JSON.stringify({ note: "x".repeat(bytes - wrapper) });
}

async function post(body: string, headers: Record<string, string> = {}) {
  const request = new NextRequest("http://localhost:3000/api/v1/test-body", {
    method: "POST",
    body,
    headers: { "content-type": "application/json", "content-length": String(Buffer.byteLength(body)), ...headers },
  });
  const res = await route(request, { params: Promise.resolve({}) });
  return { status: res.status, json: (await res.json()) as { received?: number; error?: { code: string; message: string; requestId?: string } }, headers: res.headers };
}

/** The error body, checked for the decided shape: its request id (when there is one) is the one in
 * the X-Request-Id header. */
function errorOf(answer: Awaited<ReturnType<typeof post>>) {
  const error = answer.json.error!;
  if (error.requestId !== undefined) expect(error.requestId).toBe(answer.headers.get("x-request-id"));
  return { code: error.code, message: error.message };
}

const TOO_LARGE = { code: "payload_too_large", message: "The request body must be at most 1 MB." };

beforeAll(async () => {
  await signInTestUser("ada.admin@example.com", "admin");
});

describe("apiRoute: the request body", () => {
  it("is 1 MB at most", () => {
    expect(MAX_JSON_BODY_BYTES).toBe(1024 * 1024);
  });

  it("accepts a body of exactly the limit, and one just under it", async () => {
    for (const bytes of [MAX_JSON_BODY_BYTES, MAX_JSON_BODY_BYTES - 1]) {
      const body = bodyOfBytes(bytes);
      expect(Buffer.byteLength(body)).toBe(bytes);
      const answer = await post(body);
      expect(answer.status).toBe(200);
      expect(answer.json).toEqual({ received: bytes - JSON.stringify({ note: "" }).length });
    }
  });

  it("refuses one byte over the limit with 413", async () => {
    const answer = await post(bodyOfBytes(MAX_JSON_BODY_BYTES + 1));
    expect(answer.status).toBe(413);
    expect(errorOf(answer)).toEqual(TOO_LARGE);
  });

  it("refuses on Content-Length alone, before reading the body", async () => {
    const answer = await post(bodyOfBytes(100), { "content-length": String(MAX_JSON_BODY_BYTES + 1) });
    expect(answer.status).toBe(413);
    expect(errorOf(answer)).toEqual(TOO_LARGE);
  });

  it("counts the bytes it read when Content-Length lies, or is missing", async () => {
    const large = bodyOfBytes(2 * MAX_JSON_BODY_BYTES);
    const lying = await post(large, { "content-length": "100" });
    expect(lying.status).toBe(413);
    expect(errorOf(lying)).toEqual(TOO_LARGE);
    const request = new NextRequest("http://localhost:3000/api/v1/test-body", { method: "POST", body: large, headers: { "content-type": "application/json" } });
    expect(request.headers.get("content-length")).toBeNull();
    const missing = await route(request, { params: Promise.resolve({}) });
    expect(missing.status).toBe(413);
  });

  it("counts bytes, not characters: under a million characters can be over 1 MB", async () => {
    const body = JSON.stringify({ note: "é".repeat(600_000) });
    expect(body.length).toBeLessThan(MAX_JSON_BODY_BYTES);
    expect(Buffer.byteLength(body)).toBeGreaterThan(MAX_JSON_BODY_BYTES);
    const answer = await post(body, { "content-length": String(body.length) });
    expect(answer.status).toBe(413);
    expect(errorOf(answer)).toEqual(TOO_LARGE);
  });

  it("refuses a body that is not sent as JSON with 400", async () => {
    const answer = await post(JSON.stringify({ note: "hi" }), { "content-type": "text/plain" });
    expect(answer.status).toBe(400);
    expect(errorOf(answer)).toEqual({ code: "bad_request", message: "Send the body as JSON, with Content-Type: application/json." });
  });

  it("refuses a body that is not valid JSON with 400", async () => {
    const answer = await post('{"note": "unterminated');
    expect(answer.status).toBe(400);
    expect(errorOf(answer)).toEqual({ code: "bad_request", message: "The request body is not valid JSON." });
  });

  it("accepts application/json with a charset", async () => {
    const answer = await post(JSON.stringify({ note: "hi" }), { "content-type": "application/json; charset=utf-8" });
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ received: 2 });
  });
});
