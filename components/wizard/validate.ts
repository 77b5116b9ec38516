// Checks of the wizard's steps, before the person moves on: one message per field, keyed by the
// field's path in the WizardDocument ("target.roleName", "trust.entities.2.repo"), the same keys
// the server's errors use. The field rules themselves are the server's own schemas
// (lib/provision/schema.ts, lib/catalog/schemas.ts), so the page and the server never disagree
// about what is valid; this module adds what only the form knows (which step a field is on,
// which accounts the console can provision). Pure and browser-safe.
import type { z } from "zod";
import { awsAccountIdField, externalIdField, roleNameField, rolePathField } from "@/lib/catalog/schemas";
import {
  inlinePolicyDocumentField,
  inlinePolicyNameField,
  managedPolicyArnField,
  maxSessionDurationField,
  MAX_INLINE_POLICIES,
  MAX_MANAGED_POLICIES,
  MAX_TRUSTED_ENTITIES,
  organizationIdField,
  permissionsBoundaryArnField,
  roleDescriptionField,
  tagField,
  trustedEntityInput,
} from "@/lib/provision/schema";
import { policyTemplateInput } from "@/lib/provision/templates";
import type { TrustedEntity, WizardDocument } from "@/lib/provision/types";
import { blankTag, toSubmission } from "./draft";
import type { StepNumber, WizardAccount } from "./types";

/** Field path → what is wrong with it. */
export type FieldErrors = Record<string, string>;

/** The first message of a schema for a value, or undefined when the value is valid. */
function problem(schema: z.ZodType, value: unknown): string | undefined {
  const result = schema.safeParse(value);
  return result.success ? undefined : (result.error.issues[0]?.message ?? "This value is not valid");
}

/** Every issue of a schema, keyed by `prefix` + the issue's path (first message per field). */
function problems(schema: z.ZodType, value: unknown, prefix: string, into: FieldErrors): void {
  const result = schema.safeParse(value);
  if (result.success) return;
  for (const issue of result.error.issues) {
    const key = [prefix, ...issue.path.map(String)].join(".");
    into[key] ??= issue.message;
  }
}

const accountOfArn = (arn: string) => /^arn:[\w-]+:iam::(\d{12}):/.exec(arn.trim())?.[1];

/** The id under which an entity would appear twice in the trust policy. */
export function entityIdentity(e: TrustedEntity): string {
  switch (e.kind) {
    case "broker":
      return "broker";
    case "account":
      return `account:${e.accountId.trim()}`;
    case "principal":
      return `principal:${e.arn.trim()}`;
    case "service":
      return `service:${e.service}`;
    case "github":
      return `github:${e.owner.trim().toLowerCase()}/${e.repo.trim().toLowerCase()}:${e.ref.type}:${"name" in e.ref ? e.ref.name.trim() : ""}`;
    case "oidc":
      return `oidc:${e.providerArn.trim()}:${e.audience.trim()}:${e.subject?.trim() ?? ""}`;
    case "saml":
      return `saml:${e.providerArn.trim()}`;
  }
}

/** The field an entity's "already in the list" message goes next to. */
function mainField(e: TrustedEntity): string {
  switch (e.kind) {
    case "broker":
      return "kind";
    case "account":
      return "accountId";
    case "principal":
      return "arn";
    case "service":
      return "service";
    case "github":
      return "repo";
    case "oidc":
    case "saml":
      return "providerArn";
  }
}

