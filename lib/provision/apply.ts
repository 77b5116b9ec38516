import "server-only";
import {
  AddRoleToInstanceProfileCommand,
  AttachRolePolicyCommand,
  CreateInstanceProfileCommand,
  CreateOpenIDConnectProviderCommand,
  CreateRoleCommand,
  DeleteInstanceProfileCommand,
  DeleteOpenIDConnectProviderCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DeleteUserPolicyCommand,
  DetachRolePolicyCommand,
  GetInstanceProfileCommand,
  GetOpenIDConnectProviderCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  GetUserPolicyCommand,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
  RemoveRoleFromInstanceProfileCommand,
  type IAMClient,
} from "@aws-sdk/client-iam";
import { describeAwsError } from "@/lib/aws/errors";
import type { ApplyStep, Plan } from "./types";

// Applying a role-wizard Plan through IAM, one step at a time, in the order of the plan:
//
//   OIDC provider → CreateRole → PutRolePolicy* → AttachRolePolicy* → instance profile (+ role)
//   → source-side policies in the trusted accounts
//
// When a step fails, everything this run created is undone in reverse order, so a failed apply
// never leaves a half-created role behind; what already existed before the run is never deleted
// (a name clash is reported, not "fixed"). Rollback keeps going past its own failures and
// reports each one, because the person has to clean those up by hand.
//
// IAM is eventually consistent: a principal created moments ago can make CreateRole fail with
// "Invalid principal in policy", and a role created a moment ago can be missing for the next
// call (https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_general.html#troubleshoot_general_eventual-consistency).
// Those cases, and throttling, are retried a bounded number of times with exponential backoff;
// nothing else is.

/** What a step must remember for another process to undo it: the source-side step's earlier
 * policy of the same name (null: there was none). */
export type StepData = { previous: string | null };

/** The write-ahead record of one step (security reference R12): "running" is written before the
 * step's first IAM call, "done" after it, "undone" once rollback removed it again. After a crash,
 * `rollbackJournal` undoes what the entries say may exist. */
export type JournalEntry = { id: string; status: "running" | "done" | "undone"; undo: boolean; data?: StepData };

export type ApplyDeps = {
  /** IAM in an account, through its provisioning role. */
  iamFor: (accountId: string) => Promise<IAMClient>;
  /** Durably records the journal; awaited before each step's IAM calls, so nothing is created
   * that a restarted console could not find again. A write that fails stops the apply. */
  journal?: (entries: JournalEntry[]) => Promise<void>;
  /** Called with a fresh copy of every step whenever one changes state. */
  onProgress?: (steps: ApplyStep[]) => void;
  /** Attempts per IAM call (first try included) and the first backoff; default 5 and 200 ms. */
  retry?: { attempts: number; baseDelayMs: number };
  /** A display name for an account ("Production"), for the messages; the id is always shown. */
  accountName?: (accountId: string) => string | undefined;
};

export type ApplyResult = { ok: boolean; steps: ApplyStep[]; error?: string; /** Rollback failed: something is still there. */ rollbackIncomplete?: boolean };

const DEFAULT_RETRY = { attempts: 5, baseDelayMs: 200 };
const MAX_ATTEMPTS = 10;
const MAX_DELAY_MS = 10_000;
/** How far IAM's CreateDate may lag behind this server's clock when deciding that an entity is
 * the one this run created (only asked after an attempt whose outcome is unknown). */
const CLOCK_SKEW_MS = 5 * 60_000;

// ---- AWS errors ------------------------------------------------------------------------------

type AwsErrorInfo = { code: string; message: string; status?: number; sdkAttempts: number };

function errorInfo(err: unknown): AwsErrorInfo {
  const e = err as { name?: string; message?: string; $metadata?: { httpStatusCode?: number; attempts?: number } } | undefined;
  return {
    // The SDK names modeled IAM errors after their shapes: NoSuchEntity → NoSuchEntityException.
    code: (e?.name ?? "Error").replace(/(.)Exception$/, "$1"),
    message: e?.message ?? String(err),
    status: e?.$metadata?.httpStatusCode,
    sdkAttempts: e?.$metadata?.attempts ?? 1,
  };
}

const THROTTLING = new Set(["Throttling", "RequestLimitExceeded", "TooManyRequests", "RequestThrottled", "SlowDown"]);
const ACCESS_DENIED = new Set(["AccessDenied", "UnauthorizedOperation", "NotAuthorized"]);

function isThrottling(err: unknown): boolean {
  const e = errorInfo(err);
  return THROTTLING.has(e.code) || e.status === 429 || e.status === 503 || /rate exceeded/i.test(e.message);
}

const hasCode = (err: unknown, code: string) => errorInfo(err).code === code;

/** No answer, or a server error: the call may or may not have taken effect. */
function outcomeUnknown(err: unknown): boolean {
  const { status } = errorInfo(err);
  return status === undefined || status >= 500;
}

