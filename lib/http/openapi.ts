import "server-only";
// The OpenAPI 3.1 description of /api/v1. Request bodies come from the very zod schemas the
// route handlers parse with, so the document cannot drift from what the API accepts.
import { z } from "zod";
import { auditFilter } from "@/lib/audit/list-events";
import { listReviewQuery, reviewInput } from "@/lib/access/review-schemas";
import {
  approveInput,
  createAccessRequestInput,
  denyInput,
  eligibilityInput,
  endInput,
  extendInput,
  listAccessRequestsQuery,
  reviewInput as breakGlassReviewInput,
} from "@/lib/access/schemas";
import {
  createAccountInput,
  createGrantInput,
  createGrantsInput,
  deleteGrantsInput,
  updateGrantInput,
  importAccountsInput,
  registerRoleInput,
  updateAccountInput,
  updateRoleInput,
} from "@/lib/catalog/schemas";
import { stepUpInput } from "@/lib/auth/step-up";
import { applyConfigImportInput } from "@/lib/catalog/config-import";
import { pollDeviceInput, startDeviceInput } from "@/lib/device/schemas";
import { HEALTH_WHY } from "@/lib/catalog/health";
import { ERROR_STATUS } from "@/lib/errors";
import { applyInput } from "@/lib/provision/api-schemas";
import { wizardDocumentInput } from "@/lib/provision/schema";
import { revokeRoleSessionsInput } from "@/lib/revocation/revoke";
import { startSessionInput } from "@/lib/sessions/start-session";
import { createUserInput, updateUserInput } from "@/lib/users/schemas";
import { createWebhookInput, updateWebhookInput } from "@/lib/webhooks/schemas";

type Json = Record<string, unknown>;

const schema = (s: z.ZodType): Json => {
  const json = z.toJSONSchema(s, { target: "draft-2020-12", io: "input", unrepresentable: "any" }) as Json;
  delete json.$schema;
  return json;
};

/** The one error body (lib/errors.ts), as every route, server action and the provisioning stream
 * answer it. */
const ERROR_BODY: Json = {
  type: "object",
  required: ["code", "message", "requestId"],
  properties: {
    code: { type: "string", enum: Object.keys(ERROR_STATUS), description: "Maps to the HTTP status: see each response." },
    message: { type: "string", description: "What went wrong and what to do, in plain words." },
    requestId: { type: "string", description: "The request's id, as in the X-Request-Id header and the server's log: quote it when reporting a problem." },
    fields: { type: "object", additionalProperties: { type: "string" }, description: "bad_request: field path → what is wrong with it." },
    details: {
      type: "object",
      description:
        "Structured help, never a secret: `explanation` (aws_denied: which half of the trust is missing, and the JSON statement to add), `findings` (bad_request from /provisioning/apply: the lint findings to fix or acknowledge), `stepUp` (step_up_required: \"password\" or \"oidc\"), `error` and `interval` (the device sign-in, /device/token: RFC 8628's error code, and the seconds to wait between polls).",
    },
    retryAfter: { type: "integer", minimum: 1, description: "rate_limited (and unavailable when known): seconds to wait, also sent as Retry-After." },
  },
};

/** Operations a personal access token may call, besides a signed-in session. */
const TOKEN_OR_SESSION: Json[] = [{ sessionCookie: [] }, { personalToken: [] }];

const ERROR: Json = { type: "object", required: ["error"], properties: { error: { $ref: "#/components/schemas/ErrorBody" } } };

/** A role entry's last conclusive test (lib/catalog/health.ts), on every role entry as `health`
 * (null: never tested). */
