// The three statements Switchboard writes in a role's revocation policy, written and recognised
// in one place so that what is read back is exactly what was written. Pure: no I/O.
//
// Each denies every action to a role session issued before a time (the brake AWS documents for
// role sessions, since STS credentials cannot be recalled):
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_revoke-sessions.html
//   - everyone:  aws:TokenIssueTime earlier than T;
//   - by name:   and aws:userid like `*:<session name>`. For a role session aws:userid is
//                `<role unique id>:<role session name>`; neither part can contain a colon, so
//                the pattern matches that one session name exactly;
//   - by source: and aws:SourceIdentity equals the person's identity, which survives role
//                chaining, so a session of the role reached under another session name is
//                caught too.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
// (aws:TokenIssueTime, aws:userid, aws:SourceIdentity)

import type { Statement } from "@/lib/policy";
import { parseDate } from "@/lib/policy/values";

/** RoleSessionName and SourceIdentity: 2–64 characters of `[\w+=,.@-]`. Neither `*` nor `?`
 * (StringLike's wildcards) nor `:` (the separator in aws:userid) can occur.
 * https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html */
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;

export function isSessionName(value: string): boolean {
  return SESSION_NAME.test(value);
}

/** Only a full UTC date and time is read as ours: a shorter form ("2014", epoch seconds) may be
 * read differently by IAM, and misreading one as earlier would expire it too soon. */
const UTC_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z$/;

const TOKEN_ISSUE_TIME = "aws:TokenIssueTime";
const USER_ID = "aws:userid";
const SOURCE_IDENTITY = "aws:SourceIdentity";

/** A Switchboard statement, read back: who it covers and the time before which it denies. */
export type Recognised =
  | { kind: "everyone"; before: number }
  | { kind: "name"; sessionName: string; before: number }
  | { kind: "source"; sessionName: string; before: number };

/** ISO 8601 in UTC to the second, the form IAM's own revocation policy uses
 * (`2014-05-07T23:47:00Z`). Callers pass whole seconds. */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

function deny(sid: string, before: number, match?: Record<string, Record<string, string[]>>): Statement {
  return {
    Sid: sid,
    Effect: "Deny",
    Action: ["*"],
    Resource: ["*"],
    Condition: { DateLessThan: { [TOKEN_ISSUE_TIME]: [isoSeconds(before)] }, ...match },
  };
}

export const everyoneStatement = (sid: string, before: number): Statement => deny(sid, before);
export const nameStatement = (sid: string, sessionName: string, before: number): Statement =>
  deny(sid, before, { StringLike: { [USER_ID]: [`*:${sessionName}`] } });
export const sourceStatement = (sid: string, sessionName: string, before: number): Statement =>
  deny(sid, before, { StringEquals: { [SOURCE_IDENTITY]: [sessionName] } });

const only = <T>(values: T[] | undefined): T | undefined => (values?.length === 1 ? values[0] : undefined);

/** One condition `{ operator: { key: [value] } }` with a single key and value, or undefined. */
function single(block: Record<string, string[]> | undefined, key: string): string | undefined {
  if (!block) return undefined;
  const entries = Object.entries(block);
  if (entries.length !== 1) return undefined;
  const [name, values] = entries[0]!;
  return name.toLowerCase() === key.toLowerCase() ? only(values) : undefined;
}

/** Which Switchboard statement this is, judged by its shape alone (the Sid is ignored): a
 * statement that has exactly one of the three shapes denies exactly what Switchboard's would,
 * so it can be merged, expired or folded like one. Anything else is left as it is. */
export function recognise(statement: Statement): Recognised | undefined {
  const { Effect, Action, Resource, Condition } = statement;
  if (Effect !== "Deny" || only(Action) !== "*" || only(Resource) !== "*" || !Condition) return undefined;
  if (statement.Principal || statement.NotPrincipal || statement.NotAction || statement.NotResource) return undefined;
  const operators = Object.keys(Condition);
  const time = single(Condition.DateLessThan, TOKEN_ISSUE_TIME);
  const before = time !== undefined && UTC_TIME.test(time) ? parseDate(time) : undefined;
  if (before === undefined) return undefined;
  if (operators.length === 1) return { kind: "everyone", before };
  if (operators.length !== 2) return undefined;
  const like = single(Condition.StringLike, USER_ID);
  if (like !== undefined && like.startsWith("*:") && isSessionName(like.slice(2))) {
    return { kind: "name", sessionName: like.slice(2), before };
  }
  const source = single(Condition.StringEquals, SOURCE_IDENTITY);
  if (source !== undefined && isSessionName(source)) return { kind: "source", sessionName: source, before };
  return undefined;
}
