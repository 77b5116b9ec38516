// The console federation endpoint and the console page, over plain HTTP as a browser or an
// identity broker would use them.
import { AssumeRoleCommand } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { credsOf, startTestSandbox, type Creds, type TestSandbox } from "./testing";

let t: TestSandbox;
beforeAll(async () => {
  t = await startTestSandbox();
});
afterAll(async () => {
  await t?.close();
});

const READONLY = "arn:aws:iam::111111111111:role/ReadOnly";

async function roleCreds(creds: Creds, roleArn = READONLY, extra: Record<string, unknown> = {}): Promise<Creds> {
  return credsOf(await t.sts(creds).send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "alice", ...extra })));
}

const sessionParam = (c: Creds) => JSON.stringify({ sessionId: c.accessKeyId, sessionKey: c.secretAccessKey, sessionToken: c.sessionToken });

async function signinToken(creds: Creds, extra: Record<string, string> = {}, method: "GET" | "POST" = "GET") {
  const params = new URLSearchParams({ Action: "getSigninToken", Session: sessionParam(creds), ...extra });
  const res =
    method === "GET"
      ? await fetch(`${t.url}/federation?${params}`)
      : await fetch(`${t.url}/federation`, { method: "POST", body: params, headers: { "content-type": "application/x-www-form-urlencoded" } });
  return { status: res.status, text: await res.text(), cacheControl: res.headers.get("cache-control") };
}

async function login(token: string, destination = `${t.url}/console/home?region=eu-west-1`, issuer = "http://localhost:3000/switch/abc") {
  const params = new URLSearchParams({ Action: "login", Issuer: issuer, Destination: destination, SigninToken: token });
  return fetch(`${t.url}/federation?${params}`, { redirect: "manual" });
}

const cookieOf = (res: Response) => res.headers.get("set-cookie")!.split(";")[0]!;

describe("getSigninToken", () => {
  it("exchanges live temporary credentials for a sign-in token, never cached", async () => {
    const out = await signinToken(await roleCreds(t.broker));
    expect(out.status).toBe(200);
    expect(JSON.parse(out.text).SigninToken).toMatch(/^[\w-]{40,}$/);
    expect(out.cacheControl).toBe("no-store");
  });

  it("accepts POST as AWS documents", async () => {
    const out = await signinToken(await roleCreds(t.broker), {}, "POST");
    expect(out.status).toBe(200);
  });

  it("refuses long-term keys, wrong secrets and missing sessions", async () => {
    expect((await signinToken(t.broker)).status).toBe(400);
    const creds = await roleCreds(t.broker);
    expect((await signinToken({ ...creds, secretAccessKey: "wrong" })).status).toBe(400);
    const missing = await fetch(`${t.url}/federation?Action=getSigninToken`);
    expect(missing.status).toBe(400);
    expect(await missing.text()).toContain("Missing Session parameter");
    const notJson = await fetch(`${t.url}/federation?Action=getSigninToken&Session=%7Bnope`);
    expect(notJson.status).toBe(400);
  });

  it("accepts SessionDuration for credentials the broker got with long-term keys", async () => {
    const out = await signinToken(await roleCreds(t.broker), { SessionDuration: "43200" });
    expect(out.status).toBe(200);
  });

  it("answers HTTP 400 to SessionDuration with credentials from role chaining, as AWS does", async () => {
    const first = await roleCreds(t.broker, "arn:aws:iam::222222222222:role/PowerUser");
    const chained = await roleCreds(first, "arn:aws:iam::111111111111:role/delegate_read_my_bucket");
    const refused = await signinToken(chained, { SessionDuration: "3600" });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain("Invalid credentials parameter");
    // The same credentials without SessionDuration are fine.
    expect((await signinToken(chained)).status).toBe(200);
  });

  it("refuses SessionDuration outside 900–43200", async () => {
    const creds = await roleCreds(t.broker);
    for (const value of ["899", "43201", "abc", "-1"]) {
      expect((await signinToken(creds, { SessionDuration: value })).status).toBe(400);
    }
  });

  it("refuses credentials that have expired", async () => {
    const creds = await roleCreds(t.broker, READONLY, { DurationSeconds: 900 });
    await t.admin.advanceClock(901);
    expect((await signinToken(creds)).status).toBe(400);
  });
});

