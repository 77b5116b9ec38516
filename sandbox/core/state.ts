// The sandbox's whole world, kept in memory and persisted as one JSON file. Dates are epoch
// milliseconds on the sandbox's (possibly advanced) clock. IAM names are unique per account
// case-insensitively, so maps are keyed by the lower-cased name.

export type Tag = { Key: string; Value: string };

export type PolicyAttachments = {
  /** Inline policies: name → JSON document exactly as it was put. */
  inlinePolicies: Record<string, string>;
  /** Managed policy ARNs, in attachment order. */
  attachedPolicies: string[];
  permissionsBoundary?: string;
};

export type User = PolicyAttachments & {
  name: string;
  path: string;
  id: string;
  arn: string;
  createDate: number;
  tags: Tag[];
};

export type AccessKey = {
  accessKeyId: string;
  secretAccessKey: string;
  accountId: string;
  userName: string;
  status: "Active" | "Inactive";
  createDate: number;
};

export type Role = PolicyAttachments & {
  name: string;
  path: string;
  id: string;
  arn: string;
  createDate: number;
  assumeRolePolicyDocument: string;
  description?: string;
  maxSessionDuration: number;
  tags: Tag[];
  lastUsed?: { date: number; region: string };
};

export type PolicyVersion = { versionId: string; document: string; createDate: number };

export type ManagedPolicy = {
  name: string;
  path: string;
  id: string;
  arn: string;
  description?: string;
  createDate: number;
  updateDate: number;
  defaultVersionId: string;
  versions: PolicyVersion[];
  nextVersion: number;
  tags: Tag[];
};

export type InstanceProfile = {
  name: string;
  path: string;
  id: string;
  arn: string;
  createDate: number;
  /** Lower-cased role names (at most one, as in AWS). */
  roles: string[];
  tags: Tag[];
};

export type OidcProvider = {
  arn: string;
  url: string;
  clientIds: string[];
  thumbprints: string[];
  createDate: number;
  tags: Tag[];
};

export type MfaDevice = {
  serialNumber: string;
  userName: string;
  /** Base32 TOTP seed (RFC 6238, SHA-1, 6 digits, 30 s). */
  seed: string;
  enableDate: number;
  /** Time steps already used, so a code works once (AWS refuses reused codes). */
  usedSteps: number[];
};

export type Account = {
  id: string;
  name: string;
  email: string;
  alias?: string;
  joinedTimestamp: number;
  users: Record<string, User>;
  roles: Record<string, Role>;
  policies: Record<string, ManagedPolicy>;
  instanceProfiles: Record<string, InstanceProfile>;
  oidcProviders: Record<string, OidcProvider>;
  mfaDevices: Record<string, MfaDevice>;
};

/** Temporary credentials issued by STS. */
export type Session = {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  accountId: string;
  issuedAt: number;
  expiresAt: number;
  mfaAuthenticated: boolean;
  sourceIdentity?: string;
  tags: Tag[];
  transitiveTagKeys: string[];
  /** Session policies passed to AssumeRole (inline document and managed policy documents);
   * they narrow what the role's policies allow. */
  sessionPolicies?: string[];
} & (
  | {
      kind: "assumed-role";
      roleName: string;
      roleArn: string;
      roleId: string;
      sessionName: string;
      /** Whether the caller of AssumeRole was itself a role session (role chaining). */
      chained: boolean;
    }
  | {
      /** From GetSessionToken: the IAM user's own permissions, with MFA if given. */
      kind: "session-token";
      userName: string;
    }
);

export type SigninToken = {
  /** sha256 of the token handed out; the token itself is never stored. */
  hash: string;
  accessKeyId: string;
  issuedAt: number;
  /** Console session length requested with SessionDuration, if any. */
  sessionDuration?: number;
  used: boolean;
};

export type ConsoleSession = {
  /** sha256 of the cookie value. */
  hash: string;
  accessKeyId: string;
  issuer?: string;
  createdAt: number;
  expiresAt: number;
};

/** The authorization policy types of AWS Organizations the sandbox models.
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html */
export type OrgPolicyType = "SERVICE_CONTROL_POLICY" | "RESOURCE_CONTROL_POLICY";

/** A customer-managed SCP or RCP (the AWS-managed FullAWSAccess and RCPFullAWSAccess are
 * constants in ./organization). */
export type OrgPolicy = {
  id: string;
  name: string;
  description: string;
  type: OrgPolicyType;
  /** The JSON document exactly as it was given. */
  content: string;
  createDate: number;
};

export type OrganizationalUnit = {
  id: string;
  name: string;
  /** The root or the OU that contains it. */
  parentId: string;
  createDate: number;
};

export type Organization = {
  id: string;
  arn: string;
  masterAccountId: string;
  masterAccountEmail: string;
  rootId: string;
  /** The policy types enabled in the root. */
  enabledPolicyTypes: OrgPolicyType[];
  organizationalUnits: Record<string, OrganizationalUnit>;
  /** Account id → the root or OU that contains it. */
  accountParents: Record<string, string>;
  /** Customer-managed policies by id. */
  policies: Record<string, OrgPolicy>;
  /** Target (root, OU or account id) → the ids of the policies attached to it, in order. */
  attachments: Record<string, string[]>;
  /** The delegation policy set with PutResourcePolicy: which member accounts may read the
   * organization (and manage its policies) as a delegated administrator. */
  resourcePolicy?: { id: string; content: string };
};

/** The persisted state's format. 2: the provisioning roles' trust allows sts:SetSourceIdentity
 * (the console names the person in every provisioning session). 3: the organization has a
 * root, OUs and service and resource control policies. `migrateState` (./seed) brings an older
 * state up to date on load. */
export const STATE_VERSION = 3;

export type SandboxState = {
  version: typeof STATE_VERSION;
  createdAt: number;
  /** Milliseconds added to the real clock by the test interface. */
  clockOffsetMs: number;
  organization: Organization;
  accounts: Record<string, Account>;
  accessKeys: Record<string, AccessKey>;
  sessions: Record<string, Session>;
  signinTokens: Record<string, SigninToken>;
  consoleSessions: Record<string, ConsoleSession>;
};
