// The wizard's draft: the WizardDocument being written, and the step the person is on, kept in
// the browser's localStorage so that Back, a reload or a closed tab loses nothing. Pure and
// browser-safe (the storage itself is touched only by the page).
//
// A draft holds work in progress, so it is read leniently: every field is checked for its type
// only (a half-typed account id is still worth keeping), and whatever cannot be read is replaced
// by its empty value rather than throwing the whole draft away.
import type { InlinePolicySpec, PolicyTemplate, TrustConditions, TrustedEntity, WizardDocument } from "@/lib/provision/types";
import type { StepNumber } from "./types";

export const DRAFT_KEY = "switchboard.role-wizard.draft";

/** Each console user's draft under its own key, so that on a shared browser one admin's
 * unfinished role never opens in another's wizard. */
export function draftKey(userId: string): string {
  return `${DRAFT_KEY}.${userId}`;
}
/** Removes every wizard draft from this browser's storage (at sign-out: a draft can name
 * accounts, roles and policies, which the next person at a shared browser has no business
 * reading). Takes the storage so it can be tested without a browser. */
export function clearDrafts(storage: Pick<Storage, "length" | "key" | "removeItem">): number {
  const keys: string[] = [];
  for (let i = 0; i < storage.length; i++) {
    const key = storage.key(i);
    if (key === DRAFT_KEY || key?.startsWith(`${DRAFT_KEY}.`)) keys.push(key);
  }
  for (const key of keys) storage.removeItem(key);
  return keys.length;
}

const DRAFT_VERSION = 1;
/** Far above anything the form can produce (a few inline policies of ≤ 128 KiB each). */
const MAX_DRAFT_CHARS = 1_000_000;

export type Draft = { step: StepNumber; document: WizardDocument };

export function emptyDocument(): WizardDocument {
  return {
    target: { accountId: "", roleName: "", path: "/", description: "", maxSessionDuration: 3600, tags: [] },
    // The console itself is trusted by default: that is what makes the role switchable here.
    trust: { entities: [{ kind: "broker" }], conditions: {} },
    permissions: { managedPolicyArns: [], inline: [] },
    applySourcePolicies: [],
  };
}

export function emptyDraft(): Draft {
  return { step: 1, document: emptyDocument() };
}

export function serializeDraft(draft: Draft): string {
  return JSON.stringify({ version: DRAFT_VERSION, step: draft.step, document: draft.document });
}

type Rec = Record<string, unknown>;
const isRec = (v: unknown): v is Rec => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown, fallback = ""): string => (typeof v === "string" ? v : fallback);
const optStr = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

function readEntity(v: unknown): TrustedEntity | null {
  if (!isRec(v)) return null;
  switch (v.kind) {
    case "broker":
      return { kind: "broker" };
    case "account":
      return { kind: "account", accountId: str(v.accountId) };
    case "principal":
      return { kind: "principal", arn: str(v.arn) };
    case "service":
      return { kind: "service", service: str(v.service) };
    case "github": {
      const ref = isRec(v.ref) ? v.ref : {};
      const type = ref.type;
      return {
        kind: "github",
        owner: str(v.owner),
        repo: str(v.repo),
        ref: type === "pull_request" ? { type } : type === "tag" || type === "environment" ? { type, name: str(ref.name) } : { type: "branch", name: str(ref.name) },
      };
    }
    case "oidc": {
      const subject = optStr(v.subject);
      return { kind: "oidc", providerArn: str(v.providerArn), audience: str(v.audience), ...(subject !== undefined ? { subject } : {}) };
    }
    case "saml":
      return { kind: "saml", providerArn: str(v.providerArn) };
    default:
      return null;
  }
}

function readTemplate(v: unknown): PolicyTemplate | null {
  if (!isRec(v)) return null;
  if (v.id === "read-s3-bucket") return { id: "read-s3-bucket", bucket: str(v.bucket) };
  if (v.id === "codedeploy-deploy") return { id: "codedeploy-deploy", application: str(v.application) };
  if (v.id === "read-only") return { id: "read-only" };
  return null;
}

function readInline(v: unknown): InlinePolicySpec | null {
  if (!isRec(v)) return null;
  if (typeof v.document === "string") return { name: str(v.name), document: v.document };
  const template = readTemplate(v.template);
  return template ? { name: str(v.name), template } : null;
}

