// switchboard request <role> --for <time> --reason … (issue 15 §2.1): access on request from the
// command line. Ask for a role you are eligible for, for a time, with a reason; optionally wait
// for the approvers' decision. Also: your requests (list), what you may ask for (roles),
// withdraw, extend. The console decides everything (lib/access/requests.ts); this checks only
// what it can say sooner and better (the duration's form, a reason the policy asks for).
import { setTimeout as wait } from "node:timers/promises";
import type { AccessRequestDto, RequestableRoleDto } from "@/lib/access/types";
import { ApiFailure, type Api } from "../api";
import { CliError, EXIT, usageError } from "../errors";
import type { Io } from "../io";
import { isEntryId, quoteArg, resolveEntry, type MatchWords } from "../role-match";
import { describeDuration, formatRequestableRoles, formatRequests, formatTime, parseAccessDuration, requestableMenu, roleNameOf } from "./request-format";
import { onePositional, parse, signedInApi } from "./shared";

export const REQUEST_USAGE = 'switchboard request <role> --for <time> [--reason "…"] [--ticket <ref>] [--wait] [--break-glass]';
const LIST_USAGE = "switchboard request list [--status pending|active|denied|withdrawn|ended|expired] [--json]";
const ROLES_USAGE = "switchboard request roles [--json]";
const WITHDRAW_USAGE = "switchboard request withdraw <id>";
const EXTEND_USAGE = 'switchboard request extend <id> --for <time> [--reason "…"] [--wait]';
export const REQUEST_MORE_USAGE = "switchboard request list | roles | withdraw <id> | extend <id> --for <time>";

export const REQUEST_HELP = `Usage: ${REQUEST_USAGE}
       ${LIST_USAGE}
       ${ROLES_USAGE}
       ${WITHDRAW_USAGE}
       ${EXTEND_USAGE}

Asks for access to a role you are eligible for (switchboard request roles lists them), for a
time, with a reason; the role's approvers decide in the console. Once approved you switch into
it as into any of your roles, until the access ends.

  switchboard request prod/readonly --for 2h --reason "INC-1234: read the payment logs" --wait
  switchboard credentials prod/readonly

<role> is an entry id, account/role as switchboard request roles shows it, or words that match
exactly one role you may ask for.

Options:
  --for <time>       how long: 45m, 90m, 2h, 1h30m (15 minutes to 12 hours, and at most what
                     the role allows)
  --reason "…"       why; approvers and the audit log read it (most roles require one)
  --ticket <ref>     the ticket the access is for, when the role asks for one (e.g. INC-1234)
  --wait             wait for the decision: exits 0 when approved, 9 when denied; Ctrl+C stops
                     waiting (130) and leaves the request pending
  --break-glass      access at once, without approval, where the role allows it: every approver
                     is told and reviews it afterwards. For emergencies only.
  --json             print the request (list, roles: the list) as JSON on standard output

list      your requests, newest first: id, status, role, and until or when
roles     the roles you may ask for: the longest access, who approves, where you stand
withdraw  withdraws a pending request, or gives up access you have from one
extend    asks for more time on access you have (approved like a request)
`;

const WORDS: MatchWords = {
  none: "There is no role you may ask for. An administrator makes people eligible for a role (Roles → the role → Access on request).",
  noMatch: (wanted) => `No role you may ask for matches "${wanted}". Run switchboard request roles to see them.`,
  list: "switchboard request roles",
};

/** How the wait polls: first after `initialMs`, then half as long again each time, up to `maxMs`
 * (so a decision made at once is seen at once, and a long wait costs few requests). */
export type WaitOptions = {
  signal?: AbortSignal;
  /** Waits between polls (tests pass one that records the waits). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  initialMs?: number;
  maxMs?: number;
  now?: () => number;
  /** The time zone of the times printed (the machine's by default). */
  timeZone?: string;
};

const SUBCOMMANDS: Record<string, (args: string[], io: Io, opts: WaitOptions) => Promise<number>> = {
  list,
  roles: requestableRoles,
  withdraw,
  extend,
};

export const request = (args: string[], io: Io) => requestCommand(args, io, {});

