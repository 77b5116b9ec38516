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

  it("reads a missing lastRoleId as none", () => {
    expect(parseMenuData({ accounts: [], roles: [] })).toEqual({ accounts: [], roles: [], lastRoleId: null });
  });
});