function isInvalidPrincipal(err: unknown): boolean {
  const e = errorInfo(err);
  return e.code === "MalformedPolicyDocument" && /invalid principal/i.test(e.message);
}

// ---- Small helpers ---------------------------------------------------------------------------

/** JSON with object keys sorted, to compare documents regardless of key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/** IAM returns policy documents URL-encoded (RFC 3986); the SDK does not decode them. */
function decodeDocument(encoded: string | undefined): unknown {
  if (encoded === undefined) return undefined;
  for (const text of [safeDecode(encoded), encoded]) {
    try {
      return JSON.parse(text);
    } catch {
      // try the next form
    }
  }
  return undefined;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

const sameDocument = (stored: string | undefined, wanted: unknown) => canonical(decodeDocument(stored)) === canonical(wanted);

const lastSegment = (arn: string) => arn.slice(arn.lastIndexOf("/") + 1);

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Where a source-side policy goes: the role or user a principal ARN names. An assumed-role
 * session gets it on its role. An account root names no single principal. */
type SourceTarget = { kind: "role" | "user"; name: string; accountId: string } | { kind: "account" };

export function sourceTargetOf(principal: string): SourceTarget {
  const iam = /^arn:[\w-]+:iam::(\d{12}):(role|user)\/(?:[\x21-\x7e]*\/)?([\w+=,.@-]{1,128})$/.exec(principal);
  if (iam) return { kind: iam[2] as "role" | "user", accountId: iam[1]!, name: iam[3]! };
  const session = /^arn:[\w-]+:sts::(\d{12}):assumed-role\/([\w+=,.@-]{1,64})\/[\w+=,.@-]+$/.exec(principal);
  if (session) return { kind: "role", accountId: session[1]!, name: session[2]! };
  return { kind: "account" };
}

// ---- Steps -----------------------------------------------------------------------------------

/** What an IAM call is for, to explain its failure: "creating role X" in which account, needing
 * which permission, about which thing. */
type Op = {
  doing: string;
  permission: string;
  accountId: string;
  /** "A role named X", for "already exists" and "does not exist". */
  thing?: string;
  /** Which policy, for MalformedPolicyDocument. */
  policy?: string;
  /** A managed policy being attached, to tell a missing policy from a missing role. */
  policyArn?: string;
};

type Call = <T>(op: Op, fn: () => Promise<T>, retryAlso?: (err: unknown) => boolean) => Promise<T>;

type Undo = { op: Op; run: (iam: IAMClient, call: Call) => Promise<void> };

type Outcome = { status: "done" | "skipped"; note?: string; undo?: Undo };

type Work = {
  step: ApplyStep;
  accountId: string;
  /** Whether an attempt of this step ended without a clear answer (set by `call`). */
  unknown: boolean;
  run: (iam: IAMClient, call: Call, work: Work) => Promise<Outcome>;
  /** After a failure whose outcome is unknown: remove what the step may have created anyway. */
  cleanup?: Undo;
  /** The undo of the step once done, rebuilt from the plan (and `data`) by another process. */
  revert?: Undo;
  /** What the step remembered; `remember` records it in the journal before going on. */
  data?: StepData;
  remember: (data: StepData) => Promise<void>;
};

/** The steps a plan turns into, all pending: what the page shows before and while applying. */
export function applySteps(plan: Plan): ApplyStep[] {
  return buildWork(plan, Date.now(), (id) => `account ${id}`).map((w) => ({ ...w.step }));
}

function buildWork(plan: Plan, startedAt: number, account: (id: string) => string): Work[] {
  const work: Work[] = [];
  const target = plan.accountId;
  const role = plan.roleName;
  const add = (step: Omit<ApplyStep, "status">, accountId: string, run: Work["run"], cleanup?: Undo, revert?: Undo): Work => {
    const w: Work = { step: { ...step, status: "pending" }, accountId, unknown: false, run, cleanup, revert, remember: async (data) => void (w.data = data) };
    work.push(w);
    return w;
  };
  const recent = (date: Date | undefined) => date !== undefined && date.getTime() >= startedAt - CLOCK_SKEW_MS;

  if (plan.oidcProvider) {
    const provider = plan.oidcProvider;
    const host = provider.url.replace(/^https:\/\//i, "");
    const op: Op = { doing: `creating the OIDC provider ${host}`, permission: "iam:CreateOpenIDConnectProvider", accountId: target, thing: `An OIDC provider for ${host}` };
    const del = (arn: string): Undo => ({
      op: { doing: `deleting the OIDC provider ${host}`, permission: "iam:DeleteOpenIDConnectProvider", accountId: target },
      run: async (iam, call) => {
        // DeleteOpenIDConnectProvider succeeds for a provider that does not exist.
        await call(del(arn).op, () => iam.send(new DeleteOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn })));
      },
    });
    const existing = (iam: IAMClient, call: Call, wait = false) =>
      call(
        { ...op, doing: `reading the OIDC provider ${host}`, permission: "iam:GetOpenIDConnectProvider" },
        () => iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: provider.arn })),
        wait ? notFoundYet : undefined,
      ).catch((err: unknown) => {
        if (hasCode(err, "NoSuchEntity")) return undefined;
        throw err;
      });
    add({ id: "oidc-provider", label: `Create OIDC provider ${host}` }, target, async (iam, call, w) => {
      try {
        const out = await call(op, () =>
          iam.send(
            new CreateOpenIDConnectProviderCommand({
              Url: provider.url,
              ClientIDList: provider.clientIds,
            }),
          ),
        );
        return { status: "done", undo: del(out.OpenIDConnectProviderArn ?? provider.arn) };
      } catch (err) {
        if (!hasCode(err, "EntityAlreadyExists")) throw err;
        // One provider per URL per account: the role can use the one that is there, as long as
        // it accepts the audience the trust policy checks.
        const found = await existing(iam, call);
        if (!found) throw err;
        const ours = (w.unknown || errorInfo(err).sdkAttempts > 1) && recent(found.CreateDate);
        if (ours) return { status: "done", undo: del(provider.arn) };
        const missing = provider.clientIds.filter((id) => !(found.ClientIDList ?? []).includes(id));
        if (missing.length) {
          throw new PlanStepError(
            `The OIDC provider ${host} already exists in ${account(target)} but does not accept the audience ${missing.join(", ")}. Add it to the provider's client IDs (aws iam add-client-id-to-open-id-connect-provider), then try again.`,
          );
        }
        return { status: "skipped", note: `The OIDC provider ${host} already exists in ${account(target)}; the role uses it.` };
      }
    }, {
      op: del(provider.arn).op,
      run: async (iam, call) => {
        const found = await existing(iam, call, true);
        if (found && recent(found.CreateDate)) await del(provider.arn).run(iam, call);
      },
    }, del(provider.arn));
  }

  // ---- The role ----
  /** Whether the role there is the one this run created. `wait`: the create's outcome is
   * unknown, and a role created a moment ago may not be visible yet, so "not found" is asked
   * again (within the retry budget) before it is believed. */
  const roleIsOurs = async (iam: IAMClient, call: Call, wait = false) => {
    const found = await call(
      { doing: `reading role ${role}`, permission: "iam:GetRole", accountId: target },
      () => iam.send(new GetRoleCommand({ RoleName: role })),
      wait ? notFoundYet : undefined,
    ).catch((err: unknown) => {
      if (hasCode(err, "NoSuchEntity")) return undefined;
      throw err;
    });
    const r = found?.Role;
    return !!r && r.Path === plan.path && recent(r.CreateDate) && sameDocument(r.AssumeRolePolicyDocument, plan.trustPolicy);
  };
  const deleteRole: Undo = {
    op: { doing: `deleting role ${role}`, permission: "iam:DeleteRole", accountId: target },
    run: async (iam, call) => {
      await call(deleteRole.op, () => iam.send(new DeleteRoleCommand({ RoleName: role }))).catch(ignoreNoSuchEntity);
    },
  };
  const createRoleOp: Op = { doing: `creating role ${role}`, permission: "iam:CreateRole", accountId: target, thing: `A role named ${role}`, policy: "the trust policy" };
  add(
    { id: "role", label: `Create role ${role}` },
    target,
    async (iam, call, w) => {
      try {
        await call(
          createRoleOp,
          () =>
            iam.send(
              new CreateRoleCommand({
                RoleName: role,
                Path: plan.path,
                AssumeRolePolicyDocument: JSON.stringify(plan.trustPolicy),
                Description: plan.description || undefined,
                MaxSessionDuration: plan.maxSessionDuration,
                PermissionsBoundary: plan.permissionsBoundaryArn ?? undefined,
                Tags: plan.tags.length ? plan.tags.map((t) => ({ Key: t.key, Value: t.value })) : undefined,
              }),
            ),
          isInvalidPrincipal,
        );
      } catch (err) {
        // An earlier attempt may have created the role before its answer was lost; then the
        // role that "already exists" is this run's, and it is kept (and undone on failure).
        const retried = w.unknown || errorInfo(err).sdkAttempts > 1;
        if (!(hasCode(err, "EntityAlreadyExists") && retried && (await roleIsOurs(iam, call)))) throw err;
      }
      return { status: "done", undo: deleteRole };
    },
    {
      op: deleteRole.op,
      run: async (iam, call) => {
        if (await roleIsOurs(iam, call, true)) await deleteRole.run(iam, call);
      },
    },
    deleteRole,
  );

  // ---- Inline policies ----
  for (const inline of plan.inlinePolicies) {
    const op: Op = { doing: `adding inline policy ${inline.name} to role ${role}`, permission: "iam:PutRolePolicy", accountId: target, policy: `inline policy ${inline.name}` };
    const undo: Undo = {
      op: { doing: `deleting inline policy ${inline.name} of role ${role}`, permission: "iam:DeleteRolePolicy", accountId: target },
      run: async (iam, call) => {
        await call(undo.op, () => iam.send(new DeleteRolePolicyCommand({ RoleName: role, PolicyName: inline.name }))).catch(ignoreNoSuchEntity);
      },
    };
    add(
      { id: `inline:${inline.name}`, label: `Add inline policy ${inline.name}` },
      target,
      async (iam, call) => {
        await call(
          op,
          () => iam.send(new PutRolePolicyCommand({ RoleName: role, PolicyName: inline.name, PolicyDocument: JSON.stringify(inline.document) })),
          // The role was created a moment ago.
          (err) => hasCode(err, "NoSuchEntity"),
        );
        return { status: "done", undo };
      },
      undo,
      undo,
    );
  }

  // ---- Managed policies ----
  for (const arn of plan.managedPolicyArns) {
    const name = lastSegment(arn);
    const op: Op = { doing: `attaching managed policy ${name} to role ${role}`, permission: "iam:AttachRolePolicy", accountId: target, policy: `managed policy ${arn}`, policyArn: arn };
    const undo: Undo = {
      op: { doing: `detaching managed policy ${name} from role ${role}`, permission: "iam:DetachRolePolicy", accountId: target },
      run: async (iam, call) => {
        await call(undo.op, () => iam.send(new DetachRolePolicyCommand({ RoleName: role, PolicyArn: arn }))).catch(ignoreNoSuchEntity);
      },
    };
    add(
      { id: `managed:${arn}`, label: `Attach managed policy ${name}` },
      target,
      async (iam, call) => {
        await call(
          op,
          () => iam.send(new AttachRolePolicyCommand({ RoleName: role, PolicyArn: arn })),
          // A missing role is eventual consistency; a missing policy is not going to appear.
          (err) => hasCode(err, "NoSuchEntity") && !errorInfo(err).message.includes(arn),
        );
        return { status: "done", undo };
      },
      undo,
      undo,
    );
  }

  // ---- Instance profile ----
  if (plan.instanceProfile) {
    const profile = plan.instanceProfile;
    const profileIsOurs = async (iam: IAMClient, call: Call, wait = false) => {
      const found = await call(
        { doing: `reading instance profile ${profile.name}`, permission: "iam:GetInstanceProfile", accountId: target },
        () => iam.send(new GetInstanceProfileCommand({ InstanceProfileName: profile.name })),
        wait ? notFoundYet : undefined,
      ).catch((err: unknown) => {
        if (hasCode(err, "NoSuchEntity")) return undefined;
        throw err;
      });
      const p = found?.InstanceProfile;
      return !!p && p.Path === profile.path && recent(p.CreateDate) && (p.Roles ?? []).every((r) => r.RoleName === role);
    };
    const deleteProfile: Undo = {
      op: { doing: `deleting instance profile ${profile.name}`, permission: "iam:DeleteInstanceProfile", accountId: target },
      run: async (iam, call) => {
        await call(deleteProfile.op, () => iam.send(new DeleteInstanceProfileCommand({ InstanceProfileName: profile.name }))).catch(ignoreNoSuchEntity);
      },
    };
    const createOp: Op = {
      doing: `creating instance profile ${profile.name}`,
      permission: "iam:CreateInstanceProfile",
      accountId: target,
      thing: `An instance profile named ${profile.name}`,
    };
    add(
      { id: "instance-profile", label: `Create instance profile ${profile.name}` },
      target,
      async (iam, call, w) => {
        try {
          await call(createOp, () =>
            iam.send(
              new CreateInstanceProfileCommand({
                InstanceProfileName: profile.name,
                Path: profile.path,
                Tags: plan.tags.length ? plan.tags.map((t) => ({ Key: t.key, Value: t.value })) : undefined,
              }),
            ),
          );
        } catch (err) {
          const retried = w.unknown || errorInfo(err).sdkAttempts > 1;
          if (!(hasCode(err, "EntityAlreadyExists") && retried && (await profileIsOurs(iam, call)))) throw err;
        }
        return { status: "done", undo: deleteProfile };
      },
      {
        op: deleteProfile.op,
        run: async (iam, call) => {
          if (await profileIsOurs(iam, call, true)) await deleteProfile.run(iam, call);
        },
      },
      deleteProfile,
    );

    const removeRole: Undo = {
      op: { doing: `removing role ${role} from instance profile ${profile.name}`, permission: "iam:RemoveRoleFromInstanceProfile", accountId: target },
      run: async (iam, call) => {
        await call(removeRole.op, () =>
          iam.send(new RemoveRoleFromInstanceProfileCommand({ InstanceProfileName: profile.name, RoleName: role })),
        ).catch(ignoreNoSuchEntity);
      },
    };
    add(
      { id: "instance-profile-role", label: `Add role ${role} to instance profile ${profile.name}` },
      target,
      async (iam, call, w) => {
        try {
          await call(
            { doing: `adding role ${role} to instance profile ${profile.name}`, permission: "iam:AddRoleToInstanceProfile", accountId: target },
            () => iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: profile.name, RoleName: role })),
            // The role and the profile were created a moment ago.
            (err) => hasCode(err, "NoSuchEntity"),
          );
        } catch (err) {
          // One role per profile: after a lost answer, "limit exceeded" may mean it is already in.
          const retried = w.unknown || errorInfo(err).sdkAttempts > 1;
          if (!(hasCode(err, "LimitExceeded") && retried && (await profileIsOurs(iam, call)))) throw err;
        }
        return { status: "done", undo: removeRole };
      },
      removeRole,
      removeRole,
    );
  }

  // ---- Source-side policies in the trusted accounts ----
  for (const source of plan.sourcePolicies) {
    if (!source.apply) continue;
    const where = source.accountId;
    const dest = sourceTargetOf(source.principal);
    const id = `source:${where}:${source.policyName}:${source.principal}`;
    if (dest.kind === "account") {
      add({ id, label: `Allow account ${where} to assume the role (policy ${source.policyName})` }, where, async () => ({
        status: "skipped",
        note:
          `${account(where)} is trusted as a whole, so there is no single principal to attach ${source.policyName} to. ` +
          `Its administrators must attach it to the users or roles that will assume ${role}.`,
      }));
      continue;
    }
    const { kind, name } = dest;
    const label = `Allow ${kind} ${name} in account ${where} to assume the role (policy ${source.policyName})`;
    if (dest.accountId !== where) {
      add({ id, label }, where, async () => {
        throw new PlanStepError(`The plan is inconsistent: the source-side policy for ${source.principal} is meant for account ${where}. Build the plan again.`);
      });
      continue;
    }
    const op: Op = {
      doing: `adding policy ${source.policyName} to ${kind} ${name}`,
      permission: kind === "role" ? "iam:PutRolePolicy" : "iam:PutUserPolicy",
      accountId: where,
      thing: `The ${kind} ${name}`,
      policy: `source-side policy ${source.policyName}`,
    };
    const put = (iam: IAMClient, call: Call, document: string, o: Op) =>
      call(o, () =>
        kind === "role"
          ? iam.send(new PutRolePolicyCommand({ RoleName: name, PolicyName: source.policyName, PolicyDocument: document }))
          : iam.send(new PutUserPolicyCommand({ UserName: name, PolicyName: source.policyName, PolicyDocument: document })),
      );
    const restoreOp: Op = {
      doing: `removing policy ${source.policyName} from ${kind} ${name}`,
      permission: kind === "role" ? "iam:DeleteRolePolicy" : "iam:DeleteUserPolicy",
      accountId: where,
    };
    /** Puts back what was there before: the earlier policy of the same name, or nothing. */
    const restore = (previous: string | null): Undo => ({
      op: restoreOp,
      run: async (iam, call) => {
        if (previous !== null) {
          await put(iam, call, previous, { ...restoreOp, doing: `restoring the earlier policy ${source.policyName} of ${kind} ${name}`, permission: op.permission });
          return;
        }
        await call(restoreOp, () =>
          kind === "role"
            ? iam.send(new DeleteRolePolicyCommand({ RoleName: name, PolicyName: source.policyName }))
            : iam.send(new DeleteUserPolicyCommand({ UserName: name, PolicyName: source.policyName })),
        ).catch(ignoreNoSuchEntity);
      },
    });
    // The earlier policy, once read, is in the journal before the put: a crash in between still
    // leaves what is needed to put it back.
    const restoreRemembered: Undo = {
      op: restoreOp,
      run: async (iam, call) => {
        if (w.data) await restore(w.data.previous).run(iam, call);
      },
    };
    const w = add(
      { id, label },
      where,
      async (iam, call, self) => {
        // Read first: a policy of the same name is replaced, and on rollback it comes back.
        const readOp: Op = { ...op, doing: `reading policy ${source.policyName} of ${kind} ${name}`, permission: kind === "role" ? "iam:GetRolePolicy" : "iam:GetUserPolicy" };
        const before = await call(readOp, async (): Promise<{ PolicyDocument?: string }> =>
          kind === "role"
            ? iam.send(new GetRolePolicyCommand({ RoleName: name, PolicyName: source.policyName }))
            : iam.send(new GetUserPolicyCommand({ UserName: name, PolicyName: source.policyName })),
        ).catch((err: unknown) => {
          // The policy is not there (or the principal is not: then the put below says so).
          if (hasCode(err, "NoSuchEntity")) return undefined;
          throw err;
        });
        if (before?.PolicyDocument !== undefined && sameDocument(before.PolicyDocument, source.document)) {
          return { status: "done" };
        }
        // Kept as IAM returned it (decoded), so a rollback puts back exactly what was there.
        const previous = before?.PolicyDocument === undefined ? null : safeDecode(before.PolicyDocument);
        await self.remember({ previous });
        await put(iam, call, JSON.stringify(source.document), op);
        return { status: "done", undo: restore(previous) };
      },
      restoreRemembered,
      restoreRemembered,
    );
  }
  return work;
}

