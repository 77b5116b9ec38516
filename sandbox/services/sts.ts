// STS: AssumeRole, GetCallerIdentity, GetSessionToken, GetAccessKeyInfo.
// API reference: https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html
import { parsePolicy } from "../../lib/policy";
import type { RequestContext } from "../../lib/policy/types";
import { denialReason } from "../core/denial";
import { accessDenied, AwsError, malformedPolicy, validationError } from "../core/errors";
import { secretAccessKey, sessionToken, uniqueId } from "../core/ids";
import type { ApiContext, ApiHandler } from "../core/runtime";
import type { Session, Tag } from "../core/state";
import { matchTotp } from "../core/totp";
import { assumedRoleArn, parseRoleArn, type Caller, type Decision, type World } from "../core/world";

/** Role chaining caps sessions at one hour. https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_terms-and-concepts.html#iam-term-role-chaining */
export const ROLE_CHAINING_MAX_SECONDS = 3600;
const DEFAULT_DURATION_SECONDS = 3600;
/** GetSessionToken: 900 s to 36 h, default 12 h. */
const SESSION_TOKEN_DEFAULT_SECONDS = 43200;
const MAX_SESSION_TAGS = 50;

type AssumeRoleInput = {
  RoleArn: string;
  RoleSessionName: string;
  DurationSeconds?: number;
  ExternalId?: string;
  Policy?: string;
  PolicyArns?: Array<{ arn?: string }>;
  SerialNumber?: string;
  TokenCode?: string;
  SourceIdentity?: string;
  Tags?: Tag[];
  TransitiveTagKeys?: string[];
};

const mfaFailed = (message: string) => accessDenied(`MultiFactorAuthentication failed${message}`);

/** Checks a TOTP code against the caller's own MFA device; a code is good once. */
function verifyMfa(world: World, caller: Caller, serialNumber: string | undefined, tokenCode: string | undefined): boolean {
  if (serialNumber === undefined && tokenCode === undefined) return false;
  if (serialNumber === undefined || tokenCode === undefined) {
    throw mfaFailed(", must provide both MFA serial number and one time pass code.");
  }
  const account = world.account(caller.accountId);
  const device = account?.mfaDevices[serialNumber];
  if (!caller.user || !device || device.userName !== caller.user.name) {
    throw mfaFailed(", unable to validate MFA code. Please verify your MFA serial number is valid and associated with this user.");
  }
  const step = matchTotp(device.seed, tokenCode, world.now());
  if (step === undefined || device.usedSteps.includes(step)) {
    throw mfaFailed(" with invalid MFA one time pass code.");
  }
  device.usedSteps = [...device.usedSteps.slice(-9), step];
  world.changed();
  return true;
}

function issueCredentials(): Pick<Session, "accessKeyId" | "secretAccessKey" | "sessionToken"> {
  return { accessKeyId: uniqueId("ASIA"), secretAccessKey: secretAccessKey(), sessionToken: sessionToken() };
}

const credentialsOut = (s: Session) => ({
  AccessKeyId: s.accessKeyId,
  SecretAccessKey: s.secretAccessKey,
  SessionToken: s.sessionToken,
  Expiration: new Date(s.expiresAt),
});

