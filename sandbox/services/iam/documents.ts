// Policy documents as IAM takes and returns them: checked against the policy grammar, measured
// without whitespace, and returned URL-encoded.
import { countPolicyCharacters, parsePolicy, type Policy, type PolicyKind } from "../../../lib/policy";
import { malformedPolicy } from "../../core/errors";

/** Parses a document or throws MalformedPolicyDocument with the first problem, as IAM reports
 * one at a time. */
export function requireValidDocument(json: string, kind: PolicyKind): Policy {
  const parsed = parsePolicy(json, kind);
  if (!parsed.ok) throw malformedPolicy(parsed.errors[0]?.message ?? "Syntax errors in policy.");
  return parsed.policy;
}

/** IAM measures policies for its quotas in characters other than whitespace.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html#reference_iam-quotas-entity-length */
export const policySize = (json: string) => countPolicyCharacters(json);

/** IAM returns policy documents URL-encoded (RFC 3986); the AWS CLI decodes them, the SDKs do not.
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetRolePolicy.html */
export const encodeDocument = (json: string) => encodeURIComponent(json);
