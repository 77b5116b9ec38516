import { describe, expect, it } from "vitest";
import { EXIT } from "./errors";
import { formatTable, listEntries, resolveEntry } from "./role-match";
import { MENU } from "./test-support";

describe("naming a role on the command line", () => {
  it.each([
    ["01J00000000000000000000003", "Staging/Admin"],
    ["Production/Admin", "Production/Admin"],
    ["production / read only", "Production/Read only"],
    ["111111111111/ReadOnly", "Production/Read only"],
    ["Staging/AdminRole", "Staging/Admin"],
    ["production-readonly", "Production/Read only"],
    ["scientist", "Sandbox/Data scientist"],
    ["stag adm", "Staging/Admin"],
    ["prod readonyl", "Production/Read only"],
  ])("%s → %s", (wanted, path) => {
    expect(resolveEntry(MENU, wanted).path).toBe(path);
  });

  it("lists the candidates when several roles match, and exits with the role code", () => {
    const err = (() => {
      try {
        resolveEntry(MENU, "admin");
      } catch (e) {
        return e as { exitCode: number; message: string };
      }
    })();
    expect(err?.exitCode).toBe(EXIT.roleNotFound);
    expect(err?.message).toContain('"admin" matches 2 roles');
    expect(err?.message).toContain("Production/Admin");
    expect(err?.message).toContain("Staging/Admin");
  });

  it("says so when nothing matches", () => {
    expect(() => resolveEntry(MENU, "nothing-like-it")).toThrow(/No role of yours matches "nothing-like-it"/);
    expect(() => resolveEntry({ accounts: [], roles: [], lastRoleId: null }, "x")).toThrow(/no roles in Switchboard yet/);
  });

  it("lists pinned roles first without a query, best match first with one", () => {
    expect(listEntries(MENU).map((e) => e.path)).toEqual(["Sandbox/Data scientist", "Production/Admin", "Production/Read only", "Staging/Admin"]);
    expect(listEntries(MENU, "read").map((e) => e.path)).toEqual(["Production/Read only"]);
  });

  it("prints aligned columns: id, account/role, account id, region", () => {
    const lines = formatTable(listEntries(MENU).slice(1, 3), true);
    expect(lines).toEqual([
      "ID                          ACCOUNT/ROLE          ACCOUNT       REGION",
      "01J00000000000000000000001  Production/Admin      111111111111  eu-west-1",
      "01J00000000000000000000002  Production/Read only  111111111111  us-east-1",
    ]);
  });
});
