import "server-only";
import { insertAccount } from "@/lib/accounts/accounts";
import { guessEnvironment } from "@/lib/accounts/dto";
import { assertPermission, type Actor } from "@/lib/auth/actor";
import { partitionOfRegion } from "@/lib/aws/partitions";
import { getDb } from "@/lib/db/client";
import type { Environment, Partition } from "@/lib/db/schema";
import { badRequest } from "@/lib/errors";
import type { RequestMeta } from "@/lib/http/request-meta";
import { testChangedEntries } from "@/lib/sessions/role-health-check";
import { MAX_CONFIG_PROFILES, parseConfig, type ApplyConfigImportInput, type ConfigImportFormat, type ConfigProblem, type ImportedRole, type PreviewConfigImportInput, type SkippedProfile } from "./config-import";
import { insertRoleEntry } from "./roles";

// The bulk import of an AWS Extend Switch Roles configuration or an AWS CLI config file
// (lib/catalog/config-import.ts reads it): a preview of what is new and what is already
// registered, then the chosen accounts and roles registered in one transaction — every one with
// its own audit event (account.create, role.create, details.source "config-import"), or none —
// and the new entries tested as a registration tests them (lib/sessions/role-health-check.ts:
// a few at a time, waited for 15 s at most).

/** The audit events' source for what the import registers. */
export const CONFIG_IMPORT_SOURCE = "config-import";

export type ConfigImportAccount = {
  accountId: string;
  partition: Partition;
  /** The registered name, or the one suggested from its profiles' names. */
  name: string;
  environment: Environment;
  registered: boolean;
  /** Roles of the file in it. */
  roles: number;
};

export type ConfigImportRole = {
  profile: string;
  line: number;
  roleArn: string;
  accountId: string;
  roleName: string;
  path: string;
  displayName: string;
  region: string | null;
  color: string | null;
  sessionDuration: number | null;
  /** Whether the profile sets an ExternalId (kept on the entry; never sent back). */
  externalId: boolean;
  via: string[];
  notes: string[];
  status: "new" | "registered";
  /** The catalog entry's display name, when it is registered. */
  registeredAs: string | null;
};

export type ConfigImportPlan = {
  format: ConfigImportFormat;
  detected: boolean;
  accounts: ConfigImportAccount[];
  roles: ConfigImportRole[];
  skipped: SkippedProfile[];
  problems: ConfigProblem[];
  profileCount: number;
};

export type ConfigImportOutcome = {
  addedAccounts: Array<{ accountId: string; name: string }>;
  addedRoles: Array<{ displayName: string; roleArn: string }>;
  /** What was chosen but not registered, and why (already registered meanwhile). */
  skipped: Array<{ label: string; reason: string }>;
};

type Planned = ConfigImportPlan & {
  /** The parsed roles by ARN, with their ExternalIds: for the apply, never for the answer. */
  parsed: Map<string, ImportedRole>;
  /** Registered accounts: AWS account id → registry id and name. */
  registry: Map<string, { id: string; name: string; partition: Partition }>;
};

/** What the file would register: its accounts and roles, each new or already registered, and
 * the profiles skipped and lines that could not be read. Changes nothing. */
export async function previewConfigImport(actor: Actor, input: PreviewConfigImportInput): Promise<ConfigImportPlan> {
  const { parsed: _parsed, registry: _registry, ...plan } = await planOf(actor, input);
  return plan;
}