export async function requestCommand(args: string[], io: Io, opts: WaitOptions): Promise<number> {
  const sub = args[0] !== undefined ? SUBCOMMANDS[args[0]] : undefined;
  if (sub) return sub(args.slice(1), io, opts);
  const { values, positionals } = parse(args, {
    for: { type: "string" },
    reason: { type: "string" },
    ticket: { type: "string" },
    wait: { type: "boolean" },
    "break-glass": { type: "boolean" },
    json: { type: "boolean" },
  });
  if (values.help) return io.out(REQUEST_HELP), EXIT.ok;
  const wanted = onePositional(positionals, "the role", REQUEST_USAGE);
  const durationSeconds = parseAccessDuration(values.for, REQUEST_USAGE);
  const reason = (values.reason ?? "").trim();
  const ticket = values.ticket?.trim() || undefined;
  const breakGlass = values["break-glass"] === true;

  const api = signedInApi(io);
  const { roles } = await api.request<{ roles: RequestableRoleDto[] }>("GET", "/api/v1/access-requests/roles");
  const entry = resolveEntry(requestableMenu(roles), wanted, WORDS);
  const role = roles.find((r) => r.roleId === entry.id)!;
  const name = roleNameOf(role);
  const now = (opts.now ?? Date.now)();
  checkBeforeAsking(role, { durationSeconds, reason, ticket, breakGlass }, now, opts.timeZone);

  const { request: created } = await api.request<{ request: AccessRequestDto }>("POST", "/api/v1/access-requests", {
    roleId: role.roleId,
    durationSeconds,
    reason,
    ...(ticket ? { ticket } : {}),
    ...(breakGlass ? { breakGlass: true } : {}),
  });
  const link = `${api.url}/requests/${created.id}`;
  if (created.kind === "break_glass") {
    io.err(
      [
        `Break-glass: you have ${name} now, until ${time(created.endsAt, opts)}, without approval.`,
        `WARNING: every approver (${role.approvers}) has been told, and will review this use and your reason.`,
        `  ${link}`,
        `Switch with: switchboard credentials ${quoteArg(name)}`,
        "",
      ].join("\n"),
    );
    if (values.json) io.out(`${JSON.stringify(created, null, 2)}\n`);
    return EXIT.ok;
  }
  io.err(
    [
      `Asked for ${name} for ${describeDuration(durationSeconds)}${ticket ? ` (${ticket})` : ""}${reason ? `: “${reason}”` : ""}.`,
      `${role.approvalsRequired > 1 ? `${role.approvalsRequired} approvals are needed, from` : "Approvers:"} ${role.approvers}. They are told now.`,
      `Request ${created.id}: ${link}`,
      "",
    ].join("\n"),
  );
  if (!values.wait) {
    io.err(`When it is approved: switchboard credentials ${quoteArg(name)}   (switchboard request list shows where it stands)\n`);
    if (values.json) io.out(`${JSON.stringify(created, null, 2)}\n`);
    return EXIT.ok;
  }
  const decided = await waitWithCtrlC(api, created, io, opts);
  if (values.json) io.out(`${JSON.stringify(decided, null, 2)}\n`);
  io.err(`Switch with: switchboard credentials ${quoteArg(name)}\n`);
  return EXIT.ok;
}

/** What the console would refuse and the command line can say before sending anything: a
 * request already waiting or access already in force, a missing reason or ticket, break-glass
 * where the role does not allow it. The console checks all of it again (and the duration's
 * maximum, whose refusal it words itself). */
export function checkBeforeAsking(role: RequestableRoleDto, input: { durationSeconds: number; reason: string; ticket?: string; breakGlass: boolean }, now: number, timeZone?: string): void {
  const name = roleNameOf(role);
  if (input.breakGlass && !role.breakGlass) throw new CliError(EXIT.notGranted, `Break-glass is not allowed for ${name}: ask for it instead (without --break-glass).`);
  if (role.activeRequest) {
    throw new CliError(
      EXIT.failure,
      `You already have access to ${name} until ${formatTime(role.activeRequest.endsAt, now, timeZone)}. Switch with: switchboard credentials ${quoteArg(name)}\nFor more time: switchboard request extend ${role.activeRequest.id} --for 30m --reason "…"`,
    );
  }
  if (role.pendingRequestId && !input.breakGlass) {
    throw new CliError(EXIT.failure, `You already asked for ${name}; request ${role.pendingRequestId} is waiting for approval. Withdraw it with: switchboard request withdraw ${role.pendingRequestId}`);
  }
  if ((role.reasonRequired || input.breakGlass) && input.reason.length < 3) {
    throw usageError(`${name} needs a reason: add --reason "…" (a few words at least; approvers and the audit log read it).`);
  }
  if (role.ticketPattern && !input.ticket) throw usageError(`${name} needs the ticket the access is for: add --ticket <ref> (matching ${role.ticketPattern}).`);
}

const time = (iso: string | null, opts: WaitOptions) => (iso ? formatTime(iso, (opts.now ?? Date.now)(), opts.timeZone) : "?");

/** Waits for the decision, with Ctrl+C stopping the wait (and leaving the request as it is). */
async function waitWithCtrlC(api: Api, created: AccessRequestDto, io: Io, opts: WaitOptions): Promise<AccessRequestDto> {
  if (opts.signal) return waitForDecision(api, created, io, opts);
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once("SIGINT", stop);
  try {
    return await waitForDecision(api, created, io, { ...opts, signal: controller.signal });
  } finally {
    process.off("SIGINT", stop);
  }
}

