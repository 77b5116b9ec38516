// Whether a role the wizard's trust names is itself an EC2 instance role or an ECS task role,
// read from that role's own trust policy: then the code that uses the new role runs on an
// instance or in a task, and its ~/.aws/config profile wants `credential_source`
// (Ec2InstanceMetadata, EcsContainer) rather than `source_profile`.
// https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-role.html#cli-configure-role-ec2
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_switch-role-ec2.html
// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-iam-roles.html
// PURE: no server-only, no node: imports; the wizard's Review step reads these types.

import type { CredentialSource } from "@/lib/aws/credential-formats";

/** What the console found out about one trusted role ARN. */
export type TrustedPrincipalCheck =
  | {
      principal: string;
      /** The role's trust policy was read. */
      status: "checked";
      roleName: string;
      /** The credential_source its users want, when the role trusts EC2 or ECS tasks. */
      credentialSource: Exclude<CredentialSource, "Environment"> | null;
      /** The service principal that made it so (`ec2.amazonaws.com`), when there is one. */
      service: string | null;
    }
  | {
      principal: string;
      /** Nothing could be read: the account is not registered, the role does not exist, the
       * provisioning role may not read it. The export then keeps source_profile. */
      status: "unchecked";
      roleName: string;
      /** Why, in a sentence for the person. */
      reason: string;
    };

/** The services whose roles are used through credential_source, in the order the default takes
 * them: a role trusting both EC2 and ECS tasks is taken as an instance role. China's regions once
 * named their principals with `.cn`; both spellings are accepted.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-services */
const SERVICE_SOURCES: ReadonlyArray<{ source: Exclude<CredentialSource, "Environment">; services: readonly string[] }> = [
  { source: "Ec2InstanceMetadata", services: ["ec2.amazonaws.com", "ec2.amazonaws.com.cn"] },
  { source: "EcsContainer", services: ["ecs-tasks.amazonaws.com", "ecs-tasks.amazonaws.com.cn"] },
];

type Statement = Record<string, unknown>;

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : value === undefined ? [] : [value]);

/** IAM's action wildcards: `*` any run of characters, `?` one; case-insensitive.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html */
function actionMatches(pattern: unknown, action: string): boolean {
  if (typeof pattern !== "string") return false;
  const regex = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`, "i");
  return regex.test(action);
}

function allowsAssumeRole(statement: Statement): boolean {
  return list(statement.Action).some((a) => actionMatches(a, "sts:AssumeRole"));
}

/** The services a statement's Principal names; `"*"` names every one. */
function servicesOf(statement: Statement): string[] | "*" {
  const principal = statement.Principal;
  if (principal === "*") return "*";
  if (typeof principal !== "object" || principal === null || Array.isArray(principal)) return [];
  return list((principal as Record<string, unknown>).Service).filter((s): s is string => typeof s === "string").map((s) => s.toLowerCase());
}

/** The document GetRole answers with: URL-encoded JSON (RFC 3986), as IAM returns every policy
 * document; a plain JSON text is read as well. Anything else is null. */
export function parseTrustDocument(document: string | undefined): unknown {
  if (!document) return null;
  for (const text of [document, safeDecode(document)]) {
    if (text === null) continue;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      // the other reading
    }
  }
  return null;
}

function safeDecode(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}

/** The credential_source a role's users want, from the role's trust policy: an Allow of
 * sts:AssumeRole to `ec2.amazonaws.com` (an instance role) or `ecs-tasks.amazonaws.com` (a task
 * role) that no Deny takes back. Null for anything else (an account, a user, a web identity). */
export function credentialSourceOfTrust(trust: unknown): { source: Exclude<CredentialSource, "Environment">; service: string } | null {
  if (typeof trust !== "object" || trust === null) return null;
  const statements = list((trust as Record<string, unknown>).Statement).filter((s): s is Statement => typeof s === "object" && s !== null && !Array.isArray(s));
  const names = (effect: string) =>
    statements.filter((s) => s.Effect === effect && s.NotPrincipal === undefined && s.NotAction === undefined && allowsAssumeRole(s)).map(servicesOf);
  const allowed = names("Allow");
  const denied = names("Deny");
  const has = (sets: Array<string[] | "*">, service: string) => sets.some((set) => set === "*" || set.includes(service));
  for (const { source, services } of SERVICE_SOURCES) {
    // Allow "*" trusts anyone, EC2 included, but says nothing about where the code runs.
    const service = services.find((s) => allowed.some((set) => set !== "*" && set.includes(s)) && !has(denied, s));
    if (service) return { source, service };
  }
  return null;
}

/** Why the export defaults to a credential_source, for the person: "Role app-server is an EC2
 * instance role (it trusts ec2.amazonaws.com)." */
export function credentialSourceReason(check: Extract<TrustedPrincipalCheck, { status: "checked" }>): string | null {
  if (!check.credentialSource || !check.service) return null;
  const what = check.credentialSource === "Ec2InstanceMetadata" ? "an EC2 instance role" : "an ECS task role";
  return `Role ${check.roleName} is ${what} (it trusts ${check.service}), so code using this profile runs there.`;
}

/** The role ARNs among trusted principals (users, sessions and accounts are not asked about),
 * each once, in order: `arn:<partition>:iam::<account>:role/<path/>name`. */
export const TRUSTED_ROLE_ARN = /^arn:aws(?:-[a-z]+)*:iam::\d{12}:role\/(?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/;

export function trustedRoleArns(arns: readonly string[], max = 5): string[] {
  return [...new Set(arns.filter((arn) => TRUSTED_ROLE_ARN.test(arn)))].slice(0, max);
}
