import "server-only";
import { GetAccountSummaryCommand, ListOpenIDConnectProvidersCommand, ListPoliciesCommand, type IAMClient } from "@aws-sdk/client-iam";
import { recordAudit } from "@/lib/audit/record";
import { assertPermission, type Actor } from "@/lib/auth/actor";
import { queryAccounts } from "@/lib/accounts/queries";
import type { AccountDto } from "@/lib/accounts/dto";
import { brokerProfile, provisioningIam } from "@/lib/aws/broker-clients";
import { appErrorOf } from "@/lib/aws/errors";
import { awsIdentityOf } from "@/lib/aws/session-name";
import { createGrant } from "@/lib/catalog/grants";
import type { RoleDto } from "@/lib/catalog/role-dto";
import { queryRoles } from "@/lib/catalog/role-queries";
import { registerRole } from "@/lib/catalog/roles";
import { getConfig } from "@/lib/config";
import { getDb } from "@/lib/db/client";
import type { Partition } from "@/lib/db/schema";
import { AppError, badRequest, conflict } from "@/lib/errors";
import type { RequestMeta } from "@/lib/http/request-meta";
import { logger, requestLogger } from "@/lib/log";
import { checkActions, lintPolicyActions } from "@/lib/policy/actions";
import { validatePolicyText } from "@/lib/policy/lint";
import { limitReviewChecks } from "@/lib/ratelimit/provisioning-checks";
import { awsIdentityFor } from "@/lib/users/aws-identity";
import { checkAgainstAccount, assertAccountChecks } from "./account-checks";
import { applyPlan, applySteps, rollbackJournal, type JournalEntry } from "./apply";
import { exportAwsConfig, exportCli, exportCloudFormation, exportTerraform } from "./exports";
import { buildPlan, quotaUsage } from "./plan";
import { lintPlan } from "./plan-lint";
import { findRunByKey, reconcileRuns, startRun, type ReconciledRun } from "./runs";
import { SERVICE_PRINCIPALS } from "./schema";
import type { ApplyStep, Guardrails, LintFinding, Plan, PlanContext, PlanResult, WizardContext, WizardDocument } from "./types";

// The role wizard's server side: what the pages' actions and /api/v1/provisioning call. Every
// function takes the caller and checks "provisioning.manage" itself.

/** IAM's default quotas, used when GetAccountSummary cannot be read
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html). */
const DEFAULT_QUOTAS = { trustPolicySize: 2048, inlinePoliciesSize: 10240, managedPoliciesPerRole: 10 };
const GITHUB_PROVIDER = "token.actions.githubusercontent.com";

export type { PlanResult, WizardAccount, WizardContext } from "./types";

/** What the wizard's first steps need: where roles can be created, and who the broker is. */
export async function getWizardContext(actor: Actor): Promise<WizardContext> {
  assertPermission(actor, "provisioning.manage");
  const [accounts, broker] = await Promise.all([queryAccounts(await getDb(), actor), brokerProfile()]);
  return {
    // Every registered account has a provisioning role name; whether the broker may assume it
    // is found out (and explained) when the plan is made.
    accounts: accounts.map((a) => ({ accountId: a.accountId, name: a.name, environment: a.environment, color: a.color, partition: a.partition, canProvision: true })),
    broker: { arn: broker.arn, accountId: broker.accountId, temporary: broker.kind === "temporary" },
    services: SERVICE_PRINCIPALS.map((s) => ({ principal: s.principal, label: s.label })),
    permissionsBoundaryArn: getConfig().provisioning.permissionsBoundaryArn ?? null,
  };
}

/** The administrator's guardrails for a role in `accountId` (the boundary's `{accountId}`
 * replaced), handed to the pure plan builder and lint rules. */
function guardrailsFor(accountId: string): Guardrails {
  const { permissionsBoundaryArn, allowPrivilegedExternalTrust } = getConfig().provisioning;
  return {
    ...(permissionsBoundaryArn ? { permissionsBoundaryArn: permissionsBoundaryArn.replaceAll("{accountId}", accountId) } : {}),
    allowPrivilegedExternalTrust,
  };
}