const notFoundYet = (err: unknown) => hasCode(err, "NoSuchEntity");

function ignoreNoSuchEntity(err: unknown): void {
  // Already gone: what an undo wanted.
  if (!hasCode(err, "NoSuchEntity")) throw err;
}

/** A failure this module explains itself (no AWS error behind it). */
class PlanStepError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PlanStepError";
  }
}

// ---- Explaining failures ---------------------------------------------------------------------

function explain(err: unknown, op: Op, account: (id: string) => string, attempts: number): string {
  const where = account(op.accountId);
  if (err instanceof PlanStepError) return err.message;
  if (err instanceof ProvisioningUnreachable) return err.message;
  const e = errorInfo(err);
  const tries = attempts > 1 ? ` (tried ${attempts} times)` : "";
  // No HTTP answer at all: a timeout, the network, the endpoint, or the credentials.
  if (e.status === undefined) {
    if (e.code === "TimeoutError" || (err as { code?: string })?.code === "ETIMEDOUT") {
      return `IAM in ${where} did not answer in time while ${op.doing}${tries}. Try again later.`;
    }
    return `${describeAwsError(err, `finish ${op.doing} in ${where}`)}${tries}`;
  }
  if (ACCESS_DENIED.has(e.code)) {
    // AWS names the refused action ("… is not authorized to perform: iam:PassRole on resource …"),
    // which may differ from the call's own (AddRoleToInstanceProfile also needs iam:PassRole).
    const action = /perform: ([\w-]+:[\w*]+)/.exec(e.message)?.[1] ?? op.permission;
    const because = /\bbecause (.+?)\.?$/.exec(e.message)?.[1];
    return (
      `The provisioning role in ${where} is not allowed to ${action} (needed for ${op.doing})` +
      (because ? `: ${because}.` : ".") +
      ` Grant it ${action}, then try again.`
    );
  }
  if (THROTTLING.has(e.code) || e.status === 429) {
    return `IAM in ${where} kept throttling requests while ${op.doing}${tries}. Wait a minute and try again.`;
  }
  switch (e.code) {
    case "EntityAlreadyExists":
      return `${op.thing ?? "It"} already exists in ${where}. Choose another name, or remove the existing one first.`;
    case "MalformedPolicyDocument":
      if (isInvalidPrincipal(err)) {
        return (
          `IAM does not accept a principal that ${op.policy ?? "the policy"} names (${e.message})${tries}. ` +
          `If it was created moments ago, try again in a minute; otherwise check that it exists.`
        );
      }
      return `IAM refused ${op.policy ?? "a policy"} as malformed while ${op.doing}: ${e.message}`;
    case "LimitExceeded":
      return `${where} is at an IAM limit, so ${op.doing} failed: ${e.message}. Remove something there first, or ask AWS to raise the quota.`;
    case "NoSuchEntity":
      if (op.policyArn && e.message.includes(op.policyArn)) {
        return `The managed policy ${op.policyArn} does not exist in ${where}, or cannot be attached to a role.`;
      }
      if (op.permission === "iam:CreateRole" && /scope arn|boundary/i.test(e.message)) {
        return `The permissions boundary policy does not exist in ${where}: ${e.message}`;
      }
      if (op.thing && /^The (user|role) /.test(op.thing)) return `${op.thing} does not exist in ${where}.`;
      return `IAM could not find what it needed while ${op.doing} in ${where}${tries}: ${e.message}. If it was created moments ago, try again in a minute.`;
    case "DeleteConflict":
      return `IAM refused ${op.doing} in ${where} because something still depends on it: ${e.message}`;
    case "ConcurrentModification":
      return `Another change to IAM in ${where} was in progress while ${op.doing}. Try again.`;
    case "UnmodifiableEntity":
      return `IAM refused ${op.doing} in ${where}: it is protected (${e.message}).`;
    case "ValidationError":
    case "InvalidInput":
      return `IAM refused ${op.doing} in ${where}: ${e.message}`;
    default:
      if (outcomeUnknown(err)) {
        return `IAM failed while ${op.doing} in ${where} (${e.code}: ${e.message})${tries}. Try again later.`;
      }
      return `IAM refused ${op.doing} in ${where}: ${e.code}: ${e.message}`;
  }
}