export function validateWhere(doc: WizardDocument, accounts: readonly WizardAccount[]): FieldErrors {
  const errors: FieldErrors = {};
  const t = doc.target;
  if (!t.accountId) errors["target.accountId"] = "Choose the account the role will live in";
  else {
    const account = accounts.find((a) => a.accountId === t.accountId);
    if (!account) errors["target.accountId"] = `Account ${t.accountId} is not registered in the console any more. Choose another one.`;
    else if (!account.canProvision) errors["target.accountId"] = `The console has no provisioning role in ${account.name}, so it cannot create roles there. Choose another account.`;
  }
  const name = problem(roleNameField, t.roleName);
  if (name) errors["target.roleName"] = name;
  const path = problem(rolePathField, t.path);
  if (path) errors["target.path"] = path;
  const description = problem(roleDescriptionField, t.description);
  if (description) errors["target.description"] = description;
  const duration = problem(maxSessionDurationField, t.maxSessionDuration);
  if (duration) errors["target.maxSessionDuration"] = duration;

  const tags = t.tags.map((tag, i) => ({ tag, i })).filter(({ tag }) => !blankTag(tag));
  if (tags.length > 50) errors["target.tags"] = "A role has at most 50 tags";
  const seen = new Map<string, number>();
  for (const { tag, i } of tags) {
    problems(tagField, tag, `target.tags.${i}`, errors);
    // IAM tag keys of roles are case-insensitive: Team and team are the same key.
    const key = tag.key.trim().toLowerCase();
    const first = seen.get(key);
    if (key && first !== undefined) errors[`target.tags.${i}.key`] ??= `The key ${tag.key.trim()} is already used by tag ${first + 1} (case does not count)`;
    else seen.set(key, i);
  }

  const boundary = t.permissionsBoundaryArn?.trim();
  if (boundary) {
    const message = problem(permissionsBoundaryArnField, boundary);
    if (message) errors["target.permissionsBoundaryArn"] = message;
  }
  return errors;
}

export function validateWho(doc: WizardDocument): FieldErrors {
  const errors: FieldErrors = {};
  const entities = toSubmission(doc).trust.entities;
  if (entities.length === 0) errors["trust.entities"] = "Add at least one trusted entity: who may assume the role";
  if (entities.length > MAX_TRUSTED_ENTITIES) errors["trust.entities"] = `A role here trusts at most ${MAX_TRUSTED_ENTITIES} entities`;
  const seen = new Map<string, number>();
  entities.forEach((entity, i) => {
    const prefix = `trust.entities.${i}`;
    problems(trustedEntityInput, entity, prefix, errors);
    const identity = entityIdentity(entity);
    const first = seen.get(identity);
    if (first !== undefined) errors[`${prefix}.${mainField(entity)}`] ??= `Already in the list (trusted entity ${first + 1})`;
    else seen.set(identity, i);
    // IAM accepts a federated principal only from the role's own account.
    if ((entity.kind === "oidc" || entity.kind === "saml") && !errors[`${prefix}.providerArn`]) {
      const account = accountOfArn(entity.providerArn);
      if (doc.target.accountId && account && account !== doc.target.accountId) {
        errors[`${prefix}.providerArn`] = `The provider must be in the role's own account (${doc.target.accountId}), not ${account}`;
      }
    }
  });
  const { externalId, organizationId } = doc.trust.conditions;
  if (externalId !== undefined) {
    const message = externalId.trim() ? problem(externalIdField, externalId) : "Enter an ExternalId, or generate one";
    if (message) errors["trust.conditions.externalId"] = message;
  }
  if (organizationId !== undefined) {
    const message = problem(organizationIdField, organizationId);
    if (message) errors["trust.conditions.organizationId"] = message;
  }
  return errors;
}

/** Why raw policy text is not a JSON object, or undefined when it is one (the server's live
 * validation says everything else). */
export function jsonProblem(text: string): string | undefined {
  if (!text.trim()) return "Paste the policy as JSON";
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return `This is not valid JSON: ${err instanceof Error ? err.message : "it cannot be read"}`;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return 'A policy is a JSON object: { "Version": "2012-10-17", "Statement": [ … ] }';
  return undefined;
}

