import { describe, expect, it } from "vitest";
import { BEGIN_MARKER, END_MARKER, foreignProfiles, managedBlock, profilesFor, unifiedDiff, withManagedBlock } from "./aws-config";
import { entriesOf } from "./role-match";
import { MENU } from "./test-support";

const entries = entriesOf(MENU);
const MINE = `[default]\nregion = eu-central-1\n\n[profile work]\nsso_session = corp\n# my notes\n`;

describe("config export's managed block", () => {
  it("names each profile after its account and role, unique, never a name outside the block", () => {
    const names = profilesFor(entries, new Set(["sandbox-datascientist"])).map((p) => p.name);
    expect(names).toEqual(["production-adminrole", "production-readonly", "sandbox-datascientist-333333333333", "staging-adminrole"]);
    // The same account and role names in two accounts: the account id tells them apart.
    const twins = entriesOf({ ...MENU, accounts: MENU.accounts.map((a) => ({ ...a, name: "Acme" })) });
    const twinNames = profilesFor(twins, new Set()).map((p) => p.name);
    expect(new Set(twinNames).size).toBe(twinNames.length);
    expect(twinNames).toContain("acme-adminrole-111111111111");
    expect(twinNames).toContain("acme-adminrole-222222222222");
  });

  it("reads the profile names a file already has outside the block, not inside it", () => {
    const file = withManagedBlock(MINE, managedBlock(profilesFor(entries, new Set())));
    expect([...foreignProfiles(file)].sort()).toEqual(["default", "work"]);
  });

  it("writes a credential_process and the region for each role", () => {
    const block = managedBlock(profilesFor(entries.slice(1, 2), new Set()));
    expect(block).toBe(
      [
        BEGIN_MARKER,
        "# Written by `switchboard config export`; it rewrites everything up to the end marker.",
        "",
        "# Production/Read only (111111111111)",
        "[profile production-readonly]",
        "credential_process = switchboard credentials 01J00000000000000000000002 --format credential-process",
        "region = us-east-1",
        "",
        END_MARKER,
      ].join("\n"),
    );
  });

  it("appends the block once, then replaces only it; everything else stays byte for byte", () => {
    const first = withManagedBlock(MINE, managedBlock(profilesFor(entries, new Set())));
    expect(first.startsWith(MINE)).toBe(true);
    expect(withManagedBlock(first, managedBlock(profilesFor(entries, new Set())))).toBe(first);
    // Fewer roles: the block shrinks, the person's lines around it stay.
    const edited = `${first}[profile after]\nregion = us-west-2\n`;
    const fewer = withManagedBlock(edited, managedBlock(profilesFor(entries.slice(0, 1), new Set())));
    expect(fewer.startsWith(MINE)).toBe(true);
    expect(fewer.endsWith(`${END_MARKER}\n[profile after]\nregion = us-west-2\n`)).toBe(true);
    expect(fewer).not.toContain("production-readonly");
  });

  it.each([
    ["", `${BEGIN_MARKER}`],
    ["[default]", "[default]\n\n# >>>"],
    ["[default]\n", "[default]\n\n# >>>"],
    ["[default]\n\n", "[default]\n\n# >>>"],
  ])("separates the block from %j with one blank line", (before, starts) => {
    expect(withManagedBlock(before, managedBlock([])).startsWith(starts)).toBe(true);
  });

  it("refuses a begin marker without an end marker rather than guess", () => {
    expect(() => withManagedBlock(`${BEGIN_MARKER}\n[profile x]\n`, managedBlock([]))).toThrow(/not "# <<< switchboard <<<"/);
  });

  it("diffs as one unified hunk with context, empty when nothing changes", () => {
    expect(unifiedDiff("a\nb\n", "a\nb\n", "x", "x")).toBe("");
    expect(unifiedDiff("1\n2\n3\n4\n5\n", "1\n2\n3\nfour\n5\n", "f", "f")).toBe("--- f\n+++ f\n@@ -1,5 +1,5 @@\n 1\n 2\n 3\n-4\n+four\n 5\n");
    expect(unifiedDiff("", "a\n", "/dev/null", "f")).toBe("--- /dev/null\n+++ f\n@@ -0,0 +1 @@\n+a\n");
  });
});