/** The provisioning role of an account could not be assumed (or its client built). */
class ProvisioningUnreachable extends Error {
  constructor(message: string, cause: unknown) {
    super(message, { cause });
    this.name = "ProvisioningUnreachable";
  }
}

// ---- Applying --------------------------------------------------------------------------------

/** What applying and rolling back share: IAM clients per account (made once), calls with bounded
 * retries, and messages that name accounts. */
function runtime(deps: Pick<ApplyDeps, "iamFor" | "retry" | "accountName">) {
  const attempts = Math.min(MAX_ATTEMPTS, Math.max(1, Math.floor(deps.retry?.attempts ?? DEFAULT_RETRY.attempts)));
  const baseDelayMs = Math.min(MAX_DELAY_MS, Math.max(0, deps.retry?.baseDelayMs ?? DEFAULT_RETRY.baseDelayMs));
  const account = (id: string) => {
    const name = deps.accountName?.(id);
    return name ? `${name} (${id})` : `account ${id}`;
  };

  const clients = new Map<string, Promise<IAMClient>>();
  const iamIn = (accountId: string) => {
    let client = clients.get(accountId);
    if (!client) {
      client = deps.iamFor(accountId).catch((err: unknown) => {
        clients.delete(accountId);
        throw new ProvisioningUnreachable(describeAwsError(err, `reach ${account(accountId)} through its provisioning role`), err);
      });
      clients.set(accountId, client);
    }
    return client;
  };

  /** One IAM call with bounded retries; remembers on `work` whether an attempt's outcome was
   * unknown (so a later "already exists" may be this run's own doing). */
  const callFor = (w: Work | undefined, tally: { attempts: number }): Call => async (_op, fn, retryAlso) => {
    for (let attempt = 1; ; attempt++) {
      tally.attempts = attempt;
      try {
        return await fn();
      } catch (err) {
        if (w && (outcomeUnknown(err) || errorInfo(err).sdkAttempts > 1)) w.unknown = true;
        const retryable = isThrottling(err) || (retryAlso?.(err) ?? false);
        if (!retryable || attempt >= attempts) throw err;
        // Exponential backoff with jitter: base·2^(n-1), between half and all of it.
        const delay = Math.min(MAX_DELAY_MS, baseDelayMs * 2 ** (attempt - 1));
        await sleep(delay / 2 + Math.random() * (delay / 2));
      }
    }
  };

  /** Runs one undo; the problem in plain words when it fails. */
  const undoOne = async (accountId: string, undo: Undo): Promise<string | undefined> => {
    const tally = { attempts: 1 };
    let op = undo.op;
    const call: Call = (o, fn, retryAlso) => {
      op = o;
      // Undoing runs right after creating: a thing may not be visible yet.
      return callFor(undefined, tally)(o, fn, retryAlso);
    };
    try {
      await undo.run(await iamIn(accountId), call);
      return undefined;
    } catch (err) {
      return explain(err, op, account, tally.attempts);
    }
  };

  return { account, iamIn, callFor, undoOne };
}

