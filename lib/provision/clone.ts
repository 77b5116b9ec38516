import "server-only";
import {
  GetRoleCommand,
  GetRolePolicyCommand,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  type IAMClient,
  type ListAttachedRolePoliciesCommandOutput,
  type ListRolePoliciesCommandOutput,
} from "@aws-sdk/client-iam";
import { findAccount } from "@/lib/accounts/queries";
import { assertPermission, type Actor } from "@/lib/auth/actor";
import { brokerProfile, provisioningIam } from "@/lib/aws/broker-clients";
import { appErrorOf } from "@/lib/aws/errors";
import { awsIdentityOf } from "@/lib/aws/session-name";
import { getRole } from "@/lib/catalog/roles";
import { getConfig } from "@/lib/config";
import { getDb } from "@/lib/db/client";
import { SERVICE_PRINCIPALS } from "./schema";
import { brokerPrincipalArn } from "./trust";
import { decodePolicyDocument, describeTrustError } from "./trust-update";
import type { TrustConditions, TrustedEntity, WizardDocument } from "./types";

// Cloning a catalog role into another account through the wizard: the role is read live
// (GetRole, its inline and attached policies) and turned back into a WizardDocument. What the
// wizard cannot express, or what would not exist in another account, is left out and said so.

export type CloneResult = {
  document: WizardDocument;
  /** What was left out or changed, in plain words, for the wizard to show. */
  notices: string[];
  source: { roleArn: string; displayName: string };
};

type Rec = Record<string, unknown>;
const isRec = (v: unknown): v is Rec => typeof v === "object" && v !== null && !Array.isArray(v);
const list = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const strings = (v: unknown): string[] => list(v).filter((x): x is string => typeof x === "string");

const SERVICES = new Set<string>(SERVICE_PRINCIPALS.map((s) => s.principal));
const ACCOUNT_ROOT = /^arn:[\w-]+:iam::(\d{12}):root$/;
const ROLE_OR_USER = /^arn:[\w-]+:iam::\d{12}:(role|user)\/[\u0021-\u007E]+$/;
const SESSION = /^arn:[\w-]+:sts::\d{12}:assumed-role\//;

/** The wizard's trusted entities and conditions for a trust policy, as far as they can be read
 * back. Pure. Keeps Allow statements of AWS principals and services; the ExternalId, MFA and
 * organization conditions come back as the wizard's conditions (which apply to every AWS
 * principal). Everything else is omitted with a notice. */
export function entitiesFromTrustPolicy(policy: unknown, brokerArn: string): { entities: TrustedEntity[]; conditions: TrustConditions; notices: string[] } {
  const entities: TrustedEntity[] = [];
  const conditions: TrustConditions = {};
  const notices: string[] = [];
  const seen = new Set<string>();
  const add = (e: TrustedEntity) => {
    const key = JSON.stringify(e);
    if (!seen.has(key)) entities.push(e);
    seen.add(key);
  };
  const broker = new Set([brokerArn, brokerPrincipalArn(brokerArn)]);
  const statements = isRec(policy) ? list(policy.Statement) : [];
  if (!statements.length) notices.push("The role's trust policy could not be read, so no trusted entity was copied.");

  for (const [i, raw] of statements.entries()) {
    const s = isRec(raw) ? raw : {};
    const label = typeof s.Sid === "string" && s.Sid ? `statement ${s.Sid}` : `statement ${i + 1}`;
    if (s.Effect !== "Allow") {
      notices.push(`The trust policy's ${label} denies access; the wizard only writes Allow statements, so it was left out.`);
      continue;
    }
    if (!isRec(s.Principal)) {
      notices.push(`The trust policy's ${label} has no principal the wizard can express (${JSON.stringify(s.Principal ?? s.NotPrincipal ?? null)}), so it was left out.`);
      continue;
    }
    for (const [type, value] of Object.entries(s.Principal)) {
      for (const p of strings(value)) {
        if (type === "AWS" && broker.has(p)) add({ kind: "broker" });
        else if (type === "AWS" && ACCOUNT_ROOT.test(p)) add({ kind: "account", accountId: ACCOUNT_ROOT.exec(p)![1]! });
        else if (type === "AWS" && /^\d{12}$/.test(p)) add({ kind: "account", accountId: p });
        else if (type === "AWS" && (ROLE_OR_USER.test(p) || SESSION.test(p))) add({ kind: "principal", arn: p });
        else if (type === "Service" && SERVICES.has(p.replace(/\.cn$/, ""))) add({ kind: "service", service: p.replace(/\.cn$/, "") });
        else notices.push(`${type} principal ${p} (${label}) is not something the wizard can set up, so it was left out. Add it in the Who step if it is still needed.`);
      }
    }
    const condition = isRec(s.Condition) ? s.Condition : {};
    for (const [operator, block] of Object.entries(condition)) {
      for (const [key, value] of Object.entries(isRec(block) ? block : {})) {
        const [first] = strings(value);
        const k = key.toLowerCase();
        if (operator === "StringEquals" && k === "sts:externalid" && first) conditions.externalId = first;
        else if (operator === "StringEquals" && k === "aws:principalorgid" && first) conditions.organizationId = first;
        else if (operator === "Bool" && k === "aws:multifactorauthpresent" && first === "true") conditions.requireMfa = true;
        else notices.push(`The condition ${operator} ${key} (${label}) was left out: the wizard cannot express it.`);
      }
    }
  }
  return { entities, conditions, notices };
}