/** A registered account by its 12-digit id (or the registry's id). */
async function targetAccount(actor: Actor, accountId: string): Promise<AccountDto> {
  const account = (await queryAccounts(await getDb(), actor)).find((a) => a.accountId === accountId || a.id === accountId);
  if (!account) throw badRequest(`Account ${accountId} is not registered. Register it on the Accounts page first.`, { "target.accountId": "Not a registered account" });
  return account;
}

/** IAM in an account through its provisioning role, in a session that names `who` (the acting
 * person's AWS identity) in CloudTrail, with the failure said in plain words. */
async function iamIn(account: AccountDto, who: string): Promise<IAMClient> {
  try {
    return await provisioningIam({ awsAccountId: account.accountId, partition: account.partition, provisioningRoleName: account.provisioningRoleName }, who);
  } catch (err) {
    throw appErrorOf(
      err,
      `The console could not assume ${account.provisioningRoleName} in ${account.name} (${account.accountId}): ${err instanceof Error ? err.message : String(err)}. Check the account's provisioning role on the Accounts page.`,
    );
  }
}

/** The live facts a plan depends on: the account's quotas and whether GitHub's provider exists. */
async function planContext(actor: Actor, account: AccountDto): Promise<{ ctx: PlanContext; notes: LintFinding[]; iam: IAMClient }> {
  const [broker, accounts] = await Promise.all([brokerProfile(), queryAccounts(await getDb(), actor)]);
  const iam = await iamIn(account, awsIdentityOf(actor));
  const notes: LintFinding[] = [];
  let quotas = DEFAULT_QUOTAS;
  try {
    const summary = (await iam.send(new GetAccountSummaryCommand({}))).SummaryMap ?? {};
    quotas = {
      trustPolicySize: summary.AssumeRolePolicySizeQuota ?? DEFAULT_QUOTAS.trustPolicySize,
      inlinePoliciesSize: summary.RolePolicySizeQuota ?? DEFAULT_QUOTAS.inlinePoliciesSize,
      managedPoliciesPerRole: summary.AttachedPoliciesPerRoleQuota ?? DEFAULT_QUOTAS.managedPoliciesPerRole,
    };
  } catch {
    notes.push({ rule: "quotas-unknown", severity: "info", where: "role", message: `The console could not read ${account.name}'s IAM quotas (GetAccountSummary); sizes are checked against AWS's defaults.` });
  }
  let githubProviderExists = false;
  try {
    const providers = (await iam.send(new ListOpenIDConnectProvidersCommand({}))).OpenIDConnectProviderList ?? [];
    githubProviderExists = providers.some((p) => p.Arn?.endsWith(`:oidc-provider/${GITHUB_PROVIDER}`));
  } catch {
    notes.push({ rule: "oidc-providers-unknown", severity: "info", where: "role", message: `The console could not list ${account.name}'s OIDC providers; it will create GitHub's if a GitHub trust is chosen.` });
  }
  return {
    ctx: {
      partition: account.partition,
      broker: { arn: broker.arn, accountId: broker.accountId, temporary: broker.kind === "temporary" },
      accounts: accounts.map((a) => ({ accountId: a.accountId, name: a.name, canProvision: true })),
      quotas,
      githubProviderExists,
      guardrails: guardrailsFor(account.accountId),
    },
    notes,
    iam,
  };
}