/** Creates everything the plan lists, in order; on the first failure, undoes what this run
 * created (newest first) and says what failed and why. Plans with blocking lint findings are
 * refused before any AWS call. With `deps.journal`, each step is recorded before and after its
 * IAM calls, so that a console that dies halfway can be rolled back by `rollbackJournal`. */
export async function applyPlan(plan: Plan, deps: ApplyDeps, startedAt = Date.now()): Promise<ApplyResult> {
  const { account, iamIn, callFor, undoOne } = runtime(deps);
  const work = buildWork(plan, startedAt, account);
  const steps = work.map((w) => w.step);
  const emit = () => {
    try {
      deps.onProgress?.(steps.map((s) => ({ ...s })));
    } catch {
      // A listener that throws (a closed stream) must not stop the apply halfway, or its rollback.
    }
  };
  const set = (step: ApplyStep, status: ApplyStep["status"], error?: string) => {
    step.status = status;
    if (error === undefined) delete step.error;
    else step.error = error;
    emit();
  };

  const blocking = plan.findings.filter((f) => f.severity === "error");
  if (blocking.length) {
    for (const step of steps) step.status = "skipped";
    return {
      ok: false,
      steps: steps.map((s) => ({ ...s })),
      error: `Nothing was created: the plan has ${blocking.length === 1 ? "a blocking finding" : `${blocking.length} blocking findings`}: ${blocking.map((f) => f.message).join(" ")}`,
    };
  }

  const journal: JournalEntry[] = [];
  const writeJournal = async () => {
    if (!deps.journal) return;
    try {
      await deps.journal(journal.map((e) => ({ ...e })));
    } catch (err) {
      throw new JournalUnwritable(err);
    }
  };

  const done: Array<{ step: ApplyStep; accountId: string; undo: Undo; entry: JournalEntry }> = [];
  let failure: { message: string; work: Work; unknown: boolean } | undefined;

  for (const w of work) {
    set(w.step, "running");
    const tally = { attempts: 1 };
    let op: Op = { doing: w.step.label.charAt(0).toLowerCase() + w.step.label.slice(1), permission: "iam:*", accountId: w.accountId };
    const call: Call = (o, fn, retryAlso) => {
      op = o;
      return callFor(w, tally)(o, fn, retryAlso);
    };
    const entry: JournalEntry = { id: w.step.id, status: "running", undo: false };
    w.remember = async (data) => {
      w.data = data;
      entry.data = data;
      await writeJournal();
    };
    try {
      journal.push(entry);
      await writeJournal();
      const iam = await iamIn(w.accountId);
      const outcome = await w.run(iam, call, w);
      if (outcome.undo) done.push({ step: w.step, accountId: w.accountId, undo: outcome.undo, entry });
      entry.status = "done";
      entry.undo = Boolean(outcome.undo);
      set(w.step, outcome.status, outcome.note);
      await writeJournal();
    } catch (err) {
      const message = err instanceof JournalUnwritable ? err.message : explain(err, op, account, tally.attempts);
      // Any attempt without a clear answer (not only the last) may have created something.
      failure = { message, work: w, unknown: w.unknown };
      if (w.step.status === "running") set(w.step, "failed", message);
      break;
    }
  }

  if (!failure) return { ok: true, steps: steps.map((s) => ({ ...s })) };

  for (const step of steps) {
    if (step.status === "pending") set(step, "skipped", "Not attempted: an earlier step failed.");
  }

  // Roll back, newest first. The failed step comes first when an attempt of it went unanswered:
  // it may have created something even though no answer came back.
  const problems: string[] = [];
  const failedEntry = journal.find((e) => e.id === failure.work.step.id && e.status === "running");
  if (failure.unknown && failure.work.cleanup) {
    const problem = await undoOne(failure.work.accountId, failure.work.cleanup);
    if (problem) {
      problems.push(problem);
      set(failure.work.step, "failed", `${failure.message} It may have been created anyway, and removing it failed: ${problem}`);
    } else if (failedEntry) {
      failedEntry.status = "undone";
    }
  } else if (failedEntry && !failure.unknown) {
    // A clear refusal created nothing.
    failedEntry.status = "undone";
  }
  for (const { step, accountId, undo, entry } of done.reverse()) {
    const problem = await undoOne(accountId, undo);
    if (problem) {
      problems.push(problem);
      set(step, "done", `Could not undo this, so it is still in ${account(accountId)}: ${problem} Remove it by hand.`);
    } else {
      entry.status = "undone";
      set(step, "rolled-back");
    }
  }
  // Best effort: what is still "running" or "done" here is what a restart would try again.
  await writeJournal().catch(() => undefined);

  const error = problems.length
    ? `${failure.message} Rolling back was incomplete, so some of it is still there: ${problems.join(" ")}`
    : `${failure.message} ${done.length ? "Everything created before it was removed again." : "Nothing was left behind."}`;
  return { ok: false, steps: steps.map((s) => ({ ...s })), error, ...(problems.length ? { rollbackIncomplete: true } : {}) };
}