/** How many polls in a row may fail to reach the console before the wait gives up. */
const MAX_UNREACHABLE_POLLS = 5;

/** Polls the request until it is decided: returns it approved; throws exit 9 when denied, 1 when
 * withdrawn or ended, 130 on Ctrl+C (the request stays pending). */
export async function waitForDecision(api: Api, created: AccessRequestDto, io: Io, opts: WaitOptions): Promise<AccessRequestDto> {
  const sleep = opts.sleep ?? ((ms: number, signal?: AbortSignal) => wait(ms, undefined, { signal }));
  const stopped = () =>
    new CliError(
      EXIT.interrupted,
      `Stopped waiting: your request stays pending; withdraw it with switchboard request withdraw ${created.id}\n(switchboard request list shows where it stands.)`,
    );
  let interval = opts.initialMs ?? 2000;
  const maxMs = opts.maxMs ?? 30_000;
  let unreachable = 0;
  let approvalsSeen = created.decisions.filter((d) => d.decision === "approve").length;
  io.err(`Waiting for ${created.approvalsRequired > 1 ? "the approvers" : "an approver"} (Ctrl+C stops waiting; the request stays pending)…\n`);
  for (;;) {
    try {
      await sleep(interval, opts.signal);
    } catch {
      throw stopped();
    }
    if (opts.signal?.aborted) throw stopped();
    interval = Math.min(Math.round(interval * 1.5), maxMs);
    let current: AccessRequestDto;
    try {
      current = (await api.request<{ request: AccessRequestDto }>("GET", `/api/v1/access-requests/${created.id}`)).request;
      unreachable = 0;
    } catch (err) {
      if (opts.signal?.aborted) throw stopped();
      if (err instanceof CliError && err.exitCode === EXIT.unreachable && !(err instanceof ApiFailure) && ++unreachable < MAX_UNREACHABLE_POLLS) continue;
      throw err;
    }
    const approvals = current.decisions.filter((d) => d.decision === "approve");
    switch (current.status) {
      case "pending":
        if (approvals.length > approvalsSeen) {
          approvalsSeen = approvals.length;
          io.err(`Approved by ${approvals.map((d) => d.approverEmail).join(", ")}; waiting for ${current.approvalsRequired - approvals.length} more approval…\n`);
        }
        continue;
      case "approved": {
        const by = approvals.length ? ` by ${approvals.map((d) => d.approverEmail).join(" and ")}` : "";
        const comments = approvals.filter((d) => d.comment).map((d) => `“${d.comment}”`);
        const shorter = current.grantedSeconds !== null && current.grantedSeconds < current.requestedSeconds ? ` (for ${describeDuration(current.grantedSeconds)}, less than asked)` : "";
        io.err(`Approved${by} until ${time(current.endsAt, opts)}${shorter}${comments.length ? `: ${comments.join(" ")}` : ""}.\n`);
        return current;
      }
      case "denied": {
        const denial = current.decisions.find((d) => d.decision === "deny");
        const said = denial?.comment ? `: “${denial.comment}”` : current.endComment ? `: ${current.endComment}` : " (no comment).";
        throw new CliError(EXIT.requestDenied, `Denied by ${denial?.approverEmail ?? "the console"}${said}`);
      }
      case "expired":
        throw new CliError(EXIT.failure, `The access was approved and has ended already, at ${time(current.endsAt, opts)}.`);
      case "withdrawn":
        throw new CliError(EXIT.failure, `The request was withdrawn (in the console, or another request replaced it). Nothing to wait for.`);
      case "ended":
        throw new CliError(EXIT.failure, `The access was ended${current.endedBy ? ` by ${current.endedBy}` : ""}${current.endComment ? `: “${current.endComment}”` : ""}.`);
    }
  }
}

const LIST_STATUSES = ["pending", "active", "denied", "withdrawn", "ended", "expired", "any"];

