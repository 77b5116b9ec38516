// switchboard request against a stubbed console (fakeIo): the --for durations, what is checked
// before anything is sent, what is sent, what is printed, and the wait's ends and exit codes.
// e2e/cli-request.spec.ts runs the bundle against the real console and sandbox.
import { describe, expect, it } from "vitest";
import { tokenFromBytes } from "@/lib/tokens/format";
import type { AccessRequestDto, RequestableRoleDto } from "@/lib/access/types";
import { CliError, EXIT } from "../errors";
import { HELP, run } from "../main";
import { fakeIo, type Call } from "../test-support";
import { requestCommand, type WaitOptions } from "./request";
import { formatRequestableRoles, formatRequests, formatTime, parseAccessDuration, shortDuration } from "./request-format";

const TOKEN = tokenFromBytes(new Uint8Array(64).map((_, i) => (i * 37) % 240))!;
const URL_ = "https://switchboard.example.com";
const signedIn = { SWITCHBOARD_URL: URL_, SWITCHBOARD_TOKEN: TOKEN };
const NOW = Date.parse("2026-12-03T10:00:00Z");
const REQ_ID = "01JREQ0000000000000000000A";

const requestable = (id: string, accountName: string, displayName: string, extra: Partial<RequestableRoleDto> = {}): RequestableRoleDto => ({
  roleId: id,
  displayName,
  roleName: displayName.replace(/\W/g, ""),
  accountName,
  awsAccountId: accountName === "Production" ? "111111111111" : "222222222222",
  environment: "production",
  maxDurationSeconds: 14_400,
  reasonRequired: true,
  ticketPattern: null,
  breakGlass: false,
  approvalsRequired: 1,
  approvers: "any administrator or lead@example.com",
  pendingRequestId: null,
  activeRequest: null,
  ...extra,
});

const ROLES = [
  requestable("01J00000000000000000000002", "Production", "ReadOnly"),
  requestable("01J00000000000000000000003", "Production", "Admin", { ticketPattern: "INC-\\d+", breakGlass: true }),
  requestable("01J00000000000000000000005", "Staging", "Admin", { reasonRequired: false }),
];

function dto(over: Partial<AccessRequestDto> = {}): AccessRequestDto {
  return {
    id: REQ_ID,
    kind: "request",
    status: "pending",
    role: { id: "01J00000000000000000000002", displayName: "ReadOnly", roleName: "ReadOnly", roleArn: "arn:aws:iam::111111111111:role/ReadOnly", accountName: "Production", awsAccountId: "111111111111", environment: "production" },
    requester: { id: "u1", email: "ada@example.com", name: "Ada" },
    reason: "INC-1: read the logs",
    ticket: null,
    requestedSeconds: 7200,
    grantedSeconds: null,
    approvalsRequired: 1,
    decisions: [],
    createdAt: "2026-12-03T09:59:00Z",
    decidedAt: null,
    startsAt: null,
    endsAt: null,
    endedAt: null,
    endedBy: null,
    endComment: null,
    extendsId: null,
    revokeOnEnd: true,
    revocation: { state: "none", revokedAt: null, attempts: 0 },
    review: null,
    can: { approve: false, deny: false, withdraw: true, end: false, extend: false, review: false },
    ...over,
  };
}

const approved = (over: Partial<AccessRequestDto> = {}) =>
  dto({
    status: "approved",
    grantedSeconds: 7200,
    decidedAt: "2026-12-03T10:00:05Z",
    startsAt: "2026-12-03T10:00:05Z",
    endsAt: "2026-12-03T12:00:05Z",
    decisions: [{ approverEmail: "lead@example.com", decision: "approve", comment: "ok", grantedSeconds: 7200, at: "2026-12-03T10:00:05Z" }],
    ...over,
  });

const error = (status: number, code: string, message: string, details?: object) => ({ status, json: { error: { code, message, requestId: "req-1", details } } });