export function validateWhat(doc: WizardDocument): FieldErrors {
  const errors: FieldErrors = {};
  const { managedPolicyArns, inline } = doc.permissions;
  if (managedPolicyArns.length > MAX_MANAGED_POLICIES) errors["permissions.managedPolicyArns"] = `A role can have at most ${MAX_MANAGED_POLICIES} managed policies`;
  const arns = new Set<string>();
  managedPolicyArns.forEach((arn, i) => {
    const message = problem(managedPolicyArnField, arn) ?? (arns.has(arn) ? "This policy is already in the list" : undefined);
    if (message) errors[`permissions.managedPolicyArns.${i}`] = message;
    arns.add(arn);
  });
  if (inline.length > MAX_INLINE_POLICIES) errors["permissions.inline"] = `A role here has at most ${MAX_INLINE_POLICIES} inline policies`;
  const names = new Map<string, number>();
  inline.forEach((policy, i) => {
    const prefix = `permissions.inline.${i}`;
    const name = problem(inlinePolicyNameField, policy.name);
    const key = policy.name.trim().toLowerCase();
    const first = names.get(key);
    if (name) errors[`${prefix}.name`] = name;
    else if (first !== undefined) errors[`${prefix}.name`] = `Inline policy ${first + 1} already has this name`;
    else names.set(key, i);
    if ("template" in policy) problems(policyTemplateInput, policy.template, `${prefix}.template`, errors);
    else {
      const message = problem(inlinePolicyDocumentField, policy.document) ?? jsonProblem(policy.document);
      if (message) errors[`${prefix}.document`] = message;
    }
  });
  return errors;
}

/** The messages of one step; Review and Create have none of their own. */
export function validateStep(step: StepNumber, doc: WizardDocument, accounts: readonly WizardAccount[]): FieldErrors {
  if (step === 1) return validateWhere(doc, accounts);
  if (step === 2) return validateWho(doc);
  if (step === 3) return validateWhat(doc);
  return {};
}

/** The furthest step the person may jump to: the first step with problems, else Review. */
export function firstInvalidStep(doc: WizardDocument, accounts: readonly WizardAccount[]): StepNumber {
  for (const step of [1, 2, 3] as const) if (Object.keys(validateStep(step, doc, accounts)).length) return step;
  return 4;
}

/** Which step shows a field, for errors that come back from the server ("document." is the
 * apply route's wrapper). */
export function stepOfField(key: string): StepNumber | null {
  const k = key.startsWith("document.") ? key.slice("document.".length) : key;
  if (k === "target" || k.startsWith("target.")) return 1;
  if (k === "trust" || k.startsWith("trust.")) return 2;
  if (k === "permissions" || k.startsWith("permissions.")) return 3;
  if (k === "applySourcePolicies" || k.startsWith("applySourcePolicies.")) return 4;
  return null;
}

/** A server error's field keys without the apply route's "document." wrapper. */
export function normalizeFieldKeys(fields: Record<string, string> | undefined): FieldErrors {
  const out: FieldErrors = {};
  for (const [key, message] of Object.entries(fields ?? {})) out[key.startsWith("document.") ? key.slice("document.".length) : key] ??= message;
  return out;
}

/** The value at a dotted path ("trust.entities.0.accountId"), or undefined. */
export function valueAt(doc: unknown, key: string): unknown {
  let cur: unknown = doc;
  for (const part of key.split(".")) {
    if (typeof cur !== "object" || cur === null) return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

/** The server's messages that still apply after an edit: a message goes away as soon as the
 * value it was about changes. */
export function pruneErrors(errors: FieldErrors, before: WizardDocument, after: WizardDocument): FieldErrors {
  const out: FieldErrors = {};
  for (const [key, message] of Object.entries(errors)) {
    if (JSON.stringify(valueAt(before, key)) === JSON.stringify(valueAt(after, key))) out[key] = message;
  }
  return out;
}

/** The DOM id of a field's control, from its path: target.roleName → wz-target-roleName. */
export function fieldId(key: string): string {
  return `wz-${key.replace(/[^A-Za-z0-9_-]/g, "-")}`;
}

/** Valid 12-digit account id (for the account picker's hint). */
export function isAccountId(value: string): boolean {
  return awsAccountIdField.safeParse(value).success;
}
