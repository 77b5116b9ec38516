// A raw HTTP client for the adversarial suite: no URL normalisation, any header, any body, and a
// cookie jar so that a Client is a person's browser as the server sees it.
import { randomBytes } from "node:crypto";
import http from "node:http";
import { ADMIN } from "../../support/accounts";

const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });

export type Reply = {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  body: Buffer;
  /** A header's value (joined when repeated), or undefined. */
  header(name: string): string | undefined;
  json<T = unknown>(): T;
  ms: number;
};

export type RequestOptions = {
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** JSON body with Content-Type: application/json. */
  json?: unknown;
  /** application/x-www-form-urlencoded body. */
  form?: Record<string, string>;
  /** multipart/form-data body. */
  multipart?: Record<string, string>;
  timeoutMs?: number;
};

/** One request as written: the path goes on the wire untouched (backslashes, dot segments and
 * all), unlike fetch, which normalises URLs the way a browser would. */
export function rawRequest(base: string, method: string, path: string, opts: RequestOptions = {}): Promise<Reply> {
  const url = new URL(base);
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  let body = opts.body;
  if (opts.json !== undefined) {
    body = JSON.stringify(opts.json);
    headers["content-type"] ??= "application/json";
  } else if (opts.form) {
    body = new URLSearchParams(opts.form).toString();
    headers["content-type"] ??= "application/x-www-form-urlencoded";
  } else if (opts.multipart) {
    const boundary = `----switchboard-security-${randomBytes(8).toString("hex")}`;
    body = Object.entries(opts.multipart)
      .map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`)
      .join("")
      .concat(`--${boundary}--\r\n`);
    headers["content-type"] ??= `multipart/form-data; boundary=${boundary}`;
  }
  if (body !== undefined) headers["content-length"] = String(Buffer.byteLength(body));
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.request({ agent, hostname: url.hostname, port: url.port, method, path, headers, timeout: opts.timeoutMs ?? 60_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("error", reject);
      res.on("end", () => {
        const raw = Buffer.concat(chunks);
        const text = raw.toString("utf8");
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          text,
          body: raw,
          header: (name) => {
            const v = res.headers[name.toLowerCase()];
            return Array.isArray(v) ? v.join(", ") : v;
          },
          json: <T>() => JSON.parse(text) as T,
          ms: performance.now() - started,
        });
      });
    });
    req.on("timeout", () => req.destroy(new Error(`${method} ${path}: no answer within ${opts.timeoutMs ?? 60_000} ms`)));
    req.on("error", reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

/** A person's browser, reduced to what the server sees: a cookie jar and the headers it sends. */
export class Client {
  readonly jar = new Map<string, string>();

  constructor(
    readonly base: string,
    /** Sent with every request (e.g. X-Forwarded-For to act as another address). */
    readonly defaults: Record<string, string> = {},
  ) {}

  get origin(): string {
    return new URL(this.base).origin;
  }

  cookieHeader(): string {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  /** A second browser with the same cookies (optionally against another console instance that
   * shares the session secret and the database). */
  clone(defaults = this.defaults, base = this.base): Client {
    const copy = new Client(base, defaults);
    for (const [k, v] of this.jar) copy.jar.set(k, v);
    return copy;
  }

  keepCookies(reply: Reply): void {
    const set = reply.headers["set-cookie"] ?? [];
    for (const line of set) {
      const [pair, ...attrs] = line.split(";");
      const eq = pair!.indexOf("=");
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const expired = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a) || (/^\s*expires=/i.test(a) && Date.parse(a.split("=")[1]!) < Date.now()));
      if (expired || value === "") this.jar.delete(name);
      else this.jar.set(name, value);
    }
  }

  async request(method: string, path: string, opts: RequestOptions = {}): Promise<Reply> {
    const cookie = this.cookieHeader();
    const reply = await rawRequest(this.base, method, path, { ...opts, headers: { ...this.defaults, ...(cookie ? { cookie } : {}), ...(opts.headers ?? {}) } });
    this.keepCookies(reply);
    return reply;
  }

  get = (path: string, opts?: RequestOptions) => this.request("GET", path, opts);
  post = (path: string, opts?: RequestOptions) => this.request("POST", path, opts);
  patch = (path: string, opts?: RequestOptions) => this.request("PATCH", path, opts);
  delete = (path: string, opts?: RequestOptions) => this.request("DELETE", path, opts);
  put = (path: string, opts?: RequestOptions) => this.request("PUT", path, opts);

  /** next-auth's CSRF token (and its cookie, into the jar). */
  async csrfToken(): Promise<string> {
    const reply = await this.get("/api/auth/csrf");
    return reply.json<{ csrfToken: string }>().csrfToken;
  }

  /** One password sign-in through next-auth's credentials endpoint, as the sign-in form does it
   * (json=true: the answer is `{ url }`). Returns the raw reply; does not assert success. */
  async attemptSignIn(email: string, password: string, extra: Record<string, string> = {}): Promise<Reply> {
    const csrfToken = await this.csrfToken();
    return this.post("/api/auth/callback/credentials", { form: { csrfToken, email, password, json: "true", ...extra } });
  }

  /** Signs in and checks the console now knows who we are. */
  async signIn(email: string, password: string): Promise<void> {
    const reply = await this.attemptSignIn(email, password);
    const me = await this.get("/api/v1/me");
    if (me.status !== 200) throw new Error(`Signing in ${email} failed: sign-in answered ${reply.status} ${reply.text.slice(0, 200)}; /api/v1/me answered ${me.status}`);
  }
}

/** An administrator's client on a console, signed in. */
export async function signedIn(base: string, email = ADMIN.email, password = ADMIN.password): Promise<Client> {
  const client = new Client(base);
  await client.signIn(email, password);
  return client;
}

/** Creates a console user through the admin API; returns its id. */
export async function createUser(admin: Client, user: { email: string; name: string; password: string; role: "admin" | "operator" | "auditor" }): Promise<string> {
  const reply = await admin.post("/api/v1/users", { json: user });
  if (reply.status !== 201) throw new Error(`Creating ${user.email}: ${reply.status} ${reply.text.slice(0, 300)}`);
  return reply.json<{ user: { id: string } }>().user.id;
}

/** Runs `work` over `items` with at most `limit` in flight. */
export async function pool<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]!, i);
    }
  });
  await Promise.all(runners);
  return results;
}

export const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