function readConditions(v: unknown): TrustConditions {
  const c = isRec(v) ? v : {};
  const out: TrustConditions = {};
  // undefined = not required; a string (even empty, while being typed) = required.
  if (typeof c.externalId === "string") out.externalId = c.externalId;
  if (typeof c.requireMfa === "boolean") out.requireMfa = c.requireMfa;
  if (typeof c.organizationId === "string") out.organizationId = c.organizationId;
  return out;
}

const notNull = <T>(v: T | null): v is T => v !== null;

/** The document inside a stored draft, with every unreadable part replaced by its empty value. */
export function readDocument(v: unknown): WizardDocument {
  const empty = emptyDocument();
  const d = isRec(v) ? v : {};
  const target = isRec(d.target) ? d.target : {};
  const trust = isRec(d.trust) ? d.trust : {};
  const permissions = isRec(d.permissions) ? d.permissions : {};
  const duration = target.maxSessionDuration;
  const boundary = optStr(target.permissionsBoundaryArn);
  return {
    target: {
      accountId: str(target.accountId),
      roleName: str(target.roleName),
      path: str(target.path, empty.target.path),
      description: str(target.description),
      maxSessionDuration: typeof duration === "number" && Number.isInteger(duration) && duration >= 3600 && duration <= 43200 ? duration : empty.target.maxSessionDuration,
      tags: arr(target.tags)
        .filter(isRec)
        .map((t) => ({ key: str(t.key), value: str(t.value) })),
      ...(boundary !== undefined ? { permissionsBoundaryArn: boundary } : {}),
    },
    trust: {
      entities: Array.isArray(trust.entities) ? trust.entities.map(readEntity).filter(notNull) : empty.trust.entities,
      conditions: readConditions(trust.conditions),
    },
    permissions: {
      managedPolicyArns: arr(permissions.managedPolicyArns).filter((a): a is string => typeof a === "string"),
      inline: arr(permissions.inline).map(readInline).filter(notNull),
    },
    applySourcePolicies: arr(d.applySourcePolicies).filter((a): a is string => typeof a === "string"),
  };
}

/** The stored draft, or null when there is none or it is not one of ours. A draft saved while a
 * role was being created comes back on the Review step: creating is never resumed by a reload. */
export function parseDraft(raw: string | null): Draft | null {
  if (!raw || raw.length > MAX_DRAFT_CHARS) return null;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return null;
  }
  if (!isRec(value) || value.version !== DRAFT_VERSION || !isRec(value.document)) return null;
  const step = value.step;
  const n: StepNumber = step === 2 || step === 3 || step === 4 ? step : step === 5 ? 4 : 1;
  return { step: n, document: readDocument(value.document) };
}

/** 12-digit account ids of the AWS principals the role trusts (whole accounts and the accounts of
 * role/user ARNs): the only accounts a source-side policy can be attached in. */
export function trustedAccountIds(doc: WizardDocument): string[] {
  const ids = new Set<string>();
  for (const e of doc.trust.entities) {
    if (e.kind === "account" && /^\d{12}$/.test(e.accountId.trim())) ids.add(e.accountId.trim());
    if (e.kind === "principal") {
      const account = /^arn:[\w-]+:iam::(\d{12}):/.exec(e.arn.trim())?.[1];
      if (account) ids.add(account);
    }
  }
  return [...ids];
}

/** A tag row the person added and left empty: dropped rather than reported. */
export const blankTag = (t: { key: string; value: string }) => !t.key.trim() && !t.value.trim();

/** The document as the server should get it: empty optional fields left out, blank tag rows
 * dropped, and source-side policies only for accounts the role still trusts (the person may have
 * ticked one on Review and then removed that account on Who). */
export function toSubmission(doc: WizardDocument): WizardDocument {
  const { permissionsBoundaryArn, ...target } = doc.target;
  const boundary = permissionsBoundaryArn?.trim();
  const { externalId, requireMfa, organizationId } = doc.trust.conditions;
  const trusted = new Set(trustedAccountIds(doc));
  return {
    target: { ...target, tags: target.tags.filter((t) => !blankTag(t)), ...(boundary ? { permissionsBoundaryArn: boundary } : {}) },
    trust: {
      entities: doc.trust.entities.map((e) => {
        if (e.kind !== "oidc") return e;
        const { subject, ...rest } = e;
        return subject?.trim() ? { ...rest, subject } : rest;
      }),
      conditions: {
        ...(externalId !== undefined ? { externalId } : {}),
        ...(requireMfa ? { requireMfa: true } : {}),
        ...(organizationId !== undefined ? { organizationId } : {}),
      },
    },
    permissions: doc.permissions,
    applySourcePolicies: [...new Set(doc.applySourcePolicies)].filter((id) => trusted.has(id)),
  };
}
