// Device sign-in (RFC 8628) against a real SQLite store and the real guard: the codes' format
// and entropy, the store holding neither code, expiry, single use, slow_down, deny, a person who
// may not switch, the rate limits, and the public route kind (no session read, the rest of the
// guard kept). Only next/headers (the framework's request scope) is stood in for.
import { beforeEach, describe, expect, it, vi } from "vitest";
import { signInTestUser, signedInTestEnv } from "@/lib/http/testing";

signedInTestEnv("device", { SWITCHBOARD_TOKEN_MAX_DAYS: "60" });
vi.mock("next/headers", async () => (await import("@/lib/http/testing")).nextHeadersStub());

const { NextRequest } = await import("next/server");
const { publicRoute } = await import("@/lib/http/api");
const { addTestUser } = await import("@/lib/auth/testing");
const { getDb } = await import("@/lib/db/client");
const { AppError } = await import("@/lib/errors");
const { actorFromToken, hashToken } = await import("@/lib/tokens/tokens");
const { closeRateLimiters, DEVICE_GUESSES_PER_IP, DEVICE_GUESSES_PER_PERSON, DEVICE_STARTS_PER_IP } = await import("@/lib/ratelimit/limiters");
const { pollDeviceInput, startDeviceInput, userCodeInput } = await import("./schemas");
const { formatUserCode, normalizeUserCode, USER_CODE_ALPHABET, userCodeFrom } = await import("./codes");
const device = await import("./device");
const { approveDeviceRequest, denyDeviceRequest, findDeviceRequest, hashCode, newDeviceCode, newUserCode, pollDeviceAuthorization, startDeviceAuthorization } = device;

const DESCRIPTION = "switchboard CLI on host laptop (linux)";
let ipCounter = 10;
/** A request of its own address, so that the per-address limits of one test do not reach another. */
const metaOf = (ip = `198.51.100.${ipCounter++}`) => ({ requestId: "test-request", ip, userAgent: "switchboard-cli/0.1.0" });

const start = (meta = metaOf()) => startDeviceAuthorization({ client_id: "switchboard-cli", description: DESCRIPTION }, meta);
const poll = (deviceCode: string, now?: number) => pollDeviceAuthorization({ grant_type: "urn:ietf:params:oauth:grant-type:device_code", device_code: deviceCode, client_id: "switchboard-cli" }, metaOf(), now);
/** The user code as the page passes it on: normalised. */
const codeOf = (userCode: string) => normalizeUserCode(userCode)!;

