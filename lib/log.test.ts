// The logger: LOG_LEVEL filters, request ids are on every line of a request, and no secret
// reaches a line — a canary value in every secret-bearing field, at every depth, inside errors
// and their causes, is found nowhere in the output.
import { afterEach, describe, expect, it, vi } from "vitest";
import { parseConfig } from "@/lib/config/schema";
import { createLogger, REDACT_DEPTH, REDACTED, requestLogger, scrubText, SECRET_FIELDS, serializeError } from "./log";

const CANARY = "CANARY-7f3a9c2e-do-not-log";

/** A logger writing into an array of parsed lines. */
function capture(env: Record<string, string> = {}) {
  const raw: string[] = [];
  const log = createLogger(parseConfig(env), { write: (line: string) => void raw.push(line) });
  return { log, raw, lines: () => raw.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

/** `{ a: { a: … { field: value } } }`, `depth` objects deep. */
function nested(depth: number, field: string, value: unknown): Record<string, unknown> {
  let obj: Record<string, unknown> = { [field]: value };
  for (let i = 0; i < depth; i++) obj = { [`level${i}`]: obj };
  return obj;
}

describe("redaction", () => {
  it.each(SECRET_FIELDS.flatMap((field) => Array.from({ length: REDACT_DEPTH + 1 }, (_, depth) => [field, depth] as const)))(
    "%s at depth %i is redacted",
    (field, depth) => {
      const { log, raw } = capture();
      log.info(nested(depth, field, CANARY), "a line");
      const text = raw.join("");
      expect(text).not.toContain(CANARY);
      expect(text).toContain(REDACTED);
    },
  );

  it("redacts inside arrays, whole credential objects and header sets", () => {
    const { log, raw } = capture();
    log.warn(
      {
        sessions: [{ credentials: { accessKeyId: "ASIAEXAMPLE", secretAccessKey: CANARY, sessionToken: CANARY } }],
        request: { headers: { cookie: `next-auth.session-token=${CANARY}`, authorization: `Bearer ${CANARY}` } },
        response: { headers: { "set-cookie": [`__Secure-next-auth.session-token=${CANARY}`] } },
        federation: { SigninToken: CANARY, consoleUrl: `https://signin.aws.amazon.com/federation?Action=login&SigninToken=${CANARY}` },
        user: { email: "someone@example.com", passwordHash: CANARY },
        oidc: { clientSecret: CANARY, idToken: CANARY },
      },
      "many secrets",
    );
    const text = raw.join("");
    expect(text).not.toContain(CANARY);
    expect(text).toContain("someone@example.com");
  });

  it("writes an error through an allowlist: no SDK response, no credentials hung on it or on its causes", () => {
    const { log, raw, lines } = capture();
    const awsError = Object.assign(new Error("Rate exceeded"), {
      name: "ThrottlingException",
      $metadata: { httpStatusCode: 400, requestId: "aws-request-1" },
      $response: { statusCode: 400, headers: { "set-cookie": CANARY }, body: `<Credentials><SecretAccessKey>${CANARY}</SecretAccessKey></Credentials>` },
      Credentials: { SecretAccessKey: CANARY },
    });
    const cause = Object.assign(new Error("inner"), { secretAccessKey: CANARY, $response: { body: CANARY } });
    const outer = Object.assign(new Error("switch failed", { cause: new Error("middle", { cause }) }), { password: CANARY, details: { token: CANARY } });
    log.error({ err: awsError, operation: "sessions.start" }, "AWS refused");
    log.error({ error: outer }, "nested causes");
    log.error(new AggregateError([cause], "several"));
    log.error({ err: "a thrown string" }, "not an Error");
    expect(raw.join("")).not.toContain(CANARY);
    expect(lines()[3]).toMatchObject({ err: { type: "string", message: "a thrown string" } });

    const [aws, chain] = lines();
    expect(aws).toMatchObject({ level: "error", operation: "sessions.start", msg: "AWS refused", err: { type: "ThrottlingException", message: "Rate exceeded", status: 400, awsRequestId: "aws-request-1" } });
    expect(Object.keys(aws!.err as object).sort()).toEqual(["awsRequestId", "message", "status", "type"]);
    expect(chain).toMatchObject({ error: { message: "switch failed", cause: { message: "middle", cause: { message: "inner" } } } });
  });

  it("scrubs a sign-in token, a federation session or a connection password quoted in an error message", () => {
    const { log, raw } = capture();
    log.error({ err: new Error(`GET https://signin.aws.amazon.com/federation?Action=getSigninToken&Session=${encodeURIComponent(JSON.stringify({ sessionKey: CANARY }))} failed`) }, "federation");
    log.error({ err: new TypeError(`fetch https://signin.aws.amazon.com/federation?Action=login&SigninToken=${CANARY}&Destination=x`) }, "federation");
    log.error({ err: new Error(`connect postgres://switchboard:${CANARY}@db:5432/switchboard refused`) }, "store");
    expect(raw.join("")).not.toContain(CANARY);
    expect(scrubText(`a?SigninToken=${CANARY}&Destination=x`)).toBe(`a?SigninToken=${REDACTED}&Destination=x`);
  });

  it("keeps an error's code (AppError, Node, Postgres) and follows no cause cycle forever", () => {
    const loop: Error & { cause?: unknown } = Object.assign(new Error("loop"), { code: "ECONNREFUSED" });
    loop.cause = loop;
    const serialized = serializeError(loop);
    expect(serialized.code).toBe("ECONNREFUSED");
    expect(JSON.stringify(serialized).length).toBeLessThan(20_000);
  });
});

describe("LOG_LEVEL", () => {
  it("hides debug lines at info (the default) and shows them at debug", () => {
    const atInfo = capture();
    atInfo.log.debug({ detail: 1 }, "debug line");
    atInfo.log.info("info line");
    expect(atInfo.lines().map((l) => l.msg)).toEqual(["info line"]);

    const atDebug = capture({ LOG_LEVEL: "debug" });
    atDebug.log.debug({ detail: 1 }, "debug line");
    expect(atDebug.lines()).toMatchObject([{ level: "debug", msg: "debug line", detail: 1 }]);
  });

  it("at error, writes errors only", () => {
    const { log, lines } = capture({ LOG_LEVEL: "error" });
    log.warn("a warning");
    log.error("an error");
    expect(lines().map((l) => l.level)).toEqual(["error"]);
  });

  describe("the console's own logger", () => {
    afterEach(() => {
      vi.unstubAllEnvs();
      vi.resetModules();
    });

    it("reads LOG_LEVEL from the validated configuration", async () => {
      vi.resetModules();
      vi.stubEnv("LOG_LEVEL", "debug");
      const { logger } = await import("./log");
      expect(logger.isLevelEnabled("debug")).toBe(true);
    });

    it("is at info when LOG_LEVEL is unset", async () => {
      vi.resetModules();
      vi.stubEnv("LOG_LEVEL", "");
      const { logger } = await import("./log");
      expect(logger.isLevelEnabled("debug")).toBe(false);
      expect(logger.isLevelEnabled("info")).toBe(true);
    });
  });
});

describe("request lines", () => {
  it("carry the request id on every line of a child logger", () => {
    const { log, lines } = capture();
    const child = log.child({ requestId: "req-1" });
    child.info("one");
    child.error({ err: new Error("two") }, "two");
    expect(lines()).toMatchObject([
      { requestId: "req-1", msg: "one" },
      { requestId: "req-1", msg: "two", err: { message: "two" } },
    ]);
  });

  it("requestLogger binds the id of the request's meta", () => {
    expect(requestLogger({ requestId: "req-2" }).bindings()).toEqual({ requestId: "req-2" });
  });
});