async function planOf(actor: Actor, input: PreviewConfigImportInput): Promise<Planned> {
  assertPermission(actor, "roles.manage");
  assertPermission(actor, "accounts.manage");
  const file = parseConfig(input.text, input.format);
  if (file.profileCount > MAX_CONFIG_PROFILES) {
    throw badRequest(`The configuration has ${file.profileCount} profiles; import at most ${MAX_CONFIG_PROFILES} at once. Split the file and import each part.`, { text: "Too many profiles" });
  }
  const db = await getDb();
  const accountRows = await db.selectFrom("accounts").select(["id", "aws_account_id", "name", "environment", "partition"]).execute();
  const registry = new Map(accountRows.map((a) => [a.aws_account_id, { id: a.id, name: a.name, partition: a.partition, environment: a.environment }]));
  // The catalog's own rule: one entry per account and role name, whatever the case (roles.ts).
  const roleRows = await db.selectFrom("roles").select(["account_id", "role_name", "display_name"]).execute();
  const entries = new Map(roleRows.map((r) => [`${r.account_id}:${r.role_name.toLowerCase()}`, r.display_name]));

  const problems = [...file.problems];
  const roles: ConfigImportRole[] = [];
  const parsed = new Map<string, ImportedRole>();
  for (const role of file.roles) {
    const account = registry.get(role.accountId);
    if (account && account.partition !== role.partition) {
      problems.push({ line: role.line, profile: role.profile, reason: `${role.roleArn} is in the ${role.partition} partition, but account ${role.accountId} is registered in ${account.partition}.` });
      continue;
    }
    const notes = [...role.notes];
    let region = role.region;
    if (region && partitionOfRegion(region) !== role.partition) {
      notes.push(`region ${region} is not in the ${role.partition} partition and is not kept; the account's default region is used.`);
      region = null;
    }
    const registeredAs = account ? (entries.get(`${account.id}:${role.roleName.toLowerCase()}`) ?? null) : null;
    parsed.set(role.roleArn, { ...role, region });
    roles.push({
      profile: role.profile,
      line: role.line,
      roleArn: role.roleArn,
      accountId: role.accountId,
      roleName: role.roleName,
      path: role.path,
      displayName: role.profile.trim().slice(0, 80) || role.roleName,
      region,
      color: role.color,
      sessionDuration: role.sessionDuration,
      externalId: role.externalId !== null,
      via: role.via,
      notes,
      status: registeredAs === null ? "new" : "registered",
      registeredAs,
    });
  }

  const accounts = new Map<string, ConfigImportAccount>();
  for (const role of roles) {
    const known = accounts.get(role.accountId);
    if (known) {
      known.roles++;
      continue;
    }
    const registered = registry.get(role.accountId);
    const name = registered?.name ?? suggestName(roles.filter((r) => r.accountId === role.accountId).map((r) => r.profile), role.accountId);
    accounts.set(role.accountId, {
      accountId: role.accountId,
      partition: parsed.get(role.roleArn)!.partition,
      name,
      environment: registered?.environment ?? guessEnvironment(name),
      registered: registered !== undefined,
      roles: 1,
    });
  }
  return {
    format: file.format,
    detected: file.detected,
    // New accounts first, then by name: the ones to look at come first.
    accounts: [...accounts.values()].sort((a, b) => Number(a.registered) - Number(b.registered) || a.name.localeCompare(b.name)),
    roles,
    skipped: file.skipped,
    problems: problems.sort((a, b) => a.line - b.line),
    profileCount: file.profileCount,
    parsed,
    registry: new Map([...registry].map(([k, v]) => [k, { id: v.id, name: v.name, partition: v.partition }])),
  };
}

/** A name for a new account from its profiles' names: what they share at the start
 * ("prod-admin", "prod-readonly" → "prod"), else the first one's; at most 60 characters. */
export function suggestName(profiles: string[], accountId: string): string {
  let prefix = profiles[0] ?? "";
  for (const p of profiles.slice(1)) {
    let i = 0;
    while (i < prefix.length && i < p.length && prefix[i]!.toLowerCase() === p[i]!.toLowerCase()) i++;
    prefix = prefix.slice(0, i);
  }
  const shared = prefix.replace(/[\s\-_./:@]+$/, "").trim();
  const name = profiles.length > 1 && shared.length >= 3 ? shared : (profiles[0] ?? "").trim();
  return (name || `Account ${accountId}`).slice(0, 60);
}

/** Registers the chosen new accounts and roles (all new ones when none are chosen) in one
 * transaction, then tests the new entries. */
