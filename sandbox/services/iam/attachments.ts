// Inline and managed policies of roles and users: the same rules apply to both, with the
// quotas of each. https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-vs-inline.html
import { limitExceeded, noSuchEntity } from "../../core/errors";
import type { Account, PolicyAttachments } from "../../core/state";
import { requireValidDocument, policySize } from "./documents";
import { findPolicy, requireAttachablePolicy, type PolicyRef } from "./lookup";
import { underPath } from "./paging";
import { quota, quotaExceeded, type QuotaName } from "./quotas";
import { setOwn } from "./records";

/** A role or a user, named for IAM's messages ("… for role X"). */
export type PolicyHolder = { kind: "role" | "user"; name: string; entity: PolicyAttachments };

/** Inline policy names, like other IAM names, do not differ by case alone. */
const inlineKey = (holder: PolicyHolder, name: string) =>
  Object.keys(holder.entity.inlinePolicies).find((k) => k.toLowerCase() === name.toLowerCase());

export function getInlinePolicy(holder: PolicyHolder, name: string): { name: string; document: string } {
  const key = inlineKey(holder, name);
  if (key === undefined) throw noSuchEntity(`The ${holder.kind} policy with name ${name} cannot be found.`);
  return { name: key, document: holder.entity.inlinePolicies[key]! };
}

/** PutRolePolicy/PutUserPolicy: adds or replaces a policy; all of the holder's inline policies
 * together must stay within `maxAggregate` characters (whitespace not counted). */
export function putInlinePolicy(holder: PolicyHolder, name: string, document: string, maxAggregate: number): void {
  requireValidDocument(document, "identity");
  const existing = inlineKey(holder, name);
  const others = Object.entries(holder.entity.inlinePolicies).filter(([k]) => k !== existing);
  const total = others.reduce((sum, [, doc]) => sum + policySize(doc), policySize(document));
  if (total > maxAggregate) {
    throw limitExceeded(`Maximum policy size of ${maxAggregate} bytes exceeded for ${holder.kind} ${holder.name}`);
  }
  if (existing !== undefined) delete holder.entity.inlinePolicies[existing];
  setOwn(holder.entity.inlinePolicies, name, document);
}

export function deleteInlinePolicy(holder: PolicyHolder, name: string): void {
  delete holder.entity.inlinePolicies[getInlinePolicy(holder, name).name];
}

export const inlinePolicyNames = (holder: PolicyHolder) => Object.keys(holder.entity.inlinePolicies);

/** AttachRolePolicy/AttachUserPolicy: attaching a policy that is already attached changes nothing. */
export function attachPolicy(account: Account, holder: PolicyHolder, arn: string, limit: QuotaName): void {
  requireAttachablePolicy(account, arn);
  if (holder.entity.attachedPolicies.includes(arn)) return;
  if (holder.entity.attachedPolicies.length >= quota(limit)) throw quotaExceeded(limit);
  holder.entity.attachedPolicies.push(arn);
}

export function detachPolicy(holder: PolicyHolder, arn: string): void {
  if (!holder.entity.attachedPolicies.includes(arn)) throw noSuchEntity(`Policy ${arn} was not found.`);
  holder.entity.attachedPolicies = holder.entity.attachedPolicies.filter((a) => a !== arn);
}

/** A stable, short listing key for a managed policy: by name, AWS-managed before local. */
export const policyListKey = (ref: PolicyRef) => `${ref.policy.name.toLowerCase()}\u0000${ref.scope}`;

export function attachedPolicyRefs(account: Account, holder: PolicyHolder, pathPrefix: string | undefined): PolicyRef[] {
  return holder.entity.attachedPolicies.flatMap((arn) => {
    const ref = findPolicy(account, arn);
    return ref && underPath(ref.policy.path, pathPrefix) ? [ref] : [];
  });
}

export const attachedPolicyOutput = (ref: PolicyRef) => ({ PolicyName: ref.policy.name, PolicyArn: ref.policy.arn });