const isAwsManaged = (arn: string) => /^arn:[\w-]+:iam::aws:policy\//.test(arn);

/** A WizardDocument copying a catalog role (no target account chosen), with notices. */
export async function cloneDocument(actor: Actor, roleId: string): Promise<CloneResult> {
  assertPermission(actor, "provisioning.manage");
  const role = await getRole(actor, roleId);
  const account = await findAccount(await getDb(), actor, role.accountRef);
  const where = `${account.name} (${account.accountId})`;
  let iam: IAMClient;
  try {
    iam = await provisioningIam({ awsAccountId: account.accountId, partition: account.partition, provisioningRoleName: account.provisioningRoleName }, awsIdentityOf(actor));
  } catch (err) {
    throw appErrorOf(err, `The console could not assume ${account.provisioningRoleName} in ${where}, so it cannot read ${role.roleName}: ${err instanceof Error ? err.message : String(err)}.`);
  }
  const broker = await brokerProfile();
  try {
    const live = (await iam.send(new GetRoleCommand({ RoleName: role.roleName }))).Role;
    const names: string[] = [];
    let marker: string | undefined;
    do {
      const page: ListRolePoliciesCommandOutput = await iam.send(new ListRolePoliciesCommand({ RoleName: role.roleName, Marker: marker }));
      names.push(...(page.PolicyNames ?? []));
      marker = page.IsTruncated ? page.Marker : undefined;
    } while (marker);
    const inline = await Promise.all(
      names.map(async (name) => {
        const doc = (await iam.send(new GetRolePolicyCommand({ RoleName: role.roleName, PolicyName: name }))).PolicyDocument ?? "";
        return { name, document: decodePolicyDocument(doc) };
      }),
    );
    const attached: string[] = [];
    marker = undefined;
    do {
      const page: ListAttachedRolePoliciesCommandOutput = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: role.roleName, Marker: marker }));
      attached.push(...(page.AttachedPolicies ?? []).map((p) => p.PolicyArn ?? "").filter(Boolean));
      marker = page.IsTruncated ? page.Marker : undefined;
    } while (marker);

    const notices: string[] = [];
    const managed = attached.filter((arn) => {
      if (isAwsManaged(arn)) return true;
      notices.push(`The customer-managed policy ${arn} exists only in ${where}, so it was left out. Copy its statements into an inline policy, or create it in the target account first.`);
      return false;
    });
    const liveBoundary = live?.PermissionsBoundary?.PermissionsBoundaryArn;
    // The administrator's boundary replaces any other: the plan puts it on the copy and would
    // refuse a document asking for a different one.
    const required = getConfig().provisioning.permissionsBoundaryArn;
    let boundary = liveBoundary;
    if (required) {
      boundary = undefined;
      if (liveBoundary) notices.push(`${role.roleName} has the permissions boundary ${liveBoundary}; the copy gets the one your administrator sets on every role instead (${required}).`);
    } else if (boundary && !isAwsManaged(boundary)) {
      notices.push(`The permissions boundary ${boundary} exists only in ${where}, so it was left out.`);
    }
    let trustPolicy: unknown;
    try {
      trustPolicy = JSON.parse(decodePolicyDocument(live?.AssumeRolePolicyDocument ?? ""));
    } catch {
      trustPolicy = undefined;
    }
    const trust = entitiesFromTrustPolicy(trustPolicy, broker.arn);
    const duration = live?.MaxSessionDuration ?? 3600;
    const document: WizardDocument = {
      target: {
        accountId: "",
        roleName: role.roleName,
        path: live?.Path ?? role.path,
        description: live?.Description ?? "",
        maxSessionDuration: duration >= 3600 && duration <= 43200 ? duration : 3600,
        tags: (live?.Tags ?? []).map((t) => ({ key: t.Key ?? "", value: t.Value ?? "" })),
        ...(boundary && isAwsManaged(boundary) ? { permissionsBoundaryArn: boundary } : {}),
      },
      trust: { entities: trust.entities, conditions: trust.conditions },
      permissions: { managedPolicyArns: managed, inline },
      applySourcePolicies: [],
    };
    return { document, notices: [...notices, ...trust.notices], source: { roleArn: role.roleArn, displayName: role.displayName } };
  } catch (err) {
    throw appErrorOf(err, `The console could not read ${role.roleName} in ${where}: ${describeTrustError(err, role.roleName, where, "read")}`);
  }
}