describe("login and the console page", () => {
  it("signs the browser into the console and shows whose session it is", async () => {
    const creds = await roleCreds(t.broker, READONLY, { SourceIdentity: "alice@example.com" });
    const token = JSON.parse((await signinToken(creds)).text).SigninToken as string;
    const res = await login(token);
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`${t.url}/console/home?region=eu-west-1`);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("set-cookie")).toMatch(/HttpOnly/);
    const page = await fetch(res.headers.get("location")!, { headers: { cookie: cookieOf(res) } });
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain("arn:aws:sts::111111111111:assumed-role/ReadOnly/alice");
    expect(html).toContain("111111111111 (Production)");
    expect(html).toContain("alice@example.com");
    expect(html).toContain("eu-west-1");
    expect(html).toContain('href="http://localhost:3000/switch/abc"');
  });

  it("accepts a token once only", async () => {
    const token = JSON.parse((await signinToken(await roleCreds(t.broker))).text).SigninToken as string;
    expect((await login(token)).status).toBe(302);
    const again = await login(token);
    expect(again.status).toBe(400);
    expect(await again.text()).toContain("already used");
  });

  it("refuses a token older than 15 minutes", async () => {
    const token = JSON.parse((await signinToken(await roleCreds(t.broker, READONLY, { DurationSeconds: 7200 }))).text).SigninToken as string;
    await t.admin.advanceClock(15 * 60 + 1);
    const res = await login(token);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("expired");
  });

  it("refuses a Destination outside the sandbox console", async () => {
    const creds = await roleCreds(t.broker);
    for (const destination of [
      "https://evil.example/console/home",
      "https://console.aws.amazon.com/console/home",
      `${t.url}/federation`,
      `${t.url.replace("http:", "https:")}/console`,
      "javascript:alert(1)",
    ]) {
      const token = JSON.parse((await signinToken(creds)).text).SigninToken as string;
      const res = await login(token, destination);
      expect(res.status, destination).toBe(400);
      expect(res.headers.get("location")).toBeNull();
    }
  });

  it("keeps the console session for SessionDuration when one was given", async () => {
    const creds = await roleCreds(t.broker, READONLY, { DurationSeconds: 900 });
    const token = JSON.parse((await signinToken(creds, { SessionDuration: "7200" })).text).SigninToken as string;
    const res = await login(token);
    const before = await fetch(`${t.url}/console`, { headers: { cookie: cookieOf(res) } });
    expect(before.status).toBe(200);
    const expires = /data-field="Console session expires">([^<]+)</.exec(await before.text())![1]!;
    const now = await t.admin.now();
    expect(Date.parse(expires) - now.getTime()).toBeGreaterThan(7100_000);
  });

  it("says the browser is signed out without a session, and after expiry", async () => {
    const none = await fetch(`${t.url}/console/home`);
    expect(none.status).toBe(401);
    expect(await none.text()).toContain("You are signed out");

    const creds = await roleCreds(t.broker, READONLY, { DurationSeconds: 900 });
    const token = JSON.parse((await signinToken(creds)).text).SigninToken as string;
    const res = await login(token);
    await t.admin.advanceClock(901);
    const expired = await fetch(`${t.url}/console`, { headers: { cookie: cookieOf(res) } });
    expect(expired.status).toBe(401);
    expect(await expired.text()).toContain("Sign in again");
  });

  it("signs out", async () => {
    const token = JSON.parse((await signinToken(await roleCreds(t.broker))).text).SigninToken as string;
    const res = await login(token);
    const cookie = cookieOf(res);
    expect((await fetch(`${t.url}/console/signout`, { headers: { cookie } })).status).toBe(200);
    expect((await fetch(`${t.url}/console`, { headers: { cookie } })).status).toBe(401);
  });

  it("records federation calls without the token", async () => {
    const since = await t.admin.lastSeq();
    const token = JSON.parse((await signinToken(await roleCreds(t.broker))).text).SigninToken as string;
    await login(token);
    const calls = await t.admin.calls({ since, service: "signin" });
    expect(calls.map((c) => `${c.action}:${c.outcome}`)).toEqual(["getSigninToken:Success", "login:Success"]);
    expect(JSON.stringify(calls)).not.toContain(token);
  });

  it("rejects unknown actions and methods", async () => {
    expect((await fetch(`${t.url}/federation?Action=logout`)).status).toBe(400);
    expect((await fetch(`${t.url}/federation`, { method: "PUT" })).status).toBe(405);
  });
});
