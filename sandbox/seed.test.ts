// The seeded world's provisioning roles and the persisted state's versions: the console sets a
// source identity on every provisioning session, so each provisioning role's trust
// must allow sts:SetSourceIdentity, in a fresh sandbox and in one persisted by an older seed.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AssumeRoleCommand } from "@aws-sdk/client-sts";
import { afterAll, describe, expect, it } from "vitest";
import { ACCOUNTS, BROKER_USER, PROVISIONING_ROLE, SEED_SCP, seedState } from "./core/seed";
import { STATE_VERSION } from "./core/state";
import { StateStore } from "./core/store";
import { roleArn } from "./iam-test-support";
import { startTestSandbox } from "./testing";

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

type TrustDoc = { Statement: Array<{ Action: string | string[] }> };
const trustOf = (state: ReturnType<typeof seedState>, accountId: string) =>
  JSON.parse(state.accounts[accountId]!.roles[PROVISIONING_ROLE.toLowerCase()]!.assumeRolePolicyDocument) as TrustDoc;

/** The provisioning roles' trust as seeds before the console set a source identity wrote it. */
function olderState(): Record<string, unknown> {
  const state = JSON.parse(JSON.stringify(seedState(Date.now()))) as Omit<ReturnType<typeof seedState>, "version"> & { version: number };
  for (const account of Object.values(state.accounts)) {
    const role = account.roles[PROVISIONING_ROLE.toLowerCase()]!;
    role.assumeRolePolicyDocument = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNTS.operations}:root` }, Action: "sts:AssumeRole" }] }, null, 2);
  }
  state.version = 1;
  return state;
}

describe("the seeded provisioning roles", () => {
  it("trust the Operations account with sts:AssumeRole, sts:SetSourceIdentity and sts:TagSession", () => {
    const state = seedState(Date.now());
    for (const accountId of Object.values(ACCOUNTS)) {
      expect(trustOf(state, accountId).Statement.map((s) => s.Action)).toEqual([["sts:AssumeRole", "sts:SetSourceIdentity", "sts:TagSession"]]);
    }
  });

  it("let the broker assume them with a source identity", async () => {
    const t = await startTestSandbox();
    try {
      const out = await t.sts(t.broker).send(new AssumeRoleCommand({ RoleArn: roleArn(ACCOUNTS.test, PROVISIONING_ROLE), RoleSessionName: "ada@example.com", SourceIdentity: "ada@example.com" }));
      expect(out.SourceIdentity).toBe("ada@example.com");
    } finally {
      await t.close();
    }
  });
});

describe("a state persisted by an older seed", () => {
  it("is migrated on load: the provisioning roles get sts:SetSourceIdentity, and the version is current", () => {
    const dir = mkdtempSync(join(tmpdir(), "switchboard-sandbox-state-"));
    dirs.push(dir);
    const path = join(dir, "state.json");
    writeFileSync(path, JSON.stringify(olderState()));
    const state = StateStore.read(path)!;
    expect(state.version).toBe(STATE_VERSION);
    for (const accountId of Object.values(ACCOUNTS)) {
      expect(trustOf(state, accountId).Statement.map((s) => s.Action)).toEqual([["sts:AssumeRole", "sts:SetSourceIdentity", "sts:TagSession"]]);
    }
  });

  it("keeps working for the console: a sandbox started on it lets the broker set a source identity", async () => {
    const t = await startTestSandbox({ initialState: olderState() });
    try {
      const out = await t.sts(t.broker).send(new AssumeRoleCommand({ RoleArn: roleArn(ACCOUNTS.production, PROVISIONING_ROLE), RoleSessionName: "ada@example.com", SourceIdentity: "ada@example.com" }));
      expect(out.SourceIdentity).toBe("ada@example.com");
      expect(JSON.parse(readFileSync(join(t.dir, "state.json"), "utf8")).version).toBe(STATE_VERSION);
    } finally {
      await t.close();
    }
  });

  it("is migrated from version 2: the organization gets its tree, FullAWSAccess and RCPFullAWSAccess everywhere, the seeded SCP on Test, and the broker may read them", () => {
    const dir = mkdtempSync(join(tmpdir(), "switchboard-sandbox-state-"));
    dirs.push(dir);
    const path = join(dir, "state.json");
    const v2 = JSON.parse(JSON.stringify(seedState(Date.now()))) as Record<string, unknown> & ReturnType<typeof seedState>;
    const org = v2.organization as Partial<typeof v2.organization>;
    for (const key of ["enabledPolicyTypes", "organizationalUnits", "accountParents", "policies", "attachments"] as const) delete org[key];
    const broker = v2.accounts[ACCOUNTS.operations]!.users[BROKER_USER]!;
    const policy = JSON.parse(broker.inlinePolicies["switchboard-broker"]!) as { Statement: Array<{ Sid?: string; Action: unknown }> };
    policy.Statement.find((st) => st.Sid === "ReadOrganization")!.Action = ["organizations:DescribeOrganization", "organizations:ListAccounts", "organizations:DescribeAccount"];
    broker.inlinePolicies["switchboard-broker"] = JSON.stringify(policy);
    writeFileSync(path, JSON.stringify({ ...v2, version: 2 }));

    const state = StateStore.read(path)!;
    expect(state.version).toBe(STATE_VERSION);
    const migrated = state.organization;
    expect(migrated.enabledPolicyTypes).toEqual(["SERVICE_CONTROL_POLICY", "RESOURCE_CONTROL_POLICY"]);
    expect(Object.values(migrated.organizationalUnits).map((ou) => ou.name).sort()).toEqual(["NonProduction", "Production"]);
    for (const target of [migrated.rootId, ...Object.keys(migrated.organizationalUnits), ...Object.values(ACCOUNTS)]) {
      expect(migrated.attachments[target]?.slice(0, 2)).toEqual(["p-FullAWSAccess", "p-RCPFullAWSAccess"]);
    }
    const seeded = Object.values(migrated.policies);
    expect(seeded.map((p) => [p.name, p.type])).toEqual([[SEED_SCP.name, "SERVICE_CONTROL_POLICY"]]);
    expect(migrated.attachments[ACCOUNTS.test]).toContain(seeded[0]!.id);
    const read = JSON.parse(state.accounts[ACCOUNTS.operations]!.users[BROKER_USER]!.inlinePolicies["switchboard-broker"]!) as typeof policy;
    expect(read.Statement.find((st) => st.Sid === "ReadOrganization")!.Action).toEqual(expect.arrayContaining(["organizations:ListParents", "organizations:DescribePolicy"]));
  });

  it("is refused when it comes from a newer sandbox", () => {
    const dir = mkdtempSync(join(tmpdir(), "switchboard-sandbox-state-"));
    dirs.push(dir);
    const path = join(dir, "state.json");
    writeFileSync(path, JSON.stringify({ ...olderState(), version: STATE_VERSION + 1 }));
    expect(() => StateStore.read(path)).toThrow(/unsupported state version/);
  });
});
