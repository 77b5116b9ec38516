import { randomBytes, randomUUID } from "node:crypto";

// AWS unique ids are a four-letter prefix and base32-looking upper-case characters:
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids
const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

function randomChars(count: number, alphabet = ALPHABET): string {
  const bytes = randomBytes(count);
  let out = "";
  for (let i = 0; i < count; i++) out += alphabet[bytes[i]! % alphabet.length];
  return out;
}

export type IdPrefix =
  | "AIDA" // user
  | "AROA" // role
  | "ANPA" // managed policy
  | "AIPA" // instance profile
  | "AKIA" // long-term access key
  | "ASIA"; // temporary access key

export const uniqueId = (prefix: IdPrefix) => `${prefix}${randomChars(prefix === "AKIA" || prefix === "ASIA" ? 16 : 17)}`;

export const secretAccessKey = () => randomBytes(30).toString("base64").replace(/[+/]/g, "x").slice(0, 40);

export const sessionToken = () => `IQoJb3JpZ2luX2Vj${randomBytes(240).toString("base64")}`;

export const requestId = () => randomUUID();

export const opaqueToken = (bytes = 32) => randomBytes(bytes).toString("base64url");

export const totpSeed = () => randomChars(32);

export const organizationId = () => `o-${randomChars(10, "abcdefghijklmnopqrstuvwxyz0123456789")}`;

export const rootId = () => `r-${randomChars(4, "abcdefghijklmnopqrstuvwxyz0123456789")}`;

// AWS Organizations ids, in the forms its API reference gives: "p-" and 8–128 characters for a
// policy, "ou-" with the root's suffix and 8–32 characters for an OU.
// https://docs.aws.amazon.com/organizations/latest/APIReference/API_PolicySummary.html
const LOWER = "abcdefghijklmnopqrstuvwxyz0123456789";

export const policyId = () => `p-${randomChars(10, LOWER)}`;

export const organizationalUnitId = (rootId: string) => `ou-${rootId.replace(/^r-/, "")}-${randomChars(8, LOWER)}`;

export const resourcePolicyId = () => `rp-${randomChars(8, LOWER)}`;