/** The RFC error a poll was refused with (details.error), or the AppError's code. */
async function refusal(promise: Promise<unknown>): Promise<{ status: number; code: string; error?: unknown; message: string; interval?: unknown }> {
  const err = await promise.then(
    () => {
      throw new Error("expected a refusal");
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  const e = err as InstanceType<typeof AppError>;
  return { status: e.status, code: e.code, error: e.details?.error, message: e.message, interval: e.details?.interval };
}

async function auditOf(action: string) {
  return (await getDb()).selectFrom("audit_events").selectAll().where("action", "=", action).orderBy("id").execute();
}

beforeEach(async () => {
  await closeRateLimiters();
});

describe("the codes", () => {
  it("user codes are 8 of the 20 consonants, XXXX-XXXX, every letter equally likely; device codes carry 256 random bits", () => {
    const counts = new Map<string, number>();
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const code = newUserCode();
      expect(code).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{8}$/);
      seen.add(code);
      for (const c of code) counts.set(c, (counts.get(c) ?? 0) + 1);
    }
    expect(seen.size).toBe(2000);
    // 16,000 letters over 20: 800 each expected (the draw is crypto.randomInt, unbiased); every
    // letter comes up, none far off (a standard deviation is about 28).
    expect([...counts.keys()].sort().join("")).toBe(USER_CODE_ALPHABET);
    for (const n of counts.values()) expect(n).toBeGreaterThan(600);
    expect(formatUserCode("BCDFGHJK")).toBe("BCDF-GHJK");
    expect(userCodeFrom([0, 1, 2, 3, 16, 17, 18, 19])).toBe("BCDFVWXZ");
    expect(() => userCodeFrom([20, 0, 0, 0, 0, 0, 0, 0])).toThrow(RangeError);

    const deviceCodes = new Set(Array.from({ length: 200 }, () => newDeviceCode()));
    expect(deviceCodes.size).toBe(200);
    for (const code of deviceCodes) expect(Buffer.from(code, "base64url")).toHaveLength(32);
  });

  it("a typed code is read in any case, with or without the dash and spaces; anything else is refused in words", () => {
    for (const typed of ["BCDF-GHJK", "bcdf-ghjk", "bcdfghjk", " BCDF GHJK ", "Bcdf–Ghjk"]) expect(normalizeUserCode(typed)).toBe("BCDFGHJK");
    for (const typed of ["BCDF-GHJ", "BCDF-GHJKL", "ABCD-EFGH", "BCDF-GHJ1", ""]) expect(normalizeUserCode(typed)).toBeNull();
    expect(userCodeInput.parse({ code: "bcdf ghjk" })).toEqual({ code: "BCDFGHJK" });
    expect(userCodeInput.safeParse({ code: "AEIO-UUUU" }).error?.issues[0]?.message).toMatch(/not a sign-in code: codes are 8 letters/);
    expect(userCodeInput.safeParse({ code: "x".repeat(33) }).success).toBe(false);
    expect(startDeviceInput.safeParse({ client_id: "other", description: "x" }).success).toBe(false);
    expect(startDeviceInput.safeParse({ client_id: "switchboard-cli", description: "bad\u0007bell" }).success).toBe(false);
    expect(startDeviceInput.safeParse({ client_id: "switchboard-cli", description: "x".repeat(65) }).success).toBe(false);
    expect(pollDeviceInput.safeParse({ grant_type: "authorization_code", device_code: "x", client_id: "switchboard-cli" }).success).toBe(false);
  });
});