function assumeRole(input: AssumeRoleInput, ctx: ApiContext) {
  const { world, caller, note } = ctx;
  note.RoleArn = input.RoleArn;
  note.RoleSessionName = input.RoleSessionName;
  if (input.SourceIdentity !== undefined) note.SourceIdentity = input.SourceIdentity;
  if (input.ExternalId !== undefined) note.ExternalId = input.ExternalId;
  if (input.DurationSeconds !== undefined) note.DurationSeconds = input.DurationSeconds;
  if (input.SerialNumber !== undefined) note.SerialNumber = input.SerialNumber;

  if (!parseRoleArn(input.RoleArn)) {
    throw validationError(`${input.RoleArn} is invalid: a role ARN looks like arn:aws:iam::<12-digit account id>:role/<path><name>`);
  }
  if (input.SourceIdentity?.toLowerCase().startsWith("aws:")) {
    throw validationError("SourceIdentity must not begin with 'aws:', which is reserved for AWS.");
  }
  const inherited = caller.session?.sourceIdentity;
  if (inherited !== undefined && input.SourceIdentity !== undefined && input.SourceIdentity !== inherited) {
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_control-access_monitor.html
    throw validationError(`The source identity of this session is '${inherited}' and cannot be changed when chaining roles.`);
  }
  const sourceIdentity = input.SourceIdentity ?? inherited;

  // Session tags: the caller's transitive tags carry over; new keys must not collide with them.
  const inheritedTags = (caller.session?.tags ?? []).filter((t) => caller.session?.transitiveTagKeys.includes(t.Key));
  const requestTags = input.Tags ?? [];
  const seen = new Set(inheritedTags.map((t) => t.Key.toLowerCase()));
  for (const tag of requestTags) {
    if (seen.has(tag.Key.toLowerCase())) {
      throw new AwsError("InvalidParameterValue", `Duplicate tag key '${tag.Key}': tag keys are case-insensitive and a transitive session tag cannot be overridden.`, 400);
    }
    seen.add(tag.Key.toLowerCase());
  }
  const tags = [...inheritedTags, ...requestTags];
  if (tags.length > MAX_SESSION_TAGS) throw validationError(`A session can carry at most ${MAX_SESSION_TAGS} tags.`);
  const transitive = [...new Set([...(caller.session?.transitiveTagKeys ?? []), ...(input.TransitiveTagKeys ?? [])])];
  for (const key of input.TransitiveTagKeys ?? []) {
    if (!requestTags.some((t) => t.Key === key)) {
      throw validationError(`TransitiveTagKeys names '${key}', which is not one of the session tags in this request.`);
    }
  }

  const sessionPolicies: string[] = [];
  if (input.Policy !== undefined) {
    const parsed = parsePolicy(input.Policy, "identity");
    if (!parsed.ok) throw malformedPolicy(parsed.errors.map((e) => `${e.message} (${e.path})`).join("; "));
    sessionPolicies.push(input.Policy);
  }
  for (const ref of input.PolicyArns ?? []) {
    const managed = ref.arn ? world.managedPolicy(ref.arn) : undefined;
    if (!managed) throw validationError(`Policy ${ref.arn ?? "(no arn)"} does not exist or is not attachable.`);
    sessionPolicies.push(managed.document);
  }

  const mfaNow = verifyMfa(world, caller, input.SerialNumber, input.TokenCode);
  const mfaAuthenticated = mfaNow || (caller.session?.mfaAuthenticated ?? false);

  // STS names no reason when nothing allows the call (the trust policy does not name the
  // caller, or the caller's policies do not allow it), but does name an explicit deny — e.g. a
  // revoked session's role chaining: "… on resource: <role ARN> with an explicit deny in an
  // identity-based policy" — and a refusal by the organization's SCPs or RCPs, explicit or not
  // ("… because no service control policy allows the sts:AssumeRole action").
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html
  const denied = (action: string, result?: Decision) =>
    accessDenied(
      `User: ${caller.arn} is not authorized to perform: ${action} on resource: ${input.RoleArn}` +
        (result && (result.decision === "ExplicitDeny" || result.organization) ? ` ${denialReason(result, action, caller.sessionPolicies.length > 0)}` : ""),
    );
  const found = world.roleByArn(input.RoleArn);
  // A role that does not exist is indistinguishable from one that does not trust the caller.
  if (!found) {
    note.denyReason = "The role does not exist";
    throw denied("sts:AssumeRole");
  }
  const { account, role } = found;

  const context: RequestContext = {
    "sts:RoleSessionName": input.RoleSessionName,
    "aws:SourceIp": ctx.sourceIp,
    "aws:RequestedRegion": ctx.region,
    // The role is the resource: its account, and its organization when it is in one (what RCPs
    // and the broker's policy test to stay inside the organization).
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-resourceaccount
    "aws:ResourceAccount": account.id,
    "aws:ResourceOrgID": world.organization.target(account.id) ? world.state.organization.id : undefined,
  };
  if (input.ExternalId !== undefined) context["sts:ExternalId"] = input.ExternalId;
  if (sourceIdentity !== undefined) context["sts:SourceIdentity"] = sourceIdentity;
  if (mfaNow) {
    context["aws:MultiFactorAuthPresent"] = "true";
    context["aws:MultiFactorAuthAge"] = "0";
  }
  if (tags.length) {
    for (const tag of tags) context[`aws:RequestTag/${tag.Key}`] = tag.Value;
    context["aws:TagKeys"] = tags.map((t) => t.Key);
  }
  if (input.TransitiveTagKeys?.length) context["sts:TransitiveTagKeys"] = input.TransitiveTagKeys;

  const trust = { name: `trust policy of ${role.arn}`, policy: world.policy(role.assumeRolePolicyDocument, "trust") };
  // Setting a source identity and session tags are separate permissions, checked in the same
  // request context. https://docs.aws.amazon.com/IAM/latest/UserGuide/id_session-tags.html
  const actions = ["sts:AssumeRole"];
  if (sourceIdentity !== undefined) actions.push("sts:SetSourceIdentity");
  if (tags.length) actions.push("sts:TagSession");
  for (const action of actions) {
    const result = world.decide(
      caller,
      { action, resource: role.arn, resourceAccount: account.id, context },
      { policy: trust, required: true },
    );
    if (result.decision !== "Allow") {
      note.denyReason = result.reason;
      note.denyMissing = result.missing.join(",");
      if (result.organization) note.denyOrganizationPolicy = result.organization.type;
      throw denied(action, result);
    }
  }

  const chained = caller.session?.kind === "assumed-role";
  if (input.DurationSeconds !== undefined) {
    if (chained && input.DurationSeconds > ROLE_CHAINING_MAX_SECONDS) {
      throw validationError("The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.");
    }
    if (input.DurationSeconds > role.maxSessionDuration) {
      throw validationError("The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
    }
  }
  const duration = input.DurationSeconds ?? DEFAULT_DURATION_SECONDS;

  const now = world.now();
  const session: Session = {
    ...issueCredentials(),
    kind: "assumed-role",
    accountId: account.id,
    issuedAt: now,
    expiresAt: now + duration * 1000,
    roleName: role.name,
    roleArn: role.arn,
    roleId: role.id,
    sessionName: input.RoleSessionName,
    chained,
    mfaAuthenticated,
    sourceIdentity,
    tags,
    transitiveTagKeys: transitive,
    ...(sessionPolicies.length ? { sessionPolicies } : {}),
  };
  world.state.sessions[session.accessKeyId] = session;
  role.lastUsed = { date: now, region: ctx.region };
  note.AccessKeyId = session.accessKeyId;
  note.chained = chained;
  world.changed();

  const packed = sessionPolicies.length || tags.length
    ? Math.min(100, Math.ceil(((sessionPolicies.join("").replace(/\s/g, "").length + JSON.stringify(tags).length) / 2048) * 100))
    : undefined;
  return {
    Credentials: credentialsOut(session),
    AssumedRoleUser: { AssumedRoleId: `${role.id}:${input.RoleSessionName}`, Arn: assumedRoleArn(account.id, role.name, input.RoleSessionName) },
    ...(packed !== undefined ? { PackedPolicySize: packed } : {}),
    ...(sourceIdentity !== undefined ? { SourceIdentity: sourceIdentity } : {}),
  };
}

function getCallerIdentity(_input: unknown, { caller }: ApiContext) {
  // GetCallerIdentity needs no permission and an explicit deny of sts:GetCallerIdentity does not
  // stop it, so a revoked session can still ask who it is:
  // https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html
  return { UserId: caller.userId, Account: caller.accountId, Arn: caller.arn };
}

function getSessionToken(input: { DurationSeconds?: number; SerialNumber?: string; TokenCode?: string }, ctx: ApiContext) {
  const { world, caller, note } = ctx;
  // Not authorized by policies: "No permissions are required for a user to get a session token."
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_control-access_getsessiontoken.html
  if (caller.session) {
    throw accessDenied("Cannot call GetSessionToken with session credentials");
  }
  if (input.SerialNumber !== undefined) note.SerialNumber = input.SerialNumber;
  const mfa = verifyMfa(world, caller, input.SerialNumber, input.TokenCode);
  const now = world.now();
  const session: Session = {
    ...issueCredentials(),
    kind: "session-token",
    userName: caller.user!.name,
    accountId: caller.accountId,
    issuedAt: now,
    expiresAt: now + (input.DurationSeconds ?? SESSION_TOKEN_DEFAULT_SECONDS) * 1000,
    mfaAuthenticated: mfa,
    tags: [],
    transitiveTagKeys: [],
  };
  world.state.sessions[session.accessKeyId] = session;
  note.AccessKeyId = session.accessKeyId;
  world.changed();
  return { Credentials: credentialsOut(session) };
}

/** Unlike GetCallerIdentity, GetAccessKeyInfo is an action policies grant and deny
 * (`sts:GetAccessKeyInfo`, no resource type):
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_awssecuritytokenservice.html */
function getAccessKeyInfo(input: { AccessKeyId: string }, { world, caller }: ApiContext) {
  const action = "sts:GetAccessKeyInfo";
  const result = world.decide(caller, { action, resource: "*", resourceAccount: caller.accountId });
  if (result.decision !== "Allow") {
    throw accessDenied(`User: ${caller.arn} is not authorized to perform: ${action} on resource: * ${denialReason(result, action, caller.sessionPolicies.length > 0)}`);
  }
  const key = world.state.accessKeys[input.AccessKeyId] ?? world.state.sessions[input.AccessKeyId];
  if (!key) throw validationError(`The access key ${input.AccessKeyId} is not known to this sandbox.`);
  return { Account: key.accountId };
}

export const stsHandlers: Record<string, ApiHandler> = {
  AssumeRole: assumeRole,
  GetCallerIdentity: getCallerIdentity,
  GetSessionToken: getSessionToken,
  GetAccessKeyInfo: getAccessKeyInfo,
};
