import { createUser, expect, signInAsAdmin, test } from "./fixtures";
import { uniqueEmail } from "./support/accounts";

test.describe("HTTP API: errors that say what to fix", () => {
  test("[API]: 400 names each invalid field", async ({ request }) => {
    await signInAsAdmin(request);
    const res = await request.post("/api/v1/users", { data: { email: "not-an-email", name: "", password: "short", role: "root" } });
    expect(res.status()).toBe(400);
    const body = (await res.json()) as { error: { code: string; message: string; fields: Record<string, string> } };
    expect(body.error.code).toBe("bad_request");
    expect(body.error.fields).toEqual({
      email: "Enter a valid email address, like alice@example.com",
      name: "Enter a name",
      password: "A password needs at least 12 characters",
      role: "Choose a console role: admin, operator, auditor",
    });
    expect(body.error.message).toContain("email: Enter a valid email address");
  });

  test("[API]: 400 for a body that is not JSON, and for unknown fields", async ({ request }) => {
    await signInAsAdmin(request);
    const notJson = await request.post("/api/v1/users", { headers: { "content-type": "application/json" }, data: Buffer.from("{nope") });
    expect(notJson.status()).toBe(400);
    expect(((await notJson.json()) as { error: { message: string } }).error.message).toBe("The request body is not valid JSON.");
    const array = await request.post("/api/v1/users", { data: [1, 2] });
    expect(((await array.json()) as { error: { message: string } }).error.message).toBe("The request body must be a JSON object.");
    const extra = await request.post("/api/v1/users", { data: { email: uniqueEmail("e"), name: "E", password: "long-enough-pw", role: "operator", isAdmin: true } });
    expect(extra.status()).toBe(400);
  });

  test("[API]: 409 for an email that is taken, 404 for an unknown user", async ({ request }) => {
    await signInAsAdmin(request);
    const email = uniqueEmail("dup");
    await createUser(request, { email, name: "Dup", password: "long-enough-pw", role: "operator" });
    const again = await request.post("/api/v1/users", { data: { email: email.toUpperCase(), name: "Dup", password: "long-enough-pw", role: "operator" } });
    expect(again.status()).toBe(409);
    expect(await again.json()).toEqual({ error: { code: "conflict", message: `A user with the email ${email} already exists.`, requestId: expect.any(String) } });
    const missing = await request.patch("/api/v1/users/01JAAAAAAAAAAAAAAAAAAAAAAA", { data: { name: "x" } });
    expect(missing.status()).toBe(404);
    const badId = await request.patch("/api/v1/users/not-an-id", { data: { name: "x" } });
    expect(badId.status()).toBe(400);
    expect(((await badId.json()) as { error: { message: string } }).error.message).toBe("Invalid path: id: Not a user id");
  });

  test("[API]: refuses a cross-site write even with a valid session", async ({ request, baseURL }) => {
    await signInAsAdmin(request);
    const res = await request.post("/api/v1/users", {
      headers: { origin: "https://evil.example", "sec-fetch-site": "cross-site" },
      data: { email: uniqueEmail("csrf"), name: "C", password: "long-enough-pw", role: "admin" },
    });
    expect(res.status()).toBe(403);
    const same = await request.post("/api/v1/users", { headers: { origin: baseURL! }, data: { email: uniqueEmail("same"), name: "S", password: "long-enough-pw", role: "operator" } });
    expect(same.status()).toBe(201);
  });
});

test.describe("HTTP API: who is asking", () => {
  test("[API]: the audit log records the connection's address and the server's own request id, whatever the request claims", async ({ request }) => {
    const operatorEmail = uniqueEmail("spoof");
    await signInAsAdmin(request);
    await createUser(request, { email: operatorEmail, name: "Spoof", password: "long-enough-pw", role: "operator" });
    const attempt = await request.post("/api/auth/callback/credentials", {
      form: { csrfToken: ((await (await request.get("/api/auth/csrf")).json()) as { csrfToken: string }).csrfToken, email: operatorEmail, password: "wrong-password!", json: "true" },
      headers: { "X-Forwarded-For": "203.0.113.99", "X-Request-Id": "forged-request-id-0001" },
      maxRedirects: 0,
    });
    expect([200, 302, 401]).toContain(attempt.status());
    const events = (await (await request.get(`/api/v1/audit-events?${new URLSearchParams({ actor: operatorEmail, action: "auth.sign_in" })}`)).json()) as {
      events: Array<{ ip: string | null; requestId: string | null }>;
    };
    expect(events.events.length).toBeGreaterThan(0);
    for (const event of events.events) {
      expect(event.ip).toBe("127.0.0.1");
      expect(event.requestId).not.toBe("forged-request-id-0001");
    }
  });
});