export async function applyConfigImport(actor: Actor, input: ApplyConfigImportInput, meta: RequestMeta): Promise<ConfigImportOutcome> {
  const plan = await planOf(actor, input);
  const skipped: ConfigImportOutcome["skipped"] = [];
  const rolesByArn = new Map(plan.roles.map((r) => [r.roleArn, r]));
  const accountsById = new Map(plan.accounts.map((a) => [a.accountId, a]));

  const roleArns = input.roles ?? plan.roles.filter((r) => r.status === "new").map((r) => r.roleArn);
  const chosenRoles: ConfigImportRole[] = [];
  for (const arn of new Set(roleArns)) {
    const role = rolesByArn.get(arn);
    if (!role) throw badRequest(`${arn} is not a role this configuration names (or it could not be read): preview the file again.`, { roles: "Not in the file" });
    if (role.status === "registered") skipped.push({ label: `${role.displayName} (${role.roleArn})`, reason: `Already in the catalog as ${role.registeredAs}` });
    else chosenRoles.push(role);
  }
  const wantedAccounts = input.accounts ?? plan.accounts.filter((a) => !a.registered && chosenRoles.some((r) => r.accountId === a.accountId)).map((a) => ({ accountId: a.accountId, name: a.name, environment: a.environment }));
  const chosenAccounts: Array<{ accountId: string; name: string; environment: Environment; partition: Partition }> = [];
  for (const wanted of wantedAccounts) {
    const account = accountsById.get(wanted.accountId);
    if (!account) throw badRequest(`Account ${wanted.accountId} has no role in this configuration: preview the file again.`, { accounts: "Not in the file" });
    if (account.registered) skipped.push({ label: `${account.name} (${account.accountId})`, reason: "Already registered" });
    else if (!chosenAccounts.some((a) => a.accountId === wanted.accountId)) chosenAccounts.push({ ...wanted, partition: account.partition });
  }
  for (const role of chosenRoles) {
    if (!plan.registry.has(role.accountId) && !chosenAccounts.some((a) => a.accountId === role.accountId)) {
      throw badRequest(`${role.displayName} (${role.roleArn}) is in account ${role.accountId}, which is not registered: choose the account too, or leave the role out.`, { accounts: "A chosen role's account is missing" });
    }
  }
  if (chosenAccounts.length === 0 && chosenRoles.length === 0) {
    throw badRequest(skipped.length ? "Everything chosen is already registered: nothing to add." : "Nothing to register: the configuration names no new role. Choose at least one role or account.");
  }

  // One transaction: every account and entry with its own event, or none of them (a conflict
  // with a registration made meanwhile, or any failure, rolls all of it back).
  const db = await getDb();
  const added = await db.transaction().execute(async (trx) => {
    const accountIds = new Map([...plan.registry].map(([awsId, a]) => [awsId, { id: a.id, accountId: awsId, name: a.name }]));
    const addedAccounts: ConfigImportOutcome["addedAccounts"] = [];
    for (const a of chosenAccounts) {
      const id = await insertAccount(trx, actor, { accountId: a.accountId, name: a.name, environment: a.environment, partition: a.partition }, meta, "manual", CONFIG_IMPORT_SOURCE);
      accountIds.set(a.accountId, { id, accountId: a.accountId, name: a.name });
      addedAccounts.push({ accountId: a.accountId, name: a.name });
    }
    const roleIds: string[] = [];
    const addedRoles: ConfigImportOutcome["addedRoles"] = [];
    for (const role of chosenRoles) {
      const source = plan.parsed.get(role.roleArn)!;
      const entry = await insertRoleEntry(
        trx,
        actor,
        accountIds.get(role.accountId)!,
        {
          roleName: role.roleName,
          path: role.path,
          displayName: role.displayName,
          color: role.color,
          defaultRegion: role.region,
          sessionDuration: role.sessionDuration,
          externalId: source.externalId,
          description: `Imported from profile ${role.profile} (line ${role.line}) of ${plan.format === "aesr" ? "an AWS Extend Switch Roles configuration" : "an AWS config file"}.`.slice(0, 1000),
        },
        meta,
        "manual",
        CONFIG_IMPORT_SOURCE,
      );
      roleIds.push(entry.id);
      addedRoles.push({ displayName: entry.displayName, roleArn: entry.roleArn });
    }
    return { addedAccounts, addedRoles, roleIds };
  });
  if (added.roleIds.length) await testChangedEntries(actor, added.roleIds, meta, "registered");
  return { addedAccounts: added.addedAccounts, addedRoles: added.addedRoles, skipped };
}