function dedupe(findings: LintFinding[]): LintFinding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.rule}|${f.where}|${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Plans the document against the live account. The account is asked whether the role name is
 * free and the managed policies exist (./account-checks); a "no" is refused as a bad_request at
 * the fields, before anything is created. */
async function makePlan(actor: Actor, doc: WizardDocument): Promise<{ plan: Plan; account: AccountDto; ctx: PlanContext }> {
  const account = await targetAccount(actor, doc.target.accountId);
  const { ctx, notes, iam } = await planContext(actor, account);
  const plan = buildPlan(doc, ctx);
  // The plan builder's own findings (a document that does not parse), the lint rules, action
  // names checked against the IAM reference data, and what could not be read live.
  const linted = [...plan.findings, ...lintPlan(plan, ctx), ...(await lintPolicyActions(plan))];
  const checked = await checkAgainstAccount(iam, plan, doc, account, linted);
  assertAccountChecks(checked);
  const findings = dedupe([...linted, ...notes, ...checked.notes]);
  return { plan: { ...plan, findings }, account, ctx };
}

/** The review step: policies, lint findings, the steps an apply would take and exports for a
 * wizard document. Its checks against the account are rate-limited per person. */
export async function planRole(actor: Actor, doc: WizardDocument, meta?: RequestMeta): Promise<PlanResult> {
  assertPermission(actor, "provisioning.manage");
  await limitReviewChecks(actor, meta);
  const { plan, ctx } = await makePlan(actor, doc);
  return {
    plan,
    steps: applySteps(plan),
    usage: quotaUsage(plan, ctx.quotas),
    exports: {
      terraform: exportTerraform(plan),
      cloudformation: exportCloudFormation(plan),
      cli: exportCli(plan),
      awsConfig: exportAwsConfig(plan, {}),
    },
  };
}

/** The answer to "create this role": each step's status, and either the role as registered in
 * the catalog or what failed (rolled back). Stored with the run, for Idempotency-Key replays. */
export type CreateRoleResult = { ok: boolean; steps: ApplyStep[]; error?: string; role?: Pick<RoleDto, "id" | "roleArn" | "displayName"> };

/** A plan checked and ready to apply: no errors, warnings acknowledged. */
export type PreparedApply = { doc: WizardDocument; plan: Plan; account: AccountDto };

/** Plans the document and refuses (AppError 400, before any AWS change) when the plan has
 * errors or unacknowledged warnings. */
export async function prepareApply(actor: Actor, doc: WizardDocument, opts: { acknowledgeWarnings: boolean }): Promise<PreparedApply> {
  assertPermission(actor, "provisioning.manage");
  const { plan, account } = await makePlan(actor, doc);
  const errors = plan.findings.filter((f) => f.severity === "error");
  if (errors.length) throw new AppError("bad_request", `Fix ${errors.length === 1 ? "this problem" : `these ${errors.length} problems`} first: ${errors.map((e) => e.message).join(" ")}`, { details: { findings: errors } });
  const warnings = plan.findings.filter((f) => f.severity === "warning");
  if (warnings.length && !opts.acknowledgeWarnings) {
    throw new AppError("bad_request", `Acknowledge the ${warnings.length === 1 ? "warning" : `${warnings.length} warnings`} before creating the role.`, { details: { findings: warnings } });
  }
  return { doc, plan, account };
}

/** Creates a prepared plan through the target account's provisioning role, step by step,
 * rolled back on failure; on success registers the role in the catalog and grants it to its
 * creator. Audited either way. Every step is journaled first (./runs), so a console that dies
 * halfway is rolled back when it, or another instance, next runs `reconcileInterruptedRuns`. */
export async function executeApply(
  actor: Actor,
  prepared: PreparedApply,
  meta: RequestMeta,
  onProgress?: (steps: ApplyStep[]) => void,
  opts: { idempotencyKey?: string } = {},
): Promise<CreateRoleResult> {
  assertPermission(actor, "provisioning.manage");
  const { doc, plan, account } = prepared;
  // Runs that an earlier process left halfway are cleaned up first, in the background.
  void reconcileInterruptedRuns().catch((err: unknown) => requestLogger(meta).error({ err, operation: "provision.reconcile" }, "reconciling interrupted runs failed"));
  const accountsById = new Map((await queryAccounts(await getDb(), actor)).map((a) => [a.accountId, a]));
  const deps = {
    iamFor: async (accountId: string) => {
      const target = accountsById.get(accountId);
      if (!target) throw new AppError("bad_request", `Account ${accountId} is not registered, so the console has no provisioning role there.`);
      return iamIn(target, awsIdentityOf(actor));
    },
    accountName: (accountId: string) => accountsById.get(accountId)?.name,
  };
  const run = await startRun({ actor, plan, idempotencyKey: opts.idempotencyKey });
  let journal: JournalEntry[] = [];
  const result = await applyPlan(
    plan,
    {
      ...deps,
      onProgress,
      journal: async (entries) => {
        await run.journal(entries);
        journal = entries;
      },
    },
    run.startedAt,
  );

  const details = { roleName: plan.roleName, steps: result.steps.length, failedStep: result.steps.find((s) => s.status === "failed")?.label ?? null, runId: run.id };
  if (!result.ok) {
    await recordAudit({ action: "provisioning.apply", outcome: "failure", actor, target: { type: "iam-role", label: plan.roleArn }, awsAccountId: account.accountId, reason: result.error, request: meta, details });
    const answer = { ok: false, steps: result.steps, error: result.error };
    await run.finish(result.rollbackIncomplete ? "rollback_incomplete" : "rolled_back", answer);
    return answer;
  }
  const unregistered = async (err: unknown): Promise<CreateRoleResult> => {
    // Created in IAM but not in the catalog: take it out of IAM again rather than leave a role
    // nobody registered (the journal says what this run created).
    const why = err instanceof AppError ? err.message : "the store refused it";
    if (!(err instanceof AppError)) requestLogger(meta).error({ err, operation: "provision.register", roleArn: plan.roleArn }, "registering the created role failed");
    const rolled = await rollbackJournal(plan, run.startedAt, journal, deps);
    const error = rolled.ok
      ? `The role was created but could not be added to the catalog (${why}), so it was removed again.`
      : `The role was created but could not be added to the catalog (${why}), and removing it failed, so it is still there: ${rolled.problems.join(" ")}`;
    const steps = result.steps.map((s) => ({ ...s, status: rolled.ok && s.status === "done" ? ("rolled-back" as const) : s.status }));
    await recordAudit({ action: "provisioning.apply", outcome: "failure", actor, target: { type: "iam-role", label: plan.roleArn }, awsAccountId: account.accountId, reason: error, request: meta, details });
    await run.finish(rolled.ok ? "rolled_back" : "rollback_incomplete", { ok: false, steps, error });
    return { ok: false, steps, error };
  };
  const externalId = doc.trust.conditions.externalId;
  let role: RoleDto | undefined;
  try {
    role = await registerRole(
      actor,
      {
        roleArn: plan.roleArn,
        displayName: plan.roleName,
        sessionDuration: plan.maxSessionDuration,
        ...(externalId ? { externalId } : {}),
        sourceIdentity: doc.trust.entities.some((e) => e.kind === "broker"),
      },
      meta,
      "wizard",
    );
  } catch (err) {
    // Someone put an entry for this role in the catalog already (by name, before it existed):
    // the role just created is the one it names, so it is kept and the entry used.
    if (err instanceof AppError && err.code === "conflict") {
      role = (await queryRoles(await getDb(), actor, { accountRef: account.id })).find((r) => r.roleArn.toLowerCase() === plan.roleArn.toLowerCase());
    }
    if (!role) return unregistered(err);
  }
  await recordAudit({ action: "provisioning.apply", outcome: "success", actor, target: { type: "iam-role", label: plan.roleArn }, awsAccountId: account.accountId, request: meta, details });
  await createGrant(actor, { roleId: role.id, userEmail: actor.email }, meta).catch((err: unknown) => requestLogger(meta).error({ err, operation: "provision.grant_creator", roleArn: plan.roleArn }, "could not grant the created role to its creator"));
  const answer = { ok: true, steps: result.steps, role: { id: role.id, roleArn: role.roleArn, displayName: role.displayName } };
  await run.finish("succeeded", answer);
  return answer;
}

/** A person's earlier apply with the same Idempotency-Key: its answer once it has finished (a
 * 409 while it is still running, or when the key was used for another role). */
export async function earlierApply(actor: Actor, idempotencyKey: string, doc: WizardDocument): Promise<CreateRoleResult | undefined> {
  assertPermission(actor, "provisioning.manage");
  const earlier = await findRunByKey(actor.id, idempotencyKey);
  if (!earlier) return undefined;
  const [, accountId, rest] = /^arn:[\w-]+:iam::(\d{12}):role(\/.*)$/.exec(earlier.roleArn) ?? [];
  const sameRole = accountId === doc.target.accountId && rest?.toLowerCase() === `${doc.target.path}${doc.target.roleName}`.toLowerCase();
  if (!sameRole) throw conflict(`This Idempotency-Key was already used to create ${earlier.roleArn}. Use a new key for another role.`);
  if (earlier.state === "running" || !earlier.result) throw conflict("A request with this Idempotency-Key is still being applied. Ask again in a moment for its result.");
  return earlier.result;
}

/**
 * Rolls back role-wizard runs whose console process died halfway (./runs): at start-up and
 * before each apply. It runs for nobody in particular, so it reads the accounts table directly
 * (unsafe: no caller to check); it only ever undoes what a run's own journal recorded, through
 * the provisioning role of the account the run used, in a session named after the person who
 * started the run (CloudTrail shows whose role was removed again).
 */
export async function reconcileInterruptedRuns(): Promise<ReconciledRun[]> {
  const db = await getDb();
  // Read only when a run has to be rolled back (almost never), not on every apply.
  let byId: Map<string, { aws_account_id: string; name: string; partition: Partition; provisioning_role_name: string }> | undefined;
  const accounts = async () => {
    byId ??= new Map((await db.selectFrom("accounts").select(["aws_account_id", "name", "partition", "provisioning_role_name"]).execute()).map((a) => [a.aws_account_id, a]));
    return byId;
  };
  const reconciled = await reconcileRuns({
    db,
    iamFor: async (accountId, run) => {
      const a = (await accounts()).get(accountId);
      if (!a) throw new Error(`account ${accountId} is no longer registered, so its provisioning role is unknown`);
      return provisioningIam({ awsAccountId: a.aws_account_id, partition: a.partition, provisioningRoleName: a.provisioning_role_name }, awsIdentityOf(await runActor(run)));
    },
    accountName: (accountId) => byId?.get(accountId)?.name,
  });
  for (const r of reconciled) {
    const outcome = r.state === "succeeded" ? "it had finished; kept" : r.state === "rolled_back" ? "rolled back" : r.state === "retry_later" ? "rolling back failed; will try again" : "rolling back failed; left for an administrator";
    logger.warn({ operation: "provision.reconcile", runId: r.id, roleArn: r.roleArn, state: r.state, problems: r.problems }, `an interrupted role-wizard run: ${outcome}`);
  }
  return reconciled;
}

/** The AWS identity of the person who started a run: their stored one, or, for a user deleted
 * since (or created before identities were stored), the one their recorded email gives. */
async function runActor(run: { actorId: string; actorEmail: string }): Promise<{ awsIdentity: string }> {
  const user = await (await getDb()).selectFrom("users").select("aws_identity").where("id", "=", run.actorId).executeTakeFirst();
  return { awsIdentity: user?.aws_identity ?? awsIdentityFor(run.actorEmail) };
}

/** The account's managed policies for the "What" step: AWS-managed and its own, filtered. */
export async function listManagedPolicies(actor: Actor, accountId: string, query: string): Promise<Array<{ arn: string; name: string; description: string | null; awsManaged: boolean }>> {
  assertPermission(actor, "provisioning.manage");
  const iam = await iamIn(await targetAccount(actor, accountId), awsIdentityOf(actor));
  const q = query.trim().toLowerCase();
  const out: Array<{ arn: string; name: string; description: string | null; awsManaged: boolean }> = [];
  let marker: string | undefined;
  // ListPolicies pages through ~1,300 AWS-managed policies; a few pages at most.
  for (let page = 0; page < 20; page++) {
    const res = await iam.send(new ListPoliciesCommand({ Scope: "All", OnlyAttached: false, Marker: marker, MaxItems: 1000 }));
    for (const p of res.Policies ?? []) {
      if (!p.Arn || !p.PolicyName) continue;
      if (q && !p.PolicyName.toLowerCase().includes(q) && !(p.Description ?? "").toLowerCase().includes(q)) continue;
      out.push({ arn: p.Arn, name: p.PolicyName, description: p.Description ?? null, awsManaged: p.Arn.includes(":iam::aws:policy/") });
    }
    if (!res.IsTruncated || !res.Marker) break;
    marker = res.Marker;
  }
  out.sort((a, b) => Number(b.awsManaged) - Number(a.awsManaged) || a.name.localeCompare(b.name));
  return out.slice(0, 50);
}

/** Live validation of an inline policy as it is typed. */
export async function validatePolicyJson(text: string): Promise<{ ok: boolean; findings: LintFinding[] }> {
  const result = validatePolicyText(text, "identity");
  const actions = result.policy ? await checkActions(result.policy, "inline") : [];
  return { ok: result.ok, findings: [...result.findings, ...actions] };
}
