import "server-only";
import { createHash } from "node:crypto";

// The operator's identity as AWS records it: RoleSessionName appears in the
// assumed-role ARN, the console's nav bar and CloudTrail; SourceIdentity is fixed for the session
// and survives role chaining.
// https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_control-access_monitor.html

/** AssumeRole allows 2–64 characters of `[\w+=,.@-]` for both RoleSessionName and SourceIdentity. */
const MIN_LENGTH = 2;
const MAX_LENGTH = 64;
const HASH_LENGTH = 16;
const OUTSIDE_ALPHABET = /[^\w+=,.@-]+/g;

/** A RoleSessionName for an operator, e.g. `alice@example.com` stays as it is.
 * - Characters AWS does not allow become `-`, and runs of `-` collapse to one.
 * - An input longer than 64 characters keeps a readable prefix and ends with `-` and the first
 *   16 hex digits of its SHA-256, so two long addresses never share a name (Teleport's
 *   MaybeHashRoleSessionName, lib/utils/aws/aws.go). The test is on the input's length, not the
 *   cleaned one's: cleaning can shorten an input to exactly 64 characters, and two such inputs
 *   must still differ.
 * - A result shorter than 2 characters is padded with `-`.
 * Deterministic: the same input always gives the same name. */
export function roleSessionName(email: string): string {
  const cleaned = email.replace(OUTSIDE_ALPHABET, "-").replace(/-{2,}/g, "-");
  // Cleaning never lengthens the input, so this also covers every cleaned name over 64.
  const named = email.length > MAX_LENGTH ? withHash(cleaned, email) : cleaned;
  return named.padEnd(MIN_LENGTH, "-");
}

function withHash(cleaned: string, original: string): string {
  const hash = createHash("sha256").update(original, "utf8").digest("hex").slice(0, HASH_LENGTH);
  const prefix = cleaned.slice(0, MAX_LENGTH - HASH_LENGTH - 1).replace(/-+$/, "");
  return `${prefix}-${hash}`;
}

/** A SourceIdentity for an operator: the same alphabet and length as a RoleSessionName, and it
 * must not begin with `aws:`, which AWS reserves ("ValidationError: SourceIdentity must not
 * begin with 'aws:'"). `:` is outside the alphabet, so cleaning already rules that out; the
 * check stays so that a change of alphabet cannot bring it back. */
export function sourceIdentity(email: string): string {
  const value = roleSessionName(email);
  return value.replace(/^aws:/i, "aws-");
}

/** The AWS identity (RoleSessionName and SourceIdentity) of a person's changes made through a
 * provisioning role: the identity fixed when their user was created (lib/users/aws-identity.ts),
 * so CloudTrail shows who created or changed each role. The one place that decides it. */
export function awsIdentityOf(actor: { awsIdentity: string }): string {
  return actor.awsIdentity;
}