/** Runs the command as run() does (CliError → message and exit code), with a recorded sleep. */
async function go(argv: string[], routes: Parameters<typeof fakeIo>[0], opts: WaitOptions = {}) {
  const f = fakeIo({ "GET /api/v1/access-requests/roles": { status: 200, json: { roles: ROLES } }, ...routes }, { env: signedIn });
  const sleeps: number[] = [];
  let code: number;
  try {
    code = await requestCommand(argv, f.io, { now: () => NOW, timeZone: "UTC", sleep: async (ms) => void sleeps.push(ms), ...opts });
  } catch (err) {
    if (!(err instanceof CliError)) throw err;
    f.io.err(`switchboard: ${err.message}\n`);
    code = err.exitCode;
  }
  return { ...f, code, sleeps };
}

const posted = (calls: Call[]) => calls.filter((c) => c.method === "POST").map((c) => ({ path: c.path, body: c.body }));

describe("--for", () => {
  it.each([
    ["15m", 900],
    ["45m", 2700],
    ["90m", 5400],
    ["2h", 7200],
    ["1h30m", 5400],
    ["12h", 43_200],
    ["1H15M", 4500],
  ])("%s → %i seconds", (text, seconds) => {
    expect(parseAccessDuration(text, "usage")).toBe(seconds);
    expect(parseAccessDuration(shortDuration(seconds), "usage")).toBe(seconds);
  });

  it.each([
    [undefined, "Say for how long with --for"],
    ["2", "give hours and minutes, e.g. 45m, 90m, 2h or 1h30m"],
    ["2 hours", "give hours and minutes"],
    ["30m1h", "give hours and minutes"],
    ["-1h", "give hours and minutes"],
    ["10m", "from 15 minutes to 12 hours"],
    ["12h1m", "from 15 minutes to 12 hours"],
    ["13h", "from 15 minutes to 12 hours"],
  ])("%s is a usage error", (text, message) => {
    let thrown: unknown;
    try {
      parseAccessDuration(text, "usage");
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(CliError);
    expect((thrown as CliError).exitCode).toBe(EXIT.usage);
    expect((thrown as CliError).message).toContain(message);
  });

  it("shortDuration writes what --for reads", () => {
    expect([900, 3600, 5400, 43_200].map(shortDuration)).toEqual(["15m", "1h", "1h30m", "12h"]);
  });
});

describe("times and tables", () => {
  it("shows the time today and the date on another day", () => {
    expect(formatTime("2026-12-03T12:05:00Z", NOW, "UTC")).toBe("12:05");
    expect(formatTime("2026-12-04T01:05:00Z", NOW, "UTC")).toBe("2026-12-04 01:05");
    expect(formatTime("2026-12-03T12:05:00Z", NOW, "Asia/Tokyo")).toBe("21:05");
  });

  it("lists requests with their status, role and when", () => {
    const lines = formatRequests(
      [dto(), approved({ id: "01JREQ0000000000000000000B" }), dto({ id: "01JREQ0000000000000000000C", kind: "extension", status: "denied", decidedAt: "2026-12-02T08:00:00Z" })],
      true,
      NOW,
      "UTC",
    );
    expect(lines[0]).toMatch(/^ID\s+STATUS\s+ACCOUNT\/ROLE\s+WHEN$/);
    expect(lines[1]).toMatch(/^01JREQ0000000000000000000A {2}Waiting for approval\s+Production\/ReadOnly {2}asked 09:59 for 2h$/);
    expect(lines[2]).toMatch(/Active\s+Production\/ReadOnly {2}until 12:00$/);
    expect(lines[3]).toMatch(/Denied \(extension\)\s+Production\/ReadOnly {2}denied 2026-12-02 08:00$/);
  });

  it("lists requestable roles with the longest access, approvers and where the person stands", () => {
    const lines = formatRequestableRoles([ROLES[0]!, { ...ROLES[1]!, pendingRequestId: REQ_ID }, { ...ROLES[2]!, activeRequest: { id: REQ_ID, endsAt: "2026-12-03T11:00:00Z" } }], false, NOW, "UTC");
    expect(lines[0]).toBe("01J00000000000000000000002  Production/ReadOnly  up to 4h  any administrator or lead@example.com");
    expect(lines[1]).toContain(`asked (${REQ_ID}); ticket needed; break-glass allowed`);
    expect(lines[2]).toMatch(/Staging\/Admin\s+up to 4h  any administrator or lead@example.com  access until 11:00$/);
  });
});

describe("switchboard request", () => {
  it("is in the help, with exit code 9 for a denial", () => {
    expect(HELP).toContain("switchboard request <role> --for <time>");
    expect(HELP).toMatch(/^ {2}9 {2}denied in the console: .*access request/m);
  });

  it("asks for the matched role and prints what was asked, who is asked and the link", async () => {
    const r = await go(["prod/readonly", "--for", "2h", "--reason", "INC-1: read the logs"], { "POST /api/v1/access-requests": { status: 201, json: { request: dto() } } });
    expect(r.code).toBe(EXIT.ok);
    expect(posted(r.calls)).toEqual([{ path: "/api/v1/access-requests", body: { roleId: "01J00000000000000000000002", durationSeconds: 7200, reason: "INC-1: read the logs" } }]);
    expect(r.stderr()).toContain("Asked for Production/ReadOnly for 2 hours: “INC-1: read the logs”.");
    expect(r.stderr()).toContain("Approvers: any administrator or lead@example.com. They are told now.");
    expect(r.stderr()).toContain(`Request ${REQ_ID}: ${URL_}/requests/${REQ_ID}`);
    expect(r.stderr()).toContain("When it is approved: switchboard credentials Production/ReadOnly");
    expect(r.stdout()).toBe("");
  });

  it("--json prints the request on standard output", async () => {
    const r = await go(["staging admin", "--for", "45m", "--json"], { "POST /api/v1/access-requests": { status: 201, json: { request: dto() } } });
    expect(r.code).toBe(EXIT.ok);
    expect(JSON.parse(r.stdout()).id).toBe(REQ_ID);
    expect(posted(r.calls)[0]?.body).toEqual({ roleId: "01J00000000000000000000005", durationSeconds: 2700, reason: "" });
  });

  it.each([
    [["prod/readonly", "--for", "2h"], EXIT.usage, 'Production/ReadOnly needs a reason: add --reason "…"'],
    [["prod/admin", "--for", "1h", "--reason", "fix it"], EXIT.usage, "needs the ticket the access is for: add --ticket <ref> (matching INC-\\d+)"],
    [["prod/readonly", "--for", "1h", "--reason", "x y z", "--break-glass"], EXIT.notGranted, "Break-glass is not allowed for Production/ReadOnly"],
    [["admin", "--for", "1h"], EXIT.roleNotFound, '"admin" matches 2 roles'],
    [["billing", "--for", "1h"], EXIT.roleNotFound, 'No role you may ask for matches "billing". Run switchboard request roles'],
    [["prod/readonly"], EXIT.usage, "Say for how long with --for"],
    [["prod/readonly", "--for", "20h", "--reason", "x y z"], EXIT.usage, "from 15 minutes to 12 hours"],
    [["--for", "1h"], EXIT.usage, "Missing the role"],
    [["prod/readonly", "--for", "1h", "--colour"], EXIT.usage, "Unknown option '--colour'"],
  ])("%j → exit %i before anything is asked", async (argv, code, message) => {
    const r = await go(argv, {});
    expect(r.code).toBe(code);
    expect(r.stderr()).toContain(message);
    expect(posted(r.calls)).toEqual([]);
  });

  it("lists the candidates when several roles match", async () => {
    const r = await go(["admin", "--for", "1h"], {});
    expect(r.stderr()).toMatch(/^ {2}01J00000000000000000000003 {2}Production\/Admin/m);
    expect(r.stderr()).toMatch(/^ {2}01J00000000000000000000005 {2}Staging\/Admin/m);
  });

  it("says so when a request waits already, or access is in force", async () => {
    const pending = { ...ROLES[0]!, pendingRequestId: REQ_ID };
    const waiting = await go(["prod/readonly", "--for", "1h", "--reason", "x y z"], { "GET /api/v1/access-requests/roles": { status: 200, json: { roles: [pending] } } });
    expect(waiting.code).toBe(EXIT.failure);
    expect(waiting.stderr()).toContain(`switchboard request withdraw ${REQ_ID}`);
    const active = { ...ROLES[0]!, activeRequest: { id: REQ_ID, endsAt: "2026-12-03T11:00:00Z" } };
    const inForce = await go(["prod/readonly", "--for", "1h", "--reason", "x y z"], { "GET /api/v1/access-requests/roles": { status: 200, json: { roles: [active] } } });
    expect(inForce.stderr()).toContain("You already have access to Production/ReadOnly until 11:00. Switch with: switchboard credentials Production/ReadOnly");
    expect(inForce.stderr()).toContain(`switchboard request extend ${REQ_ID} --for 30m`);
    expect(posted(inForce.calls)).toEqual([]);
  });

  it("prints the console's refusal of a duration over the role's maximum (exit 2)", async () => {
    const r = await go(["prod/readonly", "--for", "5h", "--reason", "x y z"], {
      "POST /api/v1/access-requests": error(400, "bad_request", "Duration is at most 4 hours for Production / ReadOnly."),
    });
    expect(r.code).toBe(EXIT.usage);
    expect(r.stderr()).toContain("Duration is at most 4 hours for Production / ReadOnly.");
  });

  it("break-glass: access at once, with a warning that every approver is told", async () => {
    const r = await go(["prod/admin", "--for", "1h", "--reason", "outage", "--ticket", "INC-7", "--break-glass"], {
      "POST /api/v1/access-requests": { status: 201, json: { request: approved({ kind: "break_glass", decisions: [] }) } },
    });
    expect(r.code).toBe(EXIT.ok);
    expect(posted(r.calls)[0]?.body).toEqual({ roleId: "01J00000000000000000000003", durationSeconds: 3600, reason: "outage", ticket: "INC-7", breakGlass: true });
    expect(r.stderr()).toContain("WARNING: every approver (any administrator or lead@example.com) has been told, and will review this use");
    expect(r.stderr()).toContain("until 12:00");
  });

  describe("--wait", () => {
    const polls = (...answers: AccessRequestDto[]) => {
      let i = 0;
      return { "GET /api/v1/access-requests/01JREQ0000000000000000000A": () => ({ status: 200, json: { request: answers[Math.min(i++, answers.length - 1)] } }) };
    };
    const asked = { "POST /api/v1/access-requests": { status: 201, json: { request: dto() } } };
    const argv = ["prod/readonly", "--for", "2h", "--reason", "read logs", "--wait"];

    it("approved: says by whom and until when, and how to switch (exit 0), polling with backoff", async () => {
      const r = await go(argv, { ...asked, ...polls(dto(), dto(), dto(), approved()) });
      expect(r.code).toBe(EXIT.ok);
      expect(r.sleeps).toEqual([2000, 3000, 4500, 6750]);
      expect(r.stderr()).toContain("Approved by lead@example.com until 12:00: “ok”.");
      expect(r.stderr()).toContain("Switch with: switchboard credentials Production/ReadOnly");
    });

    it("backs off to at most 30 seconds", async () => {
      const r = await go(argv, { ...asked, ...polls(...Array.from({ length: 12 }, () => dto()), approved()) });
      expect(r.code).toBe(EXIT.ok);
      expect(Math.max(...r.sleeps)).toBe(30_000);
      expect(r.sleeps.at(-1)).toBe(30_000);
    });

    it("approved for less than asked: says so", async () => {
      const r = await go(argv, { ...asked, ...polls(approved({ grantedSeconds: 3600, endsAt: "2026-12-03T11:00:05Z" })) });
      expect(r.stderr()).toContain("until 11:00 (for 1 hour, less than asked)");
    });

    it("two approvals: tells of the first, finishes on the second", async () => {
      const first = dto({ approvalsRequired: 2, decisions: [{ approverEmail: "a@example.com", decision: "approve", comment: "", grantedSeconds: 7200, at: "2026-12-03T10:00:01Z" }] });
      const r = await go(argv, { ...asked, ...polls(first, first, approved({ approvalsRequired: 2, decisions: [first.decisions[0]!, { ...first.decisions[0]!, approverEmail: "b@example.com" }] })) });
      expect(r.code).toBe(EXIT.ok);
      expect(r.stderr().match(/waiting for 1 more approval/g)).toHaveLength(1);
      expect(r.stderr()).toContain("Approved by a@example.com and b@example.com until 12:00.");
    });

    it("denied: exit 9 with the approver's comment", async () => {
      const denied = dto({ status: "denied", decisions: [{ approverEmail: "lead@example.com", decision: "deny", comment: "use the replica", grantedSeconds: null, at: "2026-12-03T10:00:05Z" }] });
      const r = await go(argv, { ...asked, ...polls(denied) });
      expect(r.code).toBe(EXIT.requestDenied);
      expect(r.code).toBe(9);
      expect(r.stderr()).toContain("Denied by lead@example.com: “use the replica”");
    });

    it("withdrawn elsewhere: exit 1", async () => {
      const r = await go(argv, { ...asked, ...polls(dto({ status: "withdrawn" })) });
      expect(r.code).toBe(EXIT.failure);
      expect(r.stderr()).toContain("withdrawn");
    });

    it("Ctrl+C: exit 130, the request stays pending, and how to withdraw it", async () => {
      const controller = new AbortController();
      let polled = 0;
      const r = await go(
        argv,
        {
          ...asked,
          "GET /api/v1/access-requests/01JREQ0000000000000000000A": () => {
            if (++polled === 2) controller.abort();
            return { status: 200, json: { request: dto() } };
          },
        },
        { signal: controller.signal, sleep: async (_ms, signal) => (signal?.aborted ? Promise.reject(new Error("aborted")) : undefined) },
      );
      expect(r.code).toBe(EXIT.interrupted);
      expect(r.stderr()).toContain(`your request stays pending; withdraw it with switchboard request withdraw ${REQ_ID}`);
      expect(posted(r.calls)).toHaveLength(1);
    });

    it("rides out a console that cannot be reached for a poll or two", async () => {
      let polled = 0;
      const r = await go(argv, {
        ...asked,
        "GET /api/v1/access-requests/01JREQ0000000000000000000A": () => {
          polled++;
          if (polled < 3) return { status: 502, text: "<html>Bad gateway</html>" };
          return { status: 200, json: { request: approved() } };
        },
      });
      expect(r.code).toBe(EXIT.ok);
      expect(polled).toBe(3);
    });
  });

  it("list: your requests on standard output; --status is checked", async () => {
    const r = await go(["list"], { "GET /api/v1/access-requests": { status: 200, json: { requests: [dto(), approved({ id: "01JREQ0000000000000000000B" })] } } });
    expect(r.code).toBe(EXIT.ok);
    expect(r.calls[0]?.path).toBe("/api/v1/access-requests");
    expect(r.stdout().split("\n")).toHaveLength(3);
    expect(r.stdout()).toContain("Waiting for approval");
    const bad = await go(["list", "--status", "soon"], {});
    expect(bad.code).toBe(EXIT.usage);
    expect(bad.stderr()).toContain("--status soon: use one of pending, active");
  });

  it("list asks for view=mine and the status", async () => {
    const f = fakeIo({}, { env: signedIn });
    const seen: string[] = [];
    f.io.fetch = (async (input: string | URL | Request) => {
      seen.push(String(input));
      return new Response(JSON.stringify({ requests: [] }), { status: 200 });
    }) as typeof fetch;
    expect(await run(["request", "list", "--status", "pending"], f.io)).toBe(EXIT.ok);
    expect(seen).toEqual([`${URL_}/api/v1/access-requests?view=mine&status=pending`]);
    expect(f.stderr()).toContain("None of your requests is pending.");
  });

  it("roles: what you may ask for; none is exit 8 with what to do", async () => {
    const r = await go(["roles"], {});
    expect(r.code).toBe(EXIT.ok);
    expect(r.stdout()).toContain("Production/ReadOnly  up to 4h  any administrator or lead@example.com");
    const none = await go(["roles"], { "GET /api/v1/access-requests/roles": { status: 200, json: { roles: [] } } });
    expect(none.code).toBe(EXIT.roleNotFound);
    expect(none.stderr()).toContain("There is no role you may ask for");
  });

  it("withdraw: posts an empty body; gives up access in force; an unknown id is told plainly", async () => {
    const w = await go(["withdraw", REQ_ID], { [`POST /api/v1/access-requests/${REQ_ID}/cancel`]: { status: 200, json: { request: dto({ status: "withdrawn" }) } } });
    expect(w.code).toBe(EXIT.ok);
    expect(posted(w.calls)).toEqual([{ path: `/api/v1/access-requests/${REQ_ID}/cancel`, body: {} }]);
    expect(w.stderr()).toContain("Withdrew your request for Production/ReadOnly.");
    const ended = await go(["withdraw", REQ_ID], { [`POST /api/v1/access-requests/${REQ_ID}/cancel`]: { status: 200, json: { request: dto({ status: "ended" }) } } });
    expect(ended.stderr()).toContain("Gave up your access to Production/ReadOnly. Your sessions in it are being revoked.");
    const unknown = await go(["withdraw", REQ_ID], { [`POST /api/v1/access-requests/${REQ_ID}/cancel`]: error(404, "not_found", "No such access request.") });
    expect(unknown.code).toBe(EXIT.failure);
    expect(unknown.stderr()).toContain(`No request ${REQ_ID} of yours in the console. switchboard request list shows yours.`);
    const malformed = await go(["withdraw", "42"], {});
    expect(malformed.code).toBe(EXIT.usage);
    expect(malformed.stderr()).toContain("42 is not a request id");
  });

  it("extend: asks for more time, and --wait waits for it", async () => {
    const ext = dto({ id: "01JREQ0000000000000000000E", kind: "extension", extendsId: REQ_ID, requestedSeconds: 1800 });
    const r = await go(["extend", REQ_ID, "--for", "30m", "--reason", "not done yet", "--wait"], {
      [`POST /api/v1/access-requests/${REQ_ID}/extend`]: { status: 201, json: { request: ext } },
      "GET /api/v1/access-requests/01JREQ0000000000000000000E": { status: 200, json: { request: approved({ ...ext, status: "approved", endsAt: "2026-12-03T12:30:05Z", decisions: approved().decisions }) } },
    });
    expect(r.code).toBe(EXIT.ok);
    expect(posted(r.calls)).toEqual([{ path: `/api/v1/access-requests/${REQ_ID}/extend`, body: { durationSeconds: 1800, reason: "not done yet" } }]);
    expect(r.stderr()).toContain("Asked to extend your access to Production/ReadOnly by 30 minutes");
    expect(r.stderr()).toContain("Approved by lead@example.com until 12:30");
    const missing = await go(["extend", REQ_ID], {});
    expect(missing.code).toBe(EXIT.usage);
  });
});
