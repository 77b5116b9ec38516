// The Roles page sorts with lib/catalog/order.ts; the menu sorts in indexMenu. Both must give
// the same order, on names written the way people write them (case, accents, numbers, the same
// label in several accounts, accounts with the same name).
import { describe, expect, it } from "vitest";
import { compareAccounts, compareRoles } from "@/lib/catalog/order";
import { indexMenu } from "./search";
import { makeMenu } from "./testing";

const accounts = [
  { id: "111111111111", name: "Production", alias: null, environment: "production" as const },
  { id: "222222222222", name: "development", alias: null, environment: "development" as const },
  { id: "999999999999", name: "Prod 10", alias: null, environment: "production" as const },
  { id: "888888888888", name: "Prod 2", alias: null, environment: "production" as const },
  { id: "777777777777", name: "Écosystème", alias: null, environment: "other" as const },
  { id: "333333333333", name: "Sandbox", alias: null, environment: "sandbox" as const },
  { id: "000000000003", name: "Sandbox", alias: null, environment: "sandbox" as const },
];
const roles = [
  { id: "r1", account: "Production", name: "ReadOnly", label: "read only" },
  { id: "r2", account: "Production", name: "AdminRole", label: "Admin" },
  { id: "r3", account: "Production", name: "Zeta", label: "Admin" },
  { id: "r4", account: "development", name: "Role10" },
  { id: "r5", account: "development", name: "Role2" },
  { id: "r6", account: "Prod 10", name: "éditeur" },
  { id: "r7", account: "Prod 10", name: "Editor", label: "editor" },
  { id: "r8", account: "Prod 2", name: "X" },
  { id: "r9", account: "Écosystème", name: "Y" },
  { id: "r10", account: "Sandbox", name: "Z" },
];

describe("the Roles page's order", () => {
  it("is the menu's browse order", () => {
    // makeMenu finds accounts by name; the second "Sandbox" gets a role of its own below.
    const menu = makeMenu(accounts, roles);
    menu.roles.push({ ...menu.roles.at(-1)!, id: "r11", a: accounts.length - 1, name: "A", label: "A" });
    const index = indexMenu(menu);
    const menuOrder = [...index.catalogOrder].map((r) => menu.roles[r]!.id);

    const page = menu.roles
      .map((r) => ({ id: r.id, displayName: r.label, roleName: r.name, account: { name: menu.accounts[r.a]!.name, accountId: menu.accounts[r.a]!.id } }))
      .sort((x, y) => compareAccounts(x.account, y.account) || compareRoles(x, y))
      .map((r) => r.id);

    expect(page).toEqual(menuOrder);
    // Numbers by value, case and accents aside, then the account id for equal names.
    expect(menuOrder).toEqual(["r5", "r4", "r9", "r8", "r6", "r7", "r2", "r3", "r1", "r11", "r10"]);
  });
});
