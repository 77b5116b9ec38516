import { describe, expect, it } from "vitest";
import { parseMenuData } from "./menu-data";
import { CATALOG } from "./testing";

describe("parseMenuData", () => {
  it("accepts the server's menu data as it is", () => {
    expect(parseMenuData(JSON.parse(JSON.stringify(CATALOG)))).toEqual(CATALOG);
  });

  it.each([null, "x", [], {}, { accounts: [], roles: {} }, { accounts: [{ id: 1 }], roles: [] }])("refuses %j", (value) => {
    expect(parseMenuData(value)).toBeNull();
  });

  it("drops a role that points at a missing account or lacks a field, keeps the rest", () => {
    const data = { ...CATALOG, roles: [...CATALOG.roles, { ...CATALOG.roles[0]!, id: "orphan", a: 99 }, { id: "half" }] };
    expect(parseMenuData(data)!.roles.map((r) => r.id)).toEqual(CATALOG.roles.map((r) => r.id));
  });

  it("keeps a failing entry's last test, and drops a role whose test is malformed", () => {
    const health = { why: "not_trusted", reason: "The trust policy of … does not trust the console's broker.", testedAt: "2026-03-01T10:00:00.000Z" };
    const failing = { ...CATALOG.roles[0]!, id: "failing", health };
    const malformed = { ...CATALOG.roles[0]!, id: "malformed", health: { why: "not_trusted" } };
    const parsed = parseMenuData({ ...CATALOG, roles: [failing, malformed] })!;
    expect(parsed.roles).toEqual([failing]);
  });

  it("reads a missing lastRoleId as none", () => {
    expect(parseMenuData({ accounts: [], roles: [] })).toEqual({ accounts: [], roles: [], lastRoleId: null });
  });
});
