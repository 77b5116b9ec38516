// The demo world, modelled on AWS's cross-account tutorials
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/tutorial_cross-account-with-roles.html):
// four accounts in one organization, the console's broker in Operations, provisioning roles
// everywhere, and roles that show each way AssumeRole can succeed or be refused.
import { organizationalUnitId, organizationId, policyId, rootId, secretAccessKey, totpSeed, uniqueId } from "./ids";
import { OrganizationTree, ORG_POLICY_TYPES } from "./organization";
import { STATE_VERSION, type Account, type Organization, type Role, type SandboxState, type User } from "./state";
import { PARTITION } from "./world";

export const ACCOUNTS = {
  production: "111111111111",
  development: "222222222222",
  operations: "333333333333",
  test: "444444444444",
} as const;

export const BROKER_USER = "switchboard";
export const DEVELOPER_USER = "developer";
/** ExternalId of the seeded third-party role; not a secret (AWS: "treat it as an identifier"). */
export const SEED_EXTERNAL_ID = "switchboard-demo-7f3a9c2e";
export const PROVISIONING_ROLE = "OrganizationAccountAccessRole";

const iamArn = (account: string, resource: string) => `arn:${PARTITION}:iam::${account}:${resource}`;
const doc = (value: unknown) => JSON.stringify(value, null, 2);

function emptyAccount(id: string, name: string, now: number): Account {
  return {
    id,
    name,
    email: `aws+${name.toLowerCase()}@example.com`,
    joinedTimestamp: now,
    users: {},
    roles: {},
    policies: {},
    instanceProfiles: {},
    oidcProviders: {},
    mfaDevices: {},
  };
}

function addUser(account: Account, name: string, now: number, inline: Record<string, unknown> = {}): User {
  const user: User = {
    name,
    path: "/",
    id: uniqueId("AIDA"),
    arn: iamArn(account.id, `user/${name}`),
    createDate: now,
    tags: [],
    inlinePolicies: Object.fromEntries(Object.entries(inline).map(([k, v]) => [k, doc(v)])),
    attachedPolicies: [],
  };
  account.users[name.toLowerCase()] = user;
  return user;
}

function addRole(
  account: Account,
  name: string,
  now: number,
  opts: {
    trust: unknown;
    description: string;
    maxSessionDuration?: number;
    managed?: string[];
    inline?: Record<string, unknown>;
    tags?: Record<string, string>;
  },
): Role {
  const role: Role = {
    name,
    path: "/",
    id: uniqueId("AROA"),
    arn: iamArn(account.id, `role/${name}`),
    createDate: now,
    assumeRolePolicyDocument: doc(opts.trust),
    description: opts.description,
    maxSessionDuration: opts.maxSessionDuration ?? 3600,
    tags: Object.entries(opts.tags ?? {}).map(([Key, Value]) => ({ Key, Value })),
    inlinePolicies: Object.fromEntries(Object.entries(opts.inline ?? {}).map(([k, v]) => [k, doc(v)])),
    attachedPolicies: (opts.managed ?? []).map((p) => `arn:${PARTITION}:iam::aws:policy/${p}`),
  };
  account.roles[name.toLowerCase()] = role;
  return role;
}

const trust = (statements: unknown[]) => ({ Version: "2012-10-17", Statement: statements });

/** What the broker may read of the organization: its accounts (to import them) and, to name the
 * SCP or RCP that refuses a switch (lib/sessions/explain.ts), the path to an account and the
 * policies attached along it. */
const BROKER_READ_ORGANIZATION = [
  "organizations:DescribeOrganization",
  "organizations:ListAccounts",
  "organizations:DescribeAccount",
  "organizations:ListParents",
  "organizations:DescribeOrganizationalUnit",
  "organizations:ListPoliciesForTarget",
  "organizations:DescribePolicy",
];

/** What the console's broker does with a provisioning role: assume it in a session that carries
 * the acting person as source identity (and may carry session tags), so setting them is allowed
 * too. https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_control-access_monitor.html */
const PROVISIONING_ACTIONS = ["sts:AssumeRole", "sts:SetSourceIdentity", "sts:TagSession"];

/** The provisioning roles' trust: the Operations account, where the broker lives. */
function provisioningTrust() {
  return trust([allowAws(iamArn(ACCOUNTS.operations, "root"), PROVISIONING_ACTIONS)]);
}
const allowAws = (principal: string | string[], actions: string | string[] = "sts:AssumeRole", condition?: unknown) => ({
  Effect: "Allow",
  Principal: { AWS: principal },
  Action: actions,
  ...(condition ? { Condition: condition } : {}),
});