describe("a sign-in", () => {
  it("starts with the RFC's answer; the store holds neither code, only their SHA-256", async () => {
    const started = await start();
    expect(started).toMatchObject({ verification_uri: "http://localhost:3000/device", expires_in: 600, interval: 5 });
    expect(started.user_code).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/);
    expect(started.verification_uri_complete).toBe(`http://localhost:3000/device?code=${started.user_code}`);
    const db = await getDb();
    const row = await db.selectFrom("device_authorizations").selectAll().where("device_code_hash", "=", hashCode(started.device_code)).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: "pending", scope: "switch", description: DESCRIPTION, user_code_hash: hashCode(codeOf(started.user_code)), interval_seconds: 5, requester_user_agent: "switchboard-cli/0.1.0" });
    expect(Date.parse(row.expires_at) - Date.parse(row.created_at)).toBe(600_000);
    const everything = JSON.stringify(await db.selectFrom("device_authorizations").selectAll().execute());
    expect(everything).not.toContain(started.device_code);
    expect(everything).not.toContain(codeOf(started.user_code));
    expect(everything).not.toContain(started.user_code);
  });

  it("polls authorization_pending until approved, then gives ONE switch token of the approver, named after the device; a second poll never gets it", async () => {
    const operator = await addTestUser("approve.op@example.com", "operator");
    const started = await start();
    const t0 = Date.now();
    expect(await refusal(poll(started.device_code, t0))).toMatchObject({ status: 400, code: "bad_request", error: "authorization_pending" });

    const shown = await findDeviceRequest(operator, codeOf(started.user_code), metaOf());
    expect(shown).toMatchObject({ code: started.user_code, description: DESCRIPTION, scope: "switch", tokenDays: 30 });
    expect(shown.ip).toMatch(/^198\.51\.100\./);
    expect(JSON.stringify(shown)).not.toContain(started.device_code);
    await approveDeviceRequest(operator, codeOf(started.user_code), metaOf());

    const answer = await poll(started.device_code, t0 + 5_000);
    expect(answer).toMatchObject({ token_type: "Bearer", scope: "switch", expires_in: 30 * 86_400 });
    const found = await actorFromToken(answer.access_token, metaOf());
    expect("actor" in found && found.actor).toMatchObject({ id: operator.id, email: operator.email, token: { name: DESCRIPTION, scope: "switch" } });

    const db = await getDb();
    const token = await db.selectFrom("personal_tokens").selectAll().where("token_hash", "=", hashToken(answer.access_token)).executeTakeFirstOrThrow();
    expect(token).toMatchObject({ user_id: operator.id, scope: "switch", created_via: "device", name: DESCRIPTION });
    const row = await db.selectFrom("device_authorizations").selectAll().where("device_code_hash", "=", hashCode(started.device_code)).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: "consumed", decided_by: operator.id, token_id: token.id });
    // The token creation is audited as every token's, saying it came from a device sign-in.
    const created = (await auditOf("token.create")).find((e) => e.target_id === token.id)!;
    expect(created).toMatchObject({ actor_id: operator.id, outcome: "success" });
    expect(JSON.parse(created.details)).toMatchObject({ via: "device", scope: "switch", days: 30 });
    expect((await auditOf("device.approve")).find((e) => e.target_id === row.id)).toMatchObject({ actor_id: operator.id, outcome: "success", target_label: DESCRIPTION });
    // Neither code nor the token is anywhere in the store.
    const everything = JSON.stringify([await db.selectFrom("device_authorizations").selectAll().execute(), await db.selectFrom("audit_events").selectAll().execute(), await db.selectFrom("personal_tokens").selectAll().execute()]);
    for (const secret of [answer.access_token, started.device_code, codeOf(started.user_code)]) expect(everything).not.toContain(secret);

    // Single use: the next poll is told it is used; the code cannot be approved again.
    expect(await refusal(poll(started.device_code, t0 + 20_000))).toMatchObject({ status: 400, error: "invalid_grant" });
    expect(await refusal(approveDeviceRequest(operator, codeOf(started.user_code), metaOf()))).toMatchObject({ status: 409, message: expect.stringContaining("already approved and cannot be used again") });
    expect(await db.selectFrom("personal_tokens").select("id").where("user_id", "=", operator.id).execute()).toHaveLength(1);
  });

  it("two polls at once after the approval: one token, the other poll is refused", async () => {
    const operator = await addTestUser("race.op@example.com", "operator");
    const started = await start();
    await approveDeviceRequest(operator, codeOf(started.user_code), metaOf());
    const results = await Promise.allSettled([poll(started.device_code), poll(started.device_code)]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await (await getDb()).selectFrom("personal_tokens").select("id").where("user_id", "=", operator.id).execute()).toHaveLength(1);
  });

  it("answers slow_down to a poll within the interval, and the interval grows by 5 s for every later poll", async () => {
    const started = await start();
    const t0 = Date.now();
    expect((await refusal(poll(started.device_code, t0))).error).toBe("authorization_pending");
    expect(await refusal(poll(started.device_code, t0 + 2_000))).toMatchObject({ error: "slow_down", interval: 10 });
    // 6 s later is within the new 10 s.
    expect(await refusal(poll(started.device_code, t0 + 8_000))).toMatchObject({ error: "slow_down", interval: 15 });
    expect((await refusal(poll(started.device_code, t0 + 8_000 + 15_000))).error).toBe("authorization_pending");
  });

  it("expires after 10 minutes: the poll says expired_token and the code cannot be approved", async () => {
    const operator = await addTestUser("expiry.op@example.com", "operator");
    const started = await start();
    expect((await refusal(poll(started.device_code, Date.now() + 600_000))).error).toBe("expired_token");
    await (await getDb())
      .updateTable("device_authorizations")
      .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
      .where("device_code_hash", "=", hashCode(started.device_code))
      .execute();
    const refused = await refusal(approveDeviceRequest(operator, codeOf(started.user_code), metaOf()));
    expect(refused).toMatchObject({ status: 400, message: expect.stringMatching(/has expired: codes work for 10 minutes/) });
    expect((await refusal(poll(started.device_code))).error).toBe("expired_token");
    expect((await auditOf("device.approve")).at(-1)).toMatchObject({ actor_id: operator.id, outcome: "failure", reason: expect.stringContaining("has expired") });
  });

  it("denied: the poll says access_denied, no token is made, and the code cannot be approved afterwards", async () => {
    const operator = await addTestUser("deny.op@example.com", "operator");
    const started = await start();
    await denyDeviceRequest(operator, codeOf(started.user_code), metaOf());
    expect(await refusal(poll(started.device_code))).toMatchObject({ status: 400, error: "access_denied" });
    expect(await refusal(approveDeviceRequest(operator, codeOf(started.user_code), metaOf()))).toMatchObject({ status: 409, message: expect.stringContaining("was denied") });
    expect(await (await getDb()).selectFrom("personal_tokens").select("id").where("user_id", "=", operator.id).execute()).toEqual([]);
    expect((await auditOf("device.deny")).find((e) => e.actor_id === operator.id && e.outcome === "success")).toBeTruthy();
  });

  it("a person who may not switch (an auditor) cannot look up, approve or deny: refused and audited", async () => {
    const auditor = await addTestUser("device.auditor@example.com", "auditor");
    const started = await start();
    for (const call of [findDeviceRequest, approveDeviceRequest, denyDeviceRequest]) {
      expect(await refusal(call(auditor, codeOf(started.user_code), metaOf()))).toMatchObject({ status: 403, code: "forbidden", message: expect.stringContaining("cannot switch roles") });
    }
    const denials = (await auditOf("access.denied")).filter((e) => e.actor_id === auditor.id);
    expect(denials.map((e) => JSON.parse(e.details).operation)).toEqual(["device lookup", "device approve", "device deny"]);
    expect((await refusal(poll(started.device_code))).error).toBe("authorization_pending");
  });

  it("an approver disabled before the poll gets no token: access_denied", async () => {
    const operator = await addTestUser("disabled.op@example.com", "operator");
    const started = await start();
    await approveDeviceRequest(operator, codeOf(started.user_code), metaOf());
    await (await getDb()).updateTable("users").set({ disabled_at: new Date().toISOString() }).where("id", "=", operator.id).execute();
    expect((await refusal(poll(started.device_code))).error).toBe("access_denied");
    expect(await (await getDb()).selectFrom("personal_tokens").select("id").where("user_id", "=", operator.id).execute()).toEqual([]);
  });

  it("a code that finds no request is told plainly, and audited", async () => {
    const operator = await addTestUser("unknown.op@example.com", "operator");
    const refused = await refusal(findDeviceRequest(operator, "ZZZZZZZZ", metaOf()));
    expect(refused).toMatchObject({ status: 404, message: expect.stringContaining("No command-line sign-in has the code ZZZZ-ZZZZ") });
    expect((await auditOf("device.approve")).at(-1)).toMatchObject({ actor_id: operator.id, outcome: "failure", reason: expect.stringContaining("ZZZZ-ZZZZ") });
  });
});

