import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { AssumeRoleCommand } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { AppError } from "@/lib/errors";
import { credsOf, startTestSandbox, type Creds, type TestSandbox } from "@/sandbox/testing";
import { consoleSessionDuration } from "./duration";
import { getSigninToken, loginForm, loginUrl, type FederationCredentials } from "./federation";
import { consoleDestination, federationEndpoint } from "./partitions";

const READONLY = "arn:aws:iam::111111111111:role/ReadOnly";
const ISSUER = "http://localhost:3000/open/role-1";

let t: TestSandbox;
beforeAll(async () => {
  t = await startTestSandbox();
});
afterAll(async () => {
  await t?.close();
});

async function assume(creds: Creds, roleArn = READONLY): Promise<FederationCredentials> {
  const out = await t.sts(creds).send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "alice@example.com" }));
  const c = credsOf(out);
  return { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, sessionToken: c.sessionToken! };
}

/** Credentials from role chaining: the broker assumes Development's PowerUser, which assumes
 * delegate_read_my_bucket (it trusts the Development account). */
async function chained(): Promise<FederationCredentials> {
  const first = await assume(t.broker, "arn:aws:iam::222222222222:role/PowerUser");
  return assume(first, "arn:aws:iam::111111111111:role/delegate_read_my_bucket");
}

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

function expectNoSecret(message: string, creds: FederationCredentials): void {
  for (const value of Object.values(creds)) expect(message).not.toContain(value);
}

/** A throwaway HTTP server on a free loopback port. */
async function serve(handler: (req: IncomingMessage, res: ServerResponse) => unknown): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    Promise.resolve(handler(req, res)).catch((err: unknown) => res.destroy(err instanceof Error ? err : new Error(String(err))));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

const close = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

async function readAll(req: IncomingMessage): Promise<string> {
  let body = "";
  for await (const chunk of req) body += chunk;
  return body;
}