async function list(args: string[], io: Io, opts: WaitOptions): Promise<number> {
  const { values, positionals } = parse(args, { status: { type: "string" }, json: { type: "boolean" } });
  if (values.help) return io.out(`Usage: ${LIST_USAGE}\n\nYour requests, newest first (the last 50): id, status, role, and until or when.\n`), EXIT.ok;
  if (positionals.length) throw usageError(`Unexpected argument ${positionals[0]}. Usage: ${LIST_USAGE}`);
  const status = values.status ?? "any";
  if (!LIST_STATUSES.includes(status)) throw usageError(`--status ${status}: use one of ${LIST_STATUSES.join(", ")}.`);
  const { requests } = await signedInApi(io).request<{ requests: AccessRequestDto[] }>("GET", `/api/v1/access-requests?view=mine&status=${status}`);
  if (values.json) return io.out(`${JSON.stringify(requests, null, 2)}\n`), EXIT.ok;
  if (requests.length === 0) {
    io.err(status === "any" ? "You have not asked for access yet. switchboard request roles lists what you may ask for.\n" : `None of your requests is ${status}.\n`);
    return EXIT.ok;
  }
  io.out(`${formatRequests(requests, io.stdoutIsTTY, (opts.now ?? Date.now)(), opts.timeZone).join("\n")}\n`);
  return EXIT.ok;
}

async function requestableRoles(args: string[], io: Io, opts: WaitOptions): Promise<number> {
  const { values, positionals } = parse(args, { json: { type: "boolean" } });
  if (values.help) return io.out(`Usage: ${ROLES_USAGE}\n\nThe roles you may ask for: id, account/role, the longest access, who approves, and where you stand.\n`), EXIT.ok;
  if (positionals.length) throw usageError(`Unexpected argument ${positionals[0]}. Usage: ${ROLES_USAGE}`);
  const { roles } = await signedInApi(io).request<{ roles: RequestableRoleDto[] }>("GET", "/api/v1/access-requests/roles");
  if (values.json) return io.out(`${JSON.stringify(roles, null, 2)}\n`), EXIT.ok;
  if (roles.length === 0) throw new CliError(EXIT.roleNotFound, WORDS.none);
  io.out(`${formatRequestableRoles(roles, io.stdoutIsTTY, (opts.now ?? Date.now)(), opts.timeZone).join("\n")}\n`);
  return EXIT.ok;
}

function requestId(positionals: string[], usage: string): string {
  const id = onePositional(positionals, "the request's id", usage);
  // A ULID, like every id the console gives (switchboard request list shows them).
  if (!isEntryId(id)) throw usageError(`${id} is not a request id: switchboard request list shows yours (26 letters and digits).`);
  return id;
}

async function withdraw(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, {});
  if (values.help) return io.out(`Usage: ${WITHDRAW_USAGE}\n\nWithdraws a request that is waiting for approval, or gives up access you have from one\n(your live sessions in the role are revoked when the role's policy says so).\n`), EXIT.ok;
  const id = requestId(positionals, WITHDRAW_USAGE);
  const { request: r } = await ofRequest(id, signedInApi(io).request<{ request: AccessRequestDto }>("POST", `/api/v1/access-requests/${id}/cancel`, {}));
  const name = roleNameOf(r.role);
  if (r.status === "ended") io.err(`Gave up your access to ${name}.${r.revokeOnEnd ? " Your sessions in it are being revoked." : ""}\n`);
  else io.err(`Withdrew your request for ${name}.\n`);
  return EXIT.ok;
}

async function extend(args: string[], io: Io, opts: WaitOptions): Promise<number> {
  const { values, positionals } = parse(args, { for: { type: "string" }, reason: { type: "string" }, wait: { type: "boolean" }, json: { type: "boolean" } });
  if (values.help) return io.out(`Usage: ${EXTEND_USAGE}\n\nAsks for more time on access you have from a request; approvers decide as for a request.\nThe time is added to the access's end. --wait waits for the decision (exit 9 if denied).\n`), EXIT.ok;
  const id = requestId(positionals, EXTEND_USAGE);
  const durationSeconds = parseAccessDuration(values.for, EXTEND_USAGE);
  const api = signedInApi(io);
  const { request: ext } = await ofRequest(id, api.request<{ request: AccessRequestDto }>("POST", `/api/v1/access-requests/${id}/extend`, { durationSeconds, reason: (values.reason ?? "").trim() }));
  const name = roleNameOf(ext.role);
  io.err(`Asked to extend your access to ${name} by ${describeDuration(durationSeconds)}; its approvers are told now.\nRequest ${ext.id}: ${api.url}/requests/${ext.id}\n`);
  if (values.wait) {
    const decided = await waitWithCtrlC(api, ext, io, opts);
    if (values.json) io.out(`${JSON.stringify(decided, null, 2)}\n`);
    return EXIT.ok;
  }
  if (values.json) io.out(`${JSON.stringify(ext, null, 2)}\n`);
  return EXIT.ok;
}

/** A request id the console does not know, or not one of yours (it answers 404 for both: a
 * request's existence is not public); its own message would point at switchboard roles. */
async function ofRequest<T>(id: string, call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (err) {
    if (err instanceof ApiFailure && err.status === 404) throw new CliError(EXIT.failure, `No request ${id} of yours in the console. switchboard request list shows yours.`);
    throw err;
  }
}