describe("the rate limits", () => {
  it(`a person who types ${DEVICE_GUESSES_PER_PERSON.points} wrong codes is refused the next, even the right one; right codes cost nothing`, async () => {
    const guesser = await addTestUser("guesser.op@example.com", "operator");
    const started = await start();
    const meta = metaOf();
    // Right codes give their point back: many lookups of a real code never add up.
    for (let i = 0; i < DEVICE_GUESSES_PER_PERSON.points + 5; i++) await findDeviceRequest(guesser, codeOf(started.user_code), meta);
    for (let i = 0; i < DEVICE_GUESSES_PER_PERSON.points; i++) expect((await refusal(findDeviceRequest(guesser, "ZZZZZZZZ", meta))).status).toBe(404);
    const limited = await refusal(approveDeviceRequest(guesser, codeOf(started.user_code), meta));
    expect(limited).toMatchObject({ status: 429, code: "rate_limited", message: expect.stringMatching(/^You have typed more than 10 sign-in codes that match no request/) });
    const audited = (await auditOf("access.denied")).filter((e) => e.actor_id === guesser.id);
    expect(JSON.parse(audited.at(-1)!.details)).toMatchObject({ limit: "device-code-person", operation: "device approve" });
    // Another person at another address is not affected, and the request still waits.
    const other = await addTestUser("other.op@example.com", "operator");
    await approveDeviceRequest(other, codeOf(started.user_code), metaOf());
  });

  it(`an address from which ${DEVICE_GUESSES_PER_IP.points} wrong codes came is refused the next, whoever types it`, async () => {
    const meta = metaOf();
    const people = await Promise.all([0, 1, 2, 3].map((i) => addTestUser(`nat${i}.op@example.com`, "operator")));
    let wrong = 0;
    for (const person of people.slice(0, 3)) {
      for (let i = 0; i < DEVICE_GUESSES_PER_PERSON.points && wrong < DEVICE_GUESSES_PER_IP.points; i++, wrong++) await refusal(findDeviceRequest(person, "ZZZZZZZZ", meta));
    }
    expect(wrong).toBe(DEVICE_GUESSES_PER_IP.points);
    const limited = await refusal(findDeviceRequest(people[3]!, "ZZZZZZZZ", meta));
    expect(limited).toMatchObject({ status: 429, message: expect.stringMatching(/^Your network address has typed more than 30/) });
    // From elsewhere, the same person is fine.
    expect((await refusal(findDeviceRequest(people[3]!, "ZZZZZZZZ", metaOf()))).status).toBe(404);
  });

  it(`starting: ${DEVICE_STARTS_PER_IP.points} sign-ins per address in 10 minutes, then 429 with Retry-After`, async () => {
    const meta = metaOf();
    for (let i = 0; i < DEVICE_STARTS_PER_IP.points; i++) await start(meta);
    const limited = await refusal(start(meta));
    expect(limited).toMatchObject({ status: 429, code: "rate_limited", message: expect.stringContaining("Too many command-line sign-ins from your network address") });
    await start(metaOf());
  });
});

