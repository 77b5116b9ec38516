// The switch's route answered ahead of Next.js (lib/http/fast-route.ts): over a real node:http
// server and connection, with a real session cookie checked against a real SQLite store. It takes
// only the exact request line and same-site requests; it answers what the same operation answers
// inside Next.js (apiRoute), status and body, with the security headers next.config.js sets.
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import securityHeaders from "./security-headers.json";
import { signInTestUser, signedInTestEnv } from "./testing";

signedInTestEnv("fast-route");
vi.mock("next/headers", async () => (await import("./testing")).nextHeadersStub());

const { NextRequest } = await import("next/server");
const { apiOperation, MAX_JSON_BODY_BYTES } = await import("./api");
const { fastRoutes } = await import("./fast-route");

/** Takes `{ note }` and answers how many characters it got. */
const operation = apiOperation({ permission: null, body: z.object({ note: z.string() }) }, async ({ body, actor }) => ({ received: body.note.length, who: actor.email }));
const PATH = "/api/v1/test-fast";

let server: Server;
let base = "";
let cookie = "";

type Answer = { status: number; headers: IncomingHttpHeaders; text: string; json: { received?: number; who?: string; error?: { code: string; message: string; requestId?: string } } | undefined };

/** Sends one request over a new connection; "not taken" when the fast route left it for Next.js. */
function send(opts: { method?: string; path?: string; body?: string | Buffer; headers?: Record<string, string>; chunked?: boolean }): Promise<Answer> {
  const body = opts.body ?? "";
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      `${base}${opts.path ?? PATH}`,
      {
        method: opts.method ?? "POST",
        agent: false,
        headers: { "content-type": "application/json", cookie, ...(opts.chunked ? {} : { "content-length": String(Buffer.byteLength(body)) }), ...opts.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let json: Answer["json"];
          try {
            json = JSON.parse(text) as Answer["json"];
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

/** The same request, through the operation's Next.js route handler. */
async function sendThroughNext(body: string | Buffer, headers: Record<string, string> = {}) {
  const res = await operation.next(new NextRequest(`http://localhost:3000${PATH}`, { method: "POST", body: typeof body === "string" ? body : new Uint8Array(body), headers: { "content-type": "application/json", ...headers } }), {
    params: Promise.resolve({}),
  });
  return { status: res.status, json: (await res.json()) as Answer["json"] };
}

const note = (bytes: number) => JSON.stringify({ note: "x".repeat(bytes - JSON.stringify({ note: "" }).length) });
const withoutRequestId = (json: Answer["json"]) => (json?.error ? { ...json, error: { ...json.error, requestId: "…" } } : json);

beforeAll(async () => {
  cookie = `theme=dark; next-auth.session-token=${await signInTestUser("fay.fast@example.com", "operator")}`;
  const take = fastRoutes([{ method: "POST", path: PATH, operation }]);
  server = createServer((req, res) => {
    if (take(req, res)) return;
    res.writeHead(404, { "content-type": "text/plain" }).end("not taken");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("what the fast route takes", () => {
  it("answers the exact request line, for the person the session cookie names", async () => {
    const answer = await send({ body: JSON.stringify({ note: "hello" }) });
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ received: 5, who: "fay.fast@example.com" });
  });

  it("leaves every other request line to Next.js: another method, a query string, a trailing slash, another path", async () => {
    for (const [method, path] of [
      ["GET", PATH],
      ["PUT", PATH],
      ["POST", `${PATH}?x=1`],
      ["POST", `${PATH}/`],
      ["POST", "/api/v1/test-fast%2F"],
      ["POST", "//api/v1/test-fast"],
      ["POST", "/API/v1/test-fast"],
    ] as const) {
      const answer = await send({ method, path, body: JSON.stringify({ note: "hello" }) });
      expect([method, path, answer.text]).toEqual([method, path, "not taken"]);
    }
  });

  it("leaves cross-site requests, and origins other than the configured base URL, to Next.js (which refuses or knows its own origin)", async () => {
    for (const headers of [{ "sec-fetch-site": "cross-site" } as Record<string, string>, { "sec-fetch-site": "same-site" }, { origin: "https://evil.example" }, { origin: "null" }, { origin: "http://127.0.0.1:3000" }]) {
      expect((await send({ body: JSON.stringify({ note: "hi" }), headers })).text, JSON.stringify(headers)).toBe("not taken");
    }
    const sameOrigin = await send({ body: JSON.stringify({ note: "hi" }), headers: { origin: "http://localhost:3000", "sec-fetch-site": "same-origin" } });
    expect(sameOrigin.status).toBe(200);
  });
});

describe("the fast route's answer", () => {
  it("carries the security headers of every other answer, no-store, the request id and Server-Timing", async () => {
    const { headers } = await send({ body: JSON.stringify({ note: "hello" }) });
    for (const { key, value } of securityHeaders) expect(headers[key.toLowerCase()], key).toBe(value);
    expect(headers["content-type"]).toBe("application/json");
    expect(headers["cache-control"]).toBe("no-store");
    expect(headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(headers["server-timing"]).toMatch(/^auth;dur=[\d.]+, total;dur=[\d.]+$/);
  });

  it("refuses a request without a live session with 401 in the one error shape", async () => {
    const answer = await send({ body: JSON.stringify({ note: "hello" }), headers: { cookie: "next-auth.session-token=forged" } });
    expect(answer.status).toBe(401);
    expect(answer.json?.error).toMatchObject({ code: "unauthorized", requestId: answer.headers["x-request-id"] });
    const signedOut = await send({ body: JSON.stringify({ note: "hello" }), headers: { cookie: "" } });
    expect(signedOut.status).toBe(401);
  });

  it("reads at most 1 MB: the limit is accepted, one byte over is 413, whatever Content-Length says or without one", async () => {
    expect((await send({ body: note(MAX_JSON_BODY_BYTES) })).status).toBe(200);
    const cases = {
      "one byte over": () => send({ body: note(MAX_JSON_BODY_BYTES + 1) }),
      "Content-Length over, body small": () => send({ body: note(100), headers: { "content-length": String(MAX_JSON_BODY_BYTES + 1) } }),
      "no Content-Length": () => send({ body: note(4 * MAX_JSON_BODY_BYTES), chunked: true }),
    };
    for (const [name, run] of Object.entries(cases)) {
      const answer = await run();
      expect([name, answer.status, answer.json?.error]).toEqual([name, 413, { code: "payload_too_large", message: "The request body must be at most 1 MB.", requestId: answer.headers["x-request-id"] }]);
    }
  });

  it("answers what the same operation answers inside Next.js, body for body", async () => {
    const bodies: Array<string | Buffer> = [
      JSON.stringify({ note: "héllo" }),
      `\uFEFF${JSON.stringify({ note: "with a byte-order mark" })}`,
      Buffer.from([0x7b, 0x22, 0x6e, 0x6f, 0x74, 0x65, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
      '{"note": "unterminated',
      "",
      "   ",
      JSON.stringify({ note: 42 }),
      JSON.stringify({ note: "x", extra: true }),
      JSON.stringify([1, 2]),
      JSON.stringify({ note: "é".repeat(600_000) }),
    ];
    for (const body of bodies) {
      const fast = await send({ body });
      const next = await sendThroughNext(body);
      expect({ status: fast.status, json: withoutRequestId(fast.json) }, String(body).slice(0, 60)).toEqual({ status: next.status, json: withoutRequestId(next.json) });
    }
    const plain = JSON.stringify({ note: "hi" });
    const fast = await send({ body: plain, headers: { "content-type": "text/plain" } });
    const next = await sendThroughNext(plain, { "content-type": "text/plain" });
    expect({ status: fast.status, json: withoutRequestId(fast.json) }).toEqual({ status: next.status, json: withoutRequestId(next.json) });
    expect(fast.status).toBe(400);
  });
});