const ROLE_HEALTH: Json = {
  type: ["object", "null"],
  required: ["ok", "code", "why", "reason", "testedAt", "source"],
  properties: {
    ok: { type: "boolean", description: "Whether the console could assume the role." },
    code: { type: "string", description: '"ok", or the error code of the failed test (aws_denied).' },
    why: { type: ["string", "null"], enum: [...HEALTH_WHY, null], description: "Why it fails, in short; null when it works." },
    reason: { type: "string", description: "The test's own sentence: what works, or what is wrong and where to fix it." },
    testedAt: { type: "string", format: "date-time" },
    source: { type: "string", enum: ["manual", "background", "registered", "switch"], description: "An administrator's Test, the test at registration, the background re-test (SWITCHBOARD_ROLE_HEALTH_INTERVAL), or a switch." },
  },
};
const ROLE_ENTRY = (description: string, list = false): Json => {
  const entry = { type: "object", properties: { health: { $ref: "#/components/schemas/RoleHealth" } }, additionalProperties: true };
  return ok(description, { properties: list ? { roles: { type: "array", items: entry } } : { role: entry } });
};

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: "bad_request: invalid path, query or body (fields names each field to fix), or a body that is not JSON",
  401: "unauthorized: not signed in, or the session has ended; step_up_required: this changes IAM and the sign-in is older than 15 minutes (confirm with POST /me/step-up)",
  403: "forbidden: not allowed for your console role, or a cross-site request; aws_denied: AWS refused (details.explanation says why)",
  404: "not_found: no such resource, or not one you may see",
  409: "conflict: clashes with what exists",
  413: "payload_too_large: the body is over 1 MB",
  429: "rate_limited: too many requests; wait the Retry-After header's seconds",
  500: "internal: a bug; the message is generic and carries the request id",
  502: "upstream_error: AWS could not be reached, throttled, or failed",
  503: "unavailable: try again shortly",
};

const errors = (...codes: number[]): Json =>
  Object.fromEntries(
    codes.map((code) => [
      String(code),
      {
        description: ERROR_DESCRIPTIONS[code],
        headers: { "X-Request-Id": { schema: { type: "string" } }, ...(code === 429 || code === 503 ? { "Retry-After": { schema: { type: "integer" } } } : {}) },
        content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
      },
    ]),
  );

/** What apiRoute itself can answer for an operation, whatever its handler does: 401 for everyone
 * not signed in; 403 where a permission is needed or a browser sends a cross-site write; 400 where
 * there is a path, query or body to parse; 413 where there is a body; 500 for a bug. */
function withRouteErrors(method: string, path: string, op: Json): Json {
  const responses = op.responses as Json;
  // A public operation (`security: []`, the device sign-in) is never refused for want of a session.
  const isPublic = Array.isArray(op.security) && op.security.length === 0;
  const codes = isPublic ? [500] : [401, 500];
  if (method !== "get" || path !== "/me") codes.push(403);
  if (op.parameters || op.requestBody) codes.push(400);
  if (op.requestBody) codes.push(413);
  const added = errors(...codes.filter((c) => !(String(c) in responses)));
  return { ...op, responses: Object.fromEntries(Object.entries({ ...responses, ...added }).sort(([a], [b]) => a.localeCompare(b))) };
}

/** One line of the provisioning stream: progress, then one result. */
const APPLY_STEPS: Json = { type: "array", items: { type: "object", required: ["id", "label", "status"], properties: { id: { type: "string" }, label: { type: "string" }, status: { type: "string", enum: ["pending", "running", "done", "failed", "rolled-back", "skipped"] }, error: { type: "string" } } } };
const APPLY_RESULT: Json = {
  type: "object",
  required: ["ok"],
  properties: {
    ok: { type: "boolean" },
    steps: APPLY_STEPS,
    error: { $ref: "#/components/schemas/ErrorBody", description: "When ok is false: why, and what was rolled back." },
    role: { type: "object", properties: { id: { type: "string" }, roleArn: { type: "string" }, displayName: { type: "string" } } },
    rollbackIncomplete: { type: "boolean" },
  },
};
const APPLY_LINE: Json = {
  oneOf: [
    { type: "object", required: ["type", "steps"], properties: { type: { const: "steps" }, steps: APPLY_STEPS } },
    { allOf: [{ type: "object", required: ["type"], properties: { type: { const: "result" } } }, APPLY_RESULT], description: "The last line. A failure after the 200 was sent (an unexpected one included) is this line with ok false and the error body." },
  ],
};

const ok = (description: string, extra: Json = {}): Json => ({ description, content: { "application/json": { schema: { type: "object", ...extra } } } });
const body = (s: z.ZodType): Json => ({ required: true, content: { "application/json": { schema: schema(s) } } });
const pathParam = (name: string, description: string): Json => ({ name, in: "path", required: true, schema: { type: "string" }, description });

