// Read access to the sandbox state in IAM's terms: who a key belongs to, which policies apply to
// them, and whether IAM's evaluation logic lets them do something.
import { readFileSync } from "node:fs";
import { authorize, evaluatePolicies, parsePolicy } from "../../lib/policy";
import type { AuthorizeResult, AuthzRequest, NamedPolicy, Policy, PolicyKind, RequestContext, RequestPrincipal } from "../../lib/policy/types";
import { denialReason } from "./denial";
import { AwsError } from "./errors";
import { organizationDenial, OrganizationTree, type OrgDenial } from "./organization";
import type { Account, ManagedPolicy, PolicyAttachments, Role, SandboxState, Session, Tag, User } from "./state";
import type { StateStore } from "./store";

export const PARTITION = "aws";

type AwsManagedPolicyJson = {
  name: string;
  path: string;
  defaultVersionId: string;
  createDate: string;
  updateDate: string;
  document: unknown;
};

export type AwsManagedPolicy = {
  name: string;
  path: string;
  arn: string;
  id: string;
  defaultVersionId: string;
  createDate: number;
  updateDate: number;
  document: string;
};

function loadAwsManagedPolicies(): Map<string, AwsManagedPolicy> {
  const raw = JSON.parse(readFileSync(new URL("../models/aws-managed-policies.json", import.meta.url), "utf8")) as {
    policies: AwsManagedPolicyJson[];
  };
  const out = new Map<string, AwsManagedPolicy>();
  for (const p of raw.policies) {
    const arn = `arn:${PARTITION}:iam::aws:policy${p.path}${p.name}`;
    // Stable ids derived from the name, so that they do not change between runs.
    const id = `ANPA${Buffer.from(p.name).toString("hex").toUpperCase().replace(/[^A-Z2-7]/g, "Q").padEnd(17, "Q").slice(0, 17)}`;
    out.set(arn, {
      name: p.name,
      path: p.path,
      arn,
      id,
      defaultVersionId: p.defaultVersionId,
      createDate: Date.parse(p.createDate),
      updateDate: Date.parse(p.updateDate),
      document: JSON.stringify(p.document),
    });
  }
  return out;
}

export const AWS_MANAGED_POLICIES = loadAwsManagedPolicies();

/** The authenticated caller of an API request. */
export type Caller = {
  accessKeyId: string;
  accountId: string;
  /** User ARN, or the assumed-role session ARN. */
  arn: string;
  /** `AIDA…` for users, `AROA…:<session>` for role sessions. */
  userId: string;
  principal: Extract<RequestPrincipal, { type: "user" | "assumed-role" }>;
  user?: User;
  role?: Role;
  session?: Session;
  /** The policies that grant the caller permissions. */
  identityPolicies: NamedPolicy[];
  permissionsBoundary?: NamedPolicy;
  sessionPolicies: NamedPolicy[];
  /** Global condition keys describing the caller (aws:PrincipalArn, aws:MultiFactorAuthPresent, …). */
  context: RequestContext;
};

export type Clock = { now(): number };

/** IAM's decision, and the SCP or RCP that refused the request when one did. */
export type Decision = AuthorizeResult & { organization?: OrgDenial };

const roleArnPattern = /^arn:([\w-]+):iam::(\d{12}):role(\/(?:[\u0021-\u007E]*\/)?)?([\w+=,.@-]+)$/;

export function parseRoleArn(arn: string): { accountId: string; path: string; name: string } | undefined {
  const m = roleArnPattern.exec(arn);
  if (!m || m[1] !== PARTITION) return undefined;
  return { accountId: m[2]!, path: m[3] ?? "/", name: m[4]! };
}

export const assumedRoleArn = (accountId: string, roleName: string, sessionName: string) =>
  `arn:${PARTITION}:sts::${accountId}:assumed-role/${roleName}/${sessionName}`;

export class World {
  readonly store: StateStore;
  readonly clock: Clock;
  private readonly parsed = new Map<string, Policy>();

  constructor(store: StateStore, clock: Clock) {
    this.store = store;
    this.clock = clock;
  }

  get state(): SandboxState {
    return this.store.state;
  }

  now(): number {
    return this.clock.now();
  }

  changed(): void {
    this.store.changed();
  }

  /** The organization's tree and its SCPs and RCPs. */
  get organization(): OrganizationTree {
    return new OrganizationTree(this.state.organization, (id) => this.account(id)?.name);
  }

  account(id: string): Account | undefined {
    return Object.prototype.hasOwnProperty.call(this.state.accounts, id) ? this.state.accounts[id] : undefined;
  }

  /** A role by its ARN; the path in the ARN must be the role's path, as in AWS. */
  roleByArn(arn: string): { account: Account; role: Role } | undefined {
    const parsed = parseRoleArn(arn);
    if (!parsed) return undefined;
    const account = this.account(parsed.accountId);
    const role = account?.roles[parsed.name.toLowerCase()];
    if (!account || !role || role.name !== parsed.name || role.path !== parsed.path) return undefined;
    return { account, role };
  }

