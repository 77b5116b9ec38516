// The sandbox: a plain node:http server that speaks AWS's wire protocols (STS and IAM over the
// Query protocol, Organizations over JSON 1.1), verifies SigV4 signatures, serves the console
// federation endpoint and a small console page, and offers a loopback-only test interface.
import { mkdirSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join, resolve } from "node:path";
import { handleAdmin, type AdminDeps } from "./admin";
import { AwsError } from "./core/errors";
import { writeSandboxFiles, type SandboxFiles } from "./core/files";
import { requestId as newRequestId } from "./core/ids";
import { renderQueryError, ServiceCodec } from "./core/model";
import { CallLog, Faults, type ApiContext, type ApiHandler, type ServiceName } from "./core/runtime";
import { seedState } from "./core/seed";
import type { SandboxState } from "./core/state";
import { StateStore } from "./core/store";
import { parseSignature, verifySignature, type SignedRequest } from "./core/sigv4";
import { World, type Clock } from "./core/world";
import { handleConsole, handleFederation } from "./federation";
import { iamHandlers } from "./services/iam";
import { organizationsHandlers } from "./services/organizations";
import { stsHandlers } from "./services/sts";

export const MAX_BODY_BYTES = 1024 * 1024;

export type SandboxOptions = {
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Directory for state.json, credentials, config and mfa.json. */
  dir: string;
  /** Reseed instead of loading the saved state. */
  reset?: boolean;
  /** Enables the test interface under /_sandbox/ (loopback only) when set. */
  adminToken?: string;
  /** Milliseconds over which state writes are coalesced. */
  persistDelayMs?: number;
  /** Where to report unexpected errors; never given secrets. */
  log?: (line: string) => void;
};

export type Sandbox = {
  url: string;
  host: string;
  port: number;
  files: SandboxFiles;
  stateFile: string;
  world: World;
  faults: Faults;
  calls: CallLog;
  server: Server;
  close(): Promise<void>;
};

type QueryService = { name: "sts" | "iam"; codec: ServiceCodec; handlers: Record<string, ApiHandler> };

const isLoopback = (address: string | undefined) =>
  address === "127.0.0.1" || address === "::1" || address === "::ffff:127.0.0.1";