describe("getSigninToken and the login URL against the sandbox", () => {
  it("signs a long-term broker's session in with SessionDuration and redirects (302) to the console", async () => {
    const endpoint = federationEndpoint("aws", "eu-west-1", t.url);
    const destination = consoleDestination({ partition: "aws", region: "eu-west-1", sandboxUrl: t.url });
    const token = await getSigninToken({
      endpoint,
      credentials: await assume(t.broker),
      sessionDuration: consoleSessionDuration(43200, "long-term"),
    });
    expect(token).toMatch(/^[\w-]{40,}$/);

    const login = await fetch(loginUrl({ endpoint, issuer: ISSUER, destination, signinToken: token }), { redirect: "manual" });
    expect(login.status).toBe(302);
    expect(login.headers.get("location")).toBe(destination);

    const cookie = login.headers.get("set-cookie")!.split(";")[0]!;
    const page = await fetch(destination, { headers: { cookie } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("ReadOnly");
    expect(html).toContain("alice@example.com");
  });

  it("signs in through the POST hand-off as well", async () => {
    const endpoint = federationEndpoint("aws", undefined, t.url);
    const destination = consoleDestination({ partition: "aws", region: "us-east-1", service: "s3", sandboxUrl: t.url });
    const token = await getSigninToken({ endpoint, credentials: await assume(t.broker) });
    const form = loginForm({ endpoint, issuer: ISSUER, destination, signinToken: token });
    const res = await fetch(form.action, { method: "POST", body: new URLSearchParams(form.fields), redirect: "manual" });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(destination);
  });

  it("signs chained credentials in when SessionDuration is left out, as consoleSessionDuration does", async () => {
    const sessionDuration = consoleSessionDuration(3600, "temporary");
    expect(sessionDuration).toBeUndefined();
    const token = await getSigninToken({ endpoint: `${t.url}/federation`, credentials: await chained(), sessionDuration });
    expect(token).toMatch(/^[\w-]{40,}$/);
  });

  it("turns AWS's HTTP 400 for SessionDuration with chained credentials into upstream_error, without secrets", async () => {
    const credentials = await chained();
    const err = await rejection(getSigninToken({ endpoint: `${t.url}/federation`, credentials, sessionDuration: 3600 }));
    expect(err.code).toBe("upstream_error");
    expect(err.status).toBe(502);
    expect(err.message).toBe("The AWS sign-in endpoint refused the session (HTTP 400): HTTP Status 400 - Invalid credentials parameter");
    expectNoSecret(err.message, credentials);
  });

  it("refuses long-term keys (AWS exchanges only temporary credentials)", async () => {
    const credentials = { accessKeyId: t.broker.accessKeyId, secretAccessKey: t.broker.secretAccessKey, sessionToken: "" };
    const err = await rejection(getSigninToken({ endpoint: `${t.url}/federation`, credentials }));
    expect(err.message).toMatch(/^The AWS sign-in endpoint refused the session \(HTTP 400\)/);
    expectNoSecret(err.message, { ...credentials, sessionToken: "unused-sentinel" });
  });
});

describe("getSigninToken: the request on the wire", () => {
  const credentials = { accessKeyId: "ASIAEXAMPLE", secretAccessKey: "se/cr+et=", sessionToken: "to+ken/==" };

  it("POSTs Action, the Session JSON and SessionDuration as a form, and returns the SigninToken", async () => {
    const seen: Array<{ method?: string; type?: string; url?: string; body: string }> = [];
    const { url, server } = await serve(async (req, res) => {
      seen.push({ method: req.method, type: req.headers["content-type"], url: req.url, body: await readAll(req) });
      res.writeHead(200, { "content-type": "application/json" }).end('{"SigninToken":"tok-123"}');
    });
    try {
      expect(await getSigninToken({ endpoint: `${url}/federation`, credentials, sessionDuration: 7200 })).toBe("tok-123");
      expect(await getSigninToken({ endpoint: `${url}/federation`, credentials })).toBe("tok-123");
    } finally {
      await close(server);
    }
    const [withDuration, without] = seen.map((r) => ({ ...r, form: new URLSearchParams(r.body) }));
    expect(withDuration!.method).toBe("POST");
    expect(withDuration!.url).toBe("/federation");
    expect(withDuration!.type).toBe("application/x-www-form-urlencoded");
    expect(withDuration!.form.get("Action")).toBe("getSigninToken");
    expect(JSON.parse(withDuration!.form.get("Session")!)).toEqual({
      sessionId: "ASIAEXAMPLE",
      sessionKey: "se/cr+et=",
      sessionToken: "to+ken/==",
    });
    expect(withDuration!.form.get("SessionDuration")).toBe("7200");
    expect(without!.form.has("SessionDuration")).toBe(false);
  });

  it.each([899, 43201, 3600.5])("refuses to send SessionDuration %d, outside AWS's whole 900–43200 seconds", async (value) => {
    await expect(getSigninToken({ endpoint: "http://127.0.0.1:9/federation", credentials, sessionDuration: value })).rejects.toThrow(
      /SessionDuration must be whole seconds from 900 to 43200/,
    );
  });

  it("says so when nothing listens, with no secret in the message", async () => {
    const { url, server } = await serve(() => {});
    await close(server);
    const err = await rejection(getSigninToken({ endpoint: `${url}/federation`, credentials }));
    expect(err.code).toBe("upstream_error");
    expect(err.message).toBe(`Could not reach the AWS sign-in endpoint at ${new URL(url).host} (ECONNREFUSED).`);
    expectNoSecret(err.message, credentials);
  });

  it("gives up after the timeout", async () => {
    const { url, server } = await serve(() => {});
    try {
      const err = await rejection(getSigninToken({ endpoint: `${url}/federation`, credentials, timeoutMs: 300 }));
      expect(err.code).toBe("upstream_error");
      expect(err.message).toBe("The AWS sign-in endpoint did not answer within 0.3 s.");
    } finally {
      server.closeAllConnections();
      await close(server);
    }
  });

  it("waits 10 s by default", async () => {
    // Stands in for ten real seconds: the signal fires at once, as it would after the timeout.
    // (An aborted request never reaches the network.)
    const timeout = vi.spyOn(AbortSignal, "timeout").mockImplementation(() => AbortSignal.abort(new DOMException("timed out", "TimeoutError")));
    try {
      const err = await rejection(getSigninToken({ endpoint: "https://signin.aws.amazon.com/federation", credentials }));
      expect(timeout).toHaveBeenCalledWith(10_000);
      expect(err.message).toBe("The AWS sign-in endpoint did not answer within 10 s.");
    } finally {
      timeout.mockRestore();
    }
  });

  it.each([
    ["not JSON", 200, "<html>Sign in</html>", "The AWS sign-in endpoint answered without a sign-in token."],
    ["JSON without a token", 200, '{"SigninToken":""}', "The AWS sign-in endpoint answered without a sign-in token."],
    ["a 5xx", 503, "<h1>Service Unavailable</h1>\n\n<p>try later</p>", "The AWS sign-in endpoint refused the session (HTTP 503): Service Unavailable try later"],
    ["an empty refusal", 400, "", "The AWS sign-in endpoint refused the session (HTTP 400)."],
  ])("handles %s", async (_name, status, body, message) => {
    const { url, server } = await serve((_req, res) => res.writeHead(status).end(body));
    try {
      const err = await rejection(getSigninToken({ endpoint: `${url}/federation`, credentials }));
      expect(err.message).toBe(message);
    } finally {
      await close(server);
    }
  });

  it("trims a long refusal and blanks out any credential an endpoint echoes", async () => {
    const { url, server } = await serve(async (req, res) => {
      const session = new URLSearchParams(await readAll(req)).get("Session")!;
      res.writeHead(400).end(`bad session ${session} ${"x".repeat(500)}`);
    });
    try {
      const err = await rejection(getSigninToken({ endpoint: `${url}/federation`, credentials }));
      expectNoSecret(err.message, credentials);
      expect(err.message).toContain("[redacted]");
      expect(err.message.length).toBeLessThan(320);
      expect(err.message.endsWith("…")).toBe(true);
    } finally {
      await close(server);
    }
  });

  it("stops reading an answer far larger than a sign-in token", async () => {
    const { url, server } = await serve((_req, res) => res.writeHead(200, { "content-type": "application/json" }).end(`{"SigninToken":"${"x".repeat(200_000)}"}`));
    try {
      const err = await rejection(getSigninToken({ endpoint: `${url}/federation`, credentials }));
      expect(err.message).toBe("The AWS sign-in endpoint answered with more than 64 KB, which is not a sign-in token.");
    } finally {
      await close(server);
    }
  });

  it("sends once more on a new connection when the server closed the kept-alive one as it was reused", async () => {
    // The server answers each connection's first request and resets the connection on its second,
    // as a server does whose idle timeout ends just as the console reuses the connection.
    const served = new WeakMap<object, number>();
    let resets = 0;
    const { url, server } = await serve(async (req, res) => {
      await readAll(req);
      const count = (served.get(req.socket) ?? 0) + 1;
      served.set(req.socket, count);
      if (count > 1) {
        resets += 1;
        req.socket.resetAndDestroy();
        return;
      }
      res.writeHead(200, { "content-type": "application/json" }).end('{"SigninToken":"tok-fresh"}');
    });
    try {
      for (let i = 0; i < 3; i++) expect(await getSigninToken({ endpoint: `${url}/federation`, credentials })).toBe("tok-fresh");
      expect(resets).toBe(2);
    } finally {
      server.closeAllConnections();
      await close(server);
    }
  });

  it("does not send twice when a fresh connection is reset", async () => {
    let requests = 0;
    const { url, server } = await serve(async (req) => {
      await readAll(req);
      requests += 1;
      req.socket.resetAndDestroy();
    });
    try {
      const err = await rejection(getSigninToken({ endpoint: `${url}/federation`, credentials }));
      expect(err.message).toBe(`Could not reach the AWS sign-in endpoint at ${new URL(url).host} (ECONNRESET).`);
      expect(requests).toBe(1);
    } finally {
      await close(server);
    }
  });

  it("never follows a redirect, which could carry the credentials elsewhere", async () => {
    let reached = false;
    const elsewhere = await serve((_req, res) => {
      reached = true;
      res.writeHead(200).end('{"SigninToken":"stolen"}');
    });
    const redirecting = await serve((_req, res) => res.writeHead(307, { location: `${elsewhere.url}/federation` }).end());
    try {
      const err = await rejection(getSigninToken({ endpoint: `${redirecting.url}/federation`, credentials }));
      expect(err.message).toBe("The AWS sign-in endpoint refused the session (HTTP 307).");
      expect(reached).toBe(false);
    } finally {
      await close(redirecting.server);
      await close(elsewhere.server);
    }
  });
});

describe("loginUrl and loginForm", () => {
  const input = {
    endpoint: "https://eu-west-1.signin.aws.amazon.com/federation",
    issuer: "https://switchboard.example.com/open/01HZ?x=1&y=2",
    destination: "https://eu-west-1.console.aws.amazon.com/ec2/home?region=eu-west-1",
    signinToken: "a+b/c=d_e-f",
  };

  it("builds Action=login with every value URL-encoded", () => {
    expect(loginUrl(input)).toBe(
      "https://eu-west-1.signin.aws.amazon.com/federation?Action=login" +
        "&Issuer=https%3A%2F%2Fswitchboard.example.com%2Fopen%2F01HZ%3Fx%3D1%26y%3D2" +
        "&Destination=https%3A%2F%2Feu-west-1.console.aws.amazon.com%2Fec2%2Fhome%3Fregion%3Deu-west-1" +
        "&SigninToken=a%2Bb%2Fc%3Dd_e-f",
    );
    const parsed = new URL(loginUrl(input));
    expect(Object.fromEntries(parsed.searchParams)).toEqual({
      Action: "login",
      Issuer: input.issuer,
      Destination: input.destination,
      SigninToken: input.signinToken,
    });
  });

  it("gives the same fields for a POST hand-off", () => {
    expect(loginForm(input)).toEqual({
      action: input.endpoint,
      fields: { Action: "login", Issuer: input.issuer, Destination: input.destination, SigninToken: input.signinToken },
    });
  });
});