/** The journal could not be written: the step is not attempted (nothing unrecorded is created). */
class JournalUnwritable extends Error {
  constructor(cause: unknown) {
    super("The console could not record the next step in its store, so it stopped before making it.", { cause });
    this.name = "JournalUnwritable";
  }
}

export type RollbackResult = { ok: boolean; entries: JournalEntry[]; problems: string[] };

/**
 * Undoes, newest first, what a journal says an interrupted apply may have left: a "done" step
 * through its undo, a "running" one (its outcome never known) through its cleanup, which only
 * removes what this run created (CreateDate not before `startedAt`, the planned trust policy).
 * Safe to run again: each undo treats "already gone" as done. Returns the journal as it now stands.
 */
export async function rollbackJournal(plan: Plan, startedAt: number, entries: JournalEntry[], deps: Pick<ApplyDeps, "iamFor" | "retry" | "accountName">): Promise<RollbackResult> {
  const { account, undoOne } = runtime(deps);
  const byId = new Map(buildWork(plan, startedAt, account).map((w) => [w.step.id, w]));
  const out = entries.map((e) => ({ ...e }));
  const problems: string[] = [];
  for (const entry of [...out].reverse()) {
    const w = byId.get(entry.id);
    if (!w || entry.status === "undone") continue;
    w.data = entry.data;
    const undo = entry.status === "running" ? w.cleanup : entry.undo ? w.revert : undefined;
    if (!undo) {
      entry.status = "undone";
      continue;
    }
    const problem = await undoOne(w.accountId, undo);
    if (problem) problems.push(`${w.step.label}: ${problem}`);
    else entry.status = "undone";
  }
  return { ok: problems.length === 0, entries: out, problems };
}