// Query-protocol auth error codes and their JSON-protocol (Organizations) equivalents.
const JSON_AUTH_CODES: Record<string, string> = {
  InvalidClientTokenId: "UnrecognizedClientException",
  SignatureDoesNotMatch: "InvalidSignatureException",
  ExpiredToken: "ExpiredTokenException",
  MissingAuthenticationToken: "MissingAuthenticationTokenException",
  IncompleteSignature: "IncompleteSignatureException",
  AccessDenied: "AccessDeniedException",
};

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolveBody, reject) => {
    const declared = Number(req.headers["content-length"] ?? "0");
    if (declared > MAX_BODY_BYTES) {
      reject(new BodyTooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new BodyTooLarge());
        req.pause();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolveBody(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  const dir = resolve(options.dir);
  mkdirSync(dir, { recursive: true });
  const stateFile = join(dir, "state.json");
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));

  const saved = options.reset ? undefined : StateStore.read(stateFile);
  const store = new StateStore(stateFile, saved ?? seedState(Date.now()), {
    delayMs: options.persistDelayMs,
    prune: pruneExpired,
  });
  const clock: Clock = { now: () => Date.now() + store.state.clockOffsetMs };
  const world = new World(store, clock);
  store.flush();

  const faults = new Faults();
  const calls = new CallLog();
  const sts: QueryService = { name: "sts", codec: ServiceCodec.load("sts"), handlers: stsHandlers };
  const iam: QueryService = { name: "iam", codec: ServiceCodec.load("iam"), handlers: iamHandlers };
  const organizations = ServiceCodec.load("organizations");

  let files: SandboxFiles = { credentials: "", config: "", mfa: "" };
  let endpoint = "";

  const adminDeps: AdminDeps = {
    world,
    faults,
    calls,
    token: options.adminToken,
    reset: () => {
      store.replace(seedState(Date.now()));
      faults.clear();
      calls.clear();
      files = writeSandboxFiles(dir, store.state, endpoint);
    },
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = newRequestId();
    const url = new URL(req.url ?? "/", "http://sandbox.invalid");
    res.setHeader("x-amzn-RequestId", requestId);
    res.setHeader("Date", new Date().toUTCString());

    if (url.pathname.startsWith("/_sandbox/")) {
      if (!isLoopback(req.socket.remoteAddress)) {
        sendJson(res, 404, { error: "not found" });
        return;
      }
      await handleAdmin(req, res, url, adminDeps, readBody);
      return;
    }
    if (url.pathname === "/federation") {
      await handleFederation(req, res, url, { world, faults, calls, endpoint, readBody });
      return;
    }
    if (url.pathname === "/console" || url.pathname.startsWith("/console/")) {
      handleConsole(req, res, url, { world, endpoint });
      return;
    }
    await handleApi(req, res, url, requestId);
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse, url: URL, requestId: string): Promise<void> {
    const started = Date.now();
    const target = typeof req.headers["x-amz-target"] === "string" ? req.headers["x-amz-target"] : undefined;
    let service: ServiceName | undefined = target ? "organizations" : undefined;
    let action = target?.split(".")[1] ?? "";
    let caller: ApiContext["caller"] | undefined;
    const note: ApiContext["note"] = {};
    let body: Buffer = Buffer.alloc(0);
    try {
      try {
        body = await readBody(req);
      } catch (err) {
        if (err instanceof BodyTooLarge) {
          res.setHeader("Connection", "close");
          throw new AwsError("RequestEntityTooLarge", `Request body must not exceed ${MAX_BODY_BYTES} bytes.`, 413);
        }
        throw err;
      }
      const signed: SignedRequest = {
        method: req.method ?? "GET",
        rawPath: (req.url ?? "/").split("?")[0]!,
        rawQuery: (req.url ?? "").includes("?") ? (req.url ?? "").slice((req.url ?? "").indexOf("?") + 1) : "",
        rawHeaders: req.rawHeaders,
        body,
      };
      const signature = parseSignature(signed);
      if (!signature) throw new AwsError("MissingAuthenticationToken", "Request is missing Authentication Token", 403);
      const scoped = signature.credential.service;
      if (scoped !== "sts" && scoped !== "iam" && scoped !== "organizations") {
        throw new AwsError("InvalidAction", `The sandbox does not serve the service '${scoped}' (it serves sts, iam and organizations).`, 400);
      }
      service = scoped;
      const { caller: who, secret } = world.authenticate(signature.credential.accessKeyId, signature.securityToken);
      verifySignature(signed, signature, secret);
      caller = who;

      const ctx: ApiContext = {
        world,
        caller,
        requestId,
        region: signature.credential.region,
        sourceIp: req.socket.remoteAddress ?? "127.0.0.1",
        userAgent: req.headers["user-agent"],
        note,
      };

      if (service === "organizations") {
        if (!target || !target.startsWith(`${organizations.model.metadata.targetPrefix}.`)) {
          throw new AwsError("UnknownOperationException", `Unknown operation ${target ?? "(no X-Amz-Target)"}`, 400);
        }
        action = target.slice(target.indexOf(".") + 1);
        const handler = organizationsHandlers[action];
        if (!handler || !organizations.hasOperation(action)) {
          throw new AwsError("UnknownOperationException", `The sandbox does not implement Organizations ${action}.`, 400);
        }
        let parsedBody: unknown = {};
        if (body.length) {
          try {
            parsedBody = JSON.parse(body.toString("utf8"));
          } catch {
            throw new AwsError("SerializationException", "The request body is not valid JSON.", 400);
          }
        }
        const input = organizations.parseJsonInput(action, parsedBody);
        const invalid = organizations.validate(action, input);
        if (invalid) throw new AwsError("ValidationException", invalid, 400);
        await faults.apply("organizations", action, organizations);
        const output = handler(input, ctx);
        res.writeHead(200, { "Content-Type": "application/x-amz-json-1.1" });
        res.end(organizations.renderJsonResponse(action, output ?? undefined));
      } else {
        const svc = service === "sts" ? sts : iam;
        const params = new URLSearchParams(signed.rawQuery);
        const contentType = String(req.headers["content-type"] ?? "");
        if (body.length && (contentType.includes("x-www-form-urlencoded") || !contentType)) {
          for (const [k, v] of new URLSearchParams(body.toString("utf8"))) params.append(k, v);
        }
        for (const k of ["X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-SignedHeaders", "X-Amz-Signature", "X-Amz-Security-Token", "X-Amz-Expires"]) {
          params.delete(k);
        }
        action = params.get("Action") ?? "";
        if (!action) throw new AwsError("MissingAction", "The request must contain the parameter Action.", 400);
        const handler = svc.handlers[action];
        if (!handler || !svc.codec.hasOperation(action)) {
          throw new AwsError("InvalidAction", `The action ${action} is not valid for this web service.`, 400);
        }
        const version = params.get("Version");
        if (version && version !== svc.codec.apiVersion) {
          throw new AwsError("InvalidAction", `Could not find operation ${action} for version ${version}`, 400);
        }
        const input = svc.codec.parseQueryInput(action, params);
        const invalid = svc.codec.validate(action, input);
        if (invalid) throw new AwsError("ValidationError", invalid, 400);
        await faults.apply(svc.name, action, svc.codec);
        const output = handler(input, ctx);
        res.writeHead(200, { "Content-Type": "text/xml" });
        res.end(svc.codec.renderQueryResponse(action, output ?? undefined, requestId));
      }
      calls.add({
        time: new Date(clock.now()).toISOString(),
        service,
        action,
        accountId: caller.accountId,
        caller: caller.arn,
        outcome: "Success",
        status: 200,
        durationMs: Date.now() - started,
        detail: note,
      });
    } catch (err) {
      const error = toAwsError(err, log);
      const svc = service ?? "sts";
      if (service) {
        calls.add({
          time: new Date(clock.now()).toISOString(),
          service,
          action: action || "(none)",
          accountId: caller?.accountId,
          caller: caller?.arn,
          outcome: error.code,
          status: error.status,
          durationMs: Date.now() - started,
          detail: note,
        });
      }
      if (svc === "organizations") {
        const code = JSON_AUTH_CODES[error.code] ?? error.code;
        res.writeHead(error.status, { "Content-Type": "application/x-amz-json-1.1", "x-amzn-ErrorType": code });
        res.end(JSON.stringify({ __type: code, Message: error.message, ...error.members }));
      } else {
        const namespace = (svc === "iam" ? iam : sts).codec.xmlNamespace;
        res.writeHead(error.status, { "Content-Type": "text/xml" });
        res.end(renderQueryError(namespace, error, requestId));
      }
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      log(`sandbox: unexpected error: ${err instanceof Error ? err.message : String(err)}`);
      if (!res.headersSent) sendJson(res, 500, { error: "internal error" });
      else res.end();
    });
  });
  // Keep-alive like AWS endpoints, bounded so idle sockets do not pile up.
  server.keepAliveTimeout = 5000;
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;

  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolveListen, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 4566, host, () => resolveListen());
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(":") ? `[${host}]` : host;
  endpoint = `http://${urlHost === "0.0.0.0" ? "127.0.0.1" : urlHost}:${port}`;
  files = writeSandboxFiles(dir, store.state, endpoint);

  return {
    url: endpoint,
    host,
    port,
    get files() {
      return files;
    },
    stateFile,
    world,
    faults,
    calls,
    server,
    close: () =>
      new Promise<void>((resolveClose) => {
        store.flush();
        server.close(() => resolveClose());
        server.closeAllConnections();
      }),
  };
}

function toAwsError(err: unknown, log: (line: string) => void): AwsError {
  if (err instanceof AwsError) return err;
  log(`sandbox: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  return new AwsError("InternalFailure", "The request processing has failed because of an unknown error, exception or failure.", 500, "Receiver");
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "Content-Type": "application/json", "Cache-Control": "no-store" });
  res.end(JSON.stringify(body));
}

/** Drops credentials, sign-in tokens and console sessions that expired more than a day ago
 * (on the sandbox clock), so the state file does not grow without end. Expired-but-recent
 * entries are kept so that their use is answered with ExpiredToken, not "invalid". */
function pruneExpired(state: SandboxState): void {
  const horizon = Date.now() + state.clockOffsetMs - 24 * 3600 * 1000;
  for (const [key, session] of Object.entries(state.sessions)) if (session.expiresAt < horizon) delete state.sessions[key];
  for (const [key, token] of Object.entries(state.signinTokens)) if (token.issuedAt < horizon) delete state.signinTokens[key];
  for (const [key, cs] of Object.entries(state.consoleSessions)) if (cs.expiresAt < horizon) delete state.consoleSessions[key];
}