export function seedState(now: number): SandboxState {
  const production = emptyAccount(ACCOUNTS.production, "Production", now);
  const development = emptyAccount(ACCOUNTS.development, "Development", now);
  const operations = emptyAccount(ACCOUNTS.operations, "Operations", now);
  const test = emptyAccount(ACCOUNTS.test, "Test", now);
  production.alias = "acme-production";
  development.alias = "acme-development";
  operations.alias = "acme-operations";
  test.alias = "acme-test";
  const accounts = [production, development, operations, test];

  const opsRoot = iamArn(ACCOUNTS.operations, "root");
  const devRoot = iamArn(ACCOUNTS.development, "root");
  const brokerArn = iamArn(ACCOUNTS.operations, `user/${BROKER_USER}`);

  // The console's broker: long-term keys, may assume any role (the target's trust policy
  // decides), may carry the operator's identity (SetSourceIdentity) and tags, and may read the
  // organization's account list.
  const broker = addUser(operations, BROKER_USER, now, {
    "switchboard-broker": {
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "AssumeTargetRoles",
          Effect: "Allow",
          Action: ["sts:AssumeRole", "sts:SetSourceIdentity", "sts:TagSession"],
          Resource: "arn:aws:iam::*:role/*",
        },
        {
          Sid: "ReadOrganization",
          Effect: "Allow",
          Action: BROKER_READ_ORGANIZATION,
          Resource: "*",
        },
      ],
    },
  });
  broker.tags = [{ Key: "purpose", Value: "switchboard-broker" }];

  addUser(development, DEVELOPER_USER, now, {
    "assume-delegate_read_my_bucket": {
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Action: "sts:AssumeRole",
          Resource: iamArn(ACCOUNTS.production, "role/delegate_read_my_bucket"),
        },
      ],
    },
  });

  // A provisioning role in every account, as AWS Organizations creates it in member accounts.
  for (const account of accounts) {
    addRole(account, PROVISIONING_ROLE, now, {
      trust: provisioningTrust(),
      description: "Provisioning role: full administration, assumable from the Operations account",
      managed: ["AdministratorAccess"],
    });
  }

  addRole(production, "delegate_read_my_bucket", now, {
    trust: trust([
      allowAws(devRoot),
      allowAws(brokerArn, ["sts:AssumeRole", "sts:SetSourceIdentity", "sts:TagSession"]),
    ]),
    description: "Tutorial role: read one S3 bucket, for Development and the console",
    inline: {
      read_my_bucket: {
        Version: "2012-10-17",
        Statement: [
          { Effect: "Allow", Action: "s3:ListBucket", Resource: "arn:aws:s3:::my-bucket" },
          { Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::my-bucket/*" },
        ],
      },
    },
  });
  addRole(production, "CA_ServiceDeployer", now, {
    trust: trust([allowAws(iamArn(ACCOUNTS.operations, "role/JenkinsRole"))]),
    description: "Deployments from the Jenkins servers in Operations",
    managed: ["AWSCodeDeployDeployerAccess"],
  });
  addRole(production, "ReadOnly", now, {
    trust: trust([allowAws(opsRoot, ["sts:AssumeRole", "sts:SetSourceIdentity", "sts:TagSession"])]),
    description: "Read-only access for operators, up to 12-hour sessions",
    maxSessionDuration: 43200,
    managed: ["ReadOnlyAccess"],
  });
  addRole(production, "ThirdPartyAuditor", now, {
    trust: trust([
      allowAws(opsRoot, ["sts:AssumeRole", "sts:SetSourceIdentity"], { StringEquals: { "sts:ExternalId": SEED_EXTERNAL_ID } }),
    ]),
    description: "Security audit for a third party; requires the agreed ExternalId",
    managed: ["SecurityAudit"],
  });
  addRole(production, "BreakGlassAdmin", now, {
    trust: trust([allowAws(opsRoot, "sts:AssumeRole", { Bool: { "aws:MultiFactorAuthPresent": "true" } })]),
    description: "Emergency administration; requires MFA",
    managed: ["AdministratorAccess"],
  });

  for (const account of [development, test, operations]) {
    addRole(account, "ReadOnly", now, {
      trust: trust([allowAws(opsRoot, ["sts:AssumeRole", "sts:SetSourceIdentity", "sts:TagSession"])]),
      description: "Read-only access for operators",
      maxSessionDuration: 14400,
      managed: ["ReadOnlyAccess"],
    });
  }
  addRole(test, "DevelopmentTesters", now, {
    trust: trust([allowAws(devRoot)]),
    description: "Test automation from the Development account only (the console's broker is not trusted)",
    managed: ["PowerUserAccess"],
  });
  addRole(development, "PowerUser", now, {
    trust: trust([allowAws(opsRoot, ["sts:AssumeRole", "sts:SetSourceIdentity", "sts:TagSession"])]),
    description: "Day-to-day engineering in Development",
    maxSessionDuration: 28800,
    managed: ["PowerUserAccess"],
  });

  const jenkins = addRole(operations, "JenkinsRole", now, {
    trust: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }] },
    description: "Jenkins build servers (EC2 instance profile)",
    inline: {
      "assume-deployer": {
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Resource: "arn:aws:iam::*:role/CA_ServiceDeployer" }],
      },
    },
  });
  operations.instanceProfiles[jenkins.name.toLowerCase()] = {
    name: jenkins.name,
    path: "/",
    id: uniqueId("AIPA"),
    arn: iamArn(ACCOUNTS.operations, `instance-profile/${jenkins.name}`),
    createDate: now,
    roles: [jenkins.name.toLowerCase()],
    tags: [],
  };

  const state: SandboxState = {
    version: STATE_VERSION,
    createdAt: now,
    clockOffsetMs: 0,
    organization: {
      id: organizationId(),
      arn: "",
      masterAccountId: ACCOUNTS.operations,
      masterAccountEmail: operations.email,
      rootId: rootId(),
      enabledPolicyTypes: [...ORG_POLICY_TYPES],
      organizationalUnits: {},
      accountParents: {},
      policies: {},
      attachments: {},
    },
    accounts: Object.fromEntries(accounts.map((a) => [a.id, a])),
    accessKeys: {},
    sessions: {},
    signinTokens: {},
    consoleSessions: {},
  };
  state.organization.arn = `arn:${PARTITION}:organizations::${ACCOUNTS.operations}:organization/${state.organization.id}`;

  for (const [account, user] of [
    [operations, BROKER_USER],
    [development, DEVELOPER_USER],
  ] as const) {
    const accessKeyId = uniqueId("AKIA");
    state.accessKeys[accessKeyId] = {
      accessKeyId,
      secretAccessKey: secretAccessKey(),
      accountId: account.id,
      userName: user,
      status: "Active",
      createDate: now,
    };
  }

  const serialNumber = iamArn(ACCOUNTS.operations, `mfa/${BROKER_USER}`);
  operations.mfaDevices[serialNumber] = { serialNumber, userName: BROKER_USER, seed: totpSeed(), enableDate: now, usedSteps: [] };
  seedOrganization(state);
  return state;
}

/** The seeded SCP: principals in the Test account may not assume roles in Production. */
export const SEED_SCP = {
  name: "DenyTestToProduction",
  description: "Test automation must never reach Production",
  content: doc({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "DenyAssumeRoleIntoProduction",
        Effect: "Deny",
        Action: "sts:AssumeRole",
        Resource: iamArn(ACCOUNTS.production, "role/*"),
      },
    ],
  }),
};

/** The demo organization's tree: Operations (the management account) in the root, Production in
 * the OU Production, Development and Test in the OU NonProduction; SCPs and RCPs enabled, with
 * FullAWSAccess and RCPFullAWSAccess everywhere, as AWS attaches them. The seeded SCP is attached
 * to the Test account itself, not to NonProduction: Development's `developer` must keep its way
 * into Production's delegate_read_my_bucket. Accounts other than the seeded ones stay in the root.
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html */
function seedOrganization(state: SandboxState): void {
  const org = state.organization;
  const tree = new OrganizationTree(org, (id) => state.accounts[id]?.name);
  const now = state.createdAt;
  tree.attachDefaults(org.rootId);
  const ous = new Map<string, string>();
  const ouFor = (name: string): string => {
    let id = ous.get(name);
    if (!id) {
      id = organizationalUnitId(org.rootId);
      org.organizationalUnits[id] = { id, name, parentId: org.rootId, createDate: now };
      tree.attachDefaults(id);
      ous.set(name, id);
    }
    return id;
  };
  const placement: Record<string, string> = {
    [ACCOUNTS.production]: "Production",
    [ACCOUNTS.development]: "NonProduction",
    [ACCOUNTS.test]: "NonProduction",
  };
  for (const id of Object.keys(state.accounts).sort()) {
    const ou = placement[id];
    if (ou && id !== org.masterAccountId) org.accountParents[id] = ouFor(ou);
    tree.attachDefaults(id);
  }
  if (state.accounts[ACCOUNTS.test] && state.accounts[ACCOUNTS.production]) {
    const id = policyId();
    org.policies[id] = { id, ...SEED_SCP, type: "SERVICE_CONTROL_POLICY", createDate: now };
    tree.attach(ACCOUNTS.test, id);
  }
}

/**
 * Brings a state persisted by an older sandbox up to STATE_VERSION, so `npm run demo` keeps
 * working on an existing `.sandbox/`. Version 1 → 2: the seeded provisioning roles' statement
 * trusting Operations with sts:AssumeRole alone also allows sts:SetSourceIdentity and
 * sts:TagSession (other statements, and trust policies someone changed, are left as they are).
 * Version 2 → 3: the organization's root, OUs, SCPs and RCPs, as seeded. Returns undefined for
 * a version it does not know.
 */
export function migrateState(saved: { version?: unknown } & Record<string, unknown>): SandboxState | undefined {
  if (saved.version === STATE_VERSION) return saved as unknown as SandboxState;
  if (saved.version !== 1 && saved.version !== 2) return undefined;
  const state = saved as unknown as Omit<SandboxState, "version"> & { version: number };
  if (state.version === 1) trustSourceIdentity(state);
  if (state.version <= 2) addOrganizationTree(state);
  state.version = STATE_VERSION;
  return state as SandboxState;
}

/** Version 2 → 3: the organization gets the seeded tree and policies (seedOrganization), unless
 * it already has them, and the seeded broker may read them (its statement as seeded, unchanged
 * since, gets the new actions). */
function addOrganizationTree(state: Omit<SandboxState, "version">): void {
  if (!(state.organization as Partial<Organization>).attachments) {
    Object.assign(state.organization, { enabledPolicyTypes: [...ORG_POLICY_TYPES], organizationalUnits: {}, accountParents: {}, policies: {}, attachments: {} });
    seedOrganization(state as SandboxState);
  }
  const broker = state.accounts[ACCOUNTS.operations]?.users[BROKER_USER];
  const inline = broker?.inlinePolicies["switchboard-broker"];
  if (!broker || !inline) return;
  let policy: { Statement?: Array<{ Sid?: string; Action?: unknown }> };
  try {
    policy = JSON.parse(inline) as typeof policy;
  } catch {
    return;
  }
  const read = policy.Statement?.find((st) => st.Sid === "ReadOrganization");
  if (read && JSON.stringify(read.Action) === JSON.stringify(BROKER_READ_ORGANIZATION.slice(0, 3))) {
    read.Action = BROKER_READ_ORGANIZATION;
    broker.inlinePolicies["switchboard-broker"] = doc(policy);
  }
}

/** Version 1 → 2: the provisioning roles' statement trusting Operations with sts:AssumeRole
 * alone also allows sts:SetSourceIdentity and sts:TagSession. */
function trustSourceIdentity(state: Omit<SandboxState, "version">): void {
  const opsRoot = iamArn(ACCOUNTS.operations, "root");
  for (const account of Object.values(state.accounts)) {
    const role = account.roles[PROVISIONING_ROLE.toLowerCase()];
    if (!role) continue;
    let policy: { Statement?: unknown };
    try {
      policy = JSON.parse(role.assumeRolePolicyDocument) as { Statement?: unknown };
    } catch {
      continue;
    }
    const statements = Array.isArray(policy.Statement) ? policy.Statement : [policy.Statement];
    let changed = false;
    for (const s of statements as Array<Record<string, unknown> | undefined>) {
      const principal = (s?.Principal as { AWS?: unknown } | undefined)?.AWS;
      const actions = Array.isArray(s?.Action) ? s.Action : [s?.Action];
      if (s?.Effect === "Allow" && principal === opsRoot && actions.length === 1 && actions[0] === "sts:AssumeRole") {
        s.Action = PROVISIONING_ACTIONS;
        changed = true;
      }
    }
    if (changed) role.assumeRolePolicyDocument = doc(policy);
  }
}
