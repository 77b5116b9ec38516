// The proxy's checks that answer before any handler runs: a server action's declared body size,
// and a path that cannot be percent-decoded. Both answer in the one error body (lib/errors.ts).
import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { proxy } from "./proxy";

const MB = 1024 * 1024;

function action(contentLength: number | null, path = "/roles") {
  return new NextRequest(`http://localhost:3000${path}`, {
    method: "POST",
    headers: { "next-action": "0123abcd", cookie: "next-auth.session-token=x", ...(contentLength === null ? {} : { "content-length": String(contentLength) }) },
  });
}

async function errorOf(res: Response) {
  const { error } = (await res.json()) as { error: { code: string; message: string; requestId?: string } };
  // The request never reached a handler: the proxy gives it its own id, in the body and the header.
  expect(error.requestId).toBe(res.headers.get("x-request-id"));
  expect(error.requestId).toMatch(/^[0-9a-f-]{36}$/);
  return { code: error.code, message: error.message };
}

describe("proxy: the server-action body limit", () => {
  it("refuses a server action declaring more than 1 MB with 413, uncached", async () => {
    const res = proxy(action(MB + 1));
    expect(res.status).toBe(413);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(await errorOf(res)).toEqual({ code: "payload_too_large", message: "The request body must be at most 1 MB." });
  });

  it.each([MB, MB - 1, 0])("passes a server action declaring %i bytes on", (length) => {
    const res = proxy(action(length));
    expect(res.status).toBe(200);
    expect(res.headers.get("x-middleware-next")).toBe("1");
  });

  it("passes a server action without Content-Length on (Next.js's own bodySizeLimit applies)", () => {
    expect(proxy(action(null)).headers.get("x-middleware-next")).toBe("1");
  });

  it("leaves a large body that is not a server action to its route", () => {
    const upload = new NextRequest("http://localhost:3000/roles", { method: "POST", headers: { cookie: "next-auth.session-token=x", "content-length": String(2 * MB) } });
    expect(proxy(upload).headers.get("x-middleware-next")).toBe("1");
  });
});

describe("proxy: undecodable paths", () => {
  it.each(["/roles/%ZZ", "/api/v1/roles/%", "/%E0%A4%A"])("answers %s with 400", async (path) => {
    const res = proxy(new NextRequest(`http://localhost:3000${path}`));
    expect(res.status).toBe(400);
    expect(await errorOf(res)).toEqual({ code: "bad_request", message: "This address is not valid: part of its path is not correctly percent-encoded." });
  });
});