  managedPolicy(arn: string): AwsManagedPolicy | (ManagedPolicy & { document: string }) | undefined {
    const aws = AWS_MANAGED_POLICIES.get(arn);
    if (aws) return aws;
    const m = /^arn:[\w-]+:iam::(\d{12}):policy\//.exec(arn);
    const account = m ? this.account(m[1]!) : undefined;
    const policy = account?.policies[arn];
    if (!policy) return undefined;
    const version = policy.versions.find((v) => v.versionId === policy.defaultVersionId)!;
    return { ...policy, document: version.document };
  }

  /** Parses a stored document; stored documents were validated when they were put. */
  policy(document: string, kind: PolicyKind): Policy {
    const key = `${kind}\u0000${document}`;
    let policy = this.parsed.get(key);
    if (!policy) {
      const result = parsePolicy(document, kind);
      // A stored document that no longer parses (e.g. after a grammar fix) grants nothing.
      policy = result.ok ? result.policy : { Statement: [] };
      if (this.parsed.size > 5000) this.parsed.clear();
      this.parsed.set(key, policy);
    }
    return policy;
  }

  identityPoliciesOf(entity: PolicyAttachments, label: string): NamedPolicy[] {
    const out: NamedPolicy[] = [];
    for (const [name, doc] of Object.entries(entity.inlinePolicies)) {
      out.push({ name: `${label} inline policy ${name}`, policy: this.policy(doc, "identity") });
    }
    for (const arn of entity.attachedPolicies) {
      const managed = this.managedPolicy(arn);
      if (managed) out.push({ name: arn, policy: this.policy(managed.document, "identity") });
    }
    return out;
  }

  boundaryOf(entity: PolicyAttachments): NamedPolicy | undefined {
    if (!entity.permissionsBoundary) return undefined;
    const managed = this.managedPolicy(entity.permissionsBoundary);
    return { name: entity.permissionsBoundary, policy: managed ? this.policy(managed.document, "identity") : { Statement: [] } };
  }

  /** Resolves the key that signed a request into the caller, or throws AWS's error. */
  authenticate(accessKeyId: string, securityToken: string | undefined): { caller: Caller; secret: string } {
    const invalid = () => new AwsError("InvalidClientTokenId", "The security token included in the request is invalid.", 403);
    const key = Object.prototype.hasOwnProperty.call(this.state.accessKeys, accessKeyId) ? this.state.accessKeys[accessKeyId] : undefined;
    if (key) {
      if (key.status !== "Active") throw invalid();
      const account = this.account(key.accountId);
      const user = account?.users[key.userName.toLowerCase()];
      if (!account || !user) throw invalid();
      return { caller: this.userCaller(account, user, accessKeyId, undefined), secret: key.secretAccessKey };
    }
    const session = Object.prototype.hasOwnProperty.call(this.state.sessions, accessKeyId) ? this.state.sessions[accessKeyId] : undefined;
    if (!session || securityToken === undefined || securityToken !== session.sessionToken) throw invalid();
    if (session.expiresAt <= this.now()) {
      throw new AwsError("ExpiredToken", "The security token included in the request is expired", 403);
    }
    const account = this.account(session.accountId);
    if (!account) throw invalid();
    if (session.kind === "session-token") {
      const user = account.users[session.userName.toLowerCase()];
      if (!user) throw invalid();
      return { caller: this.userCaller(account, user, accessKeyId, session), secret: session.secretAccessKey };
    }
    return { caller: this.roleCaller(account, session), secret: session.secretAccessKey };
  }

  private baseContext(accountId: string, session: Session | undefined): RequestContext {
    const now = this.now();
    const context: RequestContext = {
      "aws:PrincipalAccount": accountId,
      "aws:CurrentTime": new Date(now).toISOString(),
      "aws:EpochTime": String(Math.floor(now / 1000)),
      "aws:SecureTransport": "false",
      "aws:ViaAWSService": "false",
      // Present in every signed request; only AWS services' own calls set it to true.
      // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalisawsservice
      "aws:PrincipalIsAWSService": "false",
    };
    if (this.state.accounts[accountId] && this.state.organization) {
      context["aws:PrincipalOrgID"] = this.state.organization.id;
    }
    if (session) {
      // Temporary credentials always carry the MFA key; long-term keys never do.
      // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-multifactorauthpresent
      context["aws:MultiFactorAuthPresent"] = session.mfaAuthenticated ? "true" : "false";
      if (session.mfaAuthenticated) context["aws:MultiFactorAuthAge"] = String(Math.floor((now - session.issuedAt) / 1000));
      // To the second, like every time STS hands out (Expiration, CloudTrail's creationDate): a
      // revocation dated to the second then covers exactly the sessions it would on AWS.
      context["aws:TokenIssueTime"] = new Date(Math.floor(session.issuedAt / 1000) * 1000).toISOString().replace(".000Z", "Z");
      if (session.sourceIdentity) context["aws:SourceIdentity"] = session.sourceIdentity;
    }
    return context;
  }