function queryParams(s: z.ZodObject): Json[] {
  const json = schema(s) as { properties?: Record<string, Json> };
  return Object.entries(json.properties ?? {}).map(([name, p]) => ({ name, in: "query", required: false, schema: p }));
}

export function openApiDocument(serverUrl: string): Json {
  const accountId = pathParam("id", "The 12-digit AWS account id, or the registry's id");
  const id = pathParam("id", "The registry's id");
  return {
    openapi: "3.1.0",
    info: {
      title: "Switchboard API",
      version: "1",
      description:
        "The same operations as the Switchboard console, through the same code and permission checks. Authenticated by the console's session cookie (sign in first). Errors are `{ error: ErrorBody }` (code, message, requestId, and fields, details or retryAfter where they apply), with the X-Request-Id header. Responses that carry credentials or console sign-in URLs are `Cache-Control: no-store` and meant only for the caller.",
    },
    servers: [{ url: `${serverUrl}/api/v1` }],
    security: [{ sessionCookie: [] }],
    components: {
      securitySchemes: {
        sessionCookie: { type: "apiKey", in: "cookie", name: "next-auth.session-token", description: "`__Secure-next-auth.session-token` over HTTPS" },
        personalToken: {
          type: "http",
          scheme: "bearer",
          description:
            "A personal access token (`swbt_…`, made under Command line & tokens): only GET /me, GET /me/menu, DELETE /me/token, the access requests' reads and, with the switch scope, POST /sessions and asking for, extending or withdrawing access (POST /access-requests, …/extend, …/cancel) take one; every other operation (approving, denying, ending, reviewing included) refuses it with 403.",
        },
      },
      schemas: { ErrorBody: ERROR_BODY, Error: ERROR, RoleHealth: ROLE_HEALTH },
    },
    paths: withErrorsOfEveryRoute({
      "/me": {
        get: { summary: "Who the session (or personal access token) belongs to", tags: ["session"], security: TOKEN_OR_SESSION, responses: { 200: ok("The caller"), ...errors(401) } },
      },
      "/me/token": {
        delete: {
          summary: "End the personal access token the request is sent with (the command line's sign-out)",
          tags: ["session"],
          security: [{ personalToken: [] }],
          responses: { 200: ok("The token, now revoked"), ...errors(400, 401) },
        },
      },
      "/device/authorizations": {
        post: {
          summary:
            "Start a command line's device sign-in (RFC 8628 §3.1; no session or token: the caller has none yet). The RFC's parameters as JSON; the answer is the RFC's: device_code (the poll's proof, shown to nobody), user_code (XXXX-XXXX, typed by the person at verification_uri), verification_uri, verification_uri_complete, expires_in (600), interval (5). Limited per client address (429)",
          tags: ["device"],
          security: [],
          requestBody: body(startDeviceInput),
          responses: { 200: ok("The codes and where to type the user code"), ...errors(400, 403, 429) },
        },
      },
      "/device/token": {
        post: {
          summary:
            "Poll for the device sign-in's token (RFC 8628 §3.4; no session or token). Until the person decides: 400 bad_request with the RFC's error in details.error: authorization_pending, slow_down (details.interval: the seconds to wait from now on), access_denied, expired_token, invalid_grant (unknown or already used). Once approved, the first poll only: { access_token, token_type: \"Bearer\", expires_in, scope: \"switch\" }, a personal access token of the person who approved",
          tags: ["device"],
          security: [],
          requestBody: body(pollDeviceInput),
          responses: { 200: ok("The token, once", { properties: { access_token: { type: "string" }, token_type: { const: "Bearer" }, expires_in: { type: "integer" }, scope: { const: "switch" } } }), ...errors(400, 403, 409) },
        },
      },
      "/me/pins/{roleId}": {
        put: {
          summary: "Pin a role to the top of the caller's menu, or unpin it",
          tags: ["session"],
          parameters: [pathParam("roleId", "The role entry's id")],
          requestBody: { required: true, content: { "application/json": { schema: { type: "object", required: ["pinned"], properties: { pinned: { type: "boolean" } } } } } },
          responses: { 200: ok("Pinned or unpinned"), ...errors(400, 401, 403, 404) },
        },
      },
      "/me/step-up": {
        post: {
          summary: "Confirm who you are again (password), so that creating roles and changing trust work for the next 15 minutes",
          tags: ["session"],
          requestBody: body(stepUpInput),
          responses: { 200: ok("Confirmed", { properties: { verifiedUntil: { type: "string", format: "date-time" } } }), ...errors(400, 401, 429) },
        },
      },
      "/me/menu": {
        get: { summary: "The Switch Role menu's data", tags: ["session"], security: TOKEN_OR_SESSION, responses: { 200: ok("Accounts and the roles the caller may switch into"), ...errors(401, 403) } },
      },
      "/accounts": {
        get: { summary: "List registered accounts", tags: ["accounts"], responses: { 200: ok("Accounts"), ...errors(401, 403) } },
        post: { summary: "Register an account", tags: ["accounts"], requestBody: body(createAccountInput), responses: { 201: ok("The account"), ...errors(400, 401, 403, 409) } },
      },
      "/accounts/{id}": {
        get: { summary: "One account", tags: ["accounts"], parameters: [accountId], responses: { 200: ok("The account"), ...errors(401, 403, 404) } },
        patch: { summary: "Change an account", tags: ["accounts"], parameters: [accountId], requestBody: body(updateAccountInput), responses: { 200: ok("The account"), ...errors(400, 401, 403, 404) } },
        delete: {
          summary: "Delete an account (with its role entries only when cascade=true)",
          tags: ["accounts"],
          parameters: [accountId, { name: "cascade", in: "query", schema: { type: "string", enum: ["true", "false"] } }],
          responses: { 200: ok("Deleted"), ...errors(401, 403, 404, 409) },
        },
      },
      "/accounts/import": {
        get: { summary: "The organization's accounts (AWS Organizations), new or registered", tags: ["accounts"], responses: { 200: ok("Accounts"), ...errors(400, 401, 403, 502) } },
        post: { summary: "Register organization accounts", tags: ["accounts"], requestBody: body(importAccountsInput), responses: { 200: ok("Added and skipped"), ...errors(400, 401, 403, 502) } },
      },
      "/catalog/import": {
        post: {
          summary:
            "Register the accounts and roles of an AWS Extend Switch Roles configuration or an AWS config file (text up to 256 KiB, 2,000 profiles; format auto, aesr or aws-config): the chosen new accounts (name, environment) and roles (by role ARN), all new ones when absent, in one transaction, each audited and the roles tested. With ?dryRun=true, the preview instead: accounts and roles new or registered, profiles skipped and lines that could not be read, each with its line and reason; nothing changes",
          tags: ["roles"],
          parameters: [{ name: "dryRun", in: "query", required: false, schema: { type: "string", enum: ["true", "false"] } }],
          requestBody: body(applyConfigImportInput),
          responses: { 200: ok("{ plan } with dryRun=true; otherwise addedAccounts, addedRoles, skipped"), ...errors(400, 401, 403) },
        },
      },
      "/accounts/{id}/discover": {
        get: { summary: "An account's IAM roles, through its provisioning role", tags: ["roles"], parameters: [accountId], responses: { 200: ok("Roles with trust summaries"), ...errors(400, 401, 403, 404, 502) } },
      },
      "/accounts/{id}/policies": {
        get: {
          summary: "Managed policies (AWS's and the account's own) that a new role can attach",
          tags: ["provisioning"],
          parameters: [accountId, { name: "q", in: "query", schema: { type: "string" } }],
          responses: { 200: ok("Up to 50 matching policies"), ...errors(400, 401, 403, 404) },
        },
      },
      "/provisioning/plan": {
        post: {
          summary:
            "Plan a new role from a wizard document: trust, permission and source-side policies, lint findings, the apply's steps, and Terraform/CloudFormation/CLI/~/.aws/config exports. A role name the account already has, or a managed policy it does not have, is a 400 at the fields (target.roleName, permissions.managedPolicyArns.<i>); these checks against AWS are limited per person (429)",
          tags: ["provisioning"],
          requestBody: body(wizardDocumentInput),
          responses: { 200: ok("plan + steps + usage + exports"), ...errors(400, 401, 403, 429) },
        },
      },
      "/provisioning/apply": {
        post: {
          summary: "Create the planned role through the account's provisioning role, rolled back on failure, then register it; Accept: application/x-ndjson streams the steps",
          tags: ["provisioning"],
          parameters: [
            {
              name: "Idempotency-Key",
              in: "header",
              required: false,
              description: "Makes a retry safe: the same key (per user) returns the first answer with Idempotent-Replayed: true instead of applying again; 409 while that one is still running or when the key was used for another role",
              schema: { type: "string", minLength: 1, maxLength: 255, pattern: "^[\\x21-\\x7e]+$" },
            },
          ],
          requestBody: body(applyInput),
          responses: {
            200: {
              description: "The apply ran: ok, steps, error (when ok is false), role (when created). With Accept: application/x-ndjson, one JSON object per line: steps lines, then one result line.",
              content: { "application/json": { schema: APPLY_RESULT }, "application/x-ndjson": { schema: APPLY_LINE } },
            },
            ...errors(400, 401, 403, 409),
          },
        },
      },
      "/roles": {
        get: { summary: "List role entries", tags: ["roles"], parameters: [{ name: "accountId", in: "query", schema: { type: "string" } }], responses: { 200: ROLE_ENTRY("Role entries, each with its last test", true), ...errors(400, 401, 403, 404) } },
        post: {
          summary: "Register a role entry, then test it (one AssumeRole; the entry is registered whatever the test says, and `health` carries its result)",
          tags: ["roles"],
          requestBody: body(registerRoleInput),
          responses: { 201: ROLE_ENTRY("The role entry"), ...errors(400, 401, 403, 409) },
        },
      },
      "/roles/{id}": {
        get: { summary: "One role entry", tags: ["roles"], parameters: [id], responses: { 200: ROLE_ENTRY("The role entry, with its last test"), ...errors(400, 401, 403, 404) } },
        patch: {
          summary: "Change a role entry; a changed ExternalId or SourceIdentity is tested again at once",
          tags: ["roles"],
          parameters: [id],
          requestBody: body(updateRoleInput),
          responses: { 200: ROLE_ENTRY("The role entry"), ...errors(400, 401, 403, 404) },
        },
        delete: { summary: "Remove a role entry (the IAM role stays)", tags: ["roles"], parameters: [id], responses: { 200: ok("Removed"), ...errors(400, 401, 403, 404) } },
      },
      "/roles/{id}/test": {
        post: {
          summary: "Test a role: a real AssumeRole from the console's AWS identity. A conclusive result is kept as the entry's `health`",
          tags: ["roles"],
          parameters: [id],
          responses: { 200: ok("Works, or why not"), ...errors(400, 401, 403, 404, 429) },
        },
      },
      "/roles/{id}/revoke-sessions": {
        post: {
          summary:
            "End live AWS sessions in a role entry: one person's ({ userEmail }) or everyone's ({}). Writes the SwitchboardRevokedSessions inline policy on the role (a deny for sessions issued before now) through the account's provisioning role: { revocation: { roleId, roleArn, accountName, ok, message, folded? } }",
          tags: ["roles"],
          parameters: [id],
          requestBody: body(revokeRoleSessionsInput),
          responses: { 200: ok("What is denied now"), ...errors(400, 401, 403, 404, 409, 502, 503) },
        },
      },
      "/access-requests": {
        get: {
          summary:
            "Access requests the caller may see: view=mine (their own), to-approve (waiting for their decision: they are an approver under the entry's policy and not the requester), to-review (break-glass uses waiting for their review), all (administrators and auditors); status filters (active: approved and not yet ended). { requests: AccessRequest[] }, each with its decisions, startsAt/endsAt, revocation state and `can` (the steps the caller may take)",
          tags: ["access requests"],
          security: TOKEN_OR_SESSION,
          parameters: queryParams(listAccessRequestsQuery),
          responses: { 200: ok("Requests"), ...errors(400, 401, 403) },
        },
        post: {
          summary:
            "Ask for a role entry the caller is eligible for, for durationSeconds (at most the entry's policy allows), with a reason (and a ticket matching the policy's pattern, if it has one); breakGlass: true gives access at once where the policy allows it, tells every approver and queues a review. A switch token may ask. { request: AccessRequest }",
          tags: ["access requests"],
          security: TOKEN_OR_SESSION,
          requestBody: body(createAccessRequestInput),
          responses: { 201: ok("The request"), ...errors(400, 401, 403, 404, 409) },
        },
      },
      "/access-requests/roles": {
        get: { summary: "The role entries the caller may ask for, with each policy's longest duration, reason and ticket rules, break-glass, who approves, and any pending request or access in force: { roles: [...] }", tags: ["access requests"], security: TOKEN_OR_SESSION, responses: { 200: ok("Requestable role entries"), ...errors(401, 403) } },
      },
      "/access-requests/{id}": {
        get: { summary: "One request (the requester, its approvers, administrators and auditors; 404 for anyone else): { request: AccessRequest }", tags: ["access requests"], security: TOKEN_OR_SESSION, parameters: [id], responses: { 200: ok("The request"), ...errors(400, 401, 404) } },
      },
      "/access-requests/{id}/approve": {
        post: {
          summary:
            "Approve, as an approver under the entry's policy (never one's own request; with two approvals required, from two different people), optionally for a shorter durationSeconds (never longer than asked). On the last approval the requester has the entry until startsAt + the shortest duration given. { request }",
          tags: ["access requests"],
          parameters: [id],
          requestBody: body(approveInput),
          responses: { 200: ok("The request"), ...errors(400, 401, 403, 404, 409) },
        },
      },
      "/access-requests/{id}/deny": {
        post: { summary: "Deny, as an approver, with a comment: { request }", tags: ["access requests"], parameters: [id], requestBody: body(denyInput), responses: { 200: ok("The request"), ...errors(400, 401, 403, 404, 409) } },
      },
      "/access-requests/{id}/cancel": {
        post: { summary: "The requester withdraws a pending request, or gives up access in force (which then ends as if ended by an approver): { request }", tags: ["access requests"], security: TOKEN_OR_SESSION, parameters: [id], responses: { 200: ok("The request"), ...errors(400, 401, 403, 404, 409) } },
      },
      "/access-requests/{id}/extend": {
        post: {
          summary: "The requester asks for more time on access in force: a pending extension, approved like a request; once approved the access ends durationSeconds later than it would have. { request: the extension }",
          tags: ["access requests"],
          security: TOKEN_OR_SESSION,
          parameters: [id],
          requestBody: body(extendInput),
          responses: { 201: ok("The extension"), ...errors(400, 401, 403, 404, 409) },
        },
      },
      "/access-requests/{id}/end": {
        post: {
          summary: "An approver or administrator ends access now: the grant stops working at once on every instance, and (where the policy says so) the person's live AWS sessions in the role are revoked. { request }",
          tags: ["access requests"],
          parameters: [id],
          requestBody: body(endInput),
          responses: { 200: ok("The request"), ...errors(400, 401, 403, 404, 409) },
        },
      },
      "/access-requests/{id}/review": {
        post: { summary: "An approver marks a break-glass use justified or unjustified (never their own): { request }", tags: ["access requests"], parameters: [id], requestBody: body(breakGlassReviewInput), responses: { 200: ok("The request"), ...errors(400, 401, 403, 404, 409) } },
      },
      "/roles/{id}/eligibility": {
        get: { summary: "Who may ask for the role entry (people, groups) and its request policy: { eligibility }", tags: ["access requests"], parameters: [id], responses: { 200: ok("Eligibility and policy"), ...errors(400, 401, 403, 404) } },
        put: {
          summary:
            "Replace who may ask for the entry and its policy: approvers (people, groups, any administrator), approvals required (1 or 2), the longest duration (15 minutes to 12 hours), reason required, a ticket pattern, break-glass, revoke live sessions when access ends. { eligibility }",
          tags: ["access requests"],
          parameters: [id],
          requestBody: body(eligibilityInput),
          responses: { 200: ok("Eligibility and policy"), ...errors(400, 401, 403, 404) },
        },
      },
      "/grants": {
        get: {
          summary: "List grants, optionally only one role entry's, one person's, one group's or one account's",
          tags: ["grants"],
          parameters: ["roleId", "userEmail", "group", "accountId"].map((name) => ({ name, in: "query", schema: { type: "string" } })),
          responses: { 200: ok("Grants"), ...errors(400, 401, 403) },
        },
        post: { summary: "Grant a role entry to a user or a group, optionally until expiresAt: { grant: Grant } (with expiresAt, null when it does not expire)", tags: ["grants"], requestBody: body(createGrantInput), responses: { 201: ok("The grant"), ...errors(400, 401, 403, 404, 409) } },
      },
      "/grants/batch": {
        post: {
          summary: "Grant several role entries to several people and groups at once (all or nothing; pairs already granted are reported, not an error): { created: Grant[], existing: [...] }",
          tags: ["grants"],
          requestBody: body(createGrantsInput),
          responses: { 201: ok("What was granted"), ...errors(400, 401, 403, 404) },
        },
      },
      "/grants/batch-delete": {
        post: { summary: "Remove several grants at once (all or nothing): { removed: Grant[] }", tags: ["grants"], requestBody: body(deleteGrantsInput), responses: { 200: ok("What was removed"), ...errors(400, 401, 403, 404) } },
      },
      "/grants/{id}": {
        patch: {
          summary: "Change when a grant expires (expiresAt: an ISO 8601 time within a year, or null for no expiry): { grant: Grant }, each Grant carrying expiresAt",
          tags: ["grants"],
          parameters: [id],
          requestBody: body(updateGrantInput),
          responses: { 200: ok("The grant"), ...errors(400, 401, 403, 404) },
        },
        delete: { summary: "Revoke a grant", tags: ["grants"], parameters: [id], responses: { 200: ok("Revoked"), ...errors(400, 401, 403, 404) } },
      },
      "/access-reviews": {
        get: {
          summary:
            "Standing grants (not made by an access request) for an access review, each with lastUsedAt / lastUsedBy (the last successful switch into the role by the person, or by any current member of the group, from the audit log), unused (not used within unusedDays, default 90), who granted it and when, and lastKept: { asOf, unusedDays, grants: [...], lastReview: { at, by, kept, converted, removed } | null }",
          tags: ["grants"],
          parameters: queryParams(listReviewQuery),
          responses: { 200: ok("Standing grants to review"), ...errors(400, 401, 403) },
        },
        post: {
          summary:
            "Record an access review: each decision keeps a standing grant, converts it to eligibility (access on request: the grant is removed and the person or group made eligible for the role entry) or removes it; all or nothing, audited (access_review.complete with the counts, and an event per grant): { review: { reviewId, at, kept, converted, removed, eligibilityCreated, eligibilityExisting } }",
          tags: ["grants"],
          requestBody: body(reviewInput),
          responses: { 200: ok("What the review changed"), ...errors(400, 401, 403) },
        },
      },
      "/sessions": {
        post: {
          summary: "Switch into a granted role: a console sign-in URL, or temporary credentials",
          tags: ["sessions"],
          security: TOKEN_OR_SESSION,
          requestBody: body(startSessionInput),
          responses: { 200: ok("consoleUrl + expiresAt, or credentials + region + assumedRoleArn + durationSeconds + maxDurationSeconds (the longest length the caller may ask for in this entry now)"), ...errors(400, 401, 403, 404, 429, 502, 503) },
        },
      },
      "/sessions/active": {
        get: {
          summary:
            "The AWS sessions this console issued that have not expired, built from the audit log (no secret is kept), newest first, at most 500: everyone's for administrators and auditors, the caller's own for operators. { scope, asOf, truncated, sessions: [{ id, person: { id, email }, role: { id, arn, label, accountName }, accountId, kind, region, issuedAt, expiresAt, revoked: { at, by } | null }] }",
          tags: ["sessions"],
          responses: { 200: ok("Live sessions"), ...errors(401, 403) },
        },
      },
      "/audit-events": {
        get: {
          summary: "The audit log, newest first; format=csv or json downloads every match",
          tags: ["audit"],
          parameters: [...queryParams(auditFilter), { name: "format", in: "query", schema: { type: "string", enum: ["json", "csv"] } }],
          responses: { 200: ok("Events"), ...errors(400, 401, 403) },
        },
      },
      "/users": {
        get: { summary: "List users", tags: ["users"], responses: { 200: ok("Users"), ...errors(401, 403) } },
        post: { summary: "Create a local user", tags: ["users"], requestBody: body(createUserInput), responses: { 201: ok("The user"), ...errors(400, 401, 403, 409) } },
      },
      "/users/{id}": {
        patch: { summary: "Change a user's name, role, disabled flag or password", tags: ["users"], parameters: [id], requestBody: body(updateUserInput), responses: { 200: ok("The user"), ...errors(400, 401, 403, 404, 409) } },
      },
      "/users/{id}/clear-sign-in-lock": {
        post: { summary: "Forget a user's failed sign-ins and end the wait they cause", tags: ["users"], parameters: [id], responses: { 200: ok("The user"), ...errors(400, 401, 403, 404) } },
      },
      "/webhooks": {
        get: {
          summary: "Webhooks that tell approvers of access requests: { webhooks: [{ id, name, kind, target (a Slack URL as its origin and …), events, enabled, createdAt, updatedAt, lastDelivery }] }; never a secret",
          tags: ["webhooks"],
          responses: { 200: ok("Webhooks"), ...errors(401, 403) },
        },
        post: {
          summary: "Add a webhook (https only): { webhook, secret } — secret is a JSON webhook's HMAC-SHA256 key, in this answer only (null for Slack)",
          tags: ["webhooks"],
          requestBody: body(createWebhookInput),
          responses: { 201: ok("The webhook, and its secret once"), ...errors(400, 401, 403, 409) },
        },
      },
      "/webhooks/{id}": {
        get: { summary: "One webhook: { webhook }", tags: ["webhooks"], parameters: [id], responses: { 200: ok("The webhook"), ...errors(400, 401, 403, 404) } },
        patch: {
          summary: "Change a webhook's name, URL, events or enabled flag; rotateSecret: true gives a JSON webhook a new secret, in this answer only: { webhook, secret }",
          tags: ["webhooks"],
          parameters: [id],
          requestBody: body(updateWebhookInput),
          responses: { 200: ok("The webhook"), ...errors(400, 401, 403, 404) },
        },
        delete: { summary: "Remove a webhook and its deliveries", tags: ["webhooks"], parameters: [id], responses: { 200: ok("Removed"), ...errors(400, 401, 403, 404) } },
      },
      "/webhooks/{id}/test": {
        post: {
          summary: "Send a webhook.test event now (even while the webhook is off): { delivery: { id, status, attempts, lastStatusCode, lastError, … } } after its first attempt",
          tags: ["webhooks"],
          parameters: [id],
          responses: { 200: ok("The test delivery"), ...errors(400, 401, 403, 404) },
        },
      },
      "/webhooks/{id}/deliveries": {
        get: {
          summary: "A webhook's latest 20 deliveries, newest first: { deliveries: [{ id, eventType, status: pending | delivered | failed, attempts, lastStatusCode, lastError, createdAt, nextAttemptAt, deliveredAt }] }",
          tags: ["webhooks"],
          parameters: [id],
          responses: { 200: ok("Deliveries"), ...errors(400, 401, 403, 404) },
        },
      },
      "/users/{id}/revoke-sessions": {
        post: {
          summary: "End a person's live AWS sessions in every role entry they used in the last 12 hours: { user, roles: [{ roleId, roleArn, accountName, ok, message, folded? }] }, one result per role",
          tags: ["users"],
          parameters: [id],
          responses: { 200: ok("What happened in each role"), ...errors(400, 401, 403, 404) },
        },
      },
    }),
  };
}

function withErrorsOfEveryRoute(paths: Record<string, Record<string, Json>>): Json {
  return Object.fromEntries(Object.entries(paths).map(([path, ops]) => [path, Object.fromEntries(Object.entries(ops).map(([method, op]) => [method, withRouteErrors(method, path, op)]))]));
}
