// A console switch AWS refuses, end to end below the UI (real SQLite store, real sandbox over
// HTTP, real SDK): the failure page reads back only the person's own record, in plain words for
// an operator and with the fix for an administrator; "Add this statement for me" proposes the
// policy with the statement added, Edit trust's own write saves it (audited), and then the Test
// and the switch work.
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { addTestUser } from "@/lib/auth/testing";
import { configureForSandbox } from "@/lib/config/testing";
import { startTestSandbox, type TestSandbox } from "@/sandbox/testing";

const t: TestSandbox = await startTestSandbox();
configureForSandbox(t, "switch-failure");
const { getDb } = await import("@/lib/db/client");
const { createAccount } = await import("@/lib/accounts/accounts");
const { registerRole } = await import("@/lib/catalog/roles");
const { createGrant } = await import("@/lib/catalog/grants");
const { startSession } = await import("./start-session");
const { testRole } = await import("./test-role");
const { getSwitchFailure } = await import("./switch-failure");
const { failureReport, plainReason } = await import("./switch-failure-report");
const { proposeTrustStatement } = await import("@/lib/provision/trust-fix");
const { isTrustFix, trustFixStatement } = await import("@/lib/provision/trust-statement");
const { updateTrust } = await import("@/lib/provision/trust-update");

const BROKER = "arn:aws:iam::333333333333:user/switchboard";
const TESTERS = "arn:aws:iam::444444444444:role/DevelopmentTesters";
const meta = () => ({ requestId: randomUUID(), ip: "198.51.100.5", userAgent: "vitest" });
let admin: Actor;
let otto: Actor;
let nadia: Actor;
let roleId = "";

/** A console switch that must fail; returns the request id it was recorded under. */
async function failedSwitch(actor: Actor): Promise<string> {
  const m = meta();
  await expect(startSession(actor, { roleId, kind: "console", region: "eu-west-1" }, m)).rejects.toMatchObject({ code: "aws_denied" });
  return m.requestId;
}

beforeAll(async () => {
  admin = await addTestUser("ada@example.com", "admin");
  otto = await addTestUser("otto@example.com", "operator");
  nadia = await addTestUser("nadia@example.com", "operator");
  await createAccount(admin, { accountId: "444444444444", name: "Test", environment: "test" }, meta());
  // Seeded to trust the Development account only, not the console's broker.
  roleId = (await registerRole(admin, { accountId: "444444444444", roleName: "DevelopmentTesters", sourceIdentity: false }, meta())).id;
  await createGrant(admin, { roleId, userEmail: otto.email }, meta());
  await createGrant(admin, { roleId, userEmail: nadia.email }, meta());
});

describe("the failure page's record", () => {
  it("gives the person who switched what failed, where and when, without the fix", async () => {
    const requestId = await failedSwitch(otto);
    const view = await getSwitchFailure(otto, roleId, requestId);
    expect(view).toMatchObject({
      role: { id: roleId, roleArn: TESTERS, accountId: "444444444444", accountName: "Test", displayName: "DevelopmentTesters" },
      region: "eu-west-1",
      requestId,
      kind: "trust-policy",
      fix: null,
    });
    expect(view!.reason).toContain(`does not trust the console's broker (${BROKER})`);
    expect(Date.now() - Date.parse(view!.at)).toBeLessThan(60_000);
    expect(plainReason(view!.kind)).toBe("The role does not trust this console yet, so AWS refused to let it sign you in.");
    const report = failureReport(view!);
    for (const part of [`Role ARN: ${TESTERS}`, "Account: Test (444444444444)", "Region: eu-west-1", `Request id: ${requestId}`, `Time: ${view!.at}`, "What failed: The trust policy of"]) expect(report).toContain(part);
  });

  it("finds nothing for someone else's request id, another role, or a day later", async () => {
    const requestId = await failedSwitch(otto);
    expect(await getSwitchFailure(nadia, roleId, requestId)).toBeNull();
    expect(await getSwitchFailure(otto, roleId, randomUUID())).toBeNull();
    expect(await getSwitchFailure(otto, roleId, requestId, Date.now() + 25 * 3600_000)).toBeNull();
    // A role the person may not use is refused outright, as everywhere else.
    const other = (await registerRole(admin, { accountId: "444444444444", roleName: "OrganizationAccountAccessRole" }, meta())).id;
    await expect(getSwitchFailure(otto, other, requestId)).rejects.toMatchObject({ code: "forbidden" });
  });

  it("gives an administrator the statement that fixes it, one the console can add itself", async () => {
    const requestId = await failedSwitch(admin);
    const view = await getSwitchFailure(admin, roleId, requestId);
    expect(view?.fix?.where).toBe(`the trust policy of ${TESTERS}`);
    expect(view?.fix?.statement).toEqual({ Effect: "Allow", Principal: { AWS: BROKER }, Action: "sts:AssumeRole" });
    expect(isTrustFix(view?.fix?.statement)).toBe(true);
  });
});

describe("Add this statement for me", () => {
  it("is refused to operators, and for a principal that is not the broker", async () => {
    const statement = trustFixStatement.parse({ Effect: "Allow", Principal: { AWS: BROKER }, Action: "sts:AssumeRole" });
    await expect(proposeTrustStatement(otto, roleId, statement)).rejects.toMatchObject({ code: "forbidden" });
    const stranger = trustFixStatement.parse({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::999999999999:user/mallory" }, Action: "sts:AssumeRole" });
    await expect(proposeTrustStatement(admin, roleId, stranger)).rejects.toMatchObject({ code: "bad_request", message: expect.stringContaining("not the console's broker") });
  });

  it("proposes the live policy plus the statement; saved through Edit trust, audited, the Test and the switch then work", async () => {
    const requestId = await failedSwitch(admin);
    const fix = (await getSwitchFailure(admin, roleId, requestId))!.fix!;
    const proposal = await proposeTrustStatement(admin, roleId, trustFixStatement.parse(fix.statement));
    expect(proposal.added).toBe(true);
    expect(proposal.view.current).toContain("arn:aws:iam::222222222222:root");
    const proposed = JSON.parse(proposal.proposed) as { Statement: unknown[] };
    expect(proposed.Statement).toContainEqual({ Sid: "SwitchboardConsole", Effect: "Allow", Principal: { AWS: BROKER }, Action: ["sts:AssumeRole", "sts:SetSourceIdentity"] });
    expect(proposed.Statement).toHaveLength(2);

    expect((await testRole(admin, roleId, meta())).ok).toBe(false);
    const saveMeta = meta();
    await updateTrust(admin, roleId, proposal.proposed, { acknowledgeWarnings: true }, saveMeta);
    const db = await getDb();
    const audit = await db.selectFrom("audit_events").selectAll().where("request_id", "=", saveMeta.requestId).executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ action: "provisioning.trust_update", outcome: "success", actor_id: admin.id, target_label: TESTERS, aws_account_id: "444444444444" });

    expect(await testRole(admin, roleId, meta())).toMatchObject({ ok: true });
    const session = await startSession(otto, { roleId, kind: "console", region: "eu-west-1" }, meta());
    expect(session.assumedRoleArn).toBe("arn:aws:sts::444444444444:assumed-role/DevelopmentTesters/otto@example.com");
    // Asked again, there is nothing left to add.
    expect((await proposeTrustStatement(admin, roleId, trustFixStatement.parse(fix.statement))).added).toBe(false);
  });
});