  private tagContext(context: RequestContext, tags: Tag[]): void {
    for (const tag of tags) context[`aws:PrincipalTag/${tag.Key}`] = tag.Value;
  }

  private userCaller(account: Account, user: User, accessKeyId: string, session: Session | undefined): Caller {
    const context = this.baseContext(account.id, session);
    context["aws:PrincipalArn"] = user.arn;
    context["aws:PrincipalType"] = "User";
    context["aws:username"] = user.name;
    context["aws:userid"] = user.id;
    this.tagContext(context, user.tags);
    return {
      accessKeyId,
      accountId: account.id,
      arn: user.arn,
      userId: user.id,
      principal: { type: "user", arn: user.arn, accountId: account.id },
      user,
      session,
      identityPolicies: this.identityPoliciesOf(user, `user ${user.name}`),
      permissionsBoundary: this.boundaryOf(user),
      sessionPolicies: [],
      context,
    };
  }

  private roleCaller(account: Account, session: Extract<Session, { kind: "assumed-role" }>): Caller {
    const role = account.roles[session.roleName.toLowerCase()];
    // A deleted (or deleted and re-created) role leaves its sessions with no permissions.
    const live = role && role.id === session.roleId ? role : undefined;
    const arn = assumedRoleArn(account.id, session.roleName, session.sessionName);
    const userId = `${session.roleId}:${session.sessionName}`;
    const context = this.baseContext(account.id, session);
    context["aws:PrincipalArn"] = session.roleArn;
    context["aws:PrincipalType"] = "AssumedRole";
    context["aws:userid"] = userId;
    if (live) this.tagContext(context, live.tags);
    this.tagContext(context, session.tags);
    return {
      accessKeyId: session.accessKeyId,
      accountId: account.id,
      arn,
      userId,
      principal: { type: "assumed-role", arn, accountId: account.id, roleArn: session.roleArn },
      role: live,
      session,
      identityPolicies: live ? this.identityPoliciesOf(live, `role ${live.name}`) : [],
      permissionsBoundary: live ? this.boundaryOf(live) : undefined,
      sessionPolicies: session.sessionPolicies?.map((doc, i) => ({
        name: `session policy ${i + 1}`,
        policy: this.policy(doc, "identity"),
      })) ?? [],
      context,
    };
  }

  /** IAM's decision for a caller, including session policies (which can only narrow) and the
   * organization's SCPs and RCPs (./organization). */
  decide(
    caller: Caller,
    request: { action: string; resource: string; resourceAccount: string; context?: RequestContext },
    resource?: { policy: NamedPolicy; required: boolean },
  ): Decision {
    const authzRequest: AuthzRequest = {
      principal: caller.principal,
      action: request.action,
      resource: request.resource,
      resourceAccount: request.resourceAccount,
      context: { ...caller.context, ...request.context },
    };
    const result = this.decideWithoutOrganization(caller, authzRequest, resource);
    const org = organizationDenial(this.organization, caller.accountId, authzRequest, (doc, kind) => this.policy(doc, kind));
    // An SCP's or RCP's explicit deny is reported before the others' (AWS names one policy type
    // when several deny); their implicit deny only when nothing else denied explicitly.
    if (!org || (org.decision === "ImplicitDeny" && result.decision === "ExplicitDeny")) return result;
    return { ...result, decision: org.decision, decidingStatements: org.statements, missing: [], reason: org.reason, organization: org };
  }

  private decideWithoutOrganization(caller: Caller, authzRequest: AuthzRequest, resource?: { policy: NamedPolicy; required: boolean }): AuthorizeResult {
    const result = authorize({
      identityPolicies: caller.identityPolicies,
      permissionsBoundary: caller.permissionsBoundary,
      resourcePolicy: resource?.policy,
      resourcePolicyRequired: resource?.required,
      request: authzRequest,
    });
    if (caller.sessionPolicies.length === 0 || result.decision === "ExplicitDeny") return result;
    const session = evaluatePolicies(caller.sessionPolicies, authzRequest, "identity");
    if (session.decision === "ExplicitDeny") {
      return { ...result, decision: "ExplicitDeny", decidingStatements: session.matched.filter((m) => m.effect === "Deny"), reason: "Explicitly denied by a session policy" };
    }
    if (result.decision === "Allow" && session.decision !== "Allow") {
      return { ...result, decision: "ImplicitDeny", decidingStatements: [], missing: ["identity"], reason: "No session policy allows the action" };
    }
    return result;
  }

  /** Authorizes an IAM-style call on a resource in the caller's own account, throwing AWS's
   * AccessDenied text when it is not allowed. */
  require(caller: Caller, action: string, resource: string, context?: RequestContext): void {
    const result = this.decide(caller, { action, resource, resourceAccount: caller.accountId, context });
    if (result.decision === "Allow") return;
    const why = denialReason(result, action, caller.sessionPolicies.length > 0);
    throw new AwsError("AccessDenied", `User: ${caller.arn} is not authorized to perform: ${action} on resource: ${resource} ${why}`, 403);
  }
}