describe("the public route kind (publicRoute)", () => {
  const route = publicRoute({ body: pollDeviceInput }, async ({ body, meta }) => pollDeviceAuthorization(body, meta));
  const startRoute = publicRoute({ body: startDeviceInput }, async ({ body, meta }) => startDeviceAuthorization(body, meta));
  const call = async (handler: typeof route, body: unknown, headers: Record<string, string> = {}) => {
    const request = new NextRequest("http://localhost:3000/api/v1/device/token", { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json", ...headers } });
    const res = await handler(request, { params: Promise.resolve({}) });
    return { status: res.status, headers: res.headers, json: (await res.json()) as { error?: { code: string; message: string; requestId: string; details?: { error?: string } } } & Record<string, unknown> };
  };

  it("answers without a session or token, in the one error body with the RFC's code, no-store, with a request id", async () => {
    const started = await call(startRoute, { client_id: "switchboard-cli", description: DESCRIPTION });
    expect(started.status).toBe(200);
    expect(started.headers.get("cache-control")).toBe("no-store");
    const pending = await call(route, { grant_type: "urn:ietf:params:oauth:grant-type:device_code", device_code: started.json.device_code, client_id: "switchboard-cli" });
    expect(pending.status).toBe(400);
    expect(pending.json.error).toMatchObject({ code: "bad_request", details: { error: "authorization_pending" } });
    expect(pending.json.error?.requestId).toBe(pending.headers.get("x-request-id"));
    expect(pending.headers.get("cache-control")).toBe("no-store");
  });

  it("reads neither the session cookie nor the Authorization header, refuses cross-site posts, and parses the body", async () => {
    await signInTestUser("cookie.admin@example.com", "admin");
    // A malformed Authorization header would be 401 on any other route; here it is not read.
    const ignored = await call(route, { grant_type: "urn:ietf:params:oauth:grant-type:device_code", device_code: "unknown", client_id: "switchboard-cli" }, { authorization: "Basic abc" });
    expect(ignored.status).toBe(400);
    expect(ignored.json.error?.details?.error).toBe("invalid_grant");
    const crossSite = await call(startRoute, { client_id: "switchboard-cli", description: DESCRIPTION }, { origin: "https://evil.example", "sec-fetch-site": "cross-site" });
    expect(crossSite.status).toBe(403);
    expect(crossSite.json.error?.code).toBe("forbidden");
    const bad = await call(startRoute, { client_id: "switchboard-cli", description: "", extra: 1 });
    expect(bad.status).toBe(400);
    expect(bad.json.error?.code).toBe("bad_request");
  });
});
